using System.Numerics;
using HingeSharp.Classification;
using HingeSharp.Cli.Eval;
using HingeSharp.Distributed;
using HingeSharp.Metrics;
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
    /// <param name="comm">Distributed runs: this rank reads its share and the report is synced over the ranks.</param>
    /// <exception cref="CliInputException">Any bad input, naming the file and the place.</exception>
    public static (MarginReport Report, long Rows) Run(string predsPath, string targetPath, EvalSettings settings,
        Communicator? comm = null)
    {
        var (report, _, rows) = RunWithLoss(predsPath, targetPath, settings, comm);
        return (report, rows);
    }

    /// <summary>Streams the files into a report and, through the same chunks, the two hinge metrics <c>hinge eval</c>
    /// would use (plain and squared); returns the report, those metrics' values and the rows read.</summary>
    /// <param name="predsPath">Predictions, .npy or .csv.</param>
    /// <param name="targetPath">Targets, .npy or .csv.</param>
    /// <param name="settings">Task, classes, ignore index, input kind, chunking.</param>
    /// <param name="comm">Distributed runs: this rank reads its share; the report and both metrics are synced over
    /// the ranks.</param>
    /// <exception cref="CliInputException">Any bad input, naming the file and the place.</exception>
    public static (MarginReport Report, (double Hinge, double Squared) Loss, long Rows) RunWithLoss(string predsPath,
        string targetPath, EvalSettings settings, Communicator? comm = null)
    {
        var run = RunAll(predsPath, targetPath, settings, comm);
        return (run.Report, run.Loss, run.Rows);
    }

    /// <summary>As <see cref="RunWithLoss"/>, plus the accuracy and confusion matrix of the same chunks
    /// (<see cref="ReportClassification"/>).</summary>
    /// <param name="predsPath">Predictions, .npy or .csv.</param>
    /// <param name="targetPath">Targets, .npy or .csv.</param>
    /// <param name="settings">Task, classes, ignore index, input kind, chunking.</param>
    /// <param name="comm">Distributed runs: everything is synced over the ranks.</param>
    /// <exception cref="CliInputException">Any bad input, naming the file and the place.</exception>
    public static ReportRun RunAll(string predsPath, string targetPath, EvalSettings settings,
        Communicator? comm = null)
    {
        comm ??= Communicator.SingleProcess;

        // Auto makes two sinks (probabilities and logits) and keeps one: read the metrics from the sink returned.
        var (_, rows, sink) = EvalRunner.Stream(predsPath, targetPath, settings, (kind, classes) =>
            new ReportSink(
                settings.Task == HingeTask.Binary
                    ? MarginReport.Binary(kind, settings.MetricIgnoreIndex)
                    : MarginReport.Multiclass(classes, kind, settings.MetricIgnoreIndex),
                Metric(settings, kind, classes, squared: false),
                Metric(settings, kind, classes, squared: true),
                ReportClassification.Create(settings, kind, settings.Task == HingeTask.Binary ? 0 : classes)),
            comm: comm);
        var (report, plain, squared, classification) = (ReportSink)sink;

        // Distributed: every rank's histograms, counts and metric states merged in rank order, the rows summed.
        report.Sync(comm);
        ((IMergeableMetric)plain).Sync(comm);
        ((IMergeableMetric)squared).Sync(comm);
        classification.Sync(comm);
        rows = comm.Allreduce(rows, ReduceOperation.Sum);
        if (report.Compute(0, []).Overall.Count == 0)
        {
            throw CliInputException.InFile(targetPath, null,
                $"all {rows} rows equal the ignore index {settings.IgnoreIndex}: nothing to report");
        }

        var (accuracy, matrix) = classification.Compute();
        return new ReportRun(report, (plain.ComputeValue().Value, squared.ComputeValue().Value), rows, accuracy,
            matrix);
    }

    /// <summary>
    /// The report as <c>hinge report</c> prints it: the overall hinge and squared hinge are the values of the metrics
    /// that <c>hinge eval</c> uses, fed the same chunks (so the two commands agree bit for bit on the same file), and
    /// only the classes that occur are listed (the output stays small for any class count).
    /// </summary>
    /// <param name="report">The computed report.</param>
    /// <param name="loss">The eval metrics' values.</param>
    public static MarginReportResult AsPrinted(MarginReportResult report, (double Hinge, double Squared) loss) =>
        report with
        {
            Overall = report.Overall with { Hinge = loss.Hinge, SquaredHinge = loss.Squared },
            PerClass = [.. report.PerClass.Where(s => s.Count > 0)],
        };

    private static IHingeMetric Metric(EvalSettings s, HingeInputKind kind, int classes, bool squared) =>
        s.Task == HingeTask.Binary
            ? new BinaryHingeLoss(squared, s.MetricIgnoreIndex, validateArgs: true, kind, s.NonFinite)
            : new MulticlassHingeLoss(classes, squared, MulticlassMode.CrammerSinger, s.MetricIgnoreIndex,
                validateArgs: true, kind, s.NonFinite);

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

    private sealed class ReportSink(MarginReport report, IHingeMetric plain, IHingeMetric squared,
        ReportClassification classification) : IChunkSink
    {
        private readonly EvalRunner.MetricSink _plain = new((IWeightedHingeMetric)plain);
        private readonly EvalRunner.MetricSink _squared = new((IWeightedHingeMetric)squared);

        public void Deconstruct(out MarginReport r, out IHingeMetric p, out IHingeMetric q,
            out ReportClassification c) => (r, p, q, c) = (report, plain, squared, classification);

        public void Update<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
            ReadOnlySpan<double> sampleWeight)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TTarget : unmanaged, IBinaryInteger<TTarget>
        {
            report.Update(preds, target, sampleWeight);
            _plain.Update(preds, target, sampleWeight);
            _squared.Update(preds, target, sampleWeight);
            classification.Update(preds, target);
        }
    }
}

/// <summary>What <c>hinge report</c> computed over a file.</summary>
/// <param name="Report">The margin report.</param>
/// <param name="Loss">The values of <c>hinge eval</c>'s plain and squared hinge metrics on the same chunks.</param>
/// <param name="Rows">Rows read.</param>
/// <param name="Accuracy">The accuracy (<see cref="ReportClassification"/>).</param>
/// <param name="ConfusionMatrix">Rows: true class, columns: predicted class; null above
/// <see cref="ReportClassification.MaxMatrixClasses"/> classes.</param>
internal sealed record ReportRun(MarginReport Report, (double Hinge, double Squared) Loss, long Rows, double Accuracy,
    double[][]? ConfusionMatrix);
