using HingeSharp.Cli.Forwarding;
using HingeSharp.Cli.Tests.Infrastructure;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary><c>hinge bench</c>'s JSON contract and consistency on small sizes (the full sweep is timed by hand). The
/// slim tool has no TorchSharp: its torch fields are null (<c>hinge-demo bench</c> fills them).</summary>
public sealed class BenchCommandTests
{
    private static readonly string[] Keys =
    [
        "workload", "n", "elementsPerSecond", "baselineElementsPerSecond", "ratioToBaseline",
        "torchElementsPerSecond", "speedupVsTorch",
    ];

    [Fact]
    public void Json_QuickSmallSizes_OneRowPerWorkloadAndSizeWithConsistentRatiosAndNoTorch()
    {
        var json = Hinge.Run("bench", "--quick", "--sizes", "100", "1000", "--format", "json").Json();
        var rows = json.EnumerateArray().ToArray();
        Assert.Equal(["binary", "binary", "binary-metrics", "binary-metrics", "crammer-singer", "crammer-singer",
            "one-vs-all", "one-vs-all", "multiclass-metrics", "multiclass-metrics"],
            rows.Select(r => r.GetProperty("workload").GetString()));
        Assert.Equal([100, 1000, 100, 1000, 100, 1000, 100, 1000, 100, 1000],
            rows.Select(r => r.GetProperty("n").GetInt32()));
        foreach (var row in rows)
        {
            Assert.Equal(Keys, row.EnumerateObject().Select(p => p.Name));
            var rate = row.GetProperty("elementsPerSecond").GetDouble();
            var baseline = row.GetProperty("baselineElementsPerSecond").GetDouble();
            Assert.True(rate > 0 && baseline > 0);
            Approx.Equal(rate / baseline, row.GetProperty("ratioToBaseline").GetDouble(), 1e-9, "ratio");
            Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("torchElementsPerSecond").ValueKind);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("speedupVsTorch").ValueKind);
        }
    }

    [Fact]
    public void Json_MulticlassMetrics_SameRowShapeAsCrammerSingerOverTheSameBytes()
    {
        // The fused row reads the crammer-singer data (rows of 10 float32 scores and an int32 label), so both rows
        // have the same baseline read; their rates' ratio is the cost of the confusion counts.
        var json = Hinge.Run("bench", "--quick", "--no-torch", "--sizes", "2000", "--format", "json").Json();
        var rows = json.EnumerateArray().ToDictionary(r => r.GetProperty("workload").GetString()!);
        var fused = rows["multiclass-metrics"];
        var hinge = rows["crammer-singer"];
        Assert.Equal(Keys, fused.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2000, fused.GetProperty("n").GetInt32());
        Assert.True(fused.GetProperty("elementsPerSecond").GetDouble() > 0);
        Assert.True(hinge.GetProperty("elementsPerSecond").GetDouble() > 0);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fused.GetProperty("torchElementsPerSecond").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fused.GetProperty("speedupVsTorch").ValueKind);
    }

    [Fact]
    public void Json_NoTorch_TorchFieldsAreNull()
    {
        var json = Hinge.Run("bench", "--quick", "--no-torch", "--sizes", "64", "--format", "json").Json();
        foreach (var row in json.EnumerateArray())
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("torchElementsPerSecond").ValueKind);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("speedupVsTorch").ValueKind);
        }
    }

    [Fact]
    public void Text_Redirected_PrintsAPlainTable()
    {
        var run = Hinge.Run("bench", "--quick", "--no-torch", "--sizes", "64");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The header, binary, binary-metrics, crammer-singer, one-vs-all, multiclass-metrics and the width line.
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("workload", lines[0].TrimStart(), StringComparison.Ordinal);
        Assert.Equal("kernels: " + NativeBuilds.Describe(), lines[^1]);
        Assert.DoesNotContain("\u001b", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--threads", "-1")]
    [InlineData("--sizes", "0")]
    public void InvalidOption_Exit2(string option, string value) =>
        Hinge.Run("bench", "--quick", option, value).BadInput();

    [Fact]
    public void Json_IoRows_GiveBytesSecondsAndRateAndLeaveNoFiles()
    {
        var before = Directory.GetDirectories(Path.GetTempPath(), "hinge-bench-*");
        var json = Hinge.Run("bench", "--quick", "--no-torch", "--sizes", "64", "--io-rows", "20000", "--format",
            "json").Json();
        var io = json.EnumerateArray().Where(r => r.GetProperty("workload").GetString()!.StartsWith("eval-",
            StringComparison.Ordinal)).ToArray();
        Assert.Equal(["eval-npy", "eval-csv"], io.Select(r => r.GetProperty("workload").GetString()));
        Assert.Equal([20000L, 2000L], io.Select(r => r.GetProperty("rows").GetInt64()));
        Assert.Equal(128 + 128 + (20000 * 8), io[0].GetProperty("bytes").GetInt64());
        foreach (var row in io)
        {
            Assert.Equal(["workload", "rows", "bytes", "seconds", "bytesPerSecond", "peakRssBytes"],
                row.EnumerateObject().Select(p => p.Name));

            // In a test host the tool cannot start itself: no figure rather than a wrong one.
            Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("peakRssBytes").ValueKind);
            var seconds = row.GetProperty("seconds").GetDouble();
            Assert.True(seconds > 0 && double.IsFinite(seconds));
            Approx.Equal(row.GetProperty("bytes").GetInt64() / seconds, row.GetProperty("bytesPerSecond").GetDouble(),
                1e-9, "rate");
        }

        Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), "hinge-bench-*"));
    }
}
