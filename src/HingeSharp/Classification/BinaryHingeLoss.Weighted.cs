using System.Numerics;
using HingeSharp.Functional;
using HingeSharp.Kernels;
using HingeSharp.Metrics;
using HingeSharp.Statistics;

namespace HingeSharp.Classification;

/// <summary>Weights, class weights and the variance-tracking interval of <see cref="BinaryHingeLoss"/>.</summary>
/// <remarks>
/// <para>The metric keeps its plain state (<see cref="State"/>: unweighted loss sum and kept count) as before. From
/// the first weighted update on — or from the start with <see cref="ClassWeights"/> or <see cref="TrackVariance"/>
/// set — it also keeps <see cref="WeightedState"/> (<c>Σ w·loss</c>, <c>Σ w</c>, count; earlier unweighted elements
/// count with weight 1) and <see cref="Compute"/> returns <c>Σ w·loss / Σ w</c>. Those updates go through a
/// per-element path; a metric that never sees a weight keeps the default kernels' speed.</para>
/// </remarks>
public sealed partial class BinaryHingeLoss : IWeightedHingeMetric
{
    private readonly double[]? _classWeights;
    private readonly bool _trackVariance;
    private Extras? _extras;

    /// <summary>
    /// Optional class weights <c>[negative, positive]</c>: the weight of an element is
    /// <c>sampleWeight · classWeights[target]</c>, in the numerator and the denominator of the weighted mean
    /// (scikit-learn's <c>class_weight</c> reading). Set at construction:
    /// <c>new BinaryHingeLoss { ClassWeights = [1, 3] }</c>.
    /// </summary>
    /// <exception cref="HingeArgumentException">Not two finite, non-negative values.</exception>
    public IReadOnlyList<double>? ClassWeights
    {
        get => _classWeights is null ? null : Array.AsReadOnly(_classWeights);
        init => _classWeights = Weights.ClassWeights(value, 2, "BinaryHingeLoss");
    }

    /// <summary>
    /// Keep mergeable moments of the per-element losses (weighted Welford/Chan) so that
    /// <see cref="ComputeInterval"/> can give a confidence interval. Opt-in because it takes the per-element path.
    /// </summary>
    public bool TrackVariance
    {
        get => _trackVariance;
        init => _trackVariance = value;
    }

    /// <summary>The weighted state: <c>Σ w·loss</c>, <c>Σ w</c> and the kept count (weight 1 for unweighted
    /// data).</summary>
    public WeightedHingeState WeightedState => _extras?.Weighted ?? WeightedHingeState.FromUnweighted(State);

    /// <summary>The moments of the per-element losses when <see cref="TrackVariance"/> is set, else null.</summary>
    public LossMoments? Moments => _trackVariance ? _extras?.Moments ?? LossMoments.Empty : null;

    private bool UsesWeightedPath => _extras is not null || _trackVariance || _classWeights is not null;

    /// <summary>Accumulates a weighted batch: <c>Σ w·loss</c> and <c>Σ w</c> over its kept elements. A rejected batch
    /// leaves the state untouched.</summary>
    /// <param name="preds">Predictions (any shape, flattened).</param>
    /// <param name="target">Targets, same length.</param>
    /// <param name="sampleWeight">One finite, non-negative weight per element, or empty for none; the weight of an
    /// ignored element is neither used nor checked.</param>
    /// <exception cref="HingeArgumentException">See the weighted <c>HingeFunctional.BinaryHingeLoss</c>.</exception>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> => CommitWeighted(WeightedBatch(preds, target, sampleWeight));

