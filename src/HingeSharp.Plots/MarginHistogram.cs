using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;

namespace HingeSharp.Plots;

/// <summary>
/// Histogram of margins m = y·f(x) (y ∈ {−1, +1}) for a margin report, with a solid line at 0 (the decision
/// boundary) and a dashed line at 1 (the hinge's margin), and the three regions of <see cref="MarginSummary"/>
/// shaded with their counts in the legend. Several classes overlay as translucent histograms on shared bins.
/// </summary>
/// <example><code>
/// double[] margins = [-0.4, 0.2, 0.7, 1.3, 2.1, 1.8];
/// using Chart chart = MarginHistogram.Create(margins);
/// chart.Save("margins.svg");
/// </code></example>
public static partial class MarginHistogram
{
    /// <summary>Histogram of one set of margins; non-finite values are left out (and counted in the title).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="margins"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="margins"/> is empty, or <c>BinCount</c> is not in
    /// [1, 1000].</exception>
    public static Chart Create(IReadOnlyList<double> margins, MarginHistogramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(margins);
        if (margins.Count == 0)
        {
            throw new ArgumentException("Expected argument `margins` to hold at least one value, but got 0",
                nameof(margins));
        }

        return Build([(string.Empty, margins.ToArray())], options ?? new MarginHistogramOptions());
    }

    /// <summary>Overlaid histograms of margins per class (legend: class name and count), on shared bins.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="marginsByClass"/> or one of its lists is null.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="marginsByClass"/> is empty, all its lists are empty, or
    /// <c>BinCount</c> is not in [1, 1000].</exception>
    public static Chart Create(IReadOnlyDictionary<string, IReadOnlyList<double>> marginsByClass,
        MarginHistogramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(marginsByClass);
        if (marginsByClass.Count == 0)
        {
            throw new ArgumentException(
                "Expected argument `marginsByClass` to hold at least one class, but it is empty",
                nameof(marginsByClass));
        }

        var groups = new List<(string, double[])>();
        foreach ((string name, IReadOnlyList<double> margins) in marginsByClass)
        {
            if (margins is null)
            {
                throw new ArgumentNullException(nameof(marginsByClass), $"marginsByClass['{name}'] is null");
            }

            groups.Add((name, margins.ToArray()));
        }

        if (groups.All(g => g.Item2.Length == 0))
        {
            throw new ArgumentException(
                "Expected argument `marginsByClass` to hold at least one margin, but every class is empty",
                nameof(marginsByClass));
        }

        return Build(groups, options ?? new MarginHistogramOptions());
    }

    /// <summary>Bins for the finite values, widened to show 0 and 1.</summary>
    internal static Binning BinsFor(IReadOnlyCollection<double> finite, int? binCount)
    {
        double min = Math.Min(-0.25, finite.Count > 0 ? finite.Min() : 0);
        double max = Math.Max(1.25, finite.Count > 0 ? finite.Max() : 1);
        int target = binCount ?? Math.Clamp((int)Math.Round(Math.Sqrt(finite.Count)), 10, 50);
        return Binning.Cover(min, max, target);
    }

    private static Chart Build(List<(string Name, double[] Margins)> groups, MarginHistogramOptions options)
    {
        if (options.BinCount is < 1 or > 1000)
        {
            throw new ArgumentException(
                $"Expected `BinCount` to be between 1 and 1000, but got {options.BinCount}", nameof(options));
        }

        double[] all = groups.SelectMany(g => g.Margins).ToArray();
        double[] finite = all.Where(double.IsFinite).ToArray();
        MarginSummary summary = MarginSummary.Of(all);
        Binning bins = BinsFor(finite, options.BinCount);

        string title = options.Title ?? TitleFor(summary);
        Plot plot = Theme.NewPlot(title, options.XLabel, options.YLabel);
        double left = bins.Edge(0);
        double right = bins.Edge(bins.Count);
        if (options.ShowRegions)
        {
            AddRegions(plot, new MarginRegionCounts(summary.Misclassified, summary.InsideMargin, summary.OutsideMargin),
                left, right);
        }

        bool overlay = groups.Count > 1;
        var heights = new int[bins.Count];
        for (int g = 0; g < groups.Count; g++)
        {
            int[] counts = bins.Counts(groups[g].Margins);
            for (int i = 0; i < counts.Length; i++)
            {
                heights[i] = Math.Max(heights[i], counts[i]);
            }

            Color color = overlay ? Theme.Series(g) : Theme.Train;
            int n = groups[g].Margins.Count(double.IsFinite);
            AddBars(plot, bins, counts, overlay ? color.WithAlpha(0.5) : color,
                overlay ? $"{groups[g].Name} (n = {n})" : null);
        }

        AddThresholds(plot);

        if (finite.Length == 0)
        {
            Theme.AddNote(plot, "no finite margins");
        }

        plot.Axes.SetLimitsX(left - 0.02 * (right - left), right + 0.02 * (right - left));
        (Alignment corner, double top) = LegendPlace([.. heights.Select(h => (double)h)]);
        plot.Axes.SetLimitsY(0, top);
        IntegerCountTicks(plot);
        plot.ShowLegend(corner);
        return new Chart([plot], 900, 520);
    }

