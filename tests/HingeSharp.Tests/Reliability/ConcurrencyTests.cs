using System.Collections.Concurrent;
using HingeSharp.Classification;
using HingeSharp.Metrics;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Reliability;

/// <summary>
/// The patterns of docs/concurrency.md: metrics are not thread-safe, so each worker gets its own and they are merged.
/// One metric per shard merged in shard order equals the single-threaded run bit for bit; one metric per thread
/// (Parallel.For's localInit/localFinally) equals it to rounding, with exact counts.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Shards = 64;

    public static TheoryData<bool, MulticlassMode> Variants => new()
    {
        { false, MulticlassMode.CrammerSinger },
        { true, MulticlassMode.CrammerSinger },
        { true, MulticlassMode.OneVsAll },
    };

    [Theory, MemberData(nameof(Variants))]
    public void ParallelFor_PerShardMetricsMergedInOrder_EqualSingleThreadedBitForBit(bool multiclass, MulticlassMode mode)
    {
        var shards = Data(multiclass);
        var single = ShardData.Create(multiclass, mode);
        foreach (var s in shards)
        {
            single.Update<float, int>(s.Preds, s.Target);
        }

        var perShard = new IHingeMetric[shards.Length];
        Parallel.For(0, shards.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var metric = ShardData.Create(multiclass, mode);
            metric.Update<float, int>(shards[i].Preds, shards[i].Target);
            perShard[i] = metric;
        });

        var merged = ShardData.Create(multiclass, mode);
        foreach (var m in perShard)
        {
            MetricState.Merge(merged, m);
        }

        Assert.Equal(AtomicityTests.Snapshot(single), AtomicityTests.Snapshot(merged));
    }

    [Theory, MemberData(nameof(Variants))]
    public void ParallelFor_PerThreadMetrics_EqualSingleThreadedToRounding(bool multiclass, MulticlassMode mode)
    {
        var shards = Data(multiclass);
        var single = ShardData.Create(multiclass, mode);
        foreach (var s in shards)
        {
            single.Update<float, int>(s.Preds, s.Target);
        }

        var finished = new ConcurrentBag<IHingeMetric>();
        Parallel.For(0, shards.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            () => ShardData.Create(multiclass, mode),
            (i, _, local) =>
            {
                local.Update<float, int>(shards[i].Preds, shards[i].Target);
                return local;
            },
            finished.Add);

        var merged = ShardData.Create(multiclass, mode);
        foreach (var m in finished)
        {
            MetricState.Merge(merged, m);
        }

        Assert.Equal(AtomicityTests.Snapshot(single).Split(' ')[1..3], AtomicityTests.Snapshot(merged).Split(' ')[1..3]);
        Approx.Equal(single.ComputeValue().Values, merged.ComputeValue().Values, 1e-12, "per-thread merge");
    }

    private static ShardData.Batch[] Data(bool multiclass) => multiclass
        ? ShardData.Multiclass(21, Shards, maxRows: 2000, classes: 4)
        : ShardData.Binary(21, Shards, maxLength: 20000);
}
