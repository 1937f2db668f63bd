using System.Globalization;
using System.Text.Json;
using HingeSharp.Cli.Tests.Infrastructure;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// classification_metrics.json cases (float scores: binary and multiclass, probabilities and logits, thresholds,
/// ignore index, every average, top-k, confusion matrices) written to .npy files and evaluated by
/// <c>hinge eval --metrics …</c> in small chunks, held to torchmetrics' <c>expected</c> at 1e-5 relative.
/// </summary>
public sealed class EvalMetricsGoldenTests
{
    private const string File = "classification_metrics.json";

    public static TheoryData<string> Cases() => Fixtures.Names(File, c =>
        Tensor.Dtype(c.GetProperty("inputs").GetProperty("preds")) == "float32" &&
        c.GetProperty("args").Opt("normalize") is null);

    [Theory, MemberData(nameof(Cases))]
    public void EvalMetrics_Npy_MatchesExpected(string name)
    {
        var c = Fixtures.Case(File, name);
        var api = c.Api()[(c.Api().LastIndexOf('.') + 1)..];
        var binary = api.StartsWith("binary_", StringComparison.Ordinal);
        var metric = api[(api.IndexOf('_') + 1)..];
        var (option, key) = metric switch
        {
            "accuracy" => ("accuracy", "accuracy"),
            "precision" => ("precision", "precision"),
            "recall" => ("recall", "recall"),
            "f1_score" => ("f1", "f1"),
            _ => ("confusion-matrix", "confusionMatrix"),
        };
        var args = c.GetProperty("args");
        var preds = c.GetProperty("inputs").GetProperty("preds");
        var target = c.GetProperty("inputs").GetProperty("target");
        using var dir = new TempDir();
        var predsPath = NpyWriter.Write(dir, "preds.npy", "<f4", Tensor.Shape(preds), Tensor.Doubles(preds));
        var targetPath = NpyWriter.Write(dir, "target.npy", "<i8", Tensor.Shape(target), Tensor.Doubles(target));
        List<string> command =
        [
            "eval", "--task", binary ? "binary" : "multiclass", "--preds", predsPath, "--target", targetPath,
            "--metrics", $"hinge,{option}", "--format", "json", "--chunk-rows", "7",
        ];
        if (args.Opt("ignore_index") is { } ignore)
        {
            command.AddRange(["--ignore-index", ignore.GetInt32().ToString(CultureInfo.InvariantCulture)]);
        }

        if (args.Opt("threshold") is { } threshold)
        {
            command.AddRange(["--threshold", threshold.GetDouble().ToString("R", CultureInfo.InvariantCulture)]);
        }

        if (args.Opt("average") is { } average)
        {
            command.AddRange(["--average", average.GetString()!]);
        }

        if (args.Opt("top_k") is { } topK)
        {
            command.AddRange(["--top-k", topK.GetInt32().ToString(CultureInfo.InvariantCulture)]);
        }

        var json = Hinge.Run([.. command]).Json();

        var metrics = json.GetProperty("metrics");
        var value = metrics.GetProperty(key);
        var actual = value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 &&
            value[0].ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().SelectMany(Hinge.Values).ToArray()
            : Hinge.Values(value);
        Approx.Equal(Tensor.Doubles(c.GetProperty("expected")), actual, 1e-5, name);
        Assert.True(metrics.TryGetProperty("hinge", out _));
    }
}
