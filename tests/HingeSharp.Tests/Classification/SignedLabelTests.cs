using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Reports;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>
/// Issue 15 (consistency): with <see cref="HingeInputKind.Margins"/>, −1 is a negative label wherever predictions are
/// margins — the weighted and variance-tracking paths, the multilabel metric and <see cref="MarginReport"/> included —
/// and gives exactly what 0 gives. Without margins −1 stays an error.
/// </summary>
public sealed class SignedLabelTests
{
    private static (double[] Preds, int[] Zero, int[] Signed, double[] Weights) Data(int seed, int n)
    {
        var rng = new Random(seed);
        var preds = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 6 - 3).ToArray();
        var zero = Enumerable.Range(0, n).Select(_ => rng.Next(2)).ToArray();
        var weights = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2).ToArray();
        return (preds, zero, [.. zero.Select(t => t == 0 ? -1 : 1)], weights);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void WeightedBinary_SignedLabelsWithMargins_EqualZeroOneLabels(int seed, bool squared)
    {
        var (preds, zero, signed, weights) = Data(seed, 300);
        BinaryHingeLoss Metric() => new(squared, inputKind: HingeInputKind.Margins)
        {
            TrackVariance = true, ClassWeights = [1.5, 0.5],
        };
        var (a, b) = (Metric(), Metric());
        a.Update<double, int>(preds, zero, weights);
        b.Update<double, int>(preds, signed, weights);
        Assert.Equal(a.Compute(), b.Compute());
        Assert.Equal(a.ComputeInterval(), b.ComputeInterval());
        Assert.Equal(a.WeightedState, b.WeightedState);
        Assert.Equal(
            HingeFunctional.BinaryHingeLoss<double, int>(preds, zero, weights, squared, inputKind: HingeInputKind.Margins),
            HingeFunctional.BinaryHingeLoss<double, int>(preds, signed, weights, squared, inputKind: HingeInputKind.Margins));

        // The default (unweighted) kernels already took ±1: the weighted path with unit weights agrees with them.
        var plain = new BinaryHingeLoss(squared, inputKind: HingeInputKind.Margins);
        plain.Update<double, int>(preds, signed);
        var unit = new BinaryHingeLoss(squared, inputKind: HingeInputKind.Margins);
        unit.Update<double, int>(preds, signed, [.. weights.Select(_ => 1.0)]);
        Assert.Equal(plain.Compute(), unit.Compute(), 1e-14);
    }

    [Fact]
    public void Multilabel_SignedLabelsWithMargins_EqualZeroOneLabels()
    {
        var (preds, zero, signed, _) = Data(3, 240);
        var weights = Enumerable.Range(0, 80).Select(i => 0.5 + (i % 7)).ToArray();
        var a = new MultilabelHingeLoss(3, MultilabelAverage.None, inputKind: HingeInputKind.Margins);
        a.Update<double, int>(preds, zero, weights);
        var b = new MultilabelHingeLoss(3, MultilabelAverage.None, inputKind: HingeInputKind.Margins);
        b.Update<double, int>(preds, signed, weights);
        Assert.Equal(a.Compute().Values, b.Compute().Values);
    }

    [Fact]
    public void MarginReport_SignedLabelsWithMargins_EqualZeroOneLabels()
    {
        var (preds, zero, signed, weights) = Data(4, 200);
        foreach (var w in new[] { Array.Empty<double>(), weights })
        {
            var a = MarginReport.Binary(HingeInputKind.Margins);
            a.Update<double, int>(preds, zero, w);
            var b = MarginReport.Binary(HingeInputKind.Margins);
            b.Update<double, int>(preds, signed, w);
            Assert.Equal(a.Compute().ToJson(), b.Compute().ToJson());
        }
    }

    [Fact]
    public void WeightedBinary_SignedLabelsWithoutMargins_AreRejectedNamingTheTarget()
    {
        var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Logits);
        var error = Assert.Throws<HingeArgumentException>(
            () => metric.Update<double, int>([0.5, -0.5], [1, -1], [1.0, 1.0]));
        Assert.Equal("target", error.ParamName);
        Assert.Equal(1, error.Index);
        Assert.Equal(0, metric.State.Total);
        Assert.Throws<HingeArgumentException>(
            () => MarginReport.Binary(HingeInputKind.Logits).Update<double, int>([0.5, -0.5], [1, -1]));
    }
}
