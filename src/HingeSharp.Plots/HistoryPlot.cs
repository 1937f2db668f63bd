using ScottPlot;

namespace HingeSharp.Plots;

/// <summary>
/// Charts a Keras-style training history as stacked panels, as the tutorial's <c>pyplot.subplot(211)</c> (Loss) and
/// <c>subplot(212)</c> (Accuracy): one panel per metric X, with "train" (key X) and "validation" (key val_X) lines
/// over 1-based epochs. "loss" comes first, then the other metrics in the dictionary's order.
/// </summary>
/// <example><code>
/// var history = new Dictionary&lt;string, IReadOnlyList&lt;double&gt;&gt;
/// {
///     ["loss"] = [0.9, 0.6, 0.5], ["val_loss"] = [0.95, 0.7, 0.62],
///     ["accuracy"] = [0.55, 0.71, 0.78], ["val_accuracy"] = [0.5, 0.66, 0.74],
/// };
/// using Chart chart = HistoryPlot.Create(history);
/// chart.Save("history.png");
/// </code></example>
public static class HistoryPlot
{
    private static readonly string[] UnitMetrics = ["acc", "precision", "recall", "auc", "f1"];
    private static readonly string[] LossMetrics = ["loss", "hinge", "error", "mse", "mae"];

    /// <summary>Charts <paramref name="history"/>; non-finite values (NaN, ±∞) leave gaps.</summary>
    /// <param name="history">Series by name; a name X and "val_X" share a panel. Only train or only validation
    /// series are fine.</param>
    /// <param name="options">Labels, bounds and sizes; null for defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> or one of its series is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="history"/> is empty, a series is empty, a name is
    /// empty or only the validation prefix, a bound in <c>Bounds</c> is not ordered, <c>Padding</c> is outside
    /// [0, 1], or <c>PanelHeight</c> is outside [100, 16384].</exception>
    public static Chart Create(IReadOnlyDictionary<string, IReadOnlyList<double>> history,
        HistoryPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= new HistoryPlotOptions();
        if (options.PanelHeight is < 100 or > Guard.MaxSide)
        {
            throw new ArgumentException(
                $"Expected `PanelHeight` to be between 100 and {Guard.MaxSide}, but got {options.PanelHeight}",
                nameof(options));
        }

        Guard.Padding(options.Padding, nameof(options));
        IReadOnlyList<HistoryPanel> panels = Group(history, options.ValidationPrefix);
        var plots = new Plot[panels.Count];
        for (int i = 0; i < panels.Count; i++)
        {
            plots[i] = Panel(panels[i], options, xLabel: i == panels.Count - 1 ? options.XLabel : null);
        }

        int height = Math.Min(Guard.MaxSide, options.PanelHeight * panels.Count);
        return new Chart(plots, 900, height);
    }

    /// <summary>Pairs X with val_X; "loss" first, then first-seen order.</summary>
    internal static IReadOnlyList<HistoryPanel> Group(IReadOnlyDictionary<string, IReadOnlyList<double>> history,
        string prefix)
    {
        if (history.Count == 0)
        {
            throw new ArgumentException(
                "Expected argument `history` to hold at least one metric series, but it is empty", nameof(history));
        }

        var order = new List<string>();
        var train = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        var validation = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        foreach ((string key, IReadOnlyList<double> series) in history)
        {
            bool isValidation = prefix.Length > 0 && key.StartsWith(prefix, StringComparison.Ordinal);
            string name = isValidation ? key[prefix.Length..] : key;
            if (name.Length == 0)
            {
                throw new ArgumentException(
                    $"Expected every key of `history` to name a metric, but got '{key}'", nameof(history));
            }

            if (series is null)
            {
                throw new ArgumentNullException(nameof(history), $"history['{key}'] is null");
            }

            if (series.Count == 0)
            {
                throw new ArgumentException(
                    $"Expected history['{key}'] to hold at least one epoch, but it is empty", nameof(history));
            }

            (isValidation ? validation : train)[name] = series;
            if (!order.Contains(name))
            {
                order.Add(name);
            }
        }

        int loss = order.IndexOf("loss");
        if (loss > 0)
        {
            order.RemoveAt(loss);
            order.Insert(0, "loss");
        }

        return order.Select(n => new HistoryPanel(n, train.GetValueOrDefault(n), validation.GetValueOrDefault(n)))
            .ToList();
    }

    /// <summary>Bounds of <paramref name="name"/>: the options' entry, else guessed from the name.</summary>
    internal static (double Lower, double Upper) BoundsOf(string name, HistoryPlotOptions options)
    {
        if (options.Bounds is { } bounds && bounds.TryGetValue(name, out var given))
        {
            Guard.Bounds(given.Lower, given.Upper, nameof(options));
            return given;
        }

        string lower = name.ToLowerInvariant();
        if (UnitMetrics.Any(lower.Contains))
        {
            return (0, 1);
        }

        return LossMetrics.Any(lower.Contains)
            ? (0, double.PositiveInfinity)
            : (double.NegativeInfinity, double.PositiveInfinity);
    }

    /// <summary>"binary_accuracy" → "Binary accuracy".</summary>
    internal static string TitleOf(string name)
    {
        string spaced = name.Replace('_', ' ');
        return char.ToUpperInvariant(spaced[0]) + spaced[1..];
    }

    private static Plot Panel(HistoryPanel panel, HistoryPlotOptions options, string? xLabel)
    {
        Plot plot = Theme.NewPlot(TitleOf(panel.Name), xLabel, panel.Name);
        Theme.IntegerTicksX(plot);
        int epochs = 0;
        var all = new List<double>();
        foreach ((IReadOnlyList<double>? series, Color color, string label) in new[]
                 {
                     (panel.Train, Theme.Train, options.TrainLabel),
                     (panel.Validation, Theme.Validation, options.ValidationLabel),
                 })
        {
            if (series is null)
            {
                continue;
            }

            double[] ys = series.ToArray();
            double[] xs = Enumerable.Range(1, ys.Length).Select(e => (double)e).ToArray();
            Theme.AddSeries(plot, xs, ys, color, label);
            epochs = Math.Max(epochs, ys.Length);
            all.AddRange(ys);
        }

        if (!all.Any(double.IsFinite))
        {
            Theme.AddNote(plot, "no finite values");
        }

        Theme.SetStepLimits(plot, 1, epochs);
        var (lowerBound, upperBound) = BoundsOf(panel.Name, options);
        var (bottom, top) = AxisRange.Derive(all, lowerBound, upperBound, options.Padding);
        plot.Axes.SetLimitsY(bottom, top);
        plot.ShowLegend(LegendCorner(panel, bottom, top));
        return plot;
    }

    /// <summary>Lower right when the curves end in the upper half (rising accuracy), else upper right.</summary>
    private static Alignment LegendCorner(HistoryPanel panel, double bottom, double top)
    {
        double[] ends = new[] { panel.Train, panel.Validation }
            .Where(s => s is not null)
            .Select(s => s!.LastOrDefault(double.IsFinite, double.NaN))
            .Where(double.IsFinite)
            .ToArray();
        return ends.Length > 0 && ends.Average() > (bottom + top) / 2 ? Alignment.LowerRight : Alignment.UpperRight;
    }
}

/// <summary>One panel of a history chart: a metric name and its train and validation series (either may be null).
/// </summary>
internal sealed record HistoryPanel(string Name, IReadOnlyList<double>? Train, IReadOnlyList<double>? Validation);
