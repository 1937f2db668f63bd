using HingeSharp.Classification;
using HingeSharp.Torch.Metrics;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>Issue 14, item 10: a disposed tensor metric refuses every use instead of working on freed state.</summary>
public sealed class TensorDisposeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TensorBinaryHingeLoss_AfterDispose_ThrowsObjectDisposed(bool useTorchOps)
    {
        var metric = new TensorBinaryHingeLoss(useTorchOps: useTorchOps);
        using var preds = tensor(new[] { 0.25f, 0.75f });
        using var target = tensor(new long[] { 0, 1 });
        metric.Update(preds, target);
        metric.Dispose();

        var ex = Assert.Throws<ObjectDisposedException>(() => metric.Update(preds, target));
        Assert.Equal(nameof(TensorBinaryHingeLoss), ex.ObjectName);
        Assert.Throws<ObjectDisposedException>(() => metric.Forward(preds, target));
        Assert.Throws<ObjectDisposedException>(() => metric.Compute());
        Assert.Throws<ObjectDisposedException>(() => metric.ComputeValue());
        Assert.Throws<ObjectDisposedException>(metric.Reset);
        using var other = new TensorBinaryHingeLoss(useTorchOps: useTorchOps);
        Assert.Throws<ObjectDisposedException>(() => other.Merge(metric));
        metric.Dispose(); // disposing twice is allowed
    }

    [Fact]
    public void TensorMulticlassHingeLoss_AfterDispose_ThrowsObjectDisposed()
    {
        var metric = new TensorMulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll);
        using var preds = tensor(new[] { 0.2f, 0.5f, 0.3f }).reshape(1, 3);
        using var target = tensor(new long[] { 1 });
        metric.Update(preds, target);
        metric.Dispose();

        var ex = Assert.Throws<ObjectDisposedException>(() => metric.Update(preds, target));
        Assert.Equal(nameof(TensorMulticlassHingeLoss), ex.ObjectName);
        Assert.Throws<ObjectDisposedException>(() => metric.Compute());
    }

    [Fact]
    public void TensorMulticlassHingeLoss_NumClassesAboveLimit_ThrowsArgumentOutOfRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TensorMulticlassHingeLoss(int.MaxValue));
        Assert.Equal("numClasses", ex.ParamName);
    }
}
