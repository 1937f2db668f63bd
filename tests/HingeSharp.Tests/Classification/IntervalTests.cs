using HingeSharp.Classification;
using HingeSharp.Statistics;
using HingeSharp.Tests.Infrastructure;
using HingeSharp.Tests.Reference;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>
/// ComputeInterval against a direct two-pass computation, and its streaming, merge and coverage properties.
/// </summary>
public sealed class IntervalTests
{
    private static void AssertInterval(List<(double Value, double Weight)> items, double level,
        HingeInterval actual, double tolerance = 1e-12)
    {
        var (mean, _, neff, se) = ScalarMargins.Moments(items);
        var z = NormalDistribution.InverseCdf(0.5 + level / 2);
        Assert.Equal(level, actual.Level);
        Assert.Equal(items.Count, actual.Count);
        Approx.Equal(mean, actual.Mean, tolerance, "mean");
        Approx.Equal(se, actual.StandardError, tolerance, "standard error");
        Approx.Equal(neff, actual.EffectiveCount, tolerance, "effective count");
        Approx.Equal(mean - z * se, actual.Lower, tolerance, "lower");
        Approx.Equal(mean + z * se, actual.Upper, tolerance, "upper");
    }

    [Theory]
    [InlineData(0.95, false, false)]
    [InlineData(0.99, true, false)]
    [InlineData(0.8, false, true)]
    [InlineData(0.5, true, true)]
    public void Binary_Interval_MatchesDirectComputation(double level, bool squared, bool weighted)
    {
        var rng = new Random(50);
        const int n = 2000;
        var preds = RandomData.Doubles(rng, n, -3, 3);
        var target = RandomData.WithIgnored(rng, RandomData.Labels(rng, n, 2), -1);
        var weights = weighted ? RandomData.Weights(rng, n) : null;
        var metric = new BinaryHingeLoss(squared, -1) { TrackVariance = true };
        metric.Update<double, int>(preds, target, weights);
        var items = ScalarMargins.Binary(preds, target.Select(t => (double)t).ToArray(), squared, -1,
            HingeInputKind.Auto).Select(e => (e.Loss, weights?[e.Index] ?? 1.0)).ToList();
        AssertInterval(items, level, metric.ComputeInterval(level));
        Assert.Equal(metric.Compute(), metric.ComputeInterval(level).Mean);
    }

    [Fact]
    public void Binary_Interval_StreamedAndMerged_EqualWhole()
    {
        var rng = new Random(51);
        const int n = 3000;
        var preds = RandomData.Doubles(rng, n, -3, 3);
        var target = RandomData.Labels(rng, n, 2);
        var weights = RandomData.Weights(rng, n);
        var whole = new BinaryHingeLoss { TrackVariance = true };
        whole.Update<double, int>(preds, target, weights);
        var streamed = new BinaryHingeLoss { TrackVariance = true };
        var merged = new BinaryHingeLoss { TrackVariance = true };
        foreach (var (start, length) in RandomData.Pieces(rng, n, 8))
        {
            streamed.Update<double, int>(preds.AsSpan(start, length), target.AsSpan(start, length),
                weights.AsSpan(start, length));
            var part = new BinaryHingeLoss { TrackVariance = true };
            part.Update<double, int>(preds.AsSpan(start, length), target.AsSpan(start, length),
                weights.AsSpan(start, length));
            merged.Merge(part);
        }

        foreach (var other in new[] { streamed, merged })
        {
            var (a, b) = (whole.ComputeInterval(), other.ComputeInterval());
            Approx.Equal(a.Lower, b.Lower, 1e-12);
            Approx.Equal(a.Upper, b.Upper, 1e-12);
            Approx.Equal(a.StandardError, b.StandardError, 1e-12);
            Assert.Equal(a.Count, b.Count);
        }
    }

    [Fact]
    public void Binary_UnweightedTrackVariance_MatchesPlainSampleStandardError()
    {
        var metric = new BinaryHingeLoss { TrackVariance = true };
        metric.Update<float, int>([0.25f, 0.25f, 0.55f, 0.75f, 0.75f], [0, 0, 1, 1, 1]);
        var losses = new[] { 1.25f, 1.25f, 1 - 0.55f, 0.25f, 0.25f }.Select(x => (double)x).ToArray();
        var mean = losses.Average();
        var s = Math.Sqrt(losses.Sum(x => (x - mean) * (x - mean)) / (losses.Length - 1));
        Approx.Equal(s / Math.Sqrt(losses.Length), metric.ComputeInterval().StandardError, 1e-12);
    }

