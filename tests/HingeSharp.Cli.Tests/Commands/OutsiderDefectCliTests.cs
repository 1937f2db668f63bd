using System.Globalization;
using System.Security.Cryptography;
using HingeSharp.Classification;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Metrics;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// Regression tests for the command-line items of issue 14 ("the defects an outsider found"), each named after its
/// probe: outputs that would replace an input (1), unbounded --threads (2), auto-resolved shards that must merge (5),
/// empty output paths (6), options ignored or badly worded (12), report and eval agreeing (13).
/// </summary>
public sealed class OutsiderDefectCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private (string P, string T, string W) Binary(string prefix, float[] preds, long[] target)
    {
        var p = NpyWriter.Write(_dir, $"{prefix}p.npy", "<f4", [preds.Length], preds.Select(x => (double)x).ToArray());
        var t = NpyWriter.Write(_dir, $"{prefix}t.npy", "<i8", [target.Length], target.Select(x => (double)x).ToArray());
        var w = NpyWriter.Write(_dir, $"{prefix}w.npy", "<f8", [target.Length], target.Select(_ => 1.0).ToArray());
        return (p, t, w);
    }

    private (string P, string T, string W) Sample() => Binary("", [0.25f, 0.75f, 0.5f, 0.9f], [0, 1, 1, 0]);

    // Item 1: data loss.

    [Theory]
    [InlineData("--preds")]
    [InlineData("--target")]
    [InlineData("--sample-weight")]
    public void SaveState_SameFileAsAnInput_Exit2AndInputUntouched(string input)
    {
        var (p, t, w) = Sample();
        var victim = input switch { "--preds" => p, "--target" => t, _ => w };
        var before = Hash(victim);
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--sample-weight", w,
            "--save-state", victim).BadInput();
        Assert.Contains("same file", line, StringComparison.Ordinal);
        Assert.Contains(input, line, StringComparison.Ordinal);
        Assert.Equal(before, Hash(victim));
        Assert.Equal(3, Directory.GetFiles(_dir.Path).Length); // no temporary file left
    }

    [Fact]
    public void SaveState_SameFileThroughRelativePathAndSymlink_Exit2AndInputUntouched()
    {
        var (p, t, _) = Sample();
        var before = Hash(t);
        var sub = Directory.CreateDirectory(_dir.File("sub")).FullName;
        var relative = Path.Combine(sub, "..", Path.GetFileName(t));
        Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--save-state", relative).BadInput();

        var link = _dir.File("link.npy");
        File.CreateSymbolicLink(link, t);
        Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", link, "--save-state", t).BadInput();
        Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--save-state", link).BadInput();
        var folderLink = _dir.File("folder-link");
        Directory.CreateSymbolicLink(folderLink, _dir.Path);
        Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--save-state",
            Path.Combine(folderLink, Path.GetFileName(t))).BadInput();
        Assert.Equal(before, Hash(t));
    }

    [Fact]
    public void ReportOut_FolderHoldingAnInputAsItsHistogram_Exit2AndInputUntouched()
    {
        var (p, t, _) = Sample();
        var folder = Directory.CreateDirectory(_dir.File("plots")).FullName;
        var target = Path.Combine(folder, "margins.png");
        File.Copy(t, target);
        var before = Hash(target);
        Hinge.Run("report", "--task", "binary", "--preds", p, "--target", target, "--out", folder).BadInput();
        Assert.Equal(before, Hash(target));
        // --out naming an input file itself: not a folder.
        Hinge.Run("report", "--task", "binary", "--preds", p, "--target", t, "--out", t).BadInput();
    }

    // Item 2: --threads bounded for every command that takes it.

    [Theory]
    [InlineData("demo", "sequential", "300")]
    [InlineData("demo", "sequential", "0")]
    [InlineData("bench", "--quick", "100000")]
    [InlineData("bench", "--quick", "-1")]
    public void Threads_OutsideOneToProcessorCount_Exit2NamingTheBound(string command, string other, string threads)
    {
        var line = Hinge.Run(command, other, "--threads", threads).BadInput();
        Assert.Contains("--threads must be from", line, StringComparison.Ordinal);
        Assert.Contains(Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), line,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--threads", "x", "--threads: 'x' is not an integer")]
    [InlineData("--io-rows", "many", "--io-rows: 'many' is not an integer")]
    [InlineData("--sizes", "100,1000", "--sizes: '100,1000' is not an integer")]
    public void Bench_ValueThatIsNotANumber_Exit2NamingOptionAndValue(string option, string value, string expected)
    {
        // The options' range checks ask for the value: text that does not convert is the parser's error to report,
        // not an unhandled exception in the check.
        var line = Hinge.Run("bench", "--quick", option, value).BadInput();
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    // Item 5: shards under the default --input-kind auto merge and equal torchmetrics' stream of the two updates.

    [Fact]
    public void Merge_AutoShardsOneProbabilitiesOneLogits_EqualsTheStreamOfBothUpdates()
    {
        float[] probs = [0.25f, 0.75f, 0.5f, 0.9f];
        long[] probsTarget = [0, 1, 1, 0];
        float[] logits = [-2.5f, 3f, 0.5f, 1.5f, -0.25f];
        long[] logitsTarget = [0, 1, 0, 1, 1];
        var (pa, ta, _) = Binary("a", probs, probsTarget);
        var (pb, tb, _) = Binary("b", logits, logitsTarget);
        var (sa, sb) = (_dir.File("a.state.json"), _dir.File("b.state.json"));
        Assert.Equal(0, Hinge.Run("eval", "--task", "binary", "--preds", pa, "--target", ta, "--save-state", sa).ExitCode);
        Assert.Equal(0, Hinge.Run("eval", "--task", "binary", "--preds", pb, "--target", tb, "--save-state", sb).ExitCode);
        Assert.Contains("\"input_kind\": \"auto\"", File.ReadAllText(sa), StringComparison.Ordinal);

        var merged = Hinge.Run("merge", sa, sb, "--format", "json").Json();
        var stream = new BinaryHingeLoss(); // torchmetrics decides per update
        stream.Update<float, long>(probs, probsTarget);
        stream.Update<float, long>(logits, logitsTarget);
        Assert.Equal(stream.Compute(), merged.GetProperty("value").GetDouble());
        Assert.Equal(stream.State.Total, merged.GetProperty("count").GetInt64());
    }

    [Fact]
    public void Merge_OldStateFileWithResolvedKind_StillLoads()
    {
        var (p, t, _) = Sample();
        var state = _dir.File("old.json");
        var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Probabilities);
        metric.Update<float, long>([0.25f, 0.75f, 0.5f, 0.9f], [0, 1, 1, 0]);
        metric.SaveState(state); // what an earlier hinge wrote for an auto run resolved to probabilities
        var json = Hinge.Run("merge", state, "--format", "json").Json();
        Assert.Equal(metric.Compute(), json.GetProperty("value").GetDouble());
        Assert.True(File.Exists(p) && File.Exists(t));
    }

    // Item 6 (the writer's part): empty output paths.

    [Theory]
    [InlineData("eval", "--save-state")]
    [InlineData("report", "--out")]
    public void EmptyOutputPath_Exit2WithAClearMessage(string command, string option)
    {
        // `demo --out ""` runs in hinge-demo: tests/HingeSharp.Demo.Tests/Commands/DemoCommandTests.cs.
        var (p, t, _) = Sample();
        string[] args = [command, "--task", "binary", "--preds", p, "--target", t, option, ""];
        var line = Hinge.Run(args).BadInput();
        Assert.Contains($"{option}: the path is empty", line, StringComparison.Ordinal);
    }

    // Item 12: options silently ignored or badly worded.

    [Theory]
    [InlineData("--multiclass-mode", "one-vs-all")]
    [InlineData("--num-classes", "3")]
    public void BinaryTask_WithMulticlassOption_Exit2(string option, string value)
    {
        var (p, t, _) = Sample();
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, option, value).BadInput();
        Assert.Contains($"{option} does not apply to --task binary", line, StringComparison.Ordinal);
        if (option == "--num-classes")
        {
            Hinge.Run("report", "--task", "binary", "--preds", p, "--target", t, option, value).BadInput();
        }
    }

    [Theory]
    [InlineData("eval", "--ci", "abc", "--ci: 'abc' is not a number")]
    [InlineData("eval", "--num-classes", "x", "--num-classes: 'x' is not an integer")]
    [InlineData("eval", "--ignore-index", "1e3", "--ignore-index: '1e3' is not an integer")]
    [InlineData("merge", "--ci", "high", "--ci: 'high' is not a number")]
    public void NonNumericOptionValue_HumanMessageWithoutTypeName(string command, string option, string value,
        string expected)
    {
        var (p, t, _) = Sample();
        string[] args = command == "merge"
            ? ["merge", p, option, value]
            : ["eval", "--task", "multiclass", "--preds", p, "--target", t, option, value];
        var line = Hinge.Run(args).BadInput();
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
    }

    [Fact]
    public void IgnoreIndex_Uint32Sentinel_IsAcceptedAndIgnoresThoseTargets()
    {
        float[] preds = [0.25f, 0.75f, 0.5f, 0.9f, 0.1f];
        long[] target = [0, 1, 4294967295, 0, 4294967295];
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [5], preds.Select(x => (double)x).ToArray());
        var t = NpyWriter.Write(_dir, "t.npy", "<u4", [5], target.Select(x => (double)x).ToArray());
        var json = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--ignore-index", "4294967295",
            "--format", "json").Json();
        var expected = new BinaryHingeLoss();
        expected.Update<float, long>([0.25f, 0.75f, 0.9f], [0, 1, 0]);
        Assert.Equal(expected.Compute(), json.GetProperty("value").GetDouble());
        Assert.Equal(3, json.GetProperty("count").GetInt64());

        // The same through the multiclass path and report.
        var pm = NpyWriter.Write(_dir, "pm.npy", "<f4", [3, 2], [0.2, 0.8, 0.6, 0.4, 0.5, 0.5]);
        var tm = NpyWriter.Write(_dir, "tm.npy", "<i8", [3], [1, 4294967295, 0]);
        var m = Hinge.Run("eval", "--task", "multiclass", "--preds", pm, "--target", tm, "--ignore-index",
            "4294967295", "--format", "json").Json();
        Assert.Equal(2, m.GetProperty("count").GetInt64());
        Assert.Equal(0, Hinge.Run("report", "--task", "multiclass", "--preds", pm, "--target", tm, "--ignore-index",
            "4294967295").ExitCode);
    }

    [Fact]
    public void IgnoreIndex_WideSentinel_TargetHoldingTheStandInIsStillAnError()
    {
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [2], [0.5, 0.5]);
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [2], [int.MinValue, 1]);
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--ignore-index",
            "4294967295").BadInput();
        Assert.Contains("-2147483648", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evaluate", "eval")]
    [InlineData("reprot", "report")]
    [InlineData("mrege", "merge")]
    public void UnknownCommand_NamesItAndSuggestsTheNearest(string typed, string suggested)
    {
        var line = Hinge.Run(typed, "--task", "binary").BadInput();
        Assert.Contains($"unknown command '{typed}'", line, StringComparison.Ordinal);
        Assert.Contains($"did you mean '{suggested}'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveState_IntoMissingFolder_CreatesItLikeOut()
    {
        var (p, t, _) = Sample();
        var state = Path.Combine(_dir.Path, "new", "deeper", "s.json");
        Assert.Equal(0, Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--save-state", state)
            .ExitCode);
        Assert.IsType<BinaryHingeLoss>(MetricState.Load(state));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(state)!));
    }

    [Fact]
    public void SaveState_UnderAFile_Exit2WithoutTheTemporaryName()
    {
        var (p, t, _) = Sample();
        var state = Path.Combine(t, "s.json");
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--save-state", state).BadInput();
        Assert.DoesNotContain(".tmp", line, StringComparison.Ordinal);
        Assert.Contains("is a file, not a folder", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Ci_LevelOneUlpBelowOne_GivesAFiniteInterval()
    {
        var (p, t, _) = Sample();
        var json = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--ci", "0.9999999999999999",
            "--format", "json").Json();
        var ci = json.GetProperty("ci");
        Assert.Equal(System.Text.Json.JsonValueKind.Number, ci.GetProperty("lower").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, ci.GetProperty("upper").ValueKind);
        Assert.True(ci.GetProperty("lower").GetDouble() < ci.GetProperty("upper").GetDouble());
    }

    [Fact]
    public void Merge_WithCi_PrintsTheIntervalOfTheMergedStates()
    {
        float[] preds = [0.25f, 0.75f, 0.5f, 0.9f, 0.1f, 0.3f];
        long[] target = [0, 1, 1, 0, 1, 0];
        var (pa, ta, _) = Binary("a", preds[..3], target[..3]);
        var (pb, tb, _) = Binary("b", preds[3..], target[3..]);
        var (sa, sb) = (_dir.File("a.json"), _dir.File("b.json"));
        Assert.Equal(0, Hinge.Run("eval", "--task", "binary", "--preds", pa, "--target", ta, "--ci", "0.95",
            "--save-state", sa).ExitCode);
        Assert.Equal(0, Hinge.Run("eval", "--task", "binary", "--preds", pb, "--target", tb, "--ci", "0.95",
            "--save-state", sb).ExitCode);
        var json = Hinge.Run("merge", sa, sb, "--ci", "0.9", "--format", "json").Json();

        var expected = new BinaryHingeLoss { TrackVariance = true };
        expected.Update<float, long>(preds.AsSpan(0, 3), target.AsSpan(0, 3));
        expected.Update<float, long>(preds.AsSpan(3), target.AsSpan(3));
        var interval = expected.ComputeInterval(0.9);
        var ci = json.GetProperty("ci");
        Assert.Equal(interval.Lower, ci.GetProperty("lower").GetDouble(), 12);
        Assert.Equal(interval.Upper, ci.GetProperty("upper").GetDouble(), 12);

        // States saved without --ci keep no moments: a clear exit 2.
        var plain = _dir.File("plain.json");
        Assert.Equal(0, Hinge.Run("eval", "--task", "binary", "--preds", pa, "--target", ta, "--save-state", plain)
            .ExitCode);
        Assert.Contains("no loss moments", Hinge.Run("merge", plain, "--ci", "0.9").BadInput(), StringComparison.Ordinal);
    }

    // Item 11: report memory and output do not grow with the class count on tiny files.

    [Theory]
    [InlineData(30_000)]
    [InlineData(100_000)]
    public void Report_TinyFileWithManyClasses_MemoryAndOutputStayBounded(int classes)
    {
        var random = new Random(classes);
        const int rows = 3;
        var preds = Enumerable.Range(0, rows * classes).Select(_ => (double)random.NextSingle()).ToArray();
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [rows, classes], preds);
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [rows], [5, classes - 1, 5]);
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var run = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t, "--format", "json");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(run.ExitCode == 0, run.Error);
        // The chunk buffer holds ~139 rows of C float scores (16 MB at C = 30,000); the report itself must not add
        // per-class histograms (C × 1,000s of bins: 0.5 GB before the fix).
        Assert.InRange(allocated, 0, 160L << 20);
        Assert.InRange(run.Out.Length, 1, 200_000);
        var result = HingeSharp.Reports.MarginReportResult.FromJson(run.Out);
        Assert.Equal([5, classes - 1], result.PerClass.Select(c => c.Class!.Value));
    }

    // Item 13: report and eval agree exactly on the same file.

    [Theory]
    [InlineData("binary", "auto", "1000")]
    [InlineData("binary", "logits", "37")]
    [InlineData("multiclass", "auto", "1000")]
    [InlineData("multiclass", "margins", "13")]
    public void ReportAndEval_SameFile_SameValueBitForBit(string task, string kind, string chunk)
    {
        var random = new Random(13);
        var (rows, cols) = (300, task == "binary" ? 1 : 4);
        var preds = Enumerable.Range(0, rows * cols).Select(_ => (random.NextDouble() * 6) - 3).ToArray();
        var target = Enumerable.Range(0, rows).Select(_ => (double)random.Next(task == "binary" ? 2 : cols)).ToArray();
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", task == "binary" ? [rows] : [rows, cols], preds);
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [rows], target);
        foreach (var squared in new[] { false, true })
        {
            string[] evalArgs = ["eval", "--task", task, "--preds", p, "--target", t, "--input-kind", kind,
                "--chunk-rows", chunk, "--format", "json", .. squared ? new[] { "--squared" } : []];
            var eval = Hinge.Run(evalArgs).Json().GetProperty("value").GetDouble();
            var report = HingeSharp.Reports.MarginReportResult.FromJson(Hinge.Run("report", "--task", task, "--preds",
                p, "--target", t, "--input-kind", kind, "--chunk-rows", chunk, "--format", "json").Out);
            Assert.Equal(eval, squared ? report.Overall.SquaredHinge : report.Overall.Hinge);
        }
    }

    [Fact]
    public void ReportText_InsideMarginColumn_IsTheShareBelowOne()
    {
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [4], [-0.5, 0.5, 2, 3]);
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [4], [1, 1, 1, 1]);
        var run = Hinge.Run("report", "--task", "binary", "--preds", p, "--target", t, "--input-kind", "margins");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[1].Split('\t');
        var overall = lines.Single(l => l.StartsWith("overall\t", StringComparison.Ordinal)).Split('\t');
        // margins -0.5 and 0.5 are below 1: 2 of 4, the misclassified one included, as the PNG legend counts it.
        Assert.Equal("0.5", overall[Array.IndexOf(header, "inside margin")]);
        Assert.Equal("0.25", overall[Array.IndexOf(header, "misclassified")]);
    }
}
