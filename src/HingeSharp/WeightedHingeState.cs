using HingeSharp.Statistics;

namespace HingeSharp;

/// <summary>
/// The state of a weighted scalar hinge metric: <c>Σ w·loss</c> and <c>Σ w</c> in double, plus the number of kept
/// elements (or rows). An unweighted element counts with weight 1, so <see cref="FromUnweighted"/> turns a
/// <see cref="HingeState"/> into this one without loss.
/// </summary>
/// <remarks>
/// The two sums are kept divided by <c>2^WeightExponent</c>, where the exponent is that of the largest weight seen
/// (docs/numerics.md, "Weights of any scale"): <see cref="Mean"/> then does not depend on the weights' scale, from
/// subnormal weights to weights near <see cref="double.MaxValue"/>. States with different exponents add exactly as
/// their true sums would (<see cref="op_Addition"/> brings both to the larger exponent).
/// </remarks>
/// <param name="WeightedMeasures">Sum of <c>w·loss</c> over the kept elements, divided by
/// <c>2^WeightExponent</c>.</param>
/// <param name="WeightSum">Sum of the weights <c>w</c> of the kept elements, divided by
/// <c>2^WeightExponent</c>.</param>
/// <param name="Total">Number of kept elements (or rows), zero-weight ones included.</param>
/// <param name="WeightExponent">The power of two the sums are divided by (0 for unit weights; between −1074 and
/// 1023).</param>
public readonly record struct WeightedHingeState(double WeightedMeasures, double WeightSum, long Total,
    int WeightExponent = 0)
{
    /// <summary>
    /// The weighted mean loss, <c>Σ w·loss / Σ w</c> (scikit-learn's <c>sample_weight</c> mean); NaN when the weights
    /// sum to zero or nothing was kept (0/0, as torchmetrics gives for an empty state).
    /// </summary>
    public double Mean => WeightSum == 0 ? double.NaN : WeightedMeasures / WeightSum;

    /// <summary>The sum of the weights in their own units, <c>WeightSum · 2^WeightExponent</c> (∞ when it exceeds
    /// <see cref="double.MaxValue"/>).</summary>
    public double TotalWeight => WeightScale.Unscale(WeightSum, WeightExponent);

    /// <summary>The weighted state of unweighted data: every kept element has weight 1.</summary>
    /// <param name="state">Loss sum and count.</param>
    public static WeightedHingeState FromUnweighted(HingeState state) =>
        new(state.Measures, state.Total, state.Total);

    /// <summary>Adds two states (the state of the concatenated inputs), at the larger of their exponents.</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other state.</param>
    public static WeightedHingeState operator +(WeightedHingeState left, WeightedHingeState right)
    {
        var e = WeightScale.Common(left.WeightExponent, left.WeightSum != 0, right.WeightExponent,
            right.WeightSum != 0);
        return new(
            WeightScale.Rescale(left.WeightedMeasures, left.WeightExponent, e) +
            WeightScale.Rescale(right.WeightedMeasures, right.WeightExponent, e),
            WeightScale.Rescale(left.WeightSum, left.WeightExponent, e) +
            WeightScale.Rescale(right.WeightSum, right.WeightExponent, e),
            left.Total + right.Total, e);
    }

    /// <summary>Adds two states (the state of the concatenated inputs).</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other state.</param>
    public static WeightedHingeState Add(WeightedHingeState left, WeightedHingeState right) => left + right;
}
