using System.Text.Json;
using HingeSharp.Cli.Tests.Infrastructure;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// Issue 14 item 8 through the tool: equal weights of any scale give the unit-weight value and a finite interval;
/// shards saved with weights of very different scales merge into the value of the whole file.
/// </summary>
public sealed class WeightScaleCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string Preds, string Target, double[] P, long[] T) Files(int n, int seed)
    {
        var random = new Random(seed);
        var preds = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var target = Enumerable.Range(0, n).Select(_ => (long)random.Next(2)).ToArray();
        return (NpyWriter.Write(_dir, "p.npy", "<f8", [n], preds),
            CsvWriter.Write(_dir, "t.csv", target.Select(x => (double)x).ToArray(), 1), preds, target);
    }

    private static JsonElement Eval(string p, string t, string? w, params string[] extra) =>
        Hinge.Run([
            "eval", "--task", "binary", "--preds", p, "--target", t, "--input-kind", "logits", "--ci", "0.95",
            "--chunk-rows", "13", "--format", "json", .. w is null ? Array.Empty<string>() : ["--sample-weight", w],
            .. extra,
        ]).Json();

    [Theory]
    [InlineData(1e308)]
    [InlineData(double.MaxValue)]
    [InlineData(1e-320)]
    [InlineData(4.9e-324)]
    [InlineData(1e200)]
    [InlineData(1e-200)]
    public void Issue14_Item8_EvalWithEqualWeightsOfAnyScale_PrintsTheUnweightedValueAndInterval(double scale)
    {
        var (p, t, _, _) = Files(150, 1);
        var w = NpyWriter.Write(_dir, "w.npy", "<f8", [150], Enumerable.Repeat(scale, 150).ToArray());
        var plain = Eval(p, t, null);
        var weighted = Eval(p, t, w);
        Approx.Equal(plain.GetProperty("value").GetDouble(), weighted.GetProperty("value").GetDouble(), 1e-15);
        foreach (var bound in new[] { "lower", "upper" })
        {
            var e = weighted.GetProperty("ci").GetProperty(bound);
            Assert.Equal(JsonValueKind.Number, e.ValueKind);
            Approx.Equal(plain.GetProperty("ci").GetProperty(bound).GetDouble(), e.GetDouble(), 1e-13);
        }
    }

    [Fact]
    public void Issue14_Item8_SavedShardsWithMixedScales_MergeIntoTheWholeFilesValue()
    {
        var (_, _, preds, target) = Files(240, 2);
        var random = new Random(3);
        var weights = preds.Select(_ => 0.5 + random.NextDouble()).ToArray();
        int[] shifts = [-900, 0, 600];
        var all = new double[240];
        var states = new List<string>();
        for (var s = 0; s < 3; s++)
        {
            var range = new Range(s * 80, (s + 1) * 80);
            var part = weights[range].Select(x => Math.ScaleB(x, shifts[s])).ToArray();
            part.CopyTo(all, s * 80);
            var p = NpyWriter.Write(_dir, $"p{s}.npy", "<f8", [80], preds[range]);
            var t = NpyWriter.Write(_dir, $"t{s}.npy", "<i8", [80], target[range].Select(x => (double)x).ToArray());
            var w = NpyWriter.Write(_dir, $"w{s}.npy", "<f8", [80], part);
            var state = _dir.File($"s{s}.json");
            Eval(p, t, w, "--save-state", state);
            states.Add(state);
        }

        var merged = Hinge.Run(["merge", .. states, "--ci", "0.95", "--format", "json"]).Json();
        var wholeP = NpyWriter.Write(_dir, "p.npy", "<f8", [240], preds);
        var wholeT = NpyWriter.Write(_dir, "t.npy", "<i8", [240], target.Select(x => (double)x).ToArray());
        var whole = Eval(wholeP, wholeT, NpyWriter.Write(_dir, "w.npy", "<f8", [240], all));
        Approx.Equal(whole.GetProperty("value").GetDouble(), merged.GetProperty("value").GetDouble(), 1e-14);
        Approx.Equal(whole.GetProperty("ci").GetProperty("upper").GetDouble(),
            merged.GetProperty("ci").GetProperty("upper").GetDouble(), 1e-13);

        // The shard at 2^600 dominates: the merged value is (to rounding) that shard's own value.
        var last = Eval(_dir.File("p2.npy"), _dir.File("t2.npy"), _dir.File("w2.npy"));
        Approx.Equal(last.GetProperty("value").GetDouble(), merged.GetProperty("value").GetDouble(), 1e-12);
    }
}
