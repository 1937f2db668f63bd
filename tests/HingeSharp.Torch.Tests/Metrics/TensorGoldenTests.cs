using System.Text.Json;

namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>
/// Every case of binary_hinge.json and multiclass_hinge.json (torchmetrics 1.9), fed as tensors on every available
/// device through every <see cref="MetricPath"/>: update + compute against the module's result, forward against the
/// module's forward (float32 inputs, 2e-6 relative), or against <c>expected_float64</c> for float64 inputs (HingeSharp
/// keeps double state where torchmetrics keeps float32; 1e-12 relative).
/// </summary>
public sealed class TensorGoldenTests
{
    public static TheoryData<string, string> Binary => MetricFixtures.OnDevices("binary_hinge.json");

    public static TheoryData<string, string> Multiclass => MetricFixtures.OnDevices("multiclass_hinge.json");

    [Theory, MemberData(nameof(Binary))]
    public void BinaryCore_Tensors_MatchModule(string device, string name) =>
        Check("binary_hinge.json", device, name, MetricPath.Core);

    [Theory, MemberData(nameof(Binary))]
    public void BinaryCoreTorchOps_Tensors_MatchModule(string device, string name) =>
        Check("binary_hinge.json", device, name, MetricPath.CoreTorchOps);

    [Theory, MemberData(nameof(Binary))]
    public void BinaryTensorMetric_Tensors_MatchModule(string device, string name) =>
        Check("binary_hinge.json", device, name, MetricPath.Tensor);

    [Theory, MemberData(nameof(Binary))]
    public void BinaryTensorMetricTorchOps_Tensors_MatchModule(string device, string name) =>
        Check("binary_hinge.json", device, name, MetricPath.TensorTorchOps);

    [Theory, MemberData(nameof(Multiclass))]
    public void MulticlassCore_Tensors_MatchModule(string device, string name) =>
        Check("multiclass_hinge.json", device, name, MetricPath.Core);

    [Theory, MemberData(nameof(Multiclass))]
    public void MulticlassCoreTorchOps_Tensors_MatchModule(string device, string name) =>
        Check("multiclass_hinge.json", device, name, MetricPath.CoreTorchOps);

    [Theory, MemberData(nameof(Multiclass))]
    public void MulticlassTensorMetric_Tensors_MatchModule(string device, string name) =>
        Check("multiclass_hinge.json", device, name, MetricPath.Tensor);

    [Theory, MemberData(nameof(Multiclass))]
    public void MulticlassTensorMetricTorchOps_Tensors_MatchModule(string device, string name) =>
        Check("multiclass_hinge.json", device, name, MetricPath.TensorTorchOps);

    private static void Check(string file, string device, string name, MetricPath path)
    {
        var c = MetricFixtures.Case(file, name);
        var inputs = c.GetProperty("inputs");
        using var preds = MetricFixtures.ToTensor(inputs.GetProperty("preds"), device);
        using var target = MetricFixtures.ToTensor(inputs.GetProperty("target"), device);
        using var updated = PathMetric.ForCase(path, c);
        using var forwarded = PathMetric.ForCase(path, c);
        if (c.Opt("args")?.Opt("validate_args")?.GetBoolean() == false && inputs.GetProperty("preds")
                .GetProperty("shape")[1].GetInt32() != c.GetProperty("args").GetProperty("num_classes").GetInt32())
        {
            // torchmetrics' module ignores num_classes without validation; HingeSharp's metric state has NumClasses
            // entries, so every path rejects a batch of another class count (the functional tests cover the value).
            var ex = Assert.Throws<HingeArgumentException>(() => updated.Update(preds, target));
            Assert.Equal("preds", ex.ParamName);
            return;
        }

        var float32 = MetricFixtures.IsFloat32(inputs.GetProperty("preds"));
        var tolerance = float32 ? Approx.Float32Relative : Approx.Float64Relative;
        updated.Update(preds, target);
        Approx.Equal(Expected(c, float32 ? "module_update_compute" : "expected_float64"), updated.Compute(), tolerance,
            $"{name} [{device}, {path}] update+compute");
        Approx.Equal(Expected(c, float32 ? "module_forward" : "expected_float64"), forwarded.Forward(preds, target),
            tolerance, $"{name} [{device}, {path}] forward");
        Approx.Equal(Expected(c, float32 ? "module_forward" : "expected_float64"), forwarded.Compute(), tolerance,
            $"{name} [{device}, {path}] forward then compute");
    }

    private static double[] Expected(JsonElement c, string property) => MetricFixtures.Doubles(c.GetProperty(property));
}
