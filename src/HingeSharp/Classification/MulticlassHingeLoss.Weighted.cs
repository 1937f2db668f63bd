using System.Buffers;
using System.Numerics;
using HingeSharp.Functional;
using HingeSharp.Kernels;
using HingeSharp.Metrics;
using HingeSharp.Statistics;

namespace HingeSharp.Classification;

/// <summary>Weights, class weights and the Crammer–Singer interval of <see cref="MulticlassHingeLoss"/>.</summary>
/// <remarks>
/// <para>The plain state (<see cref="Measures"/>, <see cref="Total"/>) stays unweighted. From the first weighted
/// update on — or from the start with <see cref="ClassWeights"/> or <see cref="TrackVariance"/> — the metric also keeps
/// <see cref="WeightedMeasures"/> and <see cref="WeightSum"/> (earlier unweighted rows count with weight 1), and
/// <see cref="Compute"/> uses them. Crammer–Singer: <c>Σ w·h / Σ w</c> with <c>w = sampleWeight · classWeights[y]</c>.
/// One-vs-all: <c>classWeights[c] · Σ w·h[c] / Σ w</c> with <c>w = sampleWeight</c>.</para>
/// </remarks>
public sealed partial class MulticlassHingeLoss : IWeightedHingeMetric
{
    private readonly double[]? _classWeights;
    private readonly bool _trackVariance;
    private Extras? _extras;

    /// <summary>
    /// Optional class weights, one per class. Crammer–Singer: the true class's weight multiplies the row's weight (in
    /// the numerator and the denominator). One-vs-all: <c>classWeights[c]</c> multiplies class c's term of the result.
    /// Set at construction: <c>new MulticlassHingeLoss(3) { ClassWeights = [1, 2, 1] }</c>.
    /// </summary>
    /// <exception cref="HingeArgumentException">Not <see cref="NumClasses"/> finite, non-negative values.</exception>
    public IReadOnlyList<double>? ClassWeights
    {
        get => _classWeights is null ? null : Array.AsReadOnly(_classWeights);
        init => _classWeights = Weights.ClassWeights(value, NumClasses, $"MulticlassHingeLoss({NumClasses})");
    }

    /// <summary>
    /// Keep mergeable moments of the per-row Crammer–Singer losses so that <see cref="ComputeInterval"/> can give a
    /// confidence interval. Crammer–Singer only.
    /// </summary>
    /// <exception cref="HingeArgumentException">Set with one-vs-all.</exception>
    public bool TrackVariance
    {
        get => _trackVariance;
        init
        {
            if (value && MulticlassMode != MulticlassMode.CrammerSinger)
            {
                ThrowHelper.ThrowArgument("trackVariance",
                    "`TrackVariance` needs Crammer–Singer: one-vs-all gives a vector, not one loss per row.");
            }

            _trackVariance = value;
        }
    }

    /// <summary>Weighted loss sums (1 for Crammer–Singer, C for one-vs-all, without class weights for one-vs-all);
    /// a copy.</summary>
    public IReadOnlyList<double> WeightedMeasures =>
        _extras is { } e ? [.. e.Weighted.Select(x => WeightScale.Unscale(x, e.Exponent))] : _measures.ToArray();

    /// <summary>Sum of the row weights (the row count for unweighted data).</summary>
    public double WeightSum => _extras is { } e ? WeightScale.Unscale(e.WeightSum, e.Exponent) : Total;

    /// <summary>The power of two the kept weighted sums are divided by (docs/numerics.md, "Weights of any scale"): 0 for
    /// unit weights, else the exponent of the largest weight seen. <see cref="WeightedMeasures"/> and
    /// <see cref="WeightSum"/> are given in the weights' own units.</summary>
    public int WeightExponent => _extras?.Exponent ?? 0;

    /// <summary>The moments of the per-row losses when <see cref="TrackVariance"/> is set, else null.</summary>
    public LossMoments? Moments => _trackVariance ? _extras?.Moments ?? LossMoments.Empty : null;

    private bool UsesWeightedPath => _extras is not null || _trackVariance || _classWeights is not null;

    /// <summary>Accumulates a weighted batch of row-major <c>(N, C)</c> scores. A rejected batch leaves the state
    /// untouched.</summary>
    /// <param name="preds">N·C scores.</param>
    /// <param name="target">N class indices.</param>
    /// <param name="sampleWeight">One finite, non-negative weight per row, or empty for none.</param>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> => CommitWeighted(WeightedBatch(preds, target, sampleWeight));

