using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Statistics;
using HingeSharp.Tests.Infrastructure;
using HingeSharp.Tests.Reference;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>Weighted streaming metrics: streaming == one call, merge == concatenation, mixing, errors, state.</summary>
public sealed class WeightedMetricTests
{
    private static (double[] Preds, int[] Target, double[] Weights) BinaryData(int seed, int n)
    {
        var rng = new Random(seed);
        return (RandomData.Doubles(rng, n, -3, 3), RandomData.WithIgnored(rng, RandomData.Labels(rng, n, 2), -1), RandomData.Weights(rng, n));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void WeightedBinary_StreamedInPieces_EqualsOneCallOnConcatenation(int seed, bool squared)
    {
        var (preds, target, weights) = BinaryData(seed, 1200);
        var metric = new BinaryHingeLoss(squared, -1, inputKind: HingeInputKind.Logits) { ClassWeights = [2, 0.5] };
        foreach (var (start, length) in RandomData.Pieces(new Random(seed), preds.Length, 6))
        {
            metric.Update<double, int>(preds.AsSpan(start, length), target.AsSpan(start, length),
                weights.AsSpan(start, length));
        }

        var whole = HingeFunctional.BinaryHingeLoss<double, int>(preds, target, weights, squared, -1,
            inputKind: HingeInputKind.Logits, classWeights: [2, 0.5]);
        Approx.Equal(whole, metric.Compute(), 1e-13);
    }

    [Fact]
    public void WeightedBinary_MergeOfParts_EqualsConcatenation()
    {
        var (preds, target, weights) = BinaryData(4, 900);
        var whole = new BinaryHingeLoss(ignoreIndex: -1, inputKind: HingeInputKind.Margins);
        whole.Update<double, int>(preds, target, weights);
        var merged = new BinaryHingeLoss(ignoreIndex: -1, inputKind: HingeInputKind.Margins);
        foreach (var (start, length) in RandomData.Pieces(new Random(4), preds.Length, 5))
        {
            var part = new BinaryHingeLoss(ignoreIndex: -1, inputKind: HingeInputKind.Margins);
            part.Update<double, int>(preds.AsSpan(start, length), target.AsSpan(start, length),
                weights.AsSpan(start, length));
            merged.Merge(part);
        }

        Approx.Equal(whole.Compute(), merged.Compute(), 1e-13);
        Assert.Equal(whole.WeightedState.Total, merged.WeightedState.Total);
        Approx.Equal(whole.WeightedState.WeightSum, merged.WeightedState.WeightSum, 1e-13);
        Assert.Equal(whole.State.Total, merged.State.Total);
    }

    [Fact]
    public void Binary_UnweightedThenWeighted_CountsUnweightedElementsWithWeightOne()
    {
        var (preds, target, weights) = BinaryData(5, 300);
        var metric = new BinaryHingeLoss(ignoreIndex: -1);
        metric.Update<double, int>(preds.AsSpan(0, 100), target.AsSpan(0, 100));
        metric.Update<double, int>(preds.AsSpan(100), target.AsSpan(100), weights.AsSpan(100));
        metric.Update<double, int>(preds.AsSpan(0, 50), target.AsSpan(0, 50));
        var all = preds.Concat(preds.Take(50)).ToArray();
        var allTargets = target.Concat(target.Take(50)).ToArray();
        var allWeights = Enumerable.Repeat(1.0, 100).Concat(weights.Skip(100)).Concat(Enumerable.Repeat(1.0, 50))
            .ToArray();
        // Each update decided logits on its own (all contain values outside [0, 1]).
        Approx.Equal(HingeFunctional.BinaryHingeLoss<double, int>(all, allTargets, allWeights, ignoreIndex: -1),
            metric.Compute(), 1e-13);
    }

    [Fact]
    public void Binary_MergeWeightedIntoUnweighted_EqualsConcatenation()
    {
        var (preds, target, weights) = BinaryData(6, 400);
        var plain = new BinaryHingeLoss(ignoreIndex: -1);
        plain.Update<double, int>(preds.AsSpan(0, 200), target.AsSpan(0, 200));
        var weighted = new BinaryHingeLoss(ignoreIndex: -1);
        weighted.Update<double, int>(preds.AsSpan(200), target.AsSpan(200), weights.AsSpan(200));
        plain.Merge(weighted);
        var allWeights = Enumerable.Repeat(1.0, 200).Concat(weights.Skip(200)).ToArray();
        Approx.Equal(HingeFunctional.BinaryHingeLoss<double, int>(preds, target, allWeights, ignoreIndex: -1),
            plain.Compute(), 1e-13);
        Assert.Equal(2, plain.UpdateCount);
    }

    [Fact]
    public void WeightedBinary_Forward_ReturnsBatchWeightedMeanAndAccumulates()
    {
        var (preds, target, weights) = BinaryData(7, 100);
        var metric = new BinaryHingeLoss(ignoreIndex: -1);
        var first = metric.Forward<double, int>(preds.AsSpan(0, 60), target.AsSpan(0, 60), weights.AsSpan(0, 60));
        Approx.Equal(HingeFunctional.BinaryHingeLoss<double, int>(preds.AsSpan(0, 60), target.AsSpan(0, 60),
            weights.AsSpan(0, 60), ignoreIndex: -1), first, 1e-15);
        metric.Forward<double, int>(preds.AsSpan(60), target.AsSpan(60), weights.AsSpan(60));
        Approx.Equal(HingeFunctional.BinaryHingeLoss<double, int>(preds, target, weights, ignoreIndex: -1),
            metric.Compute(), 1e-13);
    }

    [Fact]
    public void WeightedBinary_RejectedUpdate_LeavesStateUntouched()
    {
        var (preds, target, weights) = BinaryData(8, 50);
        var metric = new BinaryHingeLoss(ignoreIndex: -1);
        metric.Update<double, int>(preds, target, weights);
        var (value, state, weightedState) = (metric.Compute(), metric.State, metric.WeightedState);
        var bad = weights.ToArray();
        bad[^1] = -0.5;
        var keptIndex = Array.FindLastIndex(target, t => t != -1);
        bad[keptIndex] = -0.5;
        Assert.Throws<HingeArgumentException>(() => metric.Update<double, int>(preds, target, bad));
        Assert.Equal(value, metric.Compute());
        Assert.Equal(state, metric.State);
        Assert.Equal(weightedState, metric.WeightedState);
        Assert.Equal(1, metric.UpdateCount);
    }

    [Fact]
    public void WeightedBinary_Reset_DropsWeightedState()
    {
        var (preds, target, weights) = BinaryData(9, 50);
        var metric = new BinaryHingeLoss(ignoreIndex: -1);
        metric.Update<double, int>(preds, target, weights);
        metric.Reset();
        Assert.True(double.IsNaN(metric.Compute()));
        metric.Update<double, int>(preds, target);
        Assert.Equal(metric.State.Mean, metric.Compute());
        Assert.Equal(WeightedHingeState.FromUnweighted(metric.State), metric.WeightedState);
    }

    [Fact]
    public void WeightedBinary_SetStateWithWeightedPart_RestoresCompute()
    {
        var (preds, target, weights) = BinaryData(10, 80);
        var source = new BinaryHingeLoss(ignoreIndex: -1) { TrackVariance = true };
        source.Update<double, int>(preds, target, weights);
        var restored = new BinaryHingeLoss(ignoreIndex: -1) { TrackVariance = true };
        restored.SetState(source.State, source.WeightedState, source.Moments);
        Assert.Equal(source.Compute(), restored.Compute());
        Assert.Equal(source.ComputeInterval(0.9), restored.ComputeInterval(0.9));
    }

    [Fact]
    public void Merge_DifferentWeightSettings_Throws()
    {
        var a = new BinaryHingeLoss { ClassWeights = [1, 2] };
        Assert.Throws<HingeArgumentException>(() => a.Merge(new BinaryHingeLoss()));
        Assert.Throws<HingeArgumentException>(() => a.Merge(new BinaryHingeLoss { ClassWeights = [1, 2], TrackVariance = true }));
        var m = new MulticlassHingeLoss(3) { ClassWeights = [1, 2, 3] };
        Assert.Throws<HingeArgumentException>(() => m.Merge(new MulticlassHingeLoss(3) { ClassWeights = [1, 2, 4] }));
    }

    [Fact]
    public void ClassWeights_WrongLength_ThrowNamingTheArgument()
    {
        Assert.Equal("classWeights", Assert.Throws<HingeArgumentException>(() =>
            new BinaryHingeLoss { ClassWeights = [1, 2, 3] }).ParamName);
        Assert.Equal("classWeights", Assert.Throws<HingeArgumentException>(() =>
            new MulticlassHingeLoss(3) { ClassWeights = [1, 2] }).ParamName);
    }

    [Theory]
    [InlineData(MulticlassMode.CrammerSinger, false)]
    [InlineData(MulticlassMode.CrammerSinger, true)]
    [InlineData(MulticlassMode.OneVsAll, false)]
    [InlineData(MulticlassMode.OneVsAll, true)]
    public void WeightedMulticlass_StreamedAndMerged_EqualOneCallOnConcatenation(MulticlassMode mode, bool classWeighted)
    {
        var rng = new Random(20 + (int)mode);
        const int n = 500, c = 5;
        var preds = RandomData.Doubles(rng, n * c, -3, 3);
        var target = RandomData.WithIgnored(rng, RandomData.Labels(rng, n, c), -1);
        var weights = RandomData.Weights(rng, n);
        double[]? classWeights = classWeighted ? [1, 2, 0.5, 0, 3] : null;
        MulticlassHingeLoss New() => new(c, multiclassMode: mode, ignoreIndex: -1) { ClassWeights = classWeights };
        var streamed = New();
        var merged = New();
        foreach (var (start, length) in RandomData.Pieces(rng, n, 6))
        {
            var p = preds.AsSpan(start * c, length * c);
            streamed.Update<double, int>(p, target.AsSpan(start, length), weights.AsSpan(start, length));
            var part = New();
            part.Update<double, int>(p, target.AsSpan(start, length), weights.AsSpan(start, length));
            merged.Merge(part);
        }

        var whole = HingeFunctional.MulticlassHingeLoss<double, int>(preds, target, c, weights, false, mode, -1,
            inputKind: HingeInputKind.Logits, classWeights: classWeights);
        Approx.Equal(whole.Values, streamed.Compute().Values, 1e-13, "streamed");
        Approx.Equal(whole.Values, merged.Compute().Values, 1e-13, "merged");
    }

    [Fact]
    public void Multiclass_ClassWeightsOnly_RouteUnweightedUpdatesThroughWeights()
    {
        var rng = new Random(30);
        var preds = RandomData.Doubles(rng, 60 * 3, -2, 2);
        var target = RandomData.Labels(rng, 60, 3);
        var metric = new MulticlassHingeLoss(3) { ClassWeights = [3, 1, 1] };
        metric.Update<double, int>(preds, target);
        Approx.Equal(ScalarMargins.WeightedMean(ScalarMargins.Multiclass(preds, target.Select(t => (double)t).ToArray(),
                3, false, null, HingeInputKind.Auto).Select(r => (r.Loss, r.Target == 0 ? 3.0 : 1.0))),
            metric.Compute().Value, 1e-13);
        Assert.Equal(60, metric.Total);
    }

    [Fact]
    public void WeightedMulticlass_ShapedUpdate_EqualsWeightedFunctional()
    {
        var rng = new Random(31);
        var preds = RandomData.Doubles(rng, 2 * 3 * 4, -2, 2);
        var target = RandomData.Labels(rng, 2 * 4, 3);
        var weights = RandomData.Weights(rng, 8);
        var metric = new MulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll);
        var forward = metric.Forward<double, int>(preds, [2, 3, 4], target, [2, 4], weights);
        var expected = HingeFunctional.MulticlassHingeLoss<double, int>(preds, [2, 3, 4], target, [2, 4], 3, weights,
            multiclassMode: MulticlassMode.OneVsAll);
        Assert.Equal(expected.Values, forward.Values);
        Assert.Equal(expected.Values, metric.Compute().Values);
    }

