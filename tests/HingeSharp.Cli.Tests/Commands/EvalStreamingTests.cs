using System.Globalization;
using HingeSharp.Classification;
using HingeSharp.Cli.Eval;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Functional;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// <c>hinge eval</c> against the core functional on the same data (seeded random files), and chunking invariance:
/// any chunk size gives the one-chunk result, including the probabilities-vs-logits decision of Auto, which is made
/// once over the whole file as torchmetrics makes it for one update.
/// </summary>
public sealed class EvalStreamingTests : IDisposable
{
    private static readonly string[] ChunkSizes = ["1", "7", "64", "1000000"];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static double[] Eval(params string[] args) => Hinge.Values(Hinge.Run(["eval", .. args, "--format", "json"]).Json()
        .GetProperty("value"));

    /// <summary>Probabilities everywhere except one value in a late row: the whole file is logits.</summary>
    private static (float[] Preds, long[] Target) MixedBinary(int n, int outlierRow, int? ignoreIndex = null)
    {
        var random = new Random(42);
        var preds = new float[n];
        var target = new long[n];
        for (var i = 0; i < n; i++)
        {
            preds[i] = random.NextSingle();
            target[i] = random.Next(2);
        }

        preds[outlierRow] = 1.25f;
        if (ignoreIndex is { } k)
        {
            target[outlierRow] = k;
        }

        return (preds, target);
    }

