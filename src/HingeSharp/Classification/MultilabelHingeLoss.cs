using System.Numerics;
using HingeSharp.Functional;
using HingeSharp.Kernels;
using HingeSharp.Metrics;
using HingeSharp.Statistics;

namespace HingeSharp.Classification;

/// <summary>
/// Streaming multilabel hinge loss over row-major <c>(N, L)</c> predictions and 0/1 targets: per element
/// <c>max(0, 1 − y·p)</c> with <c>y = ±1</c>, combined per label and averaged macro, micro or not at all (see
/// <see cref="HingeFunctional.MultilabelHingeLoss{TPred, TTarget}"/> for the formulas). torchmetrics has no
/// multilabel hinge; this one follows its binary hinge's input rules element-wise.
/// </summary>
/// <remarks>
/// The probabilities-or-logits decision of <see cref="HingeInputKind.Auto"/> is made per update over all kept
/// elements. State: per label <c>Σ w·h</c>, <c>Σ w</c> (double) and the kept count (int64); label weights are
/// applied at <see cref="Compute"/>. Not thread-safe; use one instance per thread and <see cref="Merge"/>.
/// </remarks>
/// <example><code>
/// var metric = new MultilabelHingeLoss(numLabels: 3, average: MultilabelAverage.Micro);
/// metric.Update([0.9f, 0.2f, 0.6f, 0.1f, 0.8f, 0.4f], [1, 0, 1, 0, 1, 0]);
/// metric.Compute(); // 0.7333 (= (0.1 + 1.2 + 0.4 + 1.1 + 0.2 + 1.4) / 6)
/// </code></example>
public sealed class MultilabelHingeLoss : Metric<HingeLossValue>, IWeightedHingeMetric, IMergeableMetric
{
    private readonly double[]? _labelWeights;
    private double[] _weighted;
    private double[] _weightSum;
    private int _weightExponent;
    private long[] _count;

