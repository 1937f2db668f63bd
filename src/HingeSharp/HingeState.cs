namespace HingeSharp;

/// <summary>
/// The state of a scalar hinge metric, as torchmetrics keeps it: the sum of per-element losses
/// (<c>measures</c>) and how many elements took part (<c>total</c>), accumulated in double.
/// </summary>
/// <param name="Measures">Sum of the per-element (or per-row) losses.</param>
/// <param name="Total">Number of elements (or rows) that took part.</param>
public readonly record struct HingeState(double Measures, long Total)
{
    /// <summary>The mean loss, <c>Measures / Total</c>; NaN when nothing was counted (0/0, as torchmetrics).</summary>
    public double Mean => Total == 0 ? double.NaN : Measures / Total;

    /// <summary>Adds two states (the state of the concatenated inputs).</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other state.</param>
    public static HingeState operator +(HingeState left, HingeState right) =>
        new(left.Measures + right.Measures, left.Total + right.Total);

    /// <summary>Adds two states (the state of the concatenated inputs).</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other state.</param>
    public static HingeState Add(HingeState left, HingeState right) => left + right;
}
