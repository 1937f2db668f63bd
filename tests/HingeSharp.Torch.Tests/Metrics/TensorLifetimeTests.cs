using HingeSharp.Classification;
using HingeSharp.Torch.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Metrics;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TensorLifetimeGroup
{
    /// <summary>Tests that count live tensors run alone.</summary>
    public const string Name = "Tensor metric lifetimes (serial)";
}

/// <summary>
/// Dispose-scope behaviour: metric state outlives the caller's scopes, forward values belong to them, and updates
/// leave no tensor behind (counted with <c>Tensor.TotalCount</c>, so these tests run alone).
/// </summary>
[Collection(TensorLifetimeGroup.Name)]
public sealed class TensorLifetimeTests
{
    public static TheoryData<string, bool> DevicesAndPaths()
    {
        var data = new TheoryData<string, bool>();
        foreach (var device in TorchDevices.Available)
        {
            data.Add(device, false);
            data.Add(device, true);
        }

        return data;
    }

    [Theory, MemberData(nameof(DevicesAndPaths))]
    public void State_UpdatedInsideCallerScope_SurvivesTheScope(string device, bool useTorchOps)
    {
        var on = new Device(device);
        using var metric = new TensorMulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll,
            useTorchOps: useTorchOps);
        var reference = new MulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll);
        for (var i = 0; i < 3; i++)
        {
            using var scope = torch.NewDisposeScope();
            torch.manual_seed(i);
            var preds = torch.randn(8, 3);
            var target = torch.randint(0, 3, [8], ScalarType.Int64);
            metric.Update(preds.to(on), target.to(on));
            reference.Update(preds, target);
        }

        Approx.Equal(reference.Compute().Values, metric.Compute().Values, Approx.Float32Relative, device);
    }

    [Theory, MemberData(nameof(DevicesAndPaths))]
    public void Forward_Value_BelongsToTheCallerScope(string device, bool useTorchOps)
    {
        using var metric = new TensorBinaryHingeLoss(useTorchOps: useTorchOps);
        Tensor value;
        using (var scope = torch.NewDisposeScope())
        {
            var on = new Device(device);
            value = metric.Forward(torch.rand(5, device: on), torch.ones(5, ScalarType.Int64, on));
            Assert.False(value.IsInvalid);
        }

        Assert.True(value.IsInvalid);
        Assert.False(double.IsNaN(metric.Compute()));
    }

    [Theory, MemberData(nameof(DevicesAndPaths))]
    public void Updates_LeaveNoTensorBehind_AndDisposeFreesTheState(string device, bool useTorchOps)
    {
        var on = new Device(device);
        using var preds = torch.randn(4, 5, 2, device: on);
        using var target = torch.randint(0, 5, [4, 2], ScalarType.Int64, on);
        var before = Tensor.TotalCount;
        var metric = new TensorMulticlassHingeLoss(5, useTorchOps: useTorchOps);
        for (var i = 0; i < 50; i++)
        {
            metric.Update(preds, target);
            using var value = metric.Forward(preds, target);
        }

        _ = metric.Compute();
        // Only the device state (measures, total, error record) may remain.
        Assert.InRange(Tensor.TotalCount - before, long.MinValue, 3);
        metric.Dispose();
        Assert.InRange(Tensor.TotalCount - before, long.MinValue, 0);
    }

    [Theory, MemberData(nameof(DevicesAndPaths))]
    public void Forward_PredsRequiringGrad_GiveGradientFreeValuesEqualToDetached(string device, bool useTorchOps)
    {
        using var scope = torch.NewDisposeScope();
        var on = new Device(device);
        torch.manual_seed(3);
        var logits = torch.randn(6, 4, device: on, requires_grad: true);
        var target = torch.randint(0, 4, [6], ScalarType.Int64, on);
        using var tracked = new TensorMulticlassHingeLoss(4, useTorchOps: useTorchOps);
        using var detached = new TensorMulticlassHingeLoss(4, useTorchOps: useTorchOps);
        for (var i = 0; i < 3; i++)
        {
            var value = tracked.Forward(logits.mul(i + 1), target);
            Assert.False(value.requires_grad);
            detached.Update(logits.detach().mul(i + 1), target);
        }

        Assert.Equal(detached.Compute(), tracked.Compute());
    }

    [Fact]
    public void ExtensionsExample_TutorialBatch_MatchesGolden()
    {
        // The example in HingeMetricTensorExtensions' docs, against binary_hinge.json's tutorial case.
        var c = MetricFixtures.Case("binary_hinge.json", "binary/tutorial_example");
        using var preds = torch.tensor(new[] { 0.5f, 0.7f, 0.1f });
        using var target = torch.tensor(new long[] { 0, 1, 1 });
        var metric = new BinaryHingeLoss();
        Approx.Equal(MetricFixtures.Doubles(c.GetProperty("inputs").GetProperty("preds")),
            MetricFixtures.Values(preds), 0, "example preds are the fixture's");
        Approx.Equal(MetricFixtures.Doubles(c.GetProperty("module_forward"))[0], metric.Forward(preds, target),
            Approx.Float32Relative, "forward");
    }
}
