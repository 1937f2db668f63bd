using HingeSharp.Classification;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Metrics;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// <c>hinge eval --ci</c> against the core's <c>ComputeInterval</c> on the same data, and <c>--save-state</c>: the
/// written state loads to the evaluated metric, and nothing is written when the run fails.
/// </summary>
public sealed class EvalStateIntervalTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string P, string T, float[] Preds, long[] Target) BinaryFiles(int n, int seed)
    {
        var random = new Random(seed);
        var preds = Enumerable.Range(0, n).Select(_ => (random.NextSingle() * 6) - 3).ToArray();
        var target = Enumerable.Range(0, n).Select(_ => (long)random.Next(2)).ToArray();
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [n], preds.Select(x => (double)x).ToArray());
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [n], target.Select(x => (double)x).ToArray());
        return (p, t, preds, target);
    }

    private (string P, string T, float[] Preds, long[] Target) MulticlassFiles(int n, int classes, int seed)
    {
        var random = new Random(seed);
        var preds = Enumerable.Range(0, n * classes).Select(_ => (random.NextSingle() * 4) - 2).ToArray();
        var target = Enumerable.Range(0, n).Select(_ => (long)random.Next(classes)).ToArray();
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [n, classes], preds.Select(x => (double)x).ToArray());
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [n], target.Select(x => (double)x).ToArray());
        return (p, t, preds, target);
    }

    [Theory]
    [InlineData("0.95")]
    [InlineData("0.5")]
    public void Ci_Binary_EqualsComputeInterval(string level)
    {
        var (p, t, preds, target) = BinaryFiles(300, 3);
        var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Logits) { TrackVariance = true };
        metric.Update<float, long>(preds, target);
        var expected = metric.ComputeInterval(double.Parse(level, System.Globalization.CultureInfo.InvariantCulture));

        var json = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--ci", level,
            "--format", "json").Json();
        var ci = json.GetProperty("ci");
        Assert.Equal(expected.Level, ci.GetProperty("level").GetDouble());
        Assert.Equal(expected.Lower, ci.GetProperty("lower").GetDouble());
        Assert.Equal(expected.Upper, ci.GetProperty("upper").GetDouble());
        Assert.Equal(expected.Mean, json.GetProperty("value").GetDouble());
    }

    [Fact]
    public void Ci_CrammerSingerChunked_EqualsComputeInterval()
    {
        var (p, t, preds, target) = MulticlassFiles(250, 4, 5);
        var metric = new MulticlassHingeLoss(4, inputKind: HingeInputKind.Logits) { TrackVariance = true };
        metric.Update<float, long>(preds, target);
        var expected = metric.ComputeInterval(0.9);

        var json = Hinge.Run("eval", "--task", "multiclass", "--preds", p, "--target", t, "--ci", "0.9",
            "--input-kind", "logits", "--chunk-rows", "16", "--format", "json").Json();
        var ci = json.GetProperty("ci");
        Approx.Equal(expected.Lower, ci.GetProperty("lower").GetDouble(), Approx.Float64Relative, "lower");
        Approx.Equal(expected.Upper, ci.GetProperty("upper").GetDouble(), Approx.Float64Relative, "upper");
    }

    [Fact]
    public void Ci_TextMode_PrintsALine()
    {
        var (p, t, preds, target) = BinaryFiles(50, 11);
        var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Logits) { TrackVariance = true };
        metric.Update<float, long>(preds, target);
        var expected = metric.ComputeInterval(0.95);
        var run = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--ci", "0.95");
        Assert.Equal(0, run.ExitCode);
        var line = run.Out.Split('\n').Single(l => l.StartsWith("ci 0.95: ", StringComparison.Ordinal));
        var bounds = line["ci 0.95: [".Length..^1].Split(", ");
        Assert.Equal(expected.Lower, double.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.Upper, double.Parse(bounds[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Ci_OneVsAll_Exits2()
    {
        var (p, t, _, _) = MulticlassFiles(10, 3, 1);
        var line = Hinge.Run("eval", "--task", "multiclass", "--preds", p, "--target", t, "--ci", "0.95",
            "--multiclass-mode", "one-vs-all").BadInput();
        Assert.Contains("--ci is available for binary and crammer-singer only", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("1.5")]
    public void Ci_LevelOutOfRange_Exits2(string level)
    {
        var (p, t, _, _) = BinaryFiles(10, 1);
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--ci", level).BadInput();
        Assert.Contains("--ci must be a level between 0 and 1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveState_LoadsToTheEvaluatedMetric()
    {
        var (p, t, preds, target) = MulticlassFiles(120, 3, 9);
        var state = _dir.File("state.json");
        var json = Hinge.Run("eval", "--task", "multiclass", "--preds", p, "--target", t, "--squared",
            "--save-state", state, "--format", "json").Json();

        var loaded = Assert.IsType<MulticlassHingeLoss>(MetricState.Load(state));
        Assert.Equal(json.GetProperty("value").GetDouble(), loaded.Compute().Value);
        Assert.Equal(json.GetProperty("count").GetInt64(), loaded.Total);
        Assert.True(loaded.Squared);
        // The file resolved Auto to logits, but the state records the setting, so that shards resolved
        // differently merge (issue 14, item 5).
        Assert.Equal(HingeInputKind.Auto, loaded.InputKind);

        var reference = new MulticlassHingeLoss(3, squared: true, inputKind: HingeInputKind.Logits);
        reference.Update<float, long>(preds, target);
        Approx.Equal(reference.Compute().Value, loaded.Compute().Value, Approx.Float32Relative);
    }

    [Fact]
    public void SaveState_OnFailure_WritesNothing()
    {
        var p = CsvWriter.Write(_dir, "p.csv", [0.1, 0.7, 0.4], 1);
        var t = CsvWriter.Write(_dir, "t.csv", [0, 1, 5], 1);
        var state = _dir.File("state.json");
        Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--save-state", state).BadInput();
        Assert.False(File.Exists(state));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(_dir.Path, ".state*")));
    }
}