    [Fact]
    public void WeightedMulticlass_SetStateWithWeightedPart_RestoresCompute()
    {
        var rng = new Random(32);
        var preds = RandomData.Doubles(rng, 40 * 3, -2, 2);
        var target = RandomData.Labels(rng, 40, 3);
        var weights = RandomData.Weights(rng, 40);
        var source = new MulticlassHingeLoss(3) { TrackVariance = true };
        source.Update<double, int>(preds, target, weights);
        var restored = new MulticlassHingeLoss(3) { TrackVariance = true };
        restored.SetState(source.Measures.ToArray(), source.Total, source.WeightedMeasures.ToArray(),
            source.WeightSum, source.Moments);
        Assert.Equal(source.Compute(), restored.Compute());
        Assert.Equal(source.ComputeInterval(), restored.ComputeInterval());
    }

    [Fact]
    public void IWeightedHingeMetric_FromWrapper_AcceptsWeights()
    {
        var metric = (IWeightedHingeMetric)HingeLoss.Create("binary");
        metric.Update<double, int>([0.2, 0.8, 0.6], [0, 1, 0], [1.0, 2.0, 0.0]);
        Approx.Equal(ScalarMargins.WeightedMean([(1.2, 1.0), (0.2, 2.0), (1.6, 0.0)]), metric.ComputeValue().Value,
            1e-15);
    }

    [Fact]
    public void LossMoments_EmptyAndSingle_GiveNaNVariance()
    {
        Assert.True(double.IsNaN(LossMoments.Empty.Variance));
        Assert.True(double.IsNaN(LossMoments.Of(0.5).StandardError));
        Assert.Equal(LossMoments.Of(0.5), LossMoments.Empty + LossMoments.Of(0.5));
    }
}
