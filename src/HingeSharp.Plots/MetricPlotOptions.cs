namespace HingeSharp.Plots;

/// <summary>Which dashed reference line a <see cref="MetricPlot"/> draws per series.</summary>
public enum ReferenceLine
{
    /// <summary>No reference line.</summary>
    None,

    /// <summary>The mean of the finite values.</summary>
    Mean,

    /// <summary>The last finite value.</summary>
    Final,
}

/// <summary>Options of <see cref="MetricPlot"/>; <c>with</c> expressions change single fields.</summary>
/// <example><code>
/// var options = MetricPlotOptions.BinaryHinge() with { Title = "10 batches" };
/// </code></example>
public sealed record MetricPlotOptions
{
    /// <summary>Title above the chart; none when null or empty.</summary>
    public string? Title { get; init; }

    /// <summary>y-axis label, normally the metric name.</summary>
    public string YLabel { get; init; } = "value";

    /// <summary>x-axis label.</summary>
    public string XLabel { get; init; } = "step";

    /// <summary>Step number of the first value: 0 as torchmetrics' <c>metric.plot(values)</c>.</summary>
    public int FirstStep { get; init; }

    /// <summary>Smallest value the metric can take (−∞ when unbounded). The y-axis shows it when the data come near
    /// it and never extends past it by more than the padding.</summary>
    public double LowerBound { get; init; } = double.NegativeInfinity;

    /// <summary>Largest value the metric can take (+∞ when unbounded).</summary>
    public double UpperBound { get; init; } = double.PositiveInfinity;

    /// <summary>Room above and below the data as a fraction of the visible span.</summary>
    public double Padding { get; init; } = 0.06;

    /// <summary>Dashed line at the mean or the final value of each series, its value labelled on the right axis
    /// (one series) or in the legend (per class).</summary>
    public ReferenceLine ReferenceLine { get; init; } = ReferenceLine.Mean;

    /// <summary>Legend names of the classes of a per-class series; null gives "class 0", "class 1", …</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// torchmetrics' binary hinge loss of probabilities: mean(max(0, 1 − y·p)) lies in [0, 2], its squared
    /// variant in [0, 4]. (torchmetrics plots it on a fixed [−0.1, 1.1] axis, cutting off values above 1.1.)
    /// </summary>
    /// <param name="squared">Bounds of the squared hinge, [0, 4].</param>
    public static MetricPlotOptions BinaryHinge(bool squared = false) => new()
    {
        Title = squared ? "Binary squared hinge loss" : "Binary hinge loss",
        YLabel = "BinaryHingeLoss",
        LowerBound = 0,
        UpperBound = squared ? 4 : 2,
    };

    /// <summary>Hinge loss on raw margins, max(0, 1 − y·f(x)): in [0, +∞).</summary>
    public static MetricPlotOptions HingeOnMargins() => new()
    {
        Title = "Hinge loss",
        YLabel = "hinge loss",
        LowerBound = 0,
    };
}
