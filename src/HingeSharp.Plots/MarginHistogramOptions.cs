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

    /// <summary>About how many bins to use; null picks √n clamped to [10, 50]. The bin width is rounded to 1/k
    /// (or a whole number) so that 0 and 1 are bin edges.</summary>
    public int? BinCount { get; init; }

    /// <summary>Shade the misclassified, inside-margin and outside-margin regions, with their counts in the legend.
    /// </summary>
    public bool ShowRegions { get; init; } = true;
}
