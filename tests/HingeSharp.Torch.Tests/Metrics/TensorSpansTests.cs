using HingeSharp.Classification;
using HingeSharp.Torch.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>The CPU path reads tensors in place: spans alias tensor memory; strided, half and odd inputs still
/// work.</summary>
public sealed class TensorSpansTests
{
    [Fact]
    public void AsSpan_ContiguousTensor_AliasesTensorMemory()
    {
        using var t = torch.arange(10, ScalarType.Float32);
        var span = TensorSpans.AsSpan<float>(t, "preds");
        t.add_(100);
        Assert.Equal(Enumerable.Range(100, 10).Select(i => (float)i), span.ToArray());
    }

    [Fact]
    public void AsSpan_OverTheDirectLimit_AliasesTheSameElements()
    {
        using var t = torch.arange(10, ScalarType.Float64);
        var span = TensorSpans.AsSpan<double>(t, "preds", maxDirectBytes: 8);
        t.mul_(2);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 2.0 * i), span.ToArray());
    }

    [Fact]
    public void AsSpan_ViewWithStorageOffset_StartsAtTheView()
    {
        using var whole = torch.arange(20, ScalarType.Int64);
        using var view = whole.narrow(0, 5, 7);
        Assert.Equal(Enumerable.Range(5, 7).Select(i => (long)i), TensorSpans.AsSpan<long>(view, "target").ToArray());
        Assert.Equal(Enumerable.Range(5, 7).Select(i => (long)i),
            TensorSpans.AsSpan<long>(view, "target", maxDirectBytes: 0).ToArray());
    }

    [Fact]
    public void AsSpan_Empty_IsEmpty()
    {
        using var t = torch.empty(0, ScalarType.Float32);
        Assert.True(TensorSpans.AsSpan<float>(t, "preds").IsEmpty);
    }

    [Fact]
    public void Update_NonContiguousBinary_EqualsContiguousCopy()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(7);
        var preds = torch.randn(6, 9).t();
        var target = torch.randint(0, 2, [6, 9], ScalarType.Int64).t();
        Assert.False(preds.is_contiguous());
        var strided = new BinaryHingeLoss();
        strided.Update(preds, target);
        var copied = new BinaryHingeLoss();
        copied.Update(preds.contiguous(), target.contiguous());
        Assert.Equal(copied.Compute(), strided.Compute());
        Assert.Equal(new long[] { 9, 6 }, preds.shape); // the caller's tensor is not changed
        Assert.False(preds.is_contiguous());
    }

    [Fact]
    public void Update_NonContiguousMulticlass_EqualsContiguousCopy()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(8);
        // (N, C, H) built by permuting (N, H, C): class axis strided.
        var preds = torch.randn(5, 7, 4).permute(0, 2, 1);
        var target = torch.randint(0, 4, [5, 7], ScalarType.Int32);
        var strided = new MulticlassHingeLoss(4, multiclassMode: MulticlassMode.OneVsAll);
        strided.Update(preds, target);
        var copied = new MulticlassHingeLoss(4, multiclassMode: MulticlassMode.OneVsAll);
        copied.Update(preds.contiguous(), target);
        Assert.Equal(copied.Compute(), strided.Compute());
    }

    [Theory]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void Update_HalfPrecisionPreds_EqualFloat32OfTheSameValues(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(9);
        var half = torch.randn(40).to_type(dtype);
        var target = torch.randint(0, 2, [40], ScalarType.Bool);
        var widened = new BinaryHingeLoss();
        widened.Update(half.to_type(ScalarType.Float32), target);
        foreach (var torchOps in new[] { false, true })
        {
            var metric = new BinaryHingeLoss();
            HingeMetricTensorExtensions.Feed(metric, half, target, forward: false, torchOps);
            // Kernels: the very same float32 values. Torch ops: torch's float32 sigmoid, within float32 rounding.
            Approx.Equal(widened.Compute(), metric.Compute(), torchOps ? Approx.Float32Relative : 0,
                $"torchOps: {torchOps}");
        }
    }

    [Fact]
    public void Update_IntegerPreds_NamesPredsAndDtype()
    {
        using var scope = torch.NewDisposeScope();
        var metric = new BinaryHingeLoss();
        var ex = Assert.Throws<HingeArgumentException>(() =>
            metric.Update(torch.tensor(new long[] { 0, 1 }), torch.tensor(new long[] { 0, 1 })));
        Assert.Equal("preds", ex.ParamName);
        Assert.Contains("Int64", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, metric.UpdateCount);
    }

    [Fact]
    public void Update_ComplexTarget_NamesTarget()
    {
        using var scope = torch.NewDisposeScope();
        var metric = new BinaryHingeLoss();
        var ex = Assert.Throws<HingeArgumentException>(() =>
            metric.Update(torch.rand(3), torch.zeros(3, ScalarType.ComplexFloat32)));
        Assert.Equal("target", ex.ParamName);
        Assert.Contains("ComplexFloat32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_TargetOnAnotherDevice_NamesBothDevices()
    {
        using var scope = torch.NewDisposeScope();
        var metric = new BinaryHingeLoss();
        var target = torch.zeros(3, ScalarType.Int64, new Device(DeviceType.META));
        var ex = Assert.Throws<HingeArgumentException>(() => metric.Update(torch.rand(3), target));
        Assert.Equal("target", ex.ParamName);
        Assert.Contains("meta", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Forward_EmptyBatch_IsNaNAndAddsNothing()
    {
        using var scope = torch.NewDisposeScope();
        var metric = new BinaryHingeLoss();
        metric.Update(torch.tensor(new[] { 0.25f, 0.75f }), torch.tensor(new long[] { 0, 1 }));
        var before = metric.Compute();
        Assert.True(double.IsNaN(metric.Forward(torch.empty(0), torch.empty(0, ScalarType.Int64))));
        Assert.Equal(before, metric.Compute());
        Assert.Equal(2, metric.UpdateCount);
    }
}
