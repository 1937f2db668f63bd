using HingeSharp.Classification;
using HingeSharp.Torch.Metrics;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>Tensor metrics save, load and convert through the core metrics: round trips give the same value.</summary>
public sealed class TensorMetricStateTests
{
    [Fact]
    public void BinarySaveLoad_AndCoreRoundTrip_KeepTheValue()
    {
        using var scope = NewDisposeScope();
        using var metric = new TensorBinaryHingeLoss();
        metric.Update(tensor(new[] { 0.25f, 0.25f, 0.55f, 0.75f, 0.75f }), tensor(new long[] { 0, 0, 1, 1, 1 }));
        var core = metric.ToCore();
        Assert.Equal(metric.Compute(), core.Compute());
        Assert.Equal(metric.UpdateCount, core.UpdateCount);

        using var stream = new MemoryStream();
        metric.SaveState(stream);
        stream.Position = 0;
        using var loaded = new TensorBinaryHingeLoss();
        loaded.LoadState(stream);
        Assert.Equal(metric.Compute(), loaded.Compute());

        using var back = TensorBinaryHingeLoss.FromCore(core);
        back.Update(tensor(new[] { 0.9f }), tensor(new long[] { 0 }));
        core.Update<float, long>([0.9f], [0]);
        Assert.Equal(core.Compute(), back.Compute());
    }

    [Fact]
    public void MulticlassSaveLoad_AndCoreRoundTrip_KeepTheValue()
    {
        using var scope = NewDisposeScope();
        using var metric = new TensorMulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll);
        metric.Update(tensor(new[] { 0.25f, 0.20f, 0.55f, 0.55f, 0.05f, 0.40f }, [2, 3]), tensor(new long[] { 0, 1 }));
        var core = metric.ToCore();
        Assert.Equal(metric.Compute().Values, core.Compute().Values);
        using var stream = new MemoryStream();
        metric.SaveState(stream);
        stream.Position = 0;
        using var loaded = TensorMulticlassHingeLoss.FromCore(new MulticlassHingeLoss(3,
            multiclassMode: MulticlassMode.OneVsAll));
        loaded.LoadState(stream);
        Assert.Equal(metric.Compute().Values, loaded.Compute().Values);
    }
}