    /// <summary>Creates the metric.</summary>
    /// <param name="numLabels">L, larger than 1.</param>
    /// <param name="average">Macro (default), micro or none.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="ignoreIndex">Elements whose target equals it take no part.</param>
    /// <param name="validateArgs">Check targets (0, 1 or the ignore index).</param>
    /// <param name="inputKind">How to read predictions.</param>
    /// <param name="nonFinite">Whether NaN/±∞ predictions throw (default) or propagate.</param>
    /// <exception cref="HingeArgumentException"><paramref name="numLabels"/> is smaller than 2, or an option is not
    /// defined.</exception>
    public MultilabelHingeLoss(int numLabels, MultilabelAverage average = MultilabelAverage.Macro,
        bool squared = false, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
    {
        MultilabelHinge.ValidateOptions(numLabels, average);
        MulticlassHingeLoss.CheckMaxClasses(numLabels, nameof(numLabels));
        BinaryHinge.ValidateOptions(inputKind, nonFinite);
        NumLabels = numLabels;
        Average = average;
        Squared = squared;
        IgnoreIndex = ignoreIndex;
        ValidateArgs = validateArgs;
        InputKind = inputKind;
        NonFinite = nonFinite;
        _weighted = new double[numLabels];
        _weightSum = new double[numLabels];
        _count = new long[numLabels];
    }

    /// <summary>The number of labels L.</summary>
    public int NumLabels { get; }

    /// <summary>Macro, micro or none.</summary>
    public MultilabelAverage Average { get; }

    /// <summary>Whether the clamped loss is squared.</summary>
    public bool Squared { get; }

    /// <summary>The target value whose elements are ignored, if any.</summary>
    public int? IgnoreIndex { get; }

    /// <summary>Whether targets are validated.</summary>
    public bool ValidateArgs { get; }

    /// <summary>How predictions are read.</summary>
    public HingeInputKind InputKind { get; }

    /// <summary>What non-finite predictions do.</summary>
    public NonFiniteHandling NonFinite { get; }

    /// <summary>Optional label weights, one per label, multiplying that label's term (see the class summary). Set at
    /// construction: <c>new MultilabelHingeLoss(3) { LabelWeights = [1, 2, 1] }</c>.</summary>
    /// <exception cref="HingeArgumentException">Not L finite, non-negative values.</exception>
    public IReadOnlyList<double>? LabelWeights
    {
        get => _labelWeights is null ? null : Array.AsReadOnly(_labelWeights);
        init => _labelWeights = Weights.ClassWeights(value, NumLabels, $"MultilabelHingeLoss({NumLabels})",
            "labelWeights");
    }

    /// <summary>Per label <c>Σ w·h</c> in the weights' own units (a copy).</summary>
    public IReadOnlyList<double> WeightedMeasures => [.. _weighted.Select(x => WeightScale.Unscale(x, _weightExponent))];

    /// <summary>Per label <c>Σ w</c> in the weights' own units (the kept count without weights; a copy).</summary>
    public IReadOnlyList<double> WeightSums => [.. _weightSum.Select(x => WeightScale.Unscale(x, _weightExponent))];

    /// <summary>The power of two the kept sums are divided by (docs/numerics.md, "Weights of any scale").</summary>
    public int WeightExponent => _weightExponent;

    /// <summary>The state as saved: sums divided by <c>2^WeightExponent</c>.</summary>
    internal MultilabelBatch SavedState => new(_weighted, _weightSum, _count, _weightExponent);

    /// <summary>Per label kept elements (a copy).</summary>
    public IReadOnlyList<long> Totals => _count.ToArray();

    /// <summary>Accumulates a batch of row-major <c>(N, L)</c> predictions and targets.</summary>
    /// <param name="preds">N·L predictions.</param>
    /// <param name="target">N·L targets.</param>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> => Commit(Batch(preds, target, default));

    /// <summary>Accumulates a weighted batch. A rejected batch leaves the state untouched.</summary>
    /// <param name="preds">N·L predictions.</param>
    /// <param name="target">N·L targets.</param>
    /// <param name="sampleWeight">One finite, non-negative weight per row (N values), or empty for none.</param>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> => Commit(Batch(preds, target, sampleWeight));

    /// <summary>Accumulates a batch and returns the loss of that batch alone.</summary>
    /// <param name="preds">N·L predictions.</param>
    /// <param name="target">N·L targets.</param>
    public HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> => Forward(preds, target, default);

    /// <summary>Accumulates a weighted batch and returns the loss of that batch alone.</summary>
    /// <param name="preds">N·L predictions.</param>
    /// <param name="target">N·L targets.</param>
    /// <param name="sampleWeight">One weight per row, or empty for none.</param>
    public HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var batch = Batch(preds, target, sampleWeight);
        Commit(batch);
        return MultilabelHinge.Compute(batch, _labelWeights, Average);
    }

    /// <summary>The loss over everything accumulated: a scalar (macro, micro) or one value per label (none).</summary>
    public override HingeLossValue Compute() =>
        MultilabelHinge.Compute(SavedState, _labelWeights, Average);

    /// <inheritdoc/>
    public string StateKey => MetricStateDocument.From(this).SettingsKey;

    /// <inheritdoc/>
    public byte[] ExportState() => MetricExchange.Export(MetricStateDocument.From(this));

    /// <inheritdoc/>
    public void MergeState(ReadOnlySpan<byte> state) =>
        Merge((MultilabelHingeLoss)MetricExchange.Import(state, StateKey));

    /// <summary>Adds another metric's state, as if its batches had been given to this one.</summary>
    /// <param name="other">A metric with the same settings.</param>
    /// <exception cref="HingeArgumentException">The settings differ.</exception>
    public void Merge(MultilabelHingeLoss other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.NumLabels != NumLabels || other.Average != Average || other.Squared != Squared ||
            other.IgnoreIndex != IgnoreIndex || other.InputKind != InputKind ||
            !(_labelWeights ?? []).AsSpan().SequenceEqual(other._labelWeights ?? []))
        {
            throw new HingeArgumentException(nameof(other),
                $"Cannot merge {other.Describe()} into {Describe()}: the settings differ.");
        }

        for (var l = 0; l < _count.Length; l++)
        {
            CheckMergedCounts(_count[l], other._count[l], other);
        }

