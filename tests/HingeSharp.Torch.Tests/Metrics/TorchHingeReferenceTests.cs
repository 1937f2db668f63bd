using HingeSharp.Torch.Metrics;

namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>
/// <see cref="TorchHingeReference"/> (torchmetrics' functional transcribed into TorchSharp ops) against the functional
/// results of binary_hinge.json and multiclass_hinge.json: <c>expected</c> for the inputs as stored (2e-6 relative for
/// float32, 1e-12 for float64 preds).
/// </summary>
public sealed class TorchHingeReferenceTests
{
    public static TheoryData<string, string> Binary => MetricFixtures.OnDevices("binary_hinge.json");

    public static TheoryData<string, string> Multiclass => MetricFixtures.OnDevices("multiclass_hinge.json");

    [Theory, MemberData(nameof(Binary))]
    public void BinaryHinge_MatchesFunctional(string device, string name)
    {
        var c = MetricFixtures.Case("binary_hinge.json", name);
        var args = c.GetProperty("args");
        var inputs = c.GetProperty("inputs");
        using var preds = MetricFixtures.ToTensor(inputs.GetProperty("preds"), device);
        using var target = MetricFixtures.ToTensor(inputs.GetProperty("target"), device);
        using var value = TorchHingeReference.BinaryHinge(preds, target, args.Opt("squared")?.GetBoolean() ?? false,
            args.Opt("ignore_index")?.GetInt32());
        Assert.Equal(preds.dtype, value.dtype);
        Approx.Equal(MetricFixtures.Doubles(c.GetProperty("expected")), MetricFixtures.Values(value),
            Tolerance(inputs), $"{name} [{device}]");
    }

    [Theory, MemberData(nameof(Multiclass))]
    public void MulticlassHinge_MatchesFunctional(string device, string name)
    {
        var c = MetricFixtures.Case("multiclass_hinge.json", name);
        var args = c.GetProperty("args");
        var inputs = c.GetProperty("inputs");
        var mode = HingeNames.ParseMulticlassMode(args.Opt("multiclass_mode")?.GetString() ?? "crammer-singer");
        using var preds = MetricFixtures.ToTensor(inputs.GetProperty("preds"), device);
        using var target = MetricFixtures.ToTensor(inputs.GetProperty("target"), device);
        using var value = TorchHingeReference.MulticlassHinge(preds, target, mode,
            args.Opt("squared")?.GetBoolean() ?? false, args.Opt("ignore_index")?.GetInt32());
        Approx.Equal(MetricFixtures.Doubles(c.GetProperty("expected")), MetricFixtures.Values(value),
            Tolerance(inputs), $"{name} [{device}]");
    }

    private static double Tolerance(System.Text.Json.JsonElement inputs) =>
        MetricFixtures.IsFloat32(inputs.GetProperty("preds")) ? Approx.Float32Relative : Approx.Float64Relative;
}
