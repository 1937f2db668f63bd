using HingeSharp.Functional;

namespace HingeSharp.Classification;

/// <summary>Streaming binary accuracy, <c>(tp + tn) / (tp + fp + tn + fn)</c> (torchmetrics' <c>BinaryAccuracy</c>).</summary>
/// <example><code>
/// var accuracy = new BinaryAccuracy();
/// accuracy.Update([0.2f, 0.8f, 0.6f], [0, 1, 0]);
/// accuracy.Compute(); // 0.6667
/// </code></example>
/// <param name="threshold">Probability above which a prediction is positive, in [0, 1].</param>
/// <param name="ignoreIndex">Targets equal to it take no part.</param>
/// <param name="validateArgs">Check targets (0, 1 or the ignore index).</param>
/// <param name="inputKind">How to read float predictions.</param>
/// <param name="nonFinite">Whether NaN/±∞ predictions throw (default) or count as torch counts them.</param>
public sealed class BinaryAccuracy(double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
    HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
    : BinaryStatMetric<double>(threshold, ignoreIndex, validateArgs, inputKind, nonFinite)
{
    /// <inheritdoc/>
    protected override double Reduce(StatScores scores) => StatReduce.Binary(scores, StatKind.Accuracy, 0);
}

/// <summary>A binary precision, recall or F1 metric: the stat scores plus torchmetrics' zero-division value.</summary>
public abstract class BinaryRatioMetric : BinaryStatMetric<double>
{
    private readonly StatKind _kind;

    private protected BinaryRatioMetric(StatKind kind, double threshold, int? ignoreIndex, bool validateArgs,
        HingeInputKind inputKind, NonFiniteHandling nonFinite, double zeroDivision)
        : base(threshold, ignoreIndex, validateArgs, inputKind, nonFinite)
    {
        BinaryStats.ValidateZeroDivision(zeroDivision);
        _kind = kind;
        ZeroDivision = zeroDivision;
    }

    /// <summary>The value of 0/0 (0 or 1).</summary>
    public double ZeroDivision { get; }

    /// <inheritdoc/>
    protected override double Reduce(StatScores scores) => StatReduce.Binary(scores, _kind, ZeroDivision);

    /// <inheritdoc/>
    protected override bool SameReduction(BinaryStatMetric<double> other) =>
        other is BinaryRatioMetric r && r.ZeroDivision.Equals(ZeroDivision);

    internal override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Append(new("zero_division", ZeroDivision.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>Streaming binary precision, <c>tp / (tp + fp)</c> (torchmetrics' <c>BinaryPrecision</c>).</summary>
/// <param name="threshold">Probability above which a prediction is positive, in [0, 1].</param>
/// <param name="ignoreIndex">Targets equal to it take no part.</param>
/// <param name="validateArgs">Check targets (0, 1 or the ignore index).</param>
/// <param name="inputKind">How to read float predictions.</param>
/// <param name="nonFinite">Whether NaN/±∞ predictions throw (default) or count as torch counts them.</param>
/// <param name="zeroDivision">The value of 0/0: 0 (default) or 1.</param>
public sealed class BinaryPrecision(double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
    HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
    double zeroDivision = 0)
    : BinaryRatioMetric(StatKind.Precision, threshold, ignoreIndex, validateArgs, inputKind, nonFinite, zeroDivision);

/// <summary>Streaming binary recall, <c>tp / (tp + fn)</c> (torchmetrics' <c>BinaryRecall</c>).</summary>
/// <param name="threshold">Probability above which a prediction is positive, in [0, 1].</param>
/// <param name="ignoreIndex">Targets equal to it take no part.</param>
/// <param name="validateArgs">Check targets (0, 1 or the ignore index).</param>
/// <param name="inputKind">How to read float predictions.</param>
/// <param name="nonFinite">Whether NaN/±∞ predictions throw (default) or count as torch counts them.</param>
/// <param name="zeroDivision">The value of 0/0: 0 (default) or 1.</param>
public sealed class BinaryRecall(double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
    HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
    double zeroDivision = 0)
    : BinaryRatioMetric(StatKind.Recall, threshold, ignoreIndex, validateArgs, inputKind, nonFinite, zeroDivision);

/// <summary>Streaming binary F1, <c>2·tp / (2·tp + fp + fn)</c> (torchmetrics' <c>BinaryF1Score</c>).</summary>
/// <param name="threshold">Probability above which a prediction is positive, in [0, 1].</param>
/// <param name="ignoreIndex">Targets equal to it take no part.</param>
/// <param name="validateArgs">Check targets (0, 1 or the ignore index).</param>
/// <param name="inputKind">How to read float predictions.</param>
/// <param name="nonFinite">Whether NaN/±∞ predictions throw (default) or count as torch counts them.</param>
/// <param name="zeroDivision">The value of 0/0: 0 (default) or 1.</param>
public sealed class BinaryF1Score(double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
    HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
    double zeroDivision = 0)
    : BinaryRatioMetric(StatKind.F1, threshold, ignoreIndex, validateArgs, inputKind, nonFinite, zeroDivision);

/// <summary>
/// Streaming binary confusion matrix <c>[[tn, fp], [fn, tp]]</c> (rows = target, columns = prediction), normalised
/// as asked (torchmetrics' <c>BinaryConfusionMatrix</c>; its probabilities-or-logits decision looks at kept elements
/// only).
/// </summary>
/// <param name="threshold">Probability above which a prediction is positive, in [0, 1].</param>
/// <param name="ignoreIndex">Targets equal to it take no part.</param>
/// <param name="validateArgs">Check targets (0, 1 or the ignore index).</param>
/// <param name="inputKind">How to read float predictions.</param>
/// <param name="nonFinite">Whether NaN/±∞ predictions throw (default) or count as torch counts them.</param>
/// <param name="normalize">None (counts), True (rows), Pred (columns) or All.</param>
public sealed class BinaryConfusionMatrix(double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
    HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
    ConfusionMatrixNormalization normalize = ConfusionMatrixNormalization.None)
    : BinaryStatMetric<MetricValue>(threshold, ignoreIndex, validateArgs, inputKind, nonFinite)
{
    /// <summary>How the matrix is normalised.</summary>
    public ConfusionMatrixNormalization Normalize { get; } = normalize;

    internal override bool UsesConfusionRule => true;

    /// <inheritdoc/>
    protected override MetricValue Reduce(StatScores scores) =>
        StatReduce.Confusion(StatReduce.BinaryConfusion(scores), 2, Normalize);

    /// <inheritdoc/>
    protected override bool SameReduction(BinaryStatMetric<MetricValue> other) =>
        other is BinaryConfusionMatrix m && m.Normalize == Normalize;

    internal override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Append(new("normalize", Normalize.ToString()));
}
