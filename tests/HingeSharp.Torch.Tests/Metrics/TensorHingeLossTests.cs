using HingeSharp.Torch.Metrics;

namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>hinge_wrapper.json through <see cref="TensorHingeLoss.Create"/> (torchmetrics'
/// HingeLoss(task=...)).</summary>
public sealed class TensorHingeLossTests
{
    public static TheoryData<string, string> Cases => MetricFixtures.OnDevices("hinge_wrapper.json");

    [Theory, MemberData(nameof(Cases))]
    public void Create_ForwardThenCompute_MatchesModule(string device, string name)
    {
        foreach (var useTorchOps in new[] { false, true })
        {
            var c = MetricFixtures.Case("hinge_wrapper.json", name);
            var args = c.GetProperty("args");
            using var metric = TensorHingeLoss.Create(args.GetProperty("task").GetString()!,
                args.Opt("num_classes")?.GetInt32(), args.Opt("squared")?.GetBoolean() ?? false,
                args.Opt("multiclass_mode")?.GetString() ?? "crammer-singer", args.Opt("ignore_index")?.GetInt32(),
                useTorchOps: useTorchOps);
            Assert.Equal("Tensor" + c.GetProperty("module_resolves_to").GetString(), metric.GetType().Name);
            Assert.Equal(useTorchOps, metric.UseTorchOps);
            var inputs = c.GetProperty("inputs");
            using var preds = MetricFixtures.ToTensor(inputs.GetProperty("preds"), device);
            using var target = MetricFixtures.ToTensor(inputs.GetProperty("target"), device);
            using var value = metric.Forward(preds, target);
            var what = $"{name} [{device}, useTorchOps: {useTorchOps}]";
            Approx.Equal(MetricFixtures.Doubles(c.GetProperty("module_forward")), MetricFixtures.Values(value),
                Approx.Float32Relative, what);
            Approx.Equal(MetricFixtures.Doubles(c.GetProperty("expected")), metric.ComputeValue().Values.ToArray(),
                Approx.Float32Relative, what);
            Assert.Equal(1, metric.UpdateCount);
        }
    }

    [Fact]
    public void Create_UnknownTask_NamesTheTask()
    {
        var ex = Assert.Throws<HingeArgumentException>(() => TensorHingeLoss.Create("multilabel"));
        Assert.Equal("task", ex.ParamName);
        Assert.Contains("multilabel", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MulticlassWithoutNumClasses_NamesNumClasses()
    {
        var ex = Assert.Throws<HingeArgumentException>(() => TensorHingeLoss.Create("multiclass"));
        Assert.Equal("numClasses", ex.ParamName);
    }

    [Fact]
    public void Create_Options_ReachTheMetric()
    {
        using var metric = (TensorMulticlassHingeLoss)TensorHingeLoss.Create("Multiclass", 5, squared: true,
            multiclassMode: "one_vs_all", ignoreIndex: -100, inputKind: HingeInputKind.Logits,
            nonFinite: NonFiniteHandling.Propagate, useTorchOps: true, eagerValidation: true);
        Assert.Equal(
            (5, true, MulticlassMode.OneVsAll, (int?)-100, HingeInputKind.Logits, NonFiniteHandling.Propagate, true,
                true),
            (metric.NumClasses, metric.Squared, metric.MulticlassMode, metric.IgnoreIndex, metric.InputKind,
                metric.NonFinite, metric.UseTorchOps, metric.EagerValidation));
    }
}