    /// <summary>Accumulates a weighted batch of <c>(N, C, d1, …)</c> scores, one weight per target position.</summary>
    /// <param name="preds">Scores in row-major order of <paramref name="predsShape"/>.</param>
    /// <param name="predsShape">Shape of <paramref name="preds"/>.</param>
    /// <param name="target">Class indices in row-major order of <paramref name="targetShape"/>.</param>
    /// <param name="targetShape">Shape of <paramref name="target"/>.</param>
    /// <param name="sampleWeight">One weight per target element, or empty for none.</param>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape, ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        CommitWeighted(ShapedWeightedBatch(preds, predsShape, target, targetShape, sampleWeight));

    /// <summary>Accumulates a weighted batch and returns its weighted loss alone.</summary>
    /// <param name="preds">N·C scores.</param>
    /// <param name="target">N class indices.</param>
    /// <param name="sampleWeight">One weight per row, or empty for none.</param>
    public HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var batch = WeightedBatch(preds, target, sampleWeight);
        CommitWeighted(batch);
        return WeightedHinge.Compute(batch.Weighted, batch.WeightSum, _classWeights, MulticlassMode);
    }

    /// <summary>Accumulates a weighted shaped batch and returns its weighted loss alone.</summary>
    /// <param name="preds">Scores in row-major order of <paramref name="predsShape"/>.</param>
    /// <param name="predsShape">Shape of <paramref name="preds"/>.</param>
    /// <param name="target">Class indices in row-major order of <paramref name="targetShape"/>.</param>
    /// <param name="targetShape">Shape of <paramref name="target"/>.</param>
    /// <param name="sampleWeight">One weight per target element, or empty for none.</param>
    public HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape, ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var batch = ShapedWeightedBatch(preds, predsShape, target, targetShape, sampleWeight);
        CommitWeighted(batch);
        return WeightedHinge.Compute(batch.Weighted, batch.WeightSum, _classWeights, MulticlassMode);
    }

    /// <summary>
    /// A normal-approximation confidence interval for the (weighted) mean Crammer–Singer loss:
    /// <c>Compute() ± z·SE</c>, <c>z = Φ⁻¹((1 + level) / 2)</c>, <c>SE = sqrt(s² / n_eff)</c> over rows.
    /// </summary>
    /// <param name="level">Coverage in (0, 1); 0.95 by default.</param>
    /// <exception cref="InvalidOperationException">The metric was built without <see cref="TrackVariance"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not in (0, 1).</exception>
    public HingeInterval ComputeInterval(double level = 0.95)
    {
        if (!_trackVariance)
        {
            throw new InvalidOperationException(
                "ComputeInterval needs the per-row loss moments: create the metric with `TrackVariance = true` " +
                "(Crammer–Singer).");
        }

        return (_extras?.Moments ?? LossMoments.Empty).Interval(level, Compute().Value);
    }

    /// <summary>Replaces the whole state, weighted part included (for restoring a saved metric).</summary>
    /// <param name="measures">Plain sums: 1 value for Crammer–Singer, C for one-vs-all.</param>
    /// <param name="total">Rows counted.</param>
    /// <param name="weightedMeasures">Weighted sums, same length as <paramref name="measures"/>.</param>
    /// <param name="weightSum">Sum of the row weights, not negative.</param>
    /// <param name="moments">Loss moments (for <see cref="ComputeInterval"/>).</param>
    /// <param name="weightExponent">The power of two <paramref name="weightedMeasures"/> and
    /// <paramref name="weightSum"/> are divided by (−1074 to 1023; 0 for sums in the weights' own units).</param>
    /// <exception cref="HingeArgumentException">The parts break a rule of a saved state (docs/state-format.md); the
    /// metric is unchanged.</exception>
    public void SetState(ReadOnlySpan<double> measures, long total, ReadOnlySpan<double> weightedMeasures,
        double weightSum, LossMoments? moments = null, int weightExponent = 0)
    {
        if (weightedMeasures.Length != _measures.Length)
        {
            throw new ArgumentException(
                $"`weightedMeasures` has {weightedMeasures.Length} values but this metric keeps {_measures.Length}.",
                nameof(weightedMeasures));
        }

        if (measures.Length != _measures.Length)
        {
            ThrowHelper.ThrowArgument(nameof(measures),
                $"`measures` has {measures.Length} value(s) but this metric keeps {_measures.Length}.");
        }

        StateRules.ThrowIfAny(StateRules.CheckSums(RuleSettings, measures, total, weightedMeasures, weightSum, null,
            moments, weightExponent), nameof(measures), nameof(weightSum), nameof(moments));
        SetState(measures, total);
        _extras = new Extras(weightedMeasures.ToArray(), weightSum, moments ?? LossMoments.Empty, weightExponent);
    }

    HingeLossValue IWeightedHingeMetric.Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<double> sampleWeight) => Forward(preds, target, sampleWeight);

    private HingeLossValue ComputeWeighted(Extras extras) =>
        WeightedHinge.Compute(extras.Weighted, extras.WeightSum, _classWeights, MulticlassMode);

    private MulticlassWeightedBatch WeightedBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        // The state has NumClasses entries, so the class count is always checked.
        var classes = MulticlassHinge.ClassesOf(preds.Length, target.Length, NumClasses, strict: true);
        return WeightedHinge.Multiclass(preds, target, classes, sampleWeight, _classWeights, Squared,
            MulticlassMode, IgnoreIndex, InputKind, NonFinite, _trackVariance);
    }

    private MulticlassWeightedBatch ShapedWeightedBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<int> predsShape, ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape,
        ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        MulticlassHinge.ValidateShapes(preds.Length, predsShape, target.Length, targetShape, NumClasses,
            validateArgs: true);
        var rented = MulticlassHinge.MoveClassLast(preds, predsShape, out var moved);
        try
        {
            return WeightedBatch(moved, target, sampleWeight);
        }
        catch (HingeArgumentException ex) when (rented is not null && ex.ParamName == "preds" && ex.Index is not null)
        {
            throw MulticlassHinge.InCallerLayout(ex, predsShape);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<TPred>.Shared.Return(rented);
            }
        }
    }

    private void CommitWeighted(MulticlassWeightedBatch batch)
    {
        var extras = _extras ?? new Extras(_measures.ToArray(), Total, LossMoments.Empty, 0);
        extras.Add(batch.Weighted, batch.WeightSum, batch.WeightExponent);
        extras.Moments += batch.Moments;
        _extras = extras;
        Commit(new MulticlassBatch(batch.Plain, batch.Total));
    }

    /// <summary>Checks the weight settings and adds the weighted parts; called by <see cref="Merge"/> before it
    /// touches the plain state.</summary>
    private void MergeWeighted(MulticlassHingeLoss other)
    {
        WeightSettings.CheckMergeable(nameof(MulticlassHingeLoss), _trackVariance, _classWeights, other._trackVariance,
            other._classWeights);

        if (_extras is null && other._extras is null)
        {
            return;
        }

        var mine = _extras ?? new Extras(_measures.ToArray(), Total, LossMoments.Empty, 0);
        var theirs = other._extras ?? new Extras(other._measures.ToArray(), other.Total, LossMoments.Empty, 0);
        mine.Add(theirs.Weighted, theirs.WeightSum, theirs.Exponent);
        mine.Moments += theirs.Moments;
        _extras = mine;
    }

    private sealed class Extras(double[] weighted, double weightSum, LossMoments moments, int exponent)
    {
        public double[] Weighted { get; } = weighted;

        public double WeightSum { get; set; } = weightSum;

        public int Exponent { get; private set; } = exponent;

        public LossMoments Moments { get; set; } = moments;

        /// <summary>Adds sums kept at another exponent; both parts go to the larger one (a part without weight takes
        /// the other's).</summary>
        public void Add(ReadOnlySpan<double> weighted, double weightSum, int exponent)
        {
            var e = WeightScale.Common(Exponent, WeightSum != 0, exponent, weightSum != 0);
            WeightScale.Rescale(Weighted, Exponent, e);
            WeightSum = WeightScale.Rescale(WeightSum, Exponent, e);
            for (var i = 0; i < Weighted.Length; i++)
            {
                Weighted[i] += WeightScale.Rescale(weighted[i], exponent, e);
            }

            WeightSum += WeightScale.Rescale(weightSum, exponent, e);
            Exponent = e;
        }
    }
}
