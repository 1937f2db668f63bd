namespace HingeSharp.Functional;

/// <summary>The reductions on counts given as doubles: the same formulas for integer counts and for the weighted
/// counts of a Keras-style metric (HingeSharp.Torch's <c>precision</c>, <c>recall</c>, <c>f1_score</c>).</summary>
internal static partial class StatReduce
{
    /// <summary>Accuracy, precision, recall or F1 from binary counts.</summary>
    internal static double Binary(double tp, double fp, double tn, double fn, StatKind kind, double zeroDivision) =>
        kind == StatKind.Accuracy ? SafeDivide(tp + tn, tp + tn + fp + fn, 0) : Score(kind, tp, fp, fn, zeroDivision);

    /// <summary>A multiclass score from per-class counts, averaged as torchmetrics averages: micro sums the counts
    /// first; macro leaves out the classes that never occur (top-1: in preds or target; top-k: in target); weighted
    /// weighs by support, tp + fn; None gives the per-class vector.</summary>
    internal static MetricValue Multiclass(ReadOnlySpan<double> truePositives, ReadOnlySpan<double> falsePositives,
        ReadOnlySpan<double> falseNegatives, int topK, StatKind kind, ClassificationAverage average,
        double zeroDivision)
    {
        var c = truePositives.Length;
        if (average == ClassificationAverage.Micro)
        {
            double tp = 0, fp = 0, fn = 0;
            for (var k = 0; k < c; k++)
            {
                tp += truePositives[k];
                fp += falsePositives[k];
                fn += falseNegatives[k];
            }

            return MetricValue.Scalar(Score(kind, tp, fp, fn, zeroDivision));
        }

        Span<double> scores = c <= 256 ? stackalloc double[c] : new double[c];
        double weightSum = 0, weighted = 0;
        for (var k = 0; k < c; k++)
        {
            double tp = truePositives[k], fp = falsePositives[k], fn = falseNegatives[k];
            scores[k] = Score(kind, tp, fp, fn, zeroDivision);
            var weight = average == ClassificationAverage.Weighted ? tp + fn
                : (topK == 1 ? tp + fp + fn == 0 : tp + fn == 0) ? 0d : 1d;
            weightSum += weight;
            weighted += weight * scores[k];
        }

        return average == ClassificationAverage.None
            ? MetricValue.Vector(scores)
            : MetricValue.Scalar(SafeDivide(weighted, weightSum, zeroDivision));
    }
}
