using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

namespace HingeSharp.Plots;

/// <summary>Shared look of every HingeSharp chart: fonts, colours (matplotlib's tab10, as in the tutorial's
/// figures), grid, line and marker sizes, and series drawing with gaps for non-finite values.</summary>
internal static class Theme
{
    /// <summary>Series with at most this many points get markers on every point.</summary>
    internal const int MarkerLimit = 60;

    internal static readonly Color Ink = Color.FromHex("#222222");
    internal static readonly Color MutedInk = Color.FromHex("#555555");
    internal static readonly Color GridLine = Color.FromHex("#e6e6e6");
    internal static readonly Color Frame = Color.FromHex("#9a9a9a");
    internal static readonly Color Train = Color.FromHex("#1f77b4");
    internal static readonly Color Validation = Color.FromHex("#ff7f0e");
    internal static readonly Color Bad = Color.FromHex("#d62728");
    internal static readonly Color Warn = Color.FromHex("#ffbf00");
    internal static readonly Color Good = Color.FromHex("#2ca02c");

    /// <summary>Colour of series <paramref name="index"/> (tab10, cycling).</summary>
    internal static Color Series(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

    /// <summary>A white plot with a light grid, readable fonts, title and axis labels.</summary>
    internal static Plot NewPlot(string? title, string? xLabel, string? yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(ChartFonts.Name);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Axes.Color(MutedInk);
        plot.Axes.FrameColor(Frame);
        plot.Grid.MajorLineColor = GridLine;
        plot.Grid.MajorLineWidth = 1;
        plot.Grid.MinorLineWidth = 0;
        if (!string.IsNullOrEmpty(title))
        {
            plot.Title(title, 19);
            plot.Axes.Title.Label.Bold = true;
            plot.Axes.Title.Label.ForeColor = Ink;
        }

        if (!string.IsNullOrEmpty(xLabel))
        {
            plot.XLabel(xLabel, 15);
            plot.Axes.Bottom.Label.Bold = false;
            plot.Axes.Bottom.Label.ForeColor = Ink;
        }

        if (!string.IsNullOrEmpty(yLabel))
        {
            plot.YLabel(yLabel, 15);
            plot.Axes.Left.Label.Bold = false;
            plot.Axes.Left.Label.ForeColor = Ink;
        }

        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickGenerator = new NumericAutomatic { TickDensity = 0.6 };
        plot.Legend.FontSize = 13;
        plot.Legend.FontName = ChartFonts.Name;
        plot.Legend.OutlineColor = Frame.WithAlpha(0.6);
        plot.Legend.BackgroundColor = Colors.White.WithAlpha(0.9);
        plot.Legend.ShadowColor = Colors.Transparent;
        return plot;
    }

    /// <summary>Integer ticks only on the x axis (steps, epochs).</summary>
    internal static void IntegerTicksX(Plot plot) =>
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true, TickDensity = 0.7 };

    /// <summary>
    /// Draws a line through <paramref name="ys"/> at <paramref name="xs"/>: markers on every point when there are
    /// at most <see cref="MarkerLimit"/> points, otherwise on isolated points only. Non-finite values (NaN, ±∞) are
    /// gaps: the line breaks there. Returns the line, which carries the legend text.
    /// </summary>
    internal static Scatter AddSeries(Plot plot, double[] xs, double[] ys, Color color, string? legend)
    {
        double[] clean = Array.ConvertAll(ys, v => double.IsFinite(v) ? v : double.NaN);
        bool markers = ys.Length <= MarkerLimit;
        Scatter line = plot.Add.Scatter(xs, clean, color);
        line.LineWidth = 2.2f;
        line.MarkerSize = markers ? 7 : 0;
        line.MarkerShape = markers ? MarkerShape.FilledCircle : MarkerShape.None;
        line.LegendText = legend ?? string.Empty;

        if (!markers)
        {
            var lone = IsolatedPoints(clean);
            if (lone.Count > 0)
            {
                Scatter dots = plot.Add.ScatterPoints(lone.Select(i => xs[i]).ToArray(),
                    lone.Select(i => clean[i]).ToArray(), color);
                dots.MarkerSize = 6;
            }
        }

        return line;
    }

    /// <summary>Indices of finite values with no finite neighbour (a line through them would draw nothing).</summary>
    internal static List<int> IsolatedPoints(IReadOnlyList<double> ys)
    {
        var lone = new List<int>();
        for (int i = 0; i < ys.Count; i++)
        {
            bool leftGap = i == 0 || !double.IsFinite(ys[i - 1]);
            bool rightGap = i == ys.Count - 1 || !double.IsFinite(ys[i + 1]);
            if (double.IsFinite(ys[i]) && leftGap && rightGap)
            {
                lone.Add(i);
            }
        }

        return lone;
    }

    /// <summary>A dashed horizontal line, labelled on the right axis unless <paramref name="label"/> is null, e.g. at
    /// the mean or the final value.</summary>
    internal static HorizontalLine AddLevel(Plot plot, double y, Color color, string? label)
    {
        HorizontalLine level = plot.Add.HorizontalLine(y, 1.6f, color.WithAlpha(0.85), LinePattern.Dashed);
        level.Text = label ?? string.Empty;
        level.LabelOppositeAxis = true;
        level.LabelFontSize = 12;
        level.LabelBackgroundColor = color;
        level.LabelFontColor = Colors.White;
        level.ExcludeFromLegend = true;
        return level;
    }

    /// <summary>x-limits for points at <paramref name="first"/>..<paramref name="last"/> with a little room.</summary>
    internal static void SetStepLimits(Plot plot, double first, double last)
    {
        double pad = Math.Max(0.5, 0.02 * (last - first));
        plot.Axes.SetLimitsX(first - pad, last + pad);
    }

    /// <summary>A centred grey note in the data area, e.g. "no finite values".</summary>
    internal static void AddNote(Plot plot, string text)
    {
        Annotation note = plot.Add.Annotation(text, Alignment.MiddleCenter);
        note.LabelFontSize = 16;
        note.LabelFontColor = MutedInk;
        note.LabelBackgroundColor = Colors.White;
        note.LabelBorderColor = Frame;
        note.LabelShadowColor = Colors.Transparent;
    }
}
