using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Metrics;
using HingeSharp.Tests.Reliability;
using Xunit;

namespace HingeSharp.Tests.Metrics;

/// <summary>
/// Nothing is lost when a weighted metric is saved: class weights, variance tracking, weighted sums, loss moments and
/// whether the weighted part exists come back bit for bit, and the loaded metric goes on exactly as the saved one.
/// </summary>
public sealed class WeightedMetricStateTests
{
    private static readonly float[] Preds = [0.25f, 0.25f, 0.55f, 0.75f, 0.75f, 0.1f];
    private static readonly int[] Target = [0, 0, 1, 1, 1, 0];
    private static readonly double[] Weights = [1, 1, 0.5, 2, 1, 0];

    public static TheoryData<string> Metrics => new("binary", "binary-class-weights-variance", "binary-weighted-later",
        "crammer-singer-variance", "one-vs-all-class-weights", "multilabel-macro", "multilabel-none-label-weights");

    [Theory, MemberData(nameof(Metrics))]
    public void SaveLoad_EveryPartOfTheState_RoundTripsAndContinuesIdentically(string kind)
    {
        var metric = Create(kind);
        Feed(metric, kind, seed: 1);
        var loaded = MetricState.Load(MetricStateTests.Save(metric));
        Assert.Equal(metric.GetType(), loaded.GetType());
        Assert.Equal(AtomicityTests.Snapshot(metric), AtomicityTests.Snapshot(loaded));
        if (metric is BinaryHingeLoss { TrackVariance: true } b)
        {
            Assert.Equal(b.ComputeInterval(), ((BinaryHingeLoss)loaded).ComputeInterval());
        }

        // Same path after loading: further (unweighted and weighted) updates stay bit-identical.
        Feed(metric, kind, seed: 2);
        Feed(loaded, kind, seed: 2);
        Assert.Equal(AtomicityTests.Snapshot(metric), AtomicityTests.Snapshot(loaded));
    }

    [Theory, MemberData(nameof(Metrics))]
    public void MergeOfLoadedWeightedShards_OneUpdateEach_EqualsWholeRunBitForBit(string kind)
    {
        var whole = Create(kind);
        IHingeMetric? merged = null;
        for (var seed = 10; seed < 16; seed++)
        {
            var shard = Create(kind);
            Feed(whole, kind, seed, updates: 1);
            Feed(shard, kind, seed, updates: 1);
            var loaded = MetricState.Load(MetricStateTests.Save(shard));
            if (merged is null)
            {
                merged = loaded;
            }
            else
            {
                MetricState.Merge(merged, loaded);
            }
        }

        Assert.Equal(AtomicityTests.Snapshot(whole), AtomicityTests.Snapshot(merged!));
    }

    [Fact]
    public void LoadState_WithOtherClassWeights_IsRejectedAndChangesNothing()
    {
        var saved = new BinaryHingeLoss { ClassWeights = [1, 3] };
        saved.Update<float, int>(Preds, Target, Weights);
        var metric = (BinaryHingeLoss)AtomicityTests.Prefilled(new BinaryHingeLoss { ClassWeights = [1, 2] });
        var before = AtomicityTests.Snapshot(metric);
        var ex = Assert.Throws<MetricStateException>(() => metric.LoadState(MetricStateTests.Save(saved)));
        Assert.Equal("class_weights", ex.Field);
        Assert.Equal(before, AtomicityTests.Snapshot(metric));
    }

    private static IHingeMetric Create(string kind) => kind switch
    {
        "binary" or "binary-weighted-later" => new BinaryHingeLoss(squared: true),
        "binary-class-weights-variance" => new BinaryHingeLoss { ClassWeights = [1, 2], TrackVariance = true },
        "crammer-singer-variance" => new MulticlassHingeLoss(3) { TrackVariance = true },
        "one-vs-all-class-weights" => new MulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll)
        {
            ClassWeights = [1, 0.5, 2],
        },
        "multilabel-macro" => new MultilabelHingeLoss(3),
        _ => new MultilabelHingeLoss(3, MultilabelAverage.None) { LabelWeights = [2, 1, 0.5] },
    };

    /// <summary>Seeded updates: unweighted, then (except for "binary") weighted ones.</summary>
    private static void Feed(IHingeMetric metric, string kind, int seed, int updates = 3)
    {
        var random = new Random(seed);
        for (var u = 0; u < updates; u++)
        {
            var weighted = kind != "binary" && (u > 0 || kind != "binary-weighted-later");
            var rows = random.Next(1, 12);
            var columns = metric is BinaryHingeLoss ? 1 : 3;
            var preds = Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() * 3 - 1)).ToArray();
            var weights = Enumerable.Range(0, rows)
                .Select(_ => random.Next(4) * 0.5).ToArray();
            int[] target = metric switch
            {
                MulticlassHingeLoss => Enumerable.Range(0, rows).Select(_ => random.Next(3)).ToArray(),
                _ => Enumerable.Range(0, rows * columns).Select(_ => random.Next(2)).ToArray(),
            };
            if (weighted && metric is IWeightedHingeMetric w)
            {
                w.Update<float, int>(preds, target, weights);
            }
            else
            {
                metric.Update<float, int>(preds, target);
            }
        }
    }
}
