using System.Numerics;
using HingeSharp.Classification;
using HingeSharp.Cli.Eval;
using HingeSharp.Plots;
using HingeSharp.Reports;

namespace HingeSharp.Cli.Report;

/// <summary>
/// Runs a <see cref="MarginReport"/> over a predictions file and a targets file in chunks (the reading, checks and
/// Auto resolution of <c>hinge eval</c>), and draws its margin histogram from the report's bins.
/// </summary>
internal static class ReportRunner
{
    /// <summary>File name of the histogram written by <c>--out</c>.</summary>
    public const string HistogramFile = "margins.png";

    /// <summary>File name of the confusion-matrix heatmap written by <c>--out</c>.</summary>
    public const string ConfusionMatrixFile = "confusion_matrix.png";

    /// <summary>The confusion-matrix heatmap (rows = true class) as PNG bytes.</summary>
    /// <param name="matrix">The counts.</param>
    public static byte[] ConfusionMatrixPng(MetricValue matrix)
    {
        using var chart = ConfusionMatrixPlot.Create(matrix.ToRows());
        return chart.ToPngBytes(chart.DefaultWidth, chart.DefaultHeight);
    }

    /// <summary>Streams the files into a report; returns it and the input kind it used.</summary>
    /// <param name="predsPath">Predictions, .npy or .csv.</param>
    /// <param name="targetPath">Targets, .npy or .csv.</param>
    /// <param name="settings">Task, classes, ignore index, input kind, chunking (the loss settings are unused).</param>
    /// <exception cref="CliInputException">Any bad input, naming the file and the place.</exception>
    /// <param name="metrics">Classification metrics fed the same chunks (accuracy, confusion matrix), or null.</param>
    public static (MarginReport Report, long Rows) Run(string predsPath, string targetPath, EvalSettings settings,
        ClassificationRequest? metrics = null)
    {
        MarginReport? report = null;
        var (_, rows) = EvalRunner.Stream(predsPath, targetPath, settings, (kind, classes) =>
        {
            report = settings.Task == HingeTask.Binary
                ? MarginReport.Binary(kind, settings.IgnoreIndex)
                : MarginReport.Multiclass(classes, kind, settings.IgnoreIndex);
            return metrics is null
                ? new ReportSink(report)
                : new TeeSink(new ReportSink(report), metrics.CreateSink(settings, kind, classes));
        });
        if (report!.Compute(0, []).Overall.Count == 0)
        {
            throw CliInputException.InFile(targetPath, null,
                $"all {rows} rows equal the ignore index {settings.IgnoreIndex}: nothing to report");
        }

        return (report, rows);
    }

    /// <summary>
    /// The margin histogram (per true class, overlaid) as PNG bytes, drawn from the report's fixed bins
    /// (<see cref="BinsOf"/>) in memory that does not grow with the data; the m &lt; 0, 0 ≤ m &lt; 1 and m ≥ 1
    /// counts in the legend are the report's exact counts.
    /// </summary>
    /// <param name="result">The computed report (unweighted: its bin contents are counts).</param>
    public static byte[] HistogramPng(MarginReportResult result)
    {
        var byClass = new Dictionary<string, MarginBins>();
        foreach (var summary in result.PerClass)
        {
            if (summary.Count > 0)
            {
                byClass[$"class {summary.Class}"] = BinsOf(summary);
            }
        }

        using var chart = byClass.Count == 1
            ? MarginHistogram.Create(byClass.Values.Single())
            : MarginHistogram.Create(byClass);
        return chart.ToPngBytes(chart.DefaultWidth, chart.DefaultHeight);
    }

    /// <summary>A summary's histogram as plot bins: its edges, counts, underflow and overflow, exact min and max, and
    /// the report's exact region counts (its last bin is closed, so 1 as the last edge cannot split them).</summary>
    /// <param name="summary">An unweighted summary with at least one sample.</param>
    internal static MarginBins BinsOf(Reports.MarginSummary summary)
    {
        var h = summary.Histogram;
        var k = h.Counts.Count;
        var edges = new double[k + 1];
        for (var i = 0; i < k; i++)
        {
            edges[i] = h.Lower + (i * h.BinWidth);
        }

        edges[k] = h.Upper;
        var counts = h.Counts.Select(c => (long)Math.Round(c)).ToArray();
        var regions = new MarginRegionCounts(summary.MisclassifiedCount,
            summary.InsideMarginCount - summary.MisclassifiedCount, summary.Count - summary.InsideMarginCount);
        return new MarginBins(edges, counts, (long)Math.Round(h.Underflow), (long)Math.Round(h.Overflow),
            summary.Min, summary.Max, regions);
    }

    private sealed class ReportSink(MarginReport report) : IChunkSink
    {
        public void Update<T>(ReadOnlySpan<T> preds, ReadOnlySpan<long> target, ReadOnlySpan<double> sampleWeight)
            where T : unmanaged, IFloatingPointIeee754<T> => report.Update(preds, target, sampleWeight);
    }
}
