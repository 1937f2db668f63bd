using HingeSharp.Functional;

namespace HingeSharp.Classification;

/// <summary>Streaming multiclass accuracy: per class <c>tp / (tp + fn)</c>, averaged (torchmetrics'
/// <c>MulticlassAccuracy</c>; micro = correct rows / rows).</summary>
/// <param name="numClasses">C, at least 2.</param>
/// <param name="average">Micro, Macro (default), Weighted or None.</param>
/// <param name="topK">A row predicts each of its k best classes.</param>
/// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
public sealed class MulticlassAccuracy(int numClasses, ClassificationAverage average = ClassificationAverage.Macro,
    int topK = 1, int? ignoreIndex = null)
    : MulticlassRatioMetric(StatKind.Accuracy, numClasses, average, topK, ignoreIndex, 0);

/// <summary>Streaming multiclass precision: per class <c>tp / (tp + fp)</c>, averaged.</summary>
/// <param name="numClasses">C, at least 2.</param>
/// <param name="average">Micro, Macro (default), Weighted or None.</param>
/// <param name="topK">A row predicts each of its k best classes.</param>
/// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
/// <param name="zeroDivision">The value of 0/0: 0 (default) or 1.</param>
public sealed class MulticlassPrecision(int numClasses, ClassificationAverage average = ClassificationAverage.Macro,
    int topK = 1, int? ignoreIndex = null, double zeroDivision = 0)
    : MulticlassRatioMetric(StatKind.Precision, numClasses, average, topK, ignoreIndex, zeroDivision);

/// <summary>Streaming multiclass recall: per class <c>tp / (tp + fn)</c>, averaged.</summary>
/// <param name="numClasses">C, at least 2.</param>
/// <param name="average">Micro, Macro (default), Weighted or None.</param>
/// <param name="topK">A row predicts each of its k best classes.</param>
/// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
/// <param name="zeroDivision">The value of 0/0: 0 (default) or 1.</param>
public sealed class MulticlassRecall(int numClasses, ClassificationAverage average = ClassificationAverage.Macro,
    int topK = 1, int? ignoreIndex = null, double zeroDivision = 0)
    : MulticlassRatioMetric(StatKind.Recall, numClasses, average, topK, ignoreIndex, zeroDivision);

/// <summary>Streaming multiclass F1: per class <c>2·tp / (2·tp + fp + fn)</c>, averaged.</summary>
/// <param name="numClasses">C, at least 2.</param>
/// <param name="average">Micro, Macro (default), Weighted or None.</param>
/// <param name="topK">A row predicts each of its k best classes.</param>
/// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
/// <param name="zeroDivision">The value of 0/0: 0 (default) or 1.</param>
public sealed class MulticlassF1Score(int numClasses, ClassificationAverage average = ClassificationAverage.Macro,
    int topK = 1, int? ignoreIndex = null, double zeroDivision = 0)
    : MulticlassRatioMetric(StatKind.F1, numClasses, average, topK, ignoreIndex, zeroDivision);

/// <summary>Streaming multiclass confusion matrix (rows = target, columns = argmax prediction), normalised as asked
/// (torchmetrics' <c>MulticlassConfusionMatrix</c>).</summary>
/// <param name="numClasses">C, at least 2.</param>
/// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
/// <param name="normalize">None (counts), True (rows), Pred (columns) or All.</param>
public sealed class MulticlassConfusionMatrix(int numClasses, int? ignoreIndex = null,
    ConfusionMatrixNormalization normalize = ConfusionMatrixNormalization.None)
    : MulticlassStatMetric<MetricValue>(numClasses, 1, ignoreIndex)
{
    /// <summary>How the matrix is normalised.</summary>
    public ConfusionMatrixNormalization Normalize { get; } = normalize;

    /// <inheritdoc/>
    protected override MetricValue Reduce(MulticlassCounts counts) =>
        StatReduce.Confusion(counts.Raw, NumClasses, Normalize);

    /// <inheritdoc/>
    protected override bool SameReduction(MulticlassStatMetric<MetricValue> other) =>
        other is MulticlassConfusionMatrix m && m.Normalize == Normalize;

    internal override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Append(new("normalize", Normalize.ToString()));
}
