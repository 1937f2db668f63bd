using System.Globalization;
using HingeSharp.Classification;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Reports;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// <c>hinge report</c> against <see cref="MarginReport"/> on the same data: one chunk gives the core's JSON exactly,
/// small chunks agree to rounding; Auto is resolved over the whole file; text output and the histogram PNG; bad input
/// exits 2.
/// </summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string P, string T, float[] Preds, long[] Target) Multiclass(int n, int c, int seed)
    {
        var random = new Random(seed);
        var preds = Enumerable.Range(0, n * c).Select(_ => (random.NextSingle() * 4) - 2).ToArray();
        var target = Enumerable.Range(0, n).Select(_ => (long)random.Next(c)).ToArray();
        return (NpyWriter.Write(_dir, "p.npy", "<f4", [n, c], preds.Select(x => (double)x).ToArray()),
            NpyWriter.Write(_dir, "t.npy", "<i8", [n], target.Select(x => (double)x).ToArray()), preds, target);
    }

    private (string P, string T, double[] Preds, long[] Target) Binary(int n, int seed, double scale)
    {
        var random = new Random(seed);
        var preds = Enumerable.Range(0, n).Select(_ => random.NextDouble() * scale).ToArray();
        var target = Enumerable.Range(0, n).Select(_ => (long)random.Next(2)).ToArray();
        return (CsvWriter.Write(_dir, "p.csv", preds, 1), CsvWriter.Write(_dir, "t.csv",
            target.Select(x => (double)x).ToArray(), 1), preds, target);
    }

    [Theory]
    [InlineData("logits")]
    [InlineData("margins")]
    public void Json_Multiclass_OneChunk_EqualsMarginReport(string kind)
    {
        var (p, t, preds, target) = Multiclass(300, 4, 1);
        var report = MarginReport.Multiclass(4, HingeNames.ParseInputKind(kind));
        report.Update<float, long>(preds, target);

        var run = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t, "--input-kind", kind,
            "--format", "json");
        Assert.True(run.ExitCode == 0, run.Error);
        var loss = EvalLoss(k => new MulticlassHingeLoss(4, k, inputKind: HingeNames.ParseInputKind(kind)),
            m => ((MulticlassHingeLoss)m).Update<float, long>(preds, target));
        var accuracy = new MulticlassAccuracy(4, ClassificationAverage.Micro);
        accuracy.Update<float, long>(preds, target);
        var matrix = new MulticlassConfusionMatrix(4);
        matrix.Update<float, long>(preds, target);
        Assert.Equal(Printed(report, loss, accuracy.Compute().Value, matrix.Compute().ToRows()), run.Out.TrimEnd('\n'));
    }

    [Fact]
    public void Json_BinaryChunked_AgreesWithMarginReport()
    {
        var (p, t, preds, target) = Binary(500, 2, scale: 3);
        var report = MarginReport.Binary(HingeInputKind.Logits);
        report.Update<double, long>(preds, target);
        var expected = report.Compute();

        var run = Hinge.Run("report", "--task", "binary", "--preds", p, "--target", t, "--chunk-rows", "37",
            "--format", "json");
        Assert.True(run.ExitCode == 0, run.Error);
        var actual = MarginReportResult.FromJson(run.Out);
        Assert.Equal("Logits", actual.InputKind); // Auto over the whole file: some values exceed 1
        Assert.Equal(expected.Overall.Count, actual.Overall.Count);
        Assert.Equal(expected.Overall.MisclassifiedCount, actual.Overall.MisclassifiedCount);
        Assert.Equal(expected.Overall.InsideMarginCount, actual.Overall.InsideMarginCount);
        Assert.Equal(expected.Overall.Min, actual.Overall.Min);
        Assert.Equal(expected.Overall.Max, actual.Overall.Max);
        Assert.Equal(expected.Overall.Histogram.Counts, actual.Overall.Histogram.Counts);
        Approx.Equal(expected.Overall.Hinge, actual.Overall.Hinge, Approx.Float64Relative, "hinge");
        Approx.Equal(expected.Overall.MeanMargin, actual.Overall.MeanMargin, 1e-10, "mean margin");
        for (var c = 0; c < 2; c++)
        {
            Approx.Equal(expected.PerClass[c].Hinge, actual.PerClass[c].Hinge, Approx.Float64Relative, $"class {c}");
        }
    }

    [Fact]
    public void Json_IgnoreIndex_EqualsMarginReport()
    {
        var (_, _, preds, target) = Binary(200, 3, scale: 1);
        for (var i = 0; i < target.Length; i += 5)
        {
            target[i] = -1;
        }

        var p = CsvWriter.Write(_dir, "pi.csv", preds, 1);
        var t = CsvWriter.Write(_dir, "ti.csv", target.Select(x => (double)x).ToArray(), 1);
        var report = MarginReport.Binary(HingeInputKind.Probabilities, ignoreIndex: -1);
        report.Update<double, long>(preds, target);
        var run = Hinge.Run("report", "--task", "binary", "--preds", p, "--target", t, "--ignore-index", "-1",
            "--format", "json");
        Assert.True(run.ExitCode == 0, run.Error);
        var loss = EvalLoss(k => new BinaryHingeLoss(k, -1, inputKind: HingeInputKind.Probabilities),
            m => ((BinaryHingeLoss)m).Update<double, long>(preds, target));
        var accuracy = new BinaryAccuracy(ignoreIndex: -1, inputKind: HingeInputKind.Probabilities);
        accuracy.Update<double, long>(preds, target);
        var matrix = new BinaryConfusionMatrix(ignoreIndex: -1, inputKind: HingeInputKind.Probabilities);
        matrix.Update<double, long>(preds, target);
        Assert.Equal(Printed(report, loss, accuracy.Compute(), matrix.Compute().ToRows()), run.Out.TrimEnd('\n'));
    }

    /// <summary>What <c>hinge eval</c> gives (plain, squared) for the data the update feeds: the overall hinge that
    /// <c>hinge report</c> prints (issue 14, item 13: the two commands agree bit for bit).</summary>
    private static (double, double) EvalLoss(Func<bool, IHingeMetric> create, Action<IHingeMetric> update)
    {
        var (plain, squared) = (create(false), create(true));
        update(plain);
        update(squared);
        return (plain.ComputeValue().Value, squared.ComputeValue().Value);
    }

    /// <summary>The report JSON as <c>hinge report</c> prints it: the eval values overall, the classes that occur,
    /// then the core metrics' accuracy and confusion matrix.</summary>
    private static string Printed(MarginReport report, (double, double) loss, double accuracy, double[][] matrix) =>
        HingeSharp.Cli.Report.ReportClassification.AddToJson(
            HingeSharp.Cli.Report.ReportRunner.AsPrinted(report.Compute(), loss).ToJson(indented: false), accuracy,
            matrix);

    [Fact]
    public void Text_Redirected_PrintsPlainTabSeparatedLines()
    {
        var (p, t, preds, target) = Multiclass(120, 3, 4);
        var report = MarginReport.Multiclass(3, HingeInputKind.Logits);
        report.Update<float, long>(preds, target);
        var expected = report.Compute();

        var run = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.DoesNotContain("\u001b", run.Out, StringComparison.Ordinal);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var overall = lines.Single(l => l.StartsWith("overall\t", StringComparison.Ordinal)).Split('\t');
        Assert.Equal(expected.Overall.Count, long.Parse(overall[1], CultureInfo.InvariantCulture));
        var eval = new MulticlassHingeLoss(3, inputKind: HingeInputKind.Logits);
        eval.Update<float, long>(preds, target);
        Assert.Equal(eval.Compute().Value, double.Parse(overall[2], CultureInfo.InvariantCulture));
        Assert.Equal(3, lines.Count(l => l.StartsWith("class ", StringComparison.Ordinal)));
        var pairsAt = Array.IndexOf(lines, "most-confused pairs");
        Assert.True(pairsAt > 0);
        var first = lines[pairsAt + 2].Split('\t');
        Assert.Equal(expected.ConfusedPairs[0].TrueClass, int.Parse(first[0], CultureInfo.InvariantCulture));
        Assert.Equal(expected.ConfusedPairs[0].RivalClass, int.Parse(first[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Out_WritesHistogramPngAtomically()
    {
        var (p, t, _, _) = Multiclass(200, 3, 5);
        var folder = _dir.File("plots");
        var run = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t, "--out", folder,
            "--format", "json");
        Assert.True(run.ExitCode == 0, run.Error);
        var png = File.ReadAllBytes(Path.Combine(folder, "margins.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(["confusion-matrix.png", "margins.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("margins")]
    [InlineData("logits")]
    public void HistogramBins_CarryTheReportsBinsAndExactRegionCounts(string kind)
    {
        var random = new Random(8);
        var preds = Enumerable.Range(0, 400).Select(_ => (random.NextDouble() * 12) - 6).ToArray();
        var target = Enumerable.Range(0, 100).Select(_ => (long)random.Next(4)).ToArray();
        var report = MarginReport.Multiclass(4, HingeNames.ParseInputKind(kind));
        report.Update<double, long>(preds, target);
        var result = report.Compute();
        foreach (var summary in result.PerClass.Append(result.Overall))
        {
            var bins = HingeSharp.Cli.Report.ReportRunner.BinsOf(summary);
            var h = summary.Histogram;
            Assert.Equal(summary.Count, bins.Total);
            Assert.Equal(summary.MisclassifiedCount, bins.Regions.Misclassified);
            Assert.Equal(summary.InsideMarginCount, bins.Regions.Misclassified + bins.Regions.InsideMargin);
            Assert.Equal(summary.Count - summary.InsideMarginCount, bins.Regions.OutsideMargin);
            Assert.Equal(h.Counts.Select(c => (long)c), bins.Counts);
            Assert.Equal((long)h.Underflow, bins.Below);
            Assert.Equal((long)h.Overflow, bins.Above);
            Assert.Equal(h.Lower, bins.Edges[0]);
            Assert.Equal(h.Upper, bins.Edges[^1]);
            Assert.Equal(summary.Min, bins.Min);
            Assert.Equal(summary.Max, bins.Max);
        }
    }

    [Fact]
    public void HistogramPng_LegendShowsTheReportsRegionCounts()
    {
        var random = new Random(9);
        var preds = Enumerable.Range(0, 900).Select(_ => (random.NextDouble() * 12) - 6).ToArray();
        var target = Enumerable.Range(0, 300).Select(_ => (long)random.Next(3)).ToArray();
        var report = MarginReport.Multiclass(3, HingeInputKind.Margins);
        report.Update<double, long>(preds, target);
        var result = report.Compute();
        var png = HingeSharp.Cli.Report.ReportRunner.HistogramPng(result);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

        var byClass = result.PerClass.ToDictionary(s => $"class {s.Class}", HingeSharp.Cli.Report.ReportRunner.BinsOf);
        using var chart = HingeSharp.Plots.MarginHistogram.Create(byClass);
        var legend = chart.Panels[0].Legend.GetItems().Select(i => i.LabelText).ToArray();
        var o = result.Overall;
        Assert.StartsWith($"misclassified m < 0: {o.MisclassifiedCount} (", legend[0], StringComparison.Ordinal);
        // The report's "inside margin" (m < 1, the misclassified included) and the legend's are the same count.
        Assert.StartsWith($"inside margin m < 1: {o.InsideMarginCount} (", legend[1], StringComparison.Ordinal);
        Assert.StartsWith($"outside margin m ≥ 1: {o.Count - o.InsideMarginCount} (", legend[2],
            StringComparison.Ordinal);
    }

    [Fact]
    public void Out_IsAFile_Exits2BeforeReading()
    {
        var (p, t, _, _) = Multiclass(20, 3, 6);
        var file = _dir.Write("taken", "x");
        var line = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t, "--out", file).BadInput();
        Assert.Contains(file, line, StringComparison.Ordinal);
    }

    [Fact]
    public void BadTarget_Exits2NamingFileAndPlace()
    {
        var p = CsvWriter.Write(_dir, "p.csv", [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 3);
        var t = CsvWriter.Write(_dir, "t.csv", [0, 7], 1);
        var line = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t).BadInput();
        Assert.Contains(t, line, StringComparison.Ordinal);
        Assert.Contains("line 2", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AllIgnored_Exits2()
    {
        var p = CsvWriter.Write(_dir, "p.csv", [0.1, 0.2], 1);
        var t = CsvWriter.Write(_dir, "t.csv", [-1, -1], 1);
        var line = Hinge.Run("report", "--task", "binary", "--preds", p, "--target", t, "--ignore-index", "-1")
            .BadInput();
        Assert.Contains("nothing to report", line, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTask_Exits2()
    {
        var line = Hinge.Run("report", "--preds", "p.csv", "--target", "t.csv").BadInput();
        Assert.Contains("hinge report --help", line, StringComparison.Ordinal);
    }
}