    [Fact]
    public void CrammerSinger_Interval_MatchesDirectComputation()
    {
        var rng = new Random(52);
        const int n = 800, c = 4;
        var preds = RandomData.Doubles(rng, n * c, -3, 3);
        var target = RandomData.WithIgnored(rng, RandomData.Labels(rng, n, c), -1);
        var weights = RandomData.Weights(rng, n);
        double[] classWeights = [1, 2, 0.5, 1];
        var metric = new MulticlassHingeLoss(c, ignoreIndex: -1) { TrackVariance = true, ClassWeights = classWeights };
        foreach (var (start, length) in RandomData.Pieces(rng, n, 4))
        {
            metric.Update<double, int>(preds.AsSpan(start * c, length * c), target.AsSpan(start, length),
                weights.AsSpan(start, length));
        }

        var items = ScalarMargins.Multiclass(preds, target.Select(t => (double)t).ToArray(), c, false, -1,
                HingeInputKind.Logits)
            .Select(r => (r.Loss, weights[r.Index] * classWeights[r.Target])).ToList();
        AssertInterval(items, 0.95, metric.ComputeInterval());
    }

    [Fact]
    public void Interval_WithoutTrackVariance_OrOneVsAll_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => new BinaryHingeLoss().ComputeInterval());
        Assert.Null(new BinaryHingeLoss().Moments);
        Assert.Throws<InvalidOperationException>(() => new MulticlassHingeLoss(3).ComputeInterval());
        Assert.Equal("trackVariance", Assert.Throws<HingeArgumentException>(() =>
            new MulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll) { TrackVariance = true }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new BinaryHingeLoss { TrackVariance = true }.ComputeInterval(1.0));
    }

    [Fact]
    public void Interval_FewerThanTwoSamples_HasNaNBounds()
    {
        var metric = new BinaryHingeLoss { TrackVariance = true };
        Assert.True(double.IsNaN(metric.ComputeInterval().Lower));
        metric.Update<double, int>([0.3], [1]);
        var interval = metric.ComputeInterval();
        Assert.Equal(0.7, interval.Mean, 15);
        Assert.True(double.IsNaN(interval.Lower) && double.IsNaN(interval.Upper));
        Assert.Equal(1, interval.Count);
    }

    [Fact]
    public void LossMoments_RandomSplits_EqualTwoPassOnWhole()
    {
        var rng = new Random(53);
        var values = RandomData.Doubles(rng, 1000, 0, 2);
        var weights = RandomData.Weights(rng, 1000);
        var combined = LossMoments.Empty;
        foreach (var (start, length) in RandomData.Pieces(rng, values.Length, 10))
        {
            var part = LossMoments.Empty;
            for (var i = start; i < start + length; i++)
            {
                part += LossMoments.Of(values[i], weights[i]);
            }

            combined += part;
        }

        var (mean, variance, neff, se) = ScalarMargins.Moments(values.Zip(weights).ToList());
        Approx.Equal(mean, combined.Mean, 1e-12);
        Approx.Equal(variance, combined.Variance, 1e-12);
        Approx.Equal(neff, combined.EffectiveCount, 1e-12);
        Approx.Equal(se, combined.StandardError, 1e-12);
    }

    [Fact]
    public void Binary_Interval95_CoversTheTrueMeanAboutNinetyFivePercentOfTheTime()
    {
        // Probabilities p ~ U(0, 1) with fair 0/1 targets: positives lose 1 − p ~ U(0, 1), negatives 1 + p ~ U(1, 2),
        // so the expected hinge is exactly 1. 1000 seeded trials of 200 elements; the coverage's binomial standard
        // deviation is about 0.007.
        var rng = new Random(54);
        var covered = 0;
        const int trials = 1000;
        for (var t = 0; t < trials; t++)
        {
            var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Probabilities) { TrackVariance = true };
            metric.Update<double, int>(RandomData.Doubles(rng, 200, 0, 1), RandomData.Labels(rng, 200, 2));
            var interval = metric.ComputeInterval(0.95);
            covered += interval.Lower <= 1 && 1 <= interval.Upper ? 1 : 0;
        }

        Assert.InRange(covered / (double)trials, 0.93, 0.97);
    }
}