        Add(other.SavedState);
        MarkMerged(other);
    }

    /// <summary>Replaces the state (for restoring a saved metric).</summary>
    /// <param name="weightedMeasures">Per label <c>Σ w·h</c>.</param>
    /// <param name="weightSums">Per label <c>Σ w</c>, not negative.</param>
    /// <param name="totals">Per label kept counts, not negative.</param>
    /// <param name="weightExponent">The power of two the sums are divided by (−1074 to 1023; 0 for sums in the weights'
    /// own units).</param>
    /// <exception cref="ArgumentException">A length is not L; <see cref="HingeArgumentException"/> when the state
    /// breaks a rule of a saved state (docs/state-format.md: counts and sums ≥ 0, 0 when the count is, a weighted sum
    /// only with weights and at most 2 (squared: 4) times it unless the input kind is margins, no NaN with
    /// <see cref="NonFiniteHandling.Throw"/>).</exception>
    public void SetState(ReadOnlySpan<double> weightedMeasures, ReadOnlySpan<double> weightSums,
        ReadOnlySpan<long> totals, int weightExponent = 0)
    {
        if (weightedMeasures.Length != NumLabels || weightSums.Length != NumLabels || totals.Length != NumLabels)
        {
            throw new ArgumentException(
                $"The state needs {NumLabels} values per array, but got {weightedMeasures.Length}, " +
                $"{weightSums.Length} and {totals.Length}.", nameof(weightedMeasures));
        }

        StateRules.ThrowIfAny(StateRules.CheckLabels(RuleSettings, weightedMeasures, weightSums, totals,
                weightExponent),
            nameof(weightedMeasures), nameof(weightedMeasures), nameof(weightedMeasures));

        _weighted = weightedMeasures.ToArray();
        _weightSum = weightSums.ToArray();
        _count = totals.ToArray();
        _weightExponent = weightExponent;
    }

    /// <summary>The settings the state rules depend on.</summary>
    internal StateRules.Settings RuleSettings => new(Squared, InputKind, NonFinite, _labelWeights is not null);

    /// <summary>The metric and its state-defining settings, as messages show it.</summary>
    private string Describe() =>
        $"MultilabelHingeLoss(numLabels: {NumLabels}, average: {Average}, squared: {(Squared ? "true" : "false")}, " +
        $"ignoreIndex: {ThrowHelper.Format(IgnoreIndex)}, inputKind: {InputKind}, labelWeights: " +
        (_labelWeights is null ? "none" : "[" + string.Join(", ", _labelWeights.Select(w => ThrowHelper.Format(w))) + "]") +
        ")";

    /// <inheritdoc/>
    protected override void ResetState()
    {
        Array.Clear(_weighted);
        Array.Clear(_weightSum);
        Array.Clear(_count);
        _weightExponent = 0;
    }

    private MultilabelBatch Batch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        MultilabelHinge.Update(preds, target, NumLabels, Squared, IgnoreIndex, ValidateArgs, InputKind, NonFinite,
            sampleWeight);

    private void Commit(MultilabelBatch batch)
    {
        Add(batch);
        MarkUpdated();
    }

    private void Add(MultilabelBatch batch)
    {
        var e = WeightScale.Common(_weightExponent, SavedState.HasWeight, batch.WeightExponent, batch.HasWeight);
        WeightScale.Rescale(_weighted, _weightExponent, e);
        WeightScale.Rescale(_weightSum, _weightExponent, e);
        for (var l = 0; l < NumLabels; l++)
        {
            _weighted[l] += WeightScale.Rescale(batch.Weighted[l], batch.WeightExponent, e);
            _weightSum[l] += WeightScale.Rescale(batch.WeightSum[l], batch.WeightExponent, e);
            _count[l] += batch.Count[l];
        }

        _weightExponent = e;
    }

    void IHingeMetric.Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
    {
        CheckShapes(predsShape, targetShape);
        Update(preds, target);
    }

    HingeLossValue IHingeMetric.Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
    {
        CheckShapes(predsShape, targetShape);
        return Forward(preds, target);
    }

    HingeLossValue IHingeMetric.ComputeValue() => Compute();

    private void CheckShapes(ReadOnlySpan<int> predsShape, ReadOnlySpan<int> targetShape)
    {
        if (!predsShape.SequenceEqual(targetShape) || predsShape.Length != 2 || predsShape[1] != NumLabels)
        {
            ThrowHelper.ThrowArgument("target",
                "Multilabel preds and target must both have shape (N, L) with L = " +
                $"{NumLabels}, but got {ThrowHelper.FormatShape(predsShape)} and {ThrowHelper.FormatShape(targetShape)}.");
        }
    }
}
