using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;

namespace HingeSharp.Plots;

/// <content>The histogram from pre-binned counts (<see cref="MarginBins"/>).</content>
public static partial class MarginHistogram
{
    /// <summary>Most bars drawn from pre-binned counts when <see cref="MarginHistogramOptions.BinCount"/> is null.
    /// </summary>
    internal const int DefaultBinnedBars = 60;

    /// <summary>
    /// Histogram of margins counted into bins elsewhere (e.g. by a streaming margin report), in memory that does not
    /// grow with the data. Empty bins at either end are left out; more bins than
    /// <see cref="MarginHistogramOptions.BinCount"/> (default 60) are merged in runs of equal length, keeping 0 and 1
    /// as edges where they are edges. Margins below the first or above the last edge are drawn as paler bars just
    /// outside the bins. The region counts in the legend are <see cref="MarginBins.Regions"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="bins"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="bins"/> holds no margin, or <c>BinCount</c> is not in
    /// [1, 1000].</exception>
    public static Chart Create(MarginBins bins, MarginHistogramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (bins.Total == 0)
        {
            throw new ArgumentException("Expected argument `bins` to hold at least one margin, but got 0",
                nameof(bins));
        }

        return BuildBinned([(string.Empty, bins)], options ?? new MarginHistogramOptions());
    }

    /// <summary>Overlaid histograms of pre-binned margins per class (legend: class name and count); every class must
    /// have the same edges. Drawn as <see cref="Create(MarginBins, MarginHistogramOptions?)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="binsByClass"/> or one of its values is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="binsByClass"/> is empty, holds no margin, or two classes
    /// have different edges; or <c>BinCount</c> is not in [1, 1000].</exception>
    public static Chart Create(IReadOnlyDictionary<string, MarginBins> binsByClass,
        MarginHistogramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(binsByClass);
        if (binsByClass.Count == 0)
        {
            throw new ArgumentException(
                "Expected argument `binsByClass` to hold at least one class, but it is empty", nameof(binsByClass));
        }

        var groups = new List<(string, MarginBins)>();
        foreach ((string name, MarginBins bins) in binsByClass)
        {
            if (bins is null)
            {
                throw new ArgumentNullException(nameof(binsByClass), $"binsByClass['{name}'] is null");
            }

            if (groups.Count > 0 && !bins.Edges.SequenceEqual(groups[0].Item2.Edges))
            {
                throw new ArgumentException(
                    $"Expected every class of `binsByClass` to have the edges of '{groups[0].Item1}', but " +
                    $"binsByClass['{name}'] has {bins.Edges.Count} edges from {Guard.Format(bins.Edges[0])} to " +
                    $"{Guard.Format(bins.Edges[^1])} that differ", nameof(binsByClass));
            }

            groups.Add((name, bins));
        }

        if (groups.All(g => g.Item2.Total == 0))
        {
            throw new ArgumentException(
                "Expected argument `binsByClass` to hold at least one margin, but every class is empty",
                nameof(binsByClass));
        }

        return BuildBinned(groups, options ?? new MarginHistogramOptions());
    }

    /// <summary>
    /// Indices into the edges of the bars to draw: empty end bins dropped (unless margins lie beyond that end), then
    /// runs of f bins merged, f the smallest that gives at most <paramref name="maxBars"/> bars, raised to a divisor of
    /// the bins between 0 and 1 when that costs at most a factor 2, and the runs aligned on the edge at 0 (or 1).
    /// </summary>
    internal static int[] DisplayEdges(IReadOnlyList<double> edges, IReadOnlyList<long[]> counts, bool keepFirst,
        bool keepLast, int maxBars)
    {
        int k = edges.Count - 1;
        bool Used(int i) => counts.Any(c => c[i] > 0);
        int a = 0, b = k;
        while (!keepFirst && a < k - 1 && !Used(a))
        {
            a++;
        }

        while (!keepLast && b > a + 1 && !Used(b - 1))
        {
            b--;
        }

        int i0 = IndexOfEdge(edges, 0), i1 = IndexOfEdge(edges, 1);
        int f = Math.Max(1, (b - a + maxBars - 1) / maxBars);
        if (f > 1 && i0 >= 0 && i1 >= 0)
        {
            int d = i1 - i0;
            int divisor = Enumerable.Range(f, Math.Max(0, d - f + 1)).FirstOrDefault(x => d % x == 0);
            if (divisor > 0 && divisor <= 2 * f)
            {
                f = divisor;
            }
        }

        int anchor = i0 >= 0 ? i0 : i1 >= 0 ? i1 : a;
        int start = anchor - ((anchor - a + f - 1) / f * f);   // ≤ a, on the grid anchor + j·f
        var result = new List<int> { a };
        for (int e = start + f; e < b; e += f)
        {
            if (e > a)
            {
                result.Add(e);
            }
        }

        result.Add(b);
        return [.. result];
    }

