using HingeSharp.Demo.Tests.Infrastructure;

namespace HingeSharp.Demo.Tests.Commands;

/// <summary><c>hinge-demo bench</c>: the kernel sweep beside torchmetrics' ops in libtorch (small sizes; the full
/// sweep is timed by hand).</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public void Json_QuickSmallSizes_TorchFieldsMeasuredWithConsistentRatios()
    {
        var json = HingeDemo.Run("bench", "--quick", "--sizes", "100", "1000", "--format", "json").Json();
        var rows = json.EnumerateArray().ToArray();
        Assert.Equal(["binary", "binary", "binary-metrics", "binary-metrics", "crammer-singer", "crammer-singer",
            "one-vs-all", "one-vs-all", "multiclass-metrics", "multiclass-metrics"],
            rows.Select(r => r.GetProperty("workload").GetString()));
        Assert.Equal([100, 1000, 100, 1000, 100, 1000, 100, 1000, 100, 1000],
            rows.Select(r => r.GetProperty("n").GetInt32()));
        string[] fused = ["binary-metrics", "multiclass-metrics"];
        foreach (var row in rows.Where(r => !fused.Contains(r.GetProperty("workload").GetString())))
        {
            var rate = row.GetProperty("elementsPerSecond").GetDouble();
            var baseline = row.GetProperty("baselineElementsPerSecond").GetDouble();
            var torch = row.GetProperty("torchElementsPerSecond").GetDouble();
            Assert.True(rate > 0 && baseline > 0 && torch > 0);
            Approx.Equal(rate / baseline, row.GetProperty("ratioToBaseline").GetDouble(), 1e-9, "ratio");
            Approx.Equal(rate / torch, row.GetProperty("speedupVsTorch").GetDouble(), 1e-9, "speedup");
        }

        // torchmetrics has no one-pass hinge-and-stat-scores op to time beside the fused passes.
        Assert.All(rows.Where(r => fused.Contains(r.GetProperty("workload").GetString())),
            r => Assert.Equal(System.Text.Json.JsonValueKind.Null, r.GetProperty("torchElementsPerSecond").ValueKind));
    }

    [Fact]
    public void Json_TorchOptionAccepted_NoTorchStillSkipsIt()
    {
        var json = HingeDemo.Run("bench", "--quick", "--torch", "--no-torch", "--sizes", "64", "--format", "json")
            .Json();
        foreach (var row in json.EnumerateArray())
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("torchElementsPerSecond").ValueKind);
        }
    }
}
