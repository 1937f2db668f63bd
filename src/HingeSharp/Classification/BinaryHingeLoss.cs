using System.Numerics;
using System.Runtime.InteropServices;
using HingeSharp.Functional;
using HingeSharp.Metrics;

namespace HingeSharp.Classification;

/// <summary>
/// Streaming mean binary hinge loss (torchmetrics' <c>BinaryHingeLoss</c>): <c>mean(max(0, 1 − y·p))</c> over every
/// element of every update, with <c>y = +1</c> for a positive target and <c>−1</c> otherwise.
/// </summary>
/// <remarks>
/// <para>The probabilities-or-logits decision of <see cref="HingeInputKind.Auto"/> is made per update, as in
/// torchmetrics. State is a double sum and an int64 count (torchmetrics keeps float32 state, so its results for
/// float64 inputs or very long streams carry float32 rounding that HingeSharp's do not).</para>
/// <para>Not thread-safe; use one instance per thread and <see cref="Merge"/>.</para>
/// </remarks>
/// <example><code>
/// var metric = new BinaryHingeLoss();
/// metric.Update([0.25f, 0.25f, 0.55f, 0.75f, 0.75f], [0, 0, 1, 1, 1]);
/// metric.Compute(); // 0.69 (squared: 0.6905)
/// </code></example>
public sealed partial class BinaryHingeLoss : Metric<double>, IHingeMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="ignoreIndex">Elements whose target equals it take no part.</param>
    /// <param name="validateArgs">Check targets (0, 1 or the ignore index). torchmetrics' modules default to true.</param>
    /// <param name="inputKind">How to read predictions.</param>
    /// <param name="nonFinite">Whether NaN/±∞ predictions throw (default) or propagate.</param>
    public BinaryHingeLoss(bool squared = false, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
    {
        BinaryHinge.ValidateOptions(inputKind, nonFinite);
        Squared = squared;
        IgnoreIndex = ignoreIndex;
        ValidateArgs = validateArgs;
        InputKind = inputKind;
        NonFinite = nonFinite;
    }

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

    /// <summary>The accumulated state: loss sum and element count.</summary>
    public HingeState State { get; private set; }

    /// <summary>Accumulates a batch. A rejected batch leaves the state untouched.</summary>
    /// <param name="preds">Predictions (any shape, flattened).</param>
    /// <param name="target">Targets, same length.</param>
    /// <exception cref="HingeArgumentException">See <c>HingeFunctional.BinaryHingeLoss</c>.</exception>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (UsesWeightedPath)
        {
            Update(preds, target, ReadOnlySpan<double>.Empty);
            return;
        }

        Commit(Batch(preds, target));
    }

    /// <summary>Accumulates a batch with boolean targets.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets, true = positive.</param>
    public void Update<TPred>(ReadOnlySpan<TPred> preds, ReadOnlySpan<bool> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred> =>
        Update(preds, MemoryMarshal.Cast<bool, byte>(target));

    /// <summary>Accumulates a batch and returns the loss of that batch alone (torchmetrics' <c>forward</c>).</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    /// <returns>The batch's mean loss (NaN for an empty batch, which adds nothing).</returns>
    public double Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (UsesWeightedPath)
        {
            return Forward(preds, target, ReadOnlySpan<double>.Empty);
        }

        var batch = Batch(preds, target);
        Commit(batch);
        return batch.Mean;
    }

    /// <summary>The mean loss over everything accumulated (weighted once weights are used); NaN before any kept
    /// element.</summary>
    public override double Compute() => WeightedState.Mean;

    /// <summary>Adds another metric's state, as if its batches had been given to this one.</summary>
    /// <param name="other">A metric with the same settings.</param>
    /// <exception cref="HingeArgumentException">The state-defining settings (squared, ignore index, input kind, class
    /// weights, variance tracking) differ.</exception>
    public void Merge(BinaryHingeLoss other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Squared != Squared || other.IgnoreIndex != IgnoreIndex || other.InputKind != InputKind)
        {
            throw new HingeArgumentException(nameof(other),
                $"Cannot merge {other.Describe()} into {Describe()}: the settings differ.");
        }

        CheckMergedCounts(State.Total, other.State.Total, other);
        MergeWeighted(other);
        State += other.State;
        MarkMerged(other);
    }

    /// <summary>Replaces the state (for restoring a saved metric).</summary>
    /// <param name="state">The state; it must satisfy the rules a saved state does (docs/state-format.md): a count
    /// ≥ 0, a sum ≥ 0 that is 0 when the count is, at most 2 (squared: 4) per element unless the input kind is
    /// margins, and no NaN/±∞ sum with <see cref="NonFiniteHandling.Throw"/>.</param>
    /// <exception cref="HingeArgumentException">The state breaks a rule; the metric is unchanged.</exception>
    public void SetState(HingeState state)
    {
        StateRules.ThrowIfAny(StateRules.CheckSums(RuleSettings, [state.Measures], state.Total, [], null, null, null),
            nameof(state), "weighted", "moments");
        State = state;
        _extras = null;
    }

    /// <summary>The settings the state rules depend on (docs/state-format.md, "What a state must satisfy").</summary>
    internal StateRules.Settings RuleSettings => new(Squared, InputKind, NonFinite, _classWeights is not null);

    /// <summary>The metric and its state-defining settings, as messages show it.</summary>
    internal string Describe() =>
        $"BinaryHingeLoss(squared: {(Squared ? "true" : "false")}, ignoreIndex: {ThrowHelper.Format(IgnoreIndex)}, " +
        $"inputKind: {InputKind})";

    /// <inheritdoc/>
    protected override void ResetState()
    {
        State = default;
        _extras = null;
    }

    private HingeState Batch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        BinaryHinge.Update(preds, target, Squared, IgnoreIndex, ValidateArgs, InputKind, NonFinite);

    private void Commit(HingeState batch)
    {
        State += batch;
        MarkUpdated();
    }

    void IHingeMetric.Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
    {
        CheckShapes(preds.Length, predsShape, target.Length, targetShape);
        Update(preds, target);
    }

    HingeLossValue IHingeMetric.Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
    {
        CheckShapes(preds.Length, predsShape, target.Length, targetShape);
        return new HingeLossValue(Forward(preds, target));
    }

    HingeLossValue IHingeMetric.Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target) =>
        new(Forward(preds, target));

    HingeLossValue IHingeMetric.ComputeValue() => new(Compute());

    private static void CheckShapes(int predsLength, ReadOnlySpan<int> predsShape, int targetLength,
        ReadOnlySpan<int> targetShape)
    {
        if (!predsShape.SequenceEqual(targetShape))
        {
            ThrowHelper.ThrowArgument("target",
                "Predictions and targets are expected to have the same shape, but got " +
                $"{ThrowHelper.FormatShape(predsShape)} and {ThrowHelper.FormatShape(targetShape)}.");
        }

        // A 0-d shape (torch's scalar tensor) holds one value.
        MulticlassHinge.CheckShape("preds", predsLength, predsShape, allowScalar: true);
        MulticlassHinge.CheckShape("target", targetLength, targetShape, allowScalar: true);
    }
}
