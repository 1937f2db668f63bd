using HingeSharp.Classification;
using HingeSharp.Functional;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>Weighted (N, C, d…) paths name a bad score by its index in the caller's layout, as the unweighted do.</summary>
public sealed class WeightedShapedErrorTests
{
    // Shape [1, 2, 2]: caller index 1 is (sample 0, class 0, position 1); in the moved (N·d, C) layout it is index 2.
    private static readonly float[] Preds = [0.1f, float.NaN, 0.3f, 0.4f];

    [Fact]
    public void WeightedFunctional_NaNScore_NamesCallerIndex()
    {
        var unweighted = Assert.Throws<HingeArgumentException>(() =>
            HingeFunctional.MulticlassHingeLoss<float, int>(Preds, [1, 2, 2], [0, 1], [1, 2], 2));
        var weighted = Assert.Throws<HingeArgumentException>(() =>
            HingeFunctional.MulticlassHingeLoss<float, int>(Preds, [1, 2, 2], [0, 1], [1, 2], 2, [1.0, 2.0]));
        Assert.Equal(1, unweighted.Index);
        Assert.Equal(unweighted.Index, weighted.Index);
        Assert.Equal(unweighted.Message, weighted.Message);
        Assert.Contains("position [0, 0, 1] in shape [1, 2, 2]", weighted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightedMetric_NaNScore_NamesCallerIndexAndKeepsState()
    {
        var metric = new MulticlassHingeLoss(2);
        var ex = Assert.Throws<HingeArgumentException>(() =>
            metric.Update<float, int>(Preds, [1, 2, 2], [0, 1], [1, 2], [1.0, 2.0]));
        Assert.Equal(1, ex.Index);
        Assert.Contains("position [0, 0, 1] in shape [1, 2, 2]", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, metric.Total);
        Assert.Equal(0, metric.UpdateCount);
    }
}
