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

    /// <summary>Streams the files into a report; returns it and the input kind it used.</summary>
    /// <param name="predsPath">Predictions, .npy or .csv.</param>
    /// <param name="targetPath">Targets, .npy or .csv.</param>
    /// <param name="settings">Task, classes, ignore index, input kind, chunking (the loss settings are unused).</param>
    /// <exception cref="CliInputException">Any bad input, naming the file and the place.</exception>
    public static (MarginReport Report, long Rows) Run(string predsPath, string targetPath, EvalSettings settings)
    {
        MarginReport? report = null;
        var (_, rows) = EvalRunner.Stream(predsPath, targetPath, settings, (kind, classes) =>
        {
            report = settings.Task == HingeTask.Binary
                ? MarginReport.Binary(kind, settings.IgnoreIndex)
                : MarginReport.Multiclass(classes, kind, settings.IgnoreIndex);
            return new ReportSink(report);
        });
        if (report!.Compute(0, []).Overall.Count == 0)
        {
            throw CliInputException.InFile(targetPath, null,
                $"all {rows} rows equal the ignore index {settings.IgnoreIndex}: nothing to report");
        }

        return (report, rows);
    }

    /// <summary>
    /// The margin histogram (per true class, overlaid) as PNG bytes. The margins are taken from the report's fixed
    /// bins: each bin's count at its centre (clamped to [min, max]), the underflow at the exact minimum and the overflow at the exact maximum,
    /// so the m &lt; 0, 0 ≤ m &lt; 1 and m ≥ 1 counts equal the report's (0 and 1 are bin edges).
    /// </summary>
    /// <param name="result">The computed report (unweighted: its bin contents are counts).</param>
    public static byte[] HistogramPng(MarginReportResult result)
    {
        var byClass = new Dictionary<string, IReadOnlyList<double>>();
        foreach (var summary in result.PerClass)
        {
            if (summary.Count > 0)
            {
                byClass[$"class {summary.Class}"] = MarginsOf(summary);
            }
        }

        using var chart = byClass.Count == 1
            ? MarginHistogram.Create(byClass.Values.Single())
            : MarginHistogram.Create(byClass);
        return chart.ToPngBytes(chart.DefaultWidth, chart.DefaultHeight);
    }

    /// <summary>Stand-in margins from a summary's bins: bin centres clamped to [min, max], the underflow at min and
    /// the overflow at max (a bin's min and max lie on the same side of 0 and 1 as the bin, so the region counts
    /// stay exact).</summary>
    internal static double[] MarginsOf(Reports.MarginSummary summary)
    {
        var h = summary.Histogram;
        var margins = new List<double>();
        margins.AddRange(Enumerable.Repeat(summary.Min, (int)Math.Round(h.Underflow)));
        for (var i = 0; i < h.Counts.Count; i++)
        {
            var center = Math.Clamp(h.Lower + ((i + 0.5) * h.BinWidth), summary.Min, summary.Max);
            margins.AddRange(Enumerable.Repeat(center, (int)Math.Round(h.Counts[i])));
        }

        margins.AddRange(Enumerable.Repeat(summary.Max, (int)Math.Round(h.Overflow)));
        return [.. margins];
    }

    private sealed class ReportSink(MarginReport report) : IChunkSink
    {
        public void Update<T>(ReadOnlySpan<T> preds, ReadOnlySpan<long> target, ReadOnlySpan<double> sampleWeight)
            where T : unmanaged, IFloatingPointIeee754<T> => report.Update(preds, target, sampleWeight);
    }
}
