using System.Text.Json;
using HingeSharp.Cli.Bench;
using HingeSharp.Torch.Tutorial;

namespace HingeSharp.Demo.Tests.Commands;

/// <summary><c>hinge bench --recipes --format json</c>'s contract (the timings themselves are measured by hand).
/// </summary>
public sealed class RecipeBenchTests
{
    [Fact]
    public void Json_WithAndWithoutPyTorch_OneObjectPerWorkloadWithNullsWherePyTorchIsAbsent()
    {
        RecipeBenchmarkRecord[] records =
        [
            new("method1", 0.25, 0.5, 0.5),
            new("method2", 1.5, null, null),
        ];

        using var json = JsonDocument.Parse(RecipeBench.Json(records));

        JsonElement[] rows = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(["method1", "method2"], rows.Select(r => r.GetProperty("workload").GetString()));
        foreach (JsonElement row in rows)
        {
            Assert.Equal(["workload", "seconds", "pytorchSeconds", "ratioToPyTorch"],
                row.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.Number, row.GetProperty("seconds").ValueKind);
        }

        Assert.Equal(0.25, rows[0].GetProperty("seconds").GetDouble());
        Assert.Equal(rows[0].GetProperty("seconds").GetDouble() / rows[0].GetProperty("pytorchSeconds").GetDouble(),
            rows[0].GetProperty("ratioToPyTorch").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("pytorchSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("ratioToPyTorch").ValueKind);
    }

    [Fact]
    public void Workloads_AreTheTwoRecipesInOrder()
        => Assert.Equal(["method1", "method2"], RecipeBenchmark.Workloads);
}