    /// <summary>The count axis shows whole numbers only (no 0.5 ticks on a histogram of a few samples).</summary>
    private static void IntegerCountTicks(Plot plot) =>
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

    /// <summary>
    /// The upper corner whose outer 40% of bins is lower, and a top for the y-axis that leaves the legend (about the
    /// upper 40% of the data area) free of bars there.
    /// </summary>
    private static (Alignment Corner, double Top) LegendPlace(double[] heights)
    {
        double peak = Math.Max(1, heights.Max());
        int outer = Math.Max(1, (int)Math.Ceiling(heights.Length * 0.4));
        double left = heights.Take(outer).Max();
        double right = heights.Skip(heights.Length - outer).Max();
        double under = Math.Min(left, right);
        double top = Math.Max(peak * 1.12, under / 0.58);
        return (right < left ? Alignment.UpperRight : Alignment.UpperLeft, top);
    }

    private static string TitleFor(MarginSummary summary)
    {
        string n = summary.Finite.ToString(CultureInfo.InvariantCulture);
        return summary.NonFinite == 0
            ? $"Margins y·f(x), n = {n}"
            : $"Margins y·f(x), n = {n} (+{summary.NonFinite} non-finite)";
    }

    private static void AddRegions(Plot plot, MarginRegionCounts counts, double left, double right)
    {
        // "inside margin" is m < 1 (a positive hinge loss, the misclassified included), as the margin report and
        // `hinge report` define it: its span covers the misclassified one, and its count includes theirs.
        (double From, double To, Color Color, string Label, long Count)[] regions =
        [
            (Math.Min(left, 0), 0, Theme.Bad, "misclassified m < 0", counts.Misclassified),
            (Math.Min(left, 0), 1, Theme.Warn, "inside margin m < 1", counts.Misclassified + counts.InsideMargin),
            (1, Math.Max(right, 1), Theme.Good, "outside margin m ≥ 1", counts.OutsideMargin),
        ];
        foreach (var r in regions)
        {
            HorizontalSpan span = plot.Add.HorizontalSpan(r.From, r.To, r.Color.WithAlpha(0.12));
            span.LineWidth = 0;
            double share = counts.Total == 0 ? 0 : 100.0 * r.Count / counts.Total;
            span.LegendText = string.Create(CultureInfo.InvariantCulture, $"{r.Label}: {r.Count} ({share:0.#}%)");
        }
    }

    private static void AddThresholds(Plot plot)
    {
        VerticalLine zero = plot.Add.VerticalLine(0, 2f, Theme.Bad);
        zero.LegendText = "decision boundary m = 0";
        VerticalLine one = plot.Add.VerticalLine(1, 2f, Theme.Ink, LinePattern.Dashed);
        one.LegendText = "margin m = 1";
    }

    private static void AddBars(Plot plot, Binning bins, int[] counts, Color color, string? legend)
    {
        var bars = new List<Bar>(counts.Length);
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            bars.Add(new Bar
            {
                Position = (bins.Edge(i) + bins.Edge(i + 1)) / 2,
                Size = bins.Width,
                Value = counts[i],
                FillColor = color,
                LineWidth = 0.8f,
                LineColor = Colors.White,
            });
        }

        BarPlot plotted = plot.Add.Bars(bars);
        plotted.LegendText = legend ?? string.Empty;
    }
}
