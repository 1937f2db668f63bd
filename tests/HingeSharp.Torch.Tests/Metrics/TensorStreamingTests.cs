namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>
/// streaming.json: forward/update/compute/reset sequences of torchmetrics modules, replayed with tensors on every
/// available device through every <see cref="MetricPath"/>; every forward and compute value is compared.
/// </summary>
public sealed class TensorStreamingTests
{
    public static TheoryData<string, string> Cases => MetricFixtures.OnDevices("streaming.json");

    [Theory, MemberData(nameof(Cases))]
    public void Core_ReplayedOps_MatchModule(string device, string name) => Replay(device, name, MetricPath.Core);

    [Theory, MemberData(nameof(Cases))]
    public void CoreTorchOps_ReplayedOps_MatchModule(string device, string name) =>
        Replay(device, name, MetricPath.CoreTorchOps);

    [Theory, MemberData(nameof(Cases))]
    public void TensorMetric_ReplayedOps_MatchModule(string device, string name) =>
        Replay(device, name, MetricPath.Tensor);

    [Theory, MemberData(nameof(Cases))]
    public void TensorMetricTorchOps_ReplayedOps_MatchModule(string device, string name) =>
        Replay(device, name, MetricPath.TensorTorchOps);

    [Theory, MemberData(nameof(Cases))]
    public void TensorMetricEager_ReplayedOps_MatchModule(string device, string name) =>
        Replay(device, name, MetricPath.TensorEager);

    private static void Replay(string device, string name, MetricPath path)
    {
        var c = MetricFixtures.Case("streaming.json", name);
        using var metric = PathMetric.ForCase(path, c);
        var step = 0;
        foreach (var op in c.GetProperty("ops").EnumerateArray())
        {
            var kind = op.GetProperty("op").GetString();
            var what = $"{name} [{device}, {path}] op {step++} ({kind})";
            switch (kind)
            {
                case "forward":
                case "update":
                    var p = op.GetProperty("preds");
                    using (var preds = MetricFixtures.ToTensor(p, device))
                    using (var target = MetricFixtures.ToTensor(op.GetProperty("target"), device))
                    {
                        if (kind == "update")
                        {
                            metric.Update(preds, target);
                            break;
                        }

                        // float64 batches: the module's forward value went through float32 state.
                        var tolerance = MetricFixtures.IsFloat32(p) ? Approx.Float32Relative : 1e-6;
                        Approx.Equal(MetricFixtures.Doubles(op.GetProperty("expected")), metric.Forward(preds, target),
                            tolerance, what);
                    }

                    break;
                case "compute":
                    // Module state is float32 in torchmetrics; float32 tolerance covers its rounding.
                    Approx.Equal(MetricFixtures.Doubles(op.GetProperty("expected")), metric.Compute(),
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
}
