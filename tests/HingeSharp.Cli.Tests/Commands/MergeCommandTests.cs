using HingeSharp.Classification;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Metrics;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// <c>hinge merge</c> in-process: states saved by <c>hinge eval --save-state</c> on the parts of a file merge to the
/// whole file's result (the same chunks in the same order: bit-identical); bad or mismatched states exit 2 naming the
/// file.
/// </summary>
public sealed class MergeCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static float[] Floats(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (random.NextSingle() * 4) - 2).ToArray();
    }

    private static long[] Labels(int n, int classes, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (long)random.Next(classes)).ToArray();
    }

    private string Npy(string name, int[] shape, IEnumerable<float> values, string descr = "<f4") =>
        NpyWriter.Write(_dir, name, descr, shape, values.Select(x => (double)x).ToArray());

    private string Npy(string name, IEnumerable<long> values) =>
        NpyWriter.Write(_dir, name, "<i8", [values.Count()], values.Select(x => (double)x).ToArray());

    [Theory]
    [InlineData("crammer-singer")]
    [InlineData("one-vs-all")]
    public void Merge_ThreeParts_EqualsEvalOfWholeInSameChunks(string mode)
    {
        const int c = 4;
        const int part = 40;
        var preds = Floats(3 * part * c, 1);
        var target = Labels(3 * part, c, 2);
        var states = new List<string>();
        for (var k = 0; k < 3; k++)
        {
            var p = Npy($"p{k}.npy", [part, c], preds.Skip(k * part * c).Take(part * c));
            var t = Npy($"t{k}.npy", target.Skip(k * part).Take(part));
            var state = _dir.File($"s{k}.json");
            Assert.Equal(0, Hinge.Run("eval", "--task", "multiclass", "--preds", p, "--target", t, "--input-kind",
                "logits", "--multiclass-mode", mode, "--save-state", state).ExitCode);
            states.Add(state);
        }

        var whole = Hinge.Run("eval", "--task", "multiclass", "--preds", Npy("p.npy", [3 * part, c], preds),
            "--target", Npy("t.npy", target), "--input-kind", "logits", "--multiclass-mode", mode, "--chunk-rows",
            part.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "json").Json();
        var merged = Hinge.Run(["merge", .. states, "--format", "json"]).Json();

        Assert.Equal("multiclass", merged.GetProperty("task").GetString());
        Assert.Equal(Hinge.Values(whole.GetProperty("value")), Hinge.Values(merged.GetProperty("value")));
        Assert.Equal(whole.GetProperty("count").GetInt64(), merged.GetProperty("count").GetInt64());
    }

    [Fact]
    public void Merge_EqualsCoreMergeOfLoadedStates()
    {
        var a = new BinaryHingeLoss(inputKind: HingeInputKind.Margins);
        a.Update<float, long>(Floats(30, 3), Labels(30, 2, 4));
        var b = new BinaryHingeLoss(inputKind: HingeInputKind.Margins);
        b.Update<float, long>(Floats(20, 5), Labels(20, 2, 6));
        var sa = _dir.File("a.json");
        var sb = _dir.File("b.json");
        a.SaveState(sa);
        b.SaveState(sb);
        a.Merge(b);

        var run = Hinge.Run("merge", sa, sb);
        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("task: binary", lines);
        Assert.Contains("input kind: margins", lines);
        Assert.Contains($"value: {a.Compute().ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", lines);
        Assert.Contains($"count: {a.State.Total}", lines);
    }

    [Fact]
    public void Merge_MismatchedSettings_Exits2NamingFile()
    {
        var plain = new BinaryHingeLoss(inputKind: HingeInputKind.Logits);
        var squared = new BinaryHingeLoss(squared: true, inputKind: HingeInputKind.Logits);
        var s1 = _dir.File("plain.json");
        var s2 = _dir.File("squared.json");
        plain.SaveState(s1);
        squared.SaveState(s2);
        var line = Hinge.Run("merge", s1, s2).BadInput();
        Assert.Contains($"{s2}: cannot be merged with {s1}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_DifferentTasks_Exits2NamingFile()
    {
        var s1 = _dir.File("binary.json");
        var s2 = _dir.File("multiclass.json");
        new BinaryHingeLoss().SaveState(s1);
        new MulticlassHingeLoss(3).SaveState(s2);
        var line = Hinge.Run("merge", s1, s2).BadInput();
        Assert.Contains($"{s2}: cannot be merged with {s1}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_NotAState_Exits2NamingFile()
    {
        var good = _dir.File("good.json");
        new BinaryHingeLoss().SaveState(good);
        var bad = _dir.Write("bad.json", "{\"format\": \"something-else\"}");
        var line = Hinge.Run("merge", good, bad).BadInput();
        Assert.Contains(bad, line, StringComparison.Ordinal);
        Assert.Contains("format", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MissingFile_Exits2NamingFile()
    {
        var missing = _dir.File("missing.json");
        var line = Hinge.Run("merge", missing).BadInput();
        Assert.Contains($"{missing}: no such file", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MultilabelState_Exits2()
    {
        var state = _dir.File("ml.json");
        MetricState.Save(new MultilabelHingeLoss(3), state);
        var line = Hinge.Run("merge", state).BadInput();
        Assert.Contains("MultilabelHingeLoss", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_NoFiles_Exits2()
    {
        var line = Hinge.Run("merge").BadInput();
        Assert.Contains("hinge merge --help", line, StringComparison.Ordinal);
    }
}
