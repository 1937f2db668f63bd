namespace HingeSharp.Reports;

/// <summary>
/// The fixed bins of a margin report's quantile sketch: <paramref name="Bins"/> equal bins over
/// [<paramref name="Lower"/>, <paramref name="Upper"/>], plus an underflow and an overflow bin and the exact minimum and
/// maximum. A quantile that falls inside the range is off by at most one bin width,
/// <c>(Upper − Lower) / Bins</c>; one that falls below <c>Lower</c> (above <c>Upper</c>) by at most
/// <c>Lower − min</c> (<c>max − Upper</c>). Each reported quantile carries its own bound.
/// </summary>
/// <param name="Lower">Lower end of the binned range (finite).</param>
/// <param name="Upper">Upper end of the binned range (finite, above <paramref name="Lower"/>).</param>
/// <param name="Bins">Number of equal bins, 1 to 100 000.</param>
public sealed record MarginBinning(double Lower, double Upper, int Bins)
{
    /// <summary>
    /// [−1, 1] in 400 bins (width 0.005): every margin of probabilities, sigmoid or softmax outputs lies there.
    /// The default for <see cref="HingeInputKind.Auto"/>, <see cref="HingeInputKind.Probabilities"/> and
    /// <see cref="HingeInputKind.Logits"/>.
    /// </summary>
    public static MarginBinning Probabilities { get; } = new(-1, 1, 400);

    /// <summary>[−4, 4] in 800 bins (width 0.01), the default for raw margins
    /// (<see cref="HingeInputKind.Margins"/>).</summary>
    public static MarginBinning RawMargins { get; } = new(-4, 4, 800);

    /// <summary>The width of one bin.</summary>
    public double BinWidth => (Upper - Lower) / Bins;

    /// <summary>The default binning for an input kind.</summary>
    /// <param name="inputKind">How predictions are read.</param>
    public static MarginBinning For(HingeInputKind inputKind) =>
        inputKind == HingeInputKind.Margins ? RawMargins : Probabilities;

    /// <summary>Throws unless the range is finite and not empty and the bin count is in [1, 100 000].</summary>
    /// <exception cref="HingeArgumentException">The binning is unusable.</exception>
    public void Validate()
    {
        if (!double.IsFinite(Lower) || !double.IsFinite(Upper) || !(Lower < Upper))
        {
            ThrowHelper.ThrowArgument("binning",
                $"The margin range [{ThrowHelper.Format(Lower)}, {ThrowHelper.Format(Upper)}] must be finite with " +
                "Lower < Upper.");
        }

        if (Bins is < 1 or > 100_000)
        {
            ThrowHelper.ThrowArgument("binning", $"`Bins` = {Bins} is not in [1, 100000].");
        }
    }

    /// <summary>The bin of a margin inside [Lower, Upper] (the upper end belongs to the last bin), −1 below the range
    /// and <see cref="Bins"/> above it.</summary>
    /// <param name="margin">A finite margin.</param>
    internal int BinOf(double margin)
    {
        if (margin < Lower)
        {
            return -1;
        }

        if (margin > Upper)
        {
            return Bins;
        }

        var index = (int)((margin - Lower) / (Upper - Lower) * Bins);
        return Math.Min(index, Bins - 1);
    }

    /// <summary>The left edge of bin <paramref name="index"/> (<c>Upper</c> for <c>index = Bins</c>).</summary>
    /// <param name="index">0 to <see cref="Bins"/>.</param>
    public double EdgeAt(int index) => index >= Bins ? Upper : Lower + index * ((Upper - Lower) / Bins);
}
