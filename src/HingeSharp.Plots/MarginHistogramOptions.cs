namespace HingeSharp.Plots;

/// <summary>Options of <see cref="MarginHistogram"/>; <c>with</c> expressions change single fields.</summary>
public sealed record MarginHistogramOptions
{
    /// <summary>Title above the chart; null gives "Margins y·f(x), n = …".</summary>
    public string? Title { get; init; }

    /// <summary>x-axis label.</summary>
    public string XLabel { get; init; } = "margin y·f(x)";

    /// <summary>y-axis label.</summary>
    public string YLabel { get; init; } = "count";

    /// <summary>About how many bins to use; null picks √n clamped to [10, 50]. A bin width below 1 is rounded down
    /// to 1/k, a larger one to a whole number, so 0 is always a bin edge and 1 is one whenever the width is at most 1
    /// (margins spanning less than about the bin count).</summary>
    public int? BinCount { get; init; }

    /// <summary>Shade the misclassified, inside-margin and outside-margin regions, with their counts in the legend.
    /// </summary>
    public bool ShowRegions { get; init; } = true;
}
