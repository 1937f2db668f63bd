using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>Streaming properties: streaming == one call, merge == concatenation, reset == fresh, atomic updates.</summary>
public sealed class MetricPropertyTests
{
    private static (float[] Preds, long[] Target) Batch(Random random, int n, bool logits) =>
        (Enumerable.Range(0, n).Select(_ => logits ? (float)(random.NextDouble() * 6 - 3) : (float)random.NextDouble()).ToArray(),
         Enumerable.Range(0, n).Select(_ => (long)random.Next(0, 2)).ToArray());

    [Theory]
    [InlineData(HingeInputKind.Logits)]
    [InlineData(HingeInputKind.Probabilities)]
    [InlineData(HingeInputKind.Margins)]
    public void BinaryHingeLoss_StreamingOfBatches_EqualsOneCallOnConcatenation(HingeInputKind kind)
    {
        var random = new Random(1);
        var metric = new BinaryHingeLoss(inputKind: kind);
        var all = new List<float>();
        var allTarget = new List<long>();
        for (var b = 0; b < 20; b++)
        {
            var (p, t) = Batch(random, random.Next(0, 50), kind == HingeInputKind.Logits);
            metric.Update<float, long>(p, t);
            all.AddRange(p);
            allTarget.AddRange(t);
        }

        var whole = HingeFunctional.BinaryHingeLoss<float, long>(all.ToArray(), allTarget.ToArray(), inputKind: kind);
        Approx.Equal(whole, metric.Compute(), 1e-12, "stream");
    }

    [Fact]
    public void BinaryHingeLoss_MergeOfTwoHalves_EqualsUpdateOnWhole()
    {
        var random = new Random(2);
        var (p, t) = Batch(random, 1000, logits: true);
        var left = new BinaryHingeLoss(squared: true, inputKind: HingeInputKind.Logits);
        var right = new BinaryHingeLoss(squared: true, inputKind: HingeInputKind.Logits);
        var whole = new BinaryHingeLoss(squared: true, inputKind: HingeInputKind.Logits);
        left.Update<float, long>(p.AsSpan(0, 400), t.AsSpan(0, 400));
        right.Update<float, long>(p.AsSpan(400), t.AsSpan(400));
        whole.Update<float, long>(p, t);
        left.Merge(right);
        Assert.Equal(whole.State.Total, left.State.Total);
        Approx.Equal(whole.Compute(), left.Compute(), 1e-12, "merge");
        Assert.Equal(2, left.UpdateCount);
    }

    [Theory]
    [InlineData(MulticlassMode.CrammerSinger)]
    [InlineData(MulticlassMode.OneVsAll)]
    public void MulticlassHingeLoss_MergeAndStream_EqualWhole(MulticlassMode mode)
    {
        var random = new Random(3);
        const int classes = 5;
        var preds = Enumerable.Range(0, 300 * classes).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var target = Enumerable.Range(0, 300).Select(_ => random.Next(-1, classes)).ToArray();
        var whole = new MulticlassHingeLoss(classes, multiclassMode: mode, ignoreIndex: -1, inputKind: HingeInputKind.Logits);
        whole.Update<float, int>(preds, target);
        var parts = new MulticlassHingeLoss(classes, multiclassMode: mode, ignoreIndex: -1, inputKind: HingeInputKind.Logits);
        var other = new MulticlassHingeLoss(classes, multiclassMode: mode, ignoreIndex: -1, inputKind: HingeInputKind.Logits);
        parts.Update<float, int>(preds.AsSpan(0, 100 * classes), target.AsSpan(0, 100));
        other.Update<float, int>(preds.AsSpan(100 * classes, 150 * classes), target.AsSpan(100, 150));
        other.Update<float, int>(preds.AsSpan(250 * classes), target.AsSpan(250));
        parts.Merge(other);
        Assert.Equal(whole.Total, parts.Total);
        Approx.Equal(whole.Compute().Values, parts.Compute().Values, 1e-12, "merge");
    }

    [Fact]
    public void Metric_Reset_EqualsFresh()
    {
        var metric = new MulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll);
        metric.Update<float, int>([0.2f, 0.3f, 0.5f], [1]);
        metric.Reset();
        Assert.Equal(0, metric.Total);
        Assert.Equal(0, metric.UpdateCount);
        Assert.All(metric.Compute().Values, v => Assert.True(double.IsNaN(v)));
        Assert.All(metric.Measures, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void BinaryHingeLoss_RejectedUpdate_LeavesStateUntouched()
    {
        var metric = new BinaryHingeLoss(ignoreIndex: -1);
        metric.Update<float, int>([0.1f, 0.9f, 0.4f], [0, 1, -1]);
        var before = metric.State;
        var ex = Assert.Throws<HingeArgumentException>(() => metric.Update<float, int>([0.1f, 0.2f, 0.3f], [0, 1, 2]));
        Assert.Equal("target", ex.ParamName);
        Assert.Equal(2, ex.Index);
        Assert.Contains("`target[2]` = 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, metric.State);
        Assert.Equal(1, metric.UpdateCount);
    }

    [Fact]
    public void Forward_ReturnsBatchValue_AndAccumulates()
    {
        var metric = new BinaryHingeLoss();
        var first = metric.Forward<float, int>([0.25f, 0.25f, 0.55f, 0.75f, 0.75f], [0, 0, 1, 1, 1]);
        var second = metric.Forward<float, int>([0.9f], [0]);
        Approx.Equal(HingeFunctional.BinaryHingeLoss<float, int>([0.25f, 0.25f, 0.55f, 0.75f, 0.75f], [0, 0, 1, 1, 1]),
            first, 1e-12, "first");
        Approx.Equal(HingeFunctional.BinaryHingeLoss<float, int>([0.9f], [0]), second, 1e-12, "second");
        Approx.Equal(HingeFunctional.BinaryHingeLoss<float, int>([0.25f, 0.25f, 0.55f, 0.75f, 0.75f, 0.9f],
            [0, 0, 1, 1, 1, 0]), metric.Compute(), 1e-12, "all");
    }
}