    /// <summary>Accumulates a weighted batch and returns its weighted mean loss alone.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    /// <param name="sampleWeight">One weight per element, or empty for none.</param>
    /// <returns>The batch's weighted mean (NaN when nothing is kept or its weights sum to zero).</returns>
    public double Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var batch = WeightedBatch(preds, target, sampleWeight);
        CommitWeighted(batch);
        return batch.Weighted.Mean;
    }

    /// <summary>
    /// A normal-approximation confidence interval for the (weighted) mean loss: <c>Compute() ± z·SE</c> with
    /// <c>z = Φ⁻¹((1 + level) / 2)</c> and <c>SE = sqrt(s² / n_eff)</c> (see <see cref="LossMoments"/>).
    /// </summary>
    /// <param name="level">Coverage in (0, 1); 0.95 by default.</param>
    /// <returns>The interval; its bounds are NaN with fewer than two (effective) elements.</returns>
    /// <exception cref="InvalidOperationException">The metric was built without <see cref="TrackVariance"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not in (0, 1).</exception>
    /// <example><code>
    /// var metric = new BinaryHingeLoss { TrackVariance = true };
    /// metric.Update([0.25f, 0.25f, 0.55f, 0.75f, 0.75f], [0, 0, 1, 1, 1]);
    /// metric.ComputeInterval(0.95); // Mean 0.6900, Lower 0.2362, Upper 1.1438, StandardError 0.2315
    /// </code></example>
    public HingeInterval ComputeInterval(double level = 0.95)
    {
        if (!_trackVariance)
        {
            throw new InvalidOperationException(
                "ComputeInterval needs the per-element loss moments: create the metric with `TrackVariance = true`.");
        }

        return (_extras?.Moments ?? LossMoments.Empty).Interval(level, Compute());
    }

    /// <summary>Replaces the whole state, weighted part included (for restoring a saved metric).</summary>
    /// <param name="state">Plain loss sum and kept count.</param>
    /// <param name="weighted">Weighted sums.</param>
    /// <param name="moments">Loss moments (needed for <see cref="ComputeInterval"/> when tracking variance).</param>
    /// <exception cref="HingeArgumentException">The parts break a rule of a saved state (docs/state-format.md: counts
    /// ≥ 0 and equal, sums ≥ 0 within what the input kind can give, a weighted sum only with weights, no NaN with
    /// <see cref="NonFiniteHandling.Throw"/>); the metric is unchanged.</exception>
    public void SetState(HingeState state, WeightedHingeState weighted, LossMoments? moments = null)
    {
        StateRules.ThrowIfAny(StateRules.CheckSums(RuleSettings, [state.Measures], state.Total,
            [weighted.WeightedMeasures], weighted.WeightSum, weighted.Total, moments, weighted.WeightExponent),
            nameof(state),
            nameof(weighted), nameof(moments));
        State = state;
        _extras = new Extras { Weighted = weighted, Moments = moments ?? LossMoments.Empty };
    }

    HingeLossValue IWeightedHingeMetric.Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<double> sampleWeight) =>
        new(Forward(preds, target, sampleWeight));

    private BinaryWeightedBatch WeightedBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        WeightedHinge.Binary(preds, target, sampleWeight, _classWeights, Squared, IgnoreIndex, ValidateArgs,
            InputKind, NonFinite, _trackVariance);

    private void CommitWeighted(BinaryWeightedBatch batch)
    {
        var extras = _extras ?? new Extras { Weighted = WeightedHingeState.FromUnweighted(State) };
        extras.Weighted += batch.Weighted;
        extras.Moments += batch.Moments;
        _extras = extras;
        Commit(batch.Plain);
    }

    /// <summary>Checks the weight settings and adds the weighted parts; called by <see cref="Merge"/> before it
    /// touches the plain state.</summary>
    private void MergeWeighted(BinaryHingeLoss other)
    {
        WeightSettings.CheckMergeable(nameof(BinaryHingeLoss), _trackVariance, _classWeights, other._trackVariance,
            other._classWeights);

        if (_extras is null && other._extras is null)
        {
            return;
        }

        var mine = _extras ?? new Extras { Weighted = WeightedHingeState.FromUnweighted(State) };
        mine.Weighted += other.WeightedState;
        mine.Moments += other._extras?.Moments ?? LossMoments.Empty;
        _extras = mine;
    }

    private sealed class Extras
    {
        public WeightedHingeState Weighted { get; set; }

        public LossMoments Moments { get; set; } = LossMoments.Empty;
    }
}
