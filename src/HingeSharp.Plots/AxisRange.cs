namespace HingeSharp.Plots;

/// <summary>
/// Derives the visible y-range of a metric chart from its data, clipped to the metric's real bounds.
/// torchmetrics fixes the axis to the metric's nominal plot bounds, so values outside them (binary hinge reaches 2)
/// fall off the chart; here the range always holds every finite value.
/// </summary>
internal static class AxisRange
{
    /// <summary>Fraction of the data span within which the range is extended to a finite bound (so 0 shows).</summary>
    internal const double SnapFraction = 0.25;

    /// <summary>
    /// The y-limits for <paramref name="values"/>: [min, max] of the finite values, extended to a finite bound when
    /// the data come within <see cref="SnapFraction"/> of their span to it, then padded on both sides by
    /// <paramref name="padding"/> times the span. Bounds that the data exceed are widened to the data.
    /// A constant series gets a span of 10% of its magnitude (at least 0.1), kept inside the bounds.
    /// With no finite value the range is the bounds when both are finite, else [0, 1] moved inside them.
    /// </summary>
    /// <returns>Bottom and top, bottom &lt; top; every finite value lies inside, and the range lies inside
    /// [lower − p, upper + p] with p = <paramref name="padding"/> · (upper − lower).</returns>
    internal static (double Bottom, double Top) Derive(IEnumerable<double> values, double lower, double upper,
        double padding)
    {
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        if (min > max)
        {
            (min, max) = EmptyRange(lower, upper);
        }

        // Bounds never cut data off: a caller's bound that the data exceed yields to the data.
        lower = Math.Min(lower, min);
        upper = Math.Max(upper, max);

        if (max - min <= 1e-12 * Math.Max(1.0, Math.Abs(max)))
        {
            (min, max) = Widen(min, lower, upper);
        }

        double span = max - min;
        if (double.IsFinite(lower) && min - lower <= SnapFraction * span)
        {
            min = lower;
        }

        if (double.IsFinite(upper) && upper - max <= SnapFraction * span)
        {
            max = upper;
        }

        double pad = padding * (max - min);
        return (min - pad, max + pad);
    }

    private static (double Min, double Max) EmptyRange(double lower, double upper)
    {
        if (double.IsFinite(lower) && double.IsFinite(upper))
        {
            return (lower, upper);
        }

        if (double.IsFinite(lower))
        {
            return (lower, lower + 1);
        }

        return double.IsFinite(upper) ? (upper - 1, upper) : (0, 1);
    }

    /// <summary>Gives a constant series a visible band of half-width 5% of |v| (at least 0.05), inside the bounds.</summary>
    private static (double Min, double Max) Widen(double v, double lower, double upper)
    {
        double half = Math.Max(0.05, 0.05 * Math.Abs(v));
        double min = v - half;
        double max = v + half;
        if (min < lower)
        {
            max = Math.Min(upper, max + (lower - min));
            min = lower;
        }
        else if (max > upper)
        {
            min = Math.Max(lower, min - (max - upper));
            max = upper;
        }

        return (min, max);
    }
}
