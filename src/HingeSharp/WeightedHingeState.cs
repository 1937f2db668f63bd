namespace HingeSharp;

/// <summary>
/// The state of a weighted scalar hinge metric: <c>Σ w·loss</c> and <c>Σ w</c> in double, plus the number of kept
/// elements (or rows). An unweighted element counts with weight 1, so <see cref="FromUnweighted"/> turns a
/// <see cref="HingeState"/> into this one without loss.
/// </summary>
/// <param name="WeightedMeasures">Sum of <c>w·loss</c> over the kept elements.</param>
/// <param name="WeightSum">Sum of the weights <c>w</c> of the kept elements.</param>
/// <param name="Total">Number of kept elements (or rows), zero-weight ones included.</param>
public readonly record struct WeightedHingeState(double WeightedMeasures, double WeightSum, long Total)
{
    /// <summary>
    /// The weighted mean loss, <c>Σ w·loss / Σ w</c> (scikit-learn's <c>sample_weight</c> mean); NaN when the weights
    /// sum to zero or nothing was kept (0/0, as torchmetrics gives for an empty state).
    /// </summary>
    public double Mean => WeightSum == 0 ? double.NaN : WeightedMeasures / WeightSum;

    /// <summary>The weighted state of unweighted data: every kept element has weight 1.</summary>
    /// <param name="state">Loss sum and count.</param>
    public static WeightedHingeState FromUnweighted(HingeState state) =>
        new(state.Measures, state.Total, state.Total);

    /// <summary>Adds two states (the state of the concatenated inputs).</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other state.</param>
    public static WeightedHingeState operator +(WeightedHingeState left, WeightedHingeState right) =>
        new(left.WeightedMeasures + right.WeightedMeasures, left.WeightSum + right.WeightSum,
            left.Total + right.Total);

    /// <summary>Adds two states (the state of the concatenated inputs).</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other state.</param>
    public static WeightedHingeState Add(WeightedHingeState left, WeightedHingeState right) => left + right;
}
