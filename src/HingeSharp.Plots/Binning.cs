namespace HingeSharp.Plots;

/// <summary>Histogram bins whose edges fall on whole multiples of the bin width: 0 is always an edge, and so is 1
/// whenever the width is at most 1.</summary>
/// <param name="StartIndex">Left edge of bin 0 divided by <paramref name="Width"/>.</param>
/// <param name="Width">Bin width: 1/k for an integer k ≥ 1, or a whole number.</param>
/// <param name="Count">Number of bins, at least 1.</param>
internal readonly record struct Binning(long StartIndex, double Width, int Count)
{
    /// <summary>Left edge of bin <paramref name="i"/>; <c>Edge(Count)</c> is the right edge of the last bin.</summary>
    internal double Edge(int i) => (StartIndex + i) * Width;

    /// <summary>
    /// Bin of <paramref name="v"/>: Edge(i) ≤ v &lt; Edge(i + 1). Values left of the first bin count in the first,
    /// values at or right of the last edge in the last.
    /// </summary>
    internal int IndexOf(double v)
    {
        int i = (int)Math.Clamp(Math.Floor(v / Width) - StartIndex, 0, Count - 1);
        while (i > 0 && v < Edge(i))
        {
            i--;   // v / Width rounded up across an edge
        }

        while (i < Count - 1 && v >= Edge(i + 1))
        {
            i++;   // rounded down across an edge
        }

        return i;
    }

    /// <summary>
    /// Bins covering [min, max] with about <paramref name="targetCount"/> bins. A width below 1 is rounded down to 1/k,
    /// a width of 1 or more to the nearest whole number, so 0 (and for widths up to 1 also 1) falls on an edge;
    /// max lies strictly inside the last bin.
    /// </summary>
    internal static Binning Cover(double min, double max, int targetCount)
    {
        double span = Math.Max(max - min, 1e-9);
        double raw = span / Math.Max(1, targetCount);
        double width = raw < 1 ? 1.0 / Math.Ceiling(1.0 / raw) : Math.Round(raw);
        long start = (long)Math.Floor(min / width);
        if (min < start * width)
        {
            start--;   // min / width rounded up onto an edge
        }

        var bins = new Binning(start, width, 1);
        int count = 1;
        while (max >= bins.Edge(count))
        {
            count++;
        }

        return bins with { Count = count };
    }

    /// <summary>Counts the finite values per bin; non-finite values are skipped.</summary>
    internal int[] Counts(IEnumerable<double> values)
    {
        var counts = new int[Count];
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                counts[IndexOf(v)]++;
            }
        }

        return counts;
    }
}
