using System.Numerics;
using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>
/// streaming.json: sequences of forward/update/compute/reset on torchmetrics modules, replayed on HingeSharp's
/// metrics. Every forward and compute value is compared.
/// </summary>
public sealed class StreamingGoldenTests
{
    public static TheoryData<string> Cases => Fixtures.Names("streaming.json");

    public static TheoryData<string> WithConcatenation =>
        Fixtures.Names("streaming.json", c => c.Opt("single_call_on_concatenation") is not null);

    [Theory, MemberData(nameof(Cases))]
    public void Metric_ReplayedOps_MatchModule(string name)
    {
        var c = Fixtures.Case("streaming.json", name);
        var metric = Create(c);
        var step = 0;
        foreach (var op in c.GetProperty("ops").EnumerateArray())
        {
            var kind = op.GetProperty("op").GetString();
            var what = $"{name} op {step++} ({kind})";
            switch (kind)
            {
                case "forward":
                    Approx.Equal(Tensor.Doubles(op.GetProperty("expected")), Feed(metric, op, forward: true).Values,
                        Tolerance(op), what);
                    break;
                case "update":
                    Feed(metric, op, forward: false);
                    break;
                case "compute":
                    // Module state is float32 in torchmetrics; float32 tolerance covers its rounding.
                    Approx.Equal(Tensor.Doubles(op.GetProperty("expected")), metric.ComputeValue().Values,
                        Approx.Float32Relative, what);
                    break;
                case "reset":
                    metric.Reset();
                    break;
                default:
                    throw new InvalidOperationException($"unknown op {kind}");
            }
        }
    }

    /// <summary>The documented single call over all batches: equals the stream except where the Auto decision is
    /// made per update (mixed batches), which the fixture notes say.</summary>
    [Theory, MemberData(nameof(WithConcatenation))]
    public void Functional_OnConcatenation_MatchesSingleCall(string name)
    {
        var c = Fixtures.Case("streaming.json", name);
        var metric = Create(c);
        var preds = new List<double>();
        var target = new List<long>();
        int[]? rowShape = null;
        var rows = 0;
        foreach (var op in c.GetProperty("ops").EnumerateArray())
        {
            if (op.GetProperty("op").GetString() is "forward" or "update")
            {
                preds.AddRange(Tensor.Doubles(op.GetProperty("preds")));
                target.AddRange(Tensor.Longs(op.GetProperty("target")));
                var shape = Tensor.Shape(op.GetProperty("preds"));
                rowShape = shape.Length > 1 ? shape[1..] : [];
                rows += shape.Length > 0 ? shape[0] : 1;
            }

            if (op.GetProperty("op").GetString() == "reset")
            {
                preds.Clear();
                target.Clear();
                rows = 0;
            }
        }

        int[] predsShape = [rows, .. rowShape!];
        var targetShape = metric is MulticlassHingeLoss
            ? (int[])[rows, .. rowShape![1..]]
            : predsShape;
        metric.Update<float, long>(preds.Select(x => (float)x).ToArray(), predsShape, target.ToArray(), targetShape);
        Approx.Equal(Tensor.Doubles(c.GetProperty("single_call_on_concatenation")), metric.ComputeValue().Values,
            Approx.Float32Relative, name);
    }

    private static double Tolerance(JsonElement op) =>
        Tensor.IsFloat32(op.GetProperty("preds")) ? Approx.Float32Relative : 1e-6;

    internal static IHingeMetric Create(JsonElement c)
    {
        var args = c.GetProperty("ctor_args");
        var squared = args.Opt("squared")?.GetBoolean() ?? false;
        int? ignore = args.Opt("ignore_index") is { } ii ? ii.GetInt32() : null;
        int? classes = args.Opt("num_classes") is { } nc ? nc.GetInt32() : null;
        var mode = args.Opt("multiclass_mode")?.GetString() ?? "crammer-singer";
        return c.Api() switch
        {
            "torchmetrics.HingeLoss" => HingeLoss.Create(args.GetProperty("task").GetString()!, classes, squared, mode, ignore),
            "torchmetrics.classification.BinaryHingeLoss" => new BinaryHingeLoss(squared, ignore),
            _ => new MulticlassHingeLoss(classes!.Value, squared, HingeNames.ParseMulticlassMode(mode), ignore),
        };
    }

    private static HingeLossValue Feed(IHingeMetric metric, JsonElement op, bool forward)
    {
        var p = op.GetProperty("preds");
        var t = op.GetProperty("target");
        var shape = Tensor.Shape(p);
        var targetShape = Tensor.Shape(t);
        if (Tensor.IsFloat32(p))
        {
            return Call<float>(metric, Tensor.Floats(p), shape, Tensor.Longs(t), targetShape, forward);
        }

        return Call<double>(metric, Tensor.Doubles(p), shape, Tensor.Longs(t), targetShape, forward);
    }

    private static HingeLossValue Call<T>(IHingeMetric metric, T[] preds, int[] shape, long[] target, int[] targetShape,
        bool forward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (forward)
        {
            return metric.Forward<T, long>(preds, shape, target, targetShape);
        }

        metric.Update<T, long>(preds, shape, target, targetShape);
        return default;
    }
}
