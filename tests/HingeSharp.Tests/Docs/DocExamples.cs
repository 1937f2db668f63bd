using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Reports;
using HingeSharp.Statistics;

namespace HingeSharp.Tests.Docs;

/// <summary>
/// The C# examples of docs/beyond-torchmetrics.md, verbatim between the snippet markers (DocTests checks that the
/// Markdown shows exactly this text and that every <c>// =&gt; value</c> comment is what the code returns).
/// </summary>
internal static class DocExamples
{
    public static double[] WeightsFunctional()
    {
        // snippet: weights-functional
        // Raw decision values (an SVM's), labels 0/1, one weight per sample: scikit-learn's
        // hinge_loss(y_true=[1, -1, 1], pred_decision, sample_weight=[1, 2, 1]).
        double[] decision = [2.0, -0.5, 0.25];
        int[] labels = [1, 0, 1];
        double[] weights = [1.0, 2.0, 1.0];
        double loss = HingeFunctional.BinaryHingeLoss<double, int>(decision, labels, weights,
            inputKind: HingeInputKind.Margins); // => 0.4375

        // Crammer–Singer with class weights: the true class's weight scales the row.
        double[] scores = [2.0, 0.5, 0.1, 0.3, 0.2, 1.5, 0.9, 1.1, 0.4];
        int[] classes = [0, 2, 1];
        double weighted = HingeFunctional.MulticlassHingeLoss<double, int>(scores, classes, numClasses: 3,
            sampleWeight: [], inputKind: HingeInputKind.Margins, classWeights: [1.0, 1.0, 4.0]).Value; // => 0.1333
        // end snippet
        return [loss, weighted];
    }

    public static double[] WeightsStreaming()
    {
        // snippet: weights-streaming
        // Two workers each stream their shard with weights; the merged metric equals one pass over everything.
        var left = new BinaryHingeLoss(inputKind: HingeInputKind.Logits) { ClassWeights = [1.0, 3.0] };
        var right = new BinaryHingeLoss(inputKind: HingeInputKind.Logits) { ClassWeights = [1.0, 3.0] };
        left.Update<float, int>([2.0f, -1.0f, 0.5f], [1, 0, 0], [1.0, 0.5, 2.0]);
        right.Update<float, int>([-0.3f, 1.2f], [1, 1], [1.0, 0.0]);
        left.Merge(right);
        double merged = left.Compute(); // => 0.7012
        WeightedHingeState state = left.WeightedState; // Σw·loss, Σw (÷ 2^WeightExponent), count: mergeable
        double weightSum = state.TotalWeight; // => 8.5000
        // end snippet
        return [merged, weightSum];
    }

    public static double[] Multilabel()
    {
        // snippet: multilabel
        // 2 samples × 3 labels; probabilities (all values in [0, 1]) are used as they are.
        float[] preds = [0.9f, 0.2f, 0.6f, 0.1f, 0.8f, 0.4f];
        int[] target = [1, 0, 1, 0, 1, 0];
        var perLabel = HingeFunctional.MultilabelHingeLoss<float, int>(preds, target, numLabels: 3,
            average: MultilabelAverage.None); // => [0.6000, 0.7000, 0.9000]

        var metric = new MultilabelHingeLoss(numLabels: 3, average: MultilabelAverage.Macro)
        {
            LabelWeights = [1.0, 1.0, 2.0],
        };
        metric.Update<float, int>(preds, target, sampleWeight: [3.0, 1.0]);
        double macro = metric.Compute().Value; // => 0.8667
        // end snippet
        return [.. perLabel.Values, macro];
    }

    public static double[] Report(out string json)
    {
        // snippet: margin-report
        var report = MarginReport.Multiclass(numClasses: 3, inputKind: HingeInputKind.Margins);
        report.Update<double, int>([2.0, 0.5, 0.1, 0.3, 0.2, 1.5, 0.9, 1.1, 0.4, 0.2, 0.1, 1.0], [0, 2, 1, 1]);
        MarginReportResult result = report.Compute();
        double hinge = result.Overall.Hinge; // => 0.6750
        double misclassified = result.Overall.MisclassifiedShare; // => 0.2500
        double median = result.Overall.Quantiles.Single(q => q.Probability == 0.5).Value; // => 0.2100
        ConfusedPair worst = result.ConfusedPairs[0]; // => [1, 2, 1] (true, rival, misclassified count)
        json = result.ToJson(); // for `hinge report --format json` and the plots' margin histogram
        // end snippet
        return [hinge, misclassified, median, worst.TrueClass, worst.RivalClass, worst.MisclassifiedCount];
    }

    public static double[] Interval()
    {
        // snippet: interval
        var metric = new BinaryHingeLoss { TrackVariance = true };
        metric.Update<float, int>([0.25f, 0.25f, 0.55f, 0.75f, 0.75f], [0, 0, 1, 1, 1]);
        HingeInterval ci = metric.ComputeInterval(0.95);
        double mean = ci.Mean; // => 0.6900
        double lower = ci.Lower; // => 0.2362
        double upper = ci.Upper; // => 1.1438
        double standardError = ci.StandardError; // => 0.2315
        // end snippet
        return [mean, lower, upper, standardError];
    }
}
