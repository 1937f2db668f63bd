using System.Globalization;
using ScottPlot;

namespace HingeSharp.Plots;

/// <summary>
/// Charts a metric's values over steps, as torchmetrics' <c>metric.plot(values)</c>: a line with markers, a grid, a
/// dashed reference line, and a y-range derived from the data and clipped to the metric's real bounds (torchmetrics
/// fixes [−0.1, 1.1], which hides binary hinge values up to 2).
/// </summary>
/// <example><code>
/// double[] values = [0.92, 1.07, 0.88, 1.21, 0.97];   // BinaryHingeLoss over 5 batches
/// using Chart chart = MetricPlot.Create(values, MetricPlotOptions.BinaryHinge());
/// chart.Save("binary_hinge.png");
/// </code></example>
public static class MetricPlot
{
    /// <summary>Charts one value per step. Non-finite values (NaN, ±∞) leave gaps.</summary>
    /// <param name="values">The metric value at each step; at least one.</param>
    /// <param name="options">Labels, bounds and reference line; null for defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty, the bounds are not ordered, or
    /// <c>Padding</c> is outside [0, 1].</exception>
    public static Chart Create(IReadOnlyList<double> values, MetricPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        options ??= new MetricPlotOptions();
        Validate(values.Count, options, nameof(values));
        return Build([values.ToArray()], null, options);
    }

    /// <summary>
    /// Charts a per-class metric (torchmetrics' <c>average=None</c>): <paramref name="values"/>[step][class], one line
    /// per class with a legend "class 0", "class 1", … (or <see cref="MetricPlotOptions.ClassNames"/>). The legend
    /// sits right of the chart and carries each class's reference value, e.g. "class 0 (mean 1.089)".
    /// </summary>
    /// <param name="values">One vector per step; every vector has the same, non-zero number of classes.</param>
    /// <param name="options">Labels, bounds and reference line; null for defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or one of its vectors is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty, a vector is empty or differs in length
    /// from the first, <see cref="MetricPlotOptions.ClassNames"/> has the wrong count, the bounds are not ordered, or
    /// <c>Padding</c> is outside [0, 1].</exception>
    public static Chart Create(IReadOnlyList<IReadOnlyList<double>> values, MetricPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        options ??= new MetricPlotOptions();
        Validate(values.Count, options, nameof(values));
        int classes = ClassCount(values);
        if (options.ClassNames is { } names && names.Count != classes)
        {
            throw new ArgumentException(
                $"Expected `ClassNames` to hold {classes} names (one per class), but got {names.Count}",
                nameof(options));
        }

        var series = new double[classes][];
        for (int c = 0; c < classes; c++)
        {
            series[c] = new double[values.Count];
            for (int s = 0; s < values.Count; s++)
            {
                series[c][s] = values[s][c];
            }
        }

        string[] legend = options.ClassNames?.ToArray()
            ?? Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray();
        return Build(series, legend, options);
    }

    private static void Validate(int count, MetricPlotOptions options, string paramName)
    {
        if (count == 0)
        {
            throw new ArgumentException($"Expected argument `{paramName}` to hold at least one step, but got 0",
                paramName);
        }

        Guard.Bounds(options.LowerBound, options.UpperBound, nameof(options));
        Guard.Padding(options.Padding, nameof(options));
    }

    private static int ClassCount(IReadOnlyList<IReadOnlyList<double>> values)
    {
        int classes = -1;
        for (int s = 0; s < values.Count; s++)
        {
            IReadOnlyList<double> row = values[s] ?? throw new ArgumentNullException(nameof(values),
                $"Expected argument `values` to hold a vector at every step, but values[{s}] is null");
            if (row.Count == 0 || (classes >= 0 && row.Count != classes))
            {
                string expected = classes >= 0 ? $"{classes} classes (as values[0])" : "at least one class";
                throw new ArgumentException(
                    $"Expected values[{s}] to hold {expected}, but got {row.Count}", nameof(values));
            }

            classes = row.Count;
        }

        return classes;
    }

    private static Chart Build(double[][] series, string[]? legend, MetricPlotOptions options)
    {
        Plot plot = Theme.NewPlot(options.Title, options.XLabel, options.YLabel);
        Theme.IntegerTicksX(plot);
        int steps = series[0].Length;
        double[] xs = Enumerable.Range(options.FirstStep, steps).Select(i => (double)i).ToArray();

        for (int c = 0; c < series.Length; c++)
        {
            Color color = legend is null ? Theme.Train : Theme.Series(c);
            ScottPlot.Plottables.Scatter line = Theme.AddSeries(plot, xs, series[c], color, legend?[c]);
            if (Reference(series[c], options.ReferenceLine) is not { } reference)
            {
                continue;
            }

            string text = $"{reference.Word} {reference.Value.ToString("G4", CultureInfo.InvariantCulture)}";
            if (legend is null)
            {
                Theme.AddLevel(plot, reference.Value, color, text);
            }
            else
            {
                // Several labels on the axis would overlap: the value goes into the legend instead.
                Theme.AddLevel(plot, reference.Value, color, label: null);
                line.LegendText = $"{legend[c]} ({text})";
            }
        }

        bool anyFinite = series.Any(s => s.Any(double.IsFinite));
        if (!anyFinite)
        {
            Theme.AddNote(plot, "no finite values");
        }

        Theme.SetStepLimits(plot, xs[0], xs[^1]);
        var (bottom, top) = AxisRange.Derive(series.SelectMany(s => s), options.LowerBound, options.UpperBound,
            options.Padding);
        plot.Axes.SetLimitsY(bottom, top);
        if (legend is not null)
        {
            plot.ShowLegend(Edge.Right);
        }

        return new Chart([plot], 800, 500);
    }

    private static (double Value, string Word)? Reference(double[] ys, ReferenceLine kind)
    {
        double[] finite = ys.Where(double.IsFinite).ToArray();
        if (finite.Length == 0 || kind == ReferenceLine.None)
        {
            return null;
        }

        return kind == ReferenceLine.Mean ? (finite.Average(), "mean") : (finite[^1], "final");
    }
}
