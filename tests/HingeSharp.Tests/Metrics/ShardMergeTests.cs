using HingeSharp.Classification;
using HingeSharp.Metrics;
using HingeSharp.Tests.Infrastructure;
using HingeSharp.Tests.Reliability;
using Xunit;

namespace HingeSharp.Tests.Metrics;

/// <summary>
/// Shards evaluated apart, saved, loaded and merged give the metric of the whole run: bit for bit when each shard is
/// one update merged in order, to rounding (1e-12) when shards group several updates; counts always exactly.
/// </summary>
public sealed class ShardMergeTests
{
    public static TheoryData<bool, MulticlassMode, bool> Variants => new()
    {
        { false, MulticlassMode.CrammerSinger, false },
        { false, MulticlassMode.CrammerSinger, true },
        { true, MulticlassMode.CrammerSinger, false },
        { true, MulticlassMode.OneVsAll, true },
    };

    [Theory, MemberData(nameof(Variants))]
    public void MergeOfLoadedShards_OneUpdateEach_EqualsWholeRunBitForBit(bool multiclass, MulticlassMode mode, bool squared)
    {
        var batches = Batches(multiclass, seed: 11, count: 40);
        var whole = ShardData.Create(multiclass, mode, squared);
        var files = new List<MemoryStream>();
        foreach (var b in batches)
        {
            whole.Update<float, int>(b.Preds, b.Target);
            var shard = ShardData.Create(multiclass, mode, squared);
            shard.Update<float, int>(b.Preds, b.Target);
            files.Add(MetricStateTests.Save(shard));
        }

        var merged = MergeInOrder(files);
        Assert.Equal(AtomicityTests.Snapshot(whole), AtomicityTests.Snapshot(merged));
    }

    [Theory, MemberData(nameof(Variants))]
    public void MergeOfLoadedShards_SeveralUpdatesEach_EqualsWholeRunToRounding(bool multiclass, MulticlassMode mode,
        bool squared)
    {
        var batches = Batches(multiclass, seed: 12, count: 60);
        var whole = ShardData.Create(multiclass, mode, squared);
        var files = new List<MemoryStream>();
        foreach (var shardBatches in batches.Chunk(7))
        {
            var shard = ShardData.Create(multiclass, mode, squared);
            foreach (var b in shardBatches)
            {
                whole.Update<float, int>(b.Preds, b.Target);
                shard.Update<float, int>(b.Preds, b.Target);
            }

            files.Add(MetricStateTests.Save(shard));
        }

        var merged = MergeInOrder(files);
        Assert.Equal(Counts(whole), Counts(merged));
        Approx.Equal(whole.ComputeValue().Values, merged.ComputeValue().Values, 1e-12, "merged shards");
    }

    [Fact]
    public void MergeOfLoadedShards_WithOtherSettings_IsRejectedAndChangesNothing()
    {
        var a = MetricState.Load(MetricStateTests.Save(AtomicityTests.Prefilled(new BinaryHingeLoss())));
        var b = MetricState.Load(MetricStateTests.Save(AtomicityTests.Prefilled(new BinaryHingeLoss(squared: true))));
        var before = AtomicityTests.Snapshot(a);
        var ex = Assert.Throws<HingeArgumentException>(() => MetricState.Merge(a, b));
        Assert.Equal("other", ex.ParamName);
        Assert.Equal(before, AtomicityTests.Snapshot(a));
    }

    private static ShardData.Batch[] Batches(bool multiclass, int seed, int count) => multiclass
        ? ShardData.Multiclass(seed, count, maxRows: 50, classes: 4)
        : ShardData.Binary(seed, count, maxLength: 200);

    private static IHingeMetric MergeInOrder(List<MemoryStream> files)
    {
        var merged = MetricState.Load(files[0]);
        foreach (var file in files.Skip(1))
        {
            MetricState.Merge(merged, MetricState.Load(file));
        }

        return merged;
    }

    private static (long Total, long Updates) Counts(IHingeMetric m) => m switch
    {
        BinaryHingeLoss b => (b.State.Total, b.UpdateCount),
        MulticlassHingeLoss c => (c.Total, c.UpdateCount),
        _ => throw new NotSupportedException(),
    };
}