    [Fact]
    public void Binary_AutoAcrossChunks_EqualsFunctionalOnWholeFile()
    {
        var (preds, target) = MixedBinary(300, outlierRow: 257);
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [preds.Length], preds.Select(x => (double)x).ToArray());
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [target.Length], target.Select(x => (double)x).ToArray());
        var whole = HingeFunctional.BinaryHingeLoss<float, long>(preds, target);

        // Chunked Auto decided per chunk would sigmoid only the outlier's chunk: a different number.
        var perChunk = new BinaryHingeLoss();
        for (var start = 0; start < preds.Length; start += 64)
        {
            var len = Math.Min(64, preds.Length - start);
            perChunk.Update<float, long>(preds.AsSpan(start, len), target.AsSpan(start, len));
        }

        Assert.NotEqual(whole, perChunk.Compute(), 6);
        foreach (var chunk in ChunkSizes)
        {
            var value = Eval("--task", "binary", "--preds", p, "--target", t, "--chunk-rows", chunk);
            Approx.Equal(whole, value[0], Approx.Float32Chunking, $"chunk {chunk}");
        }
    }

    [Fact]
    public void Binary_OutlierOnlyInIgnoredRow_StaysProbabilities()
    {
        var (preds, target) = MixedBinary(200, outlierRow: 150, ignoreIndex: -1);
        var p = CsvWriter.Write(_dir, "p.csv", preds.Select(x => (double)x).ToArray(), 1, header: "score");
        var t = CsvWriter.Write(_dir, "t.csv", target.Select(x => (double)x).ToArray(), 1, header: "label");
        var whole = HingeFunctional.BinaryHingeLoss<double, long>(preds.Select(x => (double)x).ToArray(), target,
            ignoreIndex: -1, inputKind: HingeInputKind.Probabilities);
        foreach (var chunk in ChunkSizes)
        {
            var value = Eval("--task", "binary", "--preds", p, "--target", t, "--ignore-index", "-1", "--chunk-rows",
                chunk);
            Approx.Equal(whole, value[0], Approx.Float64Relative, $"chunk {chunk}");
        }
    }

    [Theory]
    [InlineData("crammer-singer", false, 0.0)]
    [InlineData("crammer-singer", true, 0.0)]
    [InlineData("one-vs-all", false, 0.0)]
    [InlineData("one-vs-all", true, 0.0)]
    [InlineData("crammer-singer", false, 1.5)]
    [InlineData("one-vs-all", true, 1.5)]
    public void Multiclass_AnyChunkSize_EqualsFunctional(string mode, bool squared, double outlier)
    {
        const int n = 157, c = 4;
        var random = new Random(7);
        var preds = new double[n * c];
        var target = new long[n];
        for (var i = 0; i < n; i++)
        {
            target[i] = i % 11 == 0 ? -100 : random.Next(c);
            for (var j = 0; j < c; j++)
            {
                preds[(i * c) + j] = random.NextDouble();
            }
        }

        if (outlier != 0)
        {
            preds[(140 * c) + 2] = outlier; // a late kept row: softmax for the whole file
        }

        var multiclassMode = HingeNames.ParseMulticlassMode(mode);
        var whole = HingeFunctional.MulticlassHingeLoss<double, long>(preds, target, c, squared, multiclassMode,
            ignoreIndex: -100).Values;
        var p = NpyWriter.Write(_dir, "p.npy", "<f8", [n, c], preds, version: 2);
        var t = NpyWriter.Write(_dir, "t.npy", "<i2", [n], target.Select(x => (double)x).ToArray(), version: 3);
        foreach (var chunk in ChunkSizes)
        {
            List<string> args = ["--task", "multiclass", "--preds", p, "--target", t, "--multiclass-mode", mode,
                "--ignore-index", "-100", "--chunk-rows", chunk];
            if (squared)
            {
                args.Add("--squared");
            }

            Approx.Equal(whole, Eval([.. args]), Approx.Float64Relative, $"chunk {chunk}");
        }
    }

    [Theory]
    [InlineData("<f4", "|i1")]
    [InlineData(">f4", ">i4")]
    [InlineData("<f8", "<u2")]
    [InlineData(">f8", "|b1")]
    [InlineData("<f4", "<u4")]
    public void Binary_NpyDtypesAndByteOrders_EqualFunctional(string predsDescr, string targetDescr)
    {
        var random = new Random(3);
        var preds = Enumerable.Range(0, 97).Select(_ => (random.NextDouble() * 6) - 3).ToArray();
        var target = Enumerable.Range(0, 97).Select(_ => (double)random.Next(2)).ToArray();
        var labels = target.Select(x => (long)x).ToArray();
        var whole = predsDescr.EndsWith("f4", StringComparison.Ordinal)
            ? HingeFunctional.BinaryHingeLoss<float, long>(preds.Select(x => (float)x).ToArray(), labels, squared: true)
            : HingeFunctional.BinaryHingeLoss<double, long>(preds, labels, squared: true);
        var p = NpyWriter.Write(_dir, "p.npy", predsDescr, [97], preds);
        var t = NpyWriter.Write(_dir, "t.npy", targetDescr, [97], target);
        var value = Eval("--task", "binary", "--preds", p, "--target", t, "--squared", "--chunk-rows", "10");
        var tolerance = predsDescr.EndsWith("f4", StringComparison.Ordinal)
            ? Approx.Float32Chunking
            : Approx.Float64Relative;
        Approx.Equal(whole, value[0], tolerance, $"{predsDescr}/{targetDescr}");
    }

    [Theory]
    [InlineData("margins")]
    [InlineData("logits")]
    public void Binary_ExplicitInputKind_EqualsFunctional(string kind)
    {
        var random = new Random(5);
        var preds = Enumerable.Range(0, 50).Select(_ => random.NextDouble()).ToArray();
        var target = Enumerable.Range(0, 50).Select(_ => (long)random.Next(2)).ToArray();
        var whole = HingeFunctional.BinaryHingeLoss<double, long>(preds, target,
            inputKind: HingeNames.ParseInputKind(kind));
        var p = CsvWriter.Write(_dir, "p.csv", preds, 1);
        var t = CsvWriter.Write(_dir, "t.csv", target.Select(x => (double)x).ToArray(), 1);
        var value = Eval("--task", "binary", "--preds", p, "--target", t, "--input-kind", kind, "--chunk-rows", "8");
        Approx.Equal(whole, value[0], Approx.Float64Relative, kind);
    }

    [Fact]
    public void Csv_HeaderOptions_ReadTheSameData()
    {
        // A numeric header row (as pandas writes for unnamed columns) is data under auto; --csv-header present skips it.
        var p = _dir.Write("p.csv", "0\n0.25\n0.75\n");
        var t = _dir.Write("t.csv", "1\n0\n1\n");
        var asData = Eval("--task", "binary", "--preds", p, "--target", t)[0];
        var skipped = Eval("--task", "binary", "--preds", p, "--target", t, "--csv-header", "present")[0];
        Assert.Equal(HingeFunctional.BinaryHingeLoss<double, long>([0, 0.25, 0.75], [1, 0, 1]), asData, 12);
        Assert.Equal(HingeFunctional.BinaryHingeLoss<double, long>([0.25, 0.75], [0, 1]), skipped, 12);
    }

    [Fact]
    public void Eval_LargeNpy_AllocatesPerChunkNotPerFile()
    {
        const int n = 4_000_000; // 16 MB of float32 predictions, 4 MB of int8 targets, two passes (Auto)
        var random = new Random(11);
        var preds = new byte[n * 4];
        for (var i = 0; i < n; i++)
        {
            BitConverter.TryWriteBytes(preds.AsSpan(i * 4), random.NextSingle());
        }

        var header = NpyWriter.Bytes("<f4", [n], []);
        var p = _dir.Write("big_p.npy", [.. header, .. preds]);
        var t = _dir.Write("big_t.npy", [.. NpyWriter.Bytes("|i1", [n], []), .. new byte[n]]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = EvalRunner.Run(p, t, new EvalSettings(HingeTask.Binary));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(n, result.Count);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes for a {preds.Length}-byte file");
    }

    [Fact]
    public void Json_CountIsKeptRows()
    {
        var p = _dir.Write("p.csv", "0.1\n0.2\n0.3\n0.4\n");
        var t = _dir.Write("t.csv", "1\n-1\n0\n-1\n");
        var json = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--ignore-index", "-1",
            "--format", "json").Json();
        Assert.Equal("binary", json.GetProperty("task").GetString());
        Assert.Equal(2, json.GetProperty("count").GetInt64());
        Assert.Equal(3, json.EnumerateObject().Count());
    }

    [Fact]
    public void Text_RedirectedOutput_IsPlainLines()
    {
        var p = _dir.Write("p.csv", "0.5\n0.7\n0.1\n");
        var t = _dir.Write("t.csv", "0\n1\n1\n");
        var run = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t);
        Assert.Equal(0, run.ExitCode);
        var expected = HingeFunctional.BinaryHingeLoss<double, long>([0.5, 0.7, 0.1], [0, 1, 1]);
        Assert.Contains($"value: {expected.ToString("R", CultureInfo.InvariantCulture)}\n",
            run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", run.Out, StringComparison.Ordinal);
    }
}