    private static int IndexOfEdge(IReadOnlyList<double> edges, double value)
    {
        for (int i = 0; i < edges.Count; i++)
        {
            if (edges[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static Chart BuildBinned(List<(string Name, MarginBins Bins)> groups, MarginHistogramOptions options)
    {
        if (options.BinCount is < 1 or > 1000)
        {
            throw new ArgumentException(
                $"Expected `BinCount` to be between 1 and 1000, but got {options.BinCount}", nameof(options));
        }

        IReadOnlyList<double> edges = groups[0].Bins.Edges;
        bool below = groups.Any(g => g.Bins.Below > 0), above = groups.Any(g => g.Bins.Above > 0);
        long[][] counts = [.. groups.Select(g => g.Bins.Counts.ToArray())];
        int[] cut = DisplayEdges(edges, counts, below, above, options.BinCount ?? DefaultBinnedBars);
        double[] shown = [.. cut.Select(i => edges[i])];
        double width = (shown[^1] - shown[0]) / (shown.Length - 1);   // of the outer bars

        var regions = new MarginRegionCounts(groups.Sum(g => g.Bins.Regions.Misclassified),
            groups.Sum(g => g.Bins.Regions.InsideMargin), groups.Sum(g => g.Bins.Regions.OutsideMargin));
        string n = regions.Total.ToString(CultureInfo.InvariantCulture);
        Plot plot = Theme.NewPlot(options.Title ?? $"Margins y·f(x), n = {n}", options.XLabel, options.YLabel);
        double left = shown[0] - (below ? width : 0), right = shown[^1] + (above ? width : 0);
        left = Math.Min(left, -0.25);
        right = Math.Max(right, 1.25);
        if (options.ShowRegions)
        {
            AddRegions(plot, regions, left, right);
        }

        bool overlay = groups.Count > 1;
        var heights = new double[shown.Length + 1];   // outer bars at both ends
        var outer = new List<Bar>();
        for (int g = 0; g < groups.Count; g++)
        {
            MarginBins bins = groups[g].Bins;
            var merged = new long[shown.Length - 1];
            for (int j = 0; j < merged.Length; j++)
            {
                for (int i = cut[j]; i < cut[j + 1]; i++)
                {
                    merged[j] += counts[g][i];
                }

                heights[j + 1] = Math.Max(heights[j + 1], merged[j]);
            }

            heights[0] = Math.Max(heights[0], bins.Below);
            heights[^1] = Math.Max(heights[^1], bins.Above);
            Color color = overlay ? Theme.Series(g) : Theme.Train;
            AddBars(plot, shown, merged, overlay ? color.WithAlpha(0.5) : color,
                overlay ? $"{groups[g].Name} (n = {bins.Total})" : null);
            AddOuter(outer, bins.Below, shown[0] - (width / 2), width, color.WithAlpha(overlay ? 0.3 : 0.45));
            AddOuter(outer, bins.Above, shown[^1] + (width / 2), width, color.WithAlpha(overlay ? 0.3 : 0.45));
        }

        if (outer.Count > 0)
        {
            BarPlot plotted = plot.Add.Bars(outer);
            plotted.LegendText = OuterLegend(groups.Select(g => g.Bins).ToArray(), edges);
        }

        AddThresholds(plot);
        plot.Axes.SetLimitsX(left - 0.02 * (right - left), right + 0.02 * (right - left));
        (Alignment corner, double top) = LegendPlace(heights);
        plot.Axes.SetLimitsY(0, top);
        IntegerCountTicks(plot);
        plot.ShowLegend(corner);
        return new Chart([plot], 900, 520);
    }

    private static void AddOuter(List<Bar> bars, long count, double position, double width, Color color)
    {
        if (count > 0)
        {
            bars.Add(new Bar
            {
                Position = position, Size = width, Value = count, FillColor = color, LineWidth = 0.8f,
                LineColor = Colors.White,
            });
        }
    }

    private static string OuterLegend(MarginBins[] bins, IReadOnlyList<double> edges)
    {
        var parts = new List<string>();
        long below = bins.Sum(b => b.Below), above = bins.Sum(b => b.Above);
        double? min = bins.Where(b => b.Below > 0).Min(b => b.Min);
        double? max = bins.Where(b => b.Above > 0).Max(b => b.Max);
        if (below > 0)
        {
            parts.Add($"{below} < {Guard.Format(edges[0])}" + (min is { } lo ? $" (min {Guard.Format(lo)})" : ""));
        }

        if (above > 0)
        {
            parts.Add($"{above} > {Guard.Format(edges[^1])}" + (max is { } hi ? $" (max {Guard.Format(hi)})" : ""));
        }

        return "beyond the bins: " + string.Join(", ", parts);
    }

    private static void AddBars(Plot plot, double[] edges, long[] counts, Color color, string? legend)
    {
        var bars = new List<Bar>(counts.Length);
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                bars.Add(new Bar
                {
                    Position = (edges[i] + edges[i + 1]) / 2, Size = edges[i + 1] - edges[i], Value = counts[i],
                    FillColor = color, LineWidth = 0.8f, LineColor = Colors.White,
                });
            }
        }

        BarPlot plotted = plot.Add.Bars(bars);
        plotted.LegendText = legend ?? string.Empty;
    }
}
