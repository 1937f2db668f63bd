using Xunit;
using HingeSharp.Classification;
using HingeSharp.Metrics;
using HingeSharp.Reports;

namespace HingeSharp.Distributed.Tests;

/// <summary>In-process checks: the size-1 communicator and the export/merge hook every sync relies on.</summary>
public class SingleProcessTests
{
    private static readonly float[] Preds = [0.1f, 0.8f, 0.35f, 0.6f, 0.95f, 0.2f, 0.55f];
    private static readonly int[] Target = [0, 1, 1, 0, 1, 0, 1];

    [Fact]
    public void World_NotUnderMpirun_IsSingleProcess()
    {
        Assert.False(Communicator.LaunchedByMpi);
        var comm = Communicator.World;
        Assert.Same(Communicator.SingleProcess, comm);
        Assert.Equal((0, 1), (comm.Rank, comm.Size));
        Assert.True(comm.IsRoot);
        Assert.False(comm.UsesMpi);
    }

    [Fact]
    public void Collectives_SingleProcess_LeaveDataAsItIs()
    {
        var comm = Communicator.SingleProcess;
        double[] d = [1.5, -2, double.NaN];
        long[] l = [3, 4];
        float[] f = [0.25f];
        comm.Allreduce(d, ReduceOperation.Sum);
        comm.Allreduce(l, ReduceOperation.Max);
        comm.Allreduce(f, ReduceOperation.Min);
        comm.Broadcast(d);
        comm.Barrier();
        Assert.Equal([1.5, -2, double.NaN], d);
        Assert.Equal([3L, 4L], l);
        Assert.Equal([0.25f], f);
        Assert.Equal(7, comm.Allreduce(7L, ReduceOperation.Sum));
        var gathered = comm.AllgatherBytes([1, 2, 3]);
        Assert.Equal([1, 2, 3], Assert.Single(gathered));
    }

    [Fact]
    public void Broadcast_RootOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Communicator.SingleProcess.Broadcast(new double[1], 1));

    public static TheoryData<string> MetricNames => ["binary", "multiclass", "multilabel", "report"];

    [Theory]
    [MemberData(nameof(MetricNames))]
    public void MergeState_OfTwoHalves_EqualsUpdateOnWhole(string name)
    {
        var (first, second, whole) = (Make(name), Make(name), Make(name));
        Feed(first, 0, 4);
        Feed(second, 4, Preds.Length);
        Feed(whole, 0, Preds.Length);
        first.MergeState(second.ExportState());
        var (expected, actual) = (Read(whole), Read(first));
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-12 * Math.Abs(expected[i]));
        }

        Assert.Equal(2, first.UpdateCount);
    }

    [Theory]
    [MemberData(nameof(MetricNames))]
    public void ExportState_MergedIntoEmpty_RestoresBitForBit(string name)
    {
        var (source, copy) = (Make(name), Make(name));
        Feed(source, 0, Preds.Length);
        copy.MergeState(source.ExportState());
        Assert.Equal(source.ExportState(), copy.ExportState());
    }

    [Fact]
    public void MergeState_OtherSettings_ThrowsAndLeavesStateUnchanged()
    {
        var metric = new BinaryHingeLoss();
        metric.Update(Preds, Target);
        var before = metric.ExportState();
        var other = new BinaryHingeLoss(squared: true);
        other.Update(Preds, Target);
        var ex = Assert.Throws<MetricStateException>(() => metric.MergeState(other.ExportState()));
        Assert.Contains("squared = true", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, metric.ExportState());
        var report = MarginReport.Binary();
        Assert.Throws<MetricStateException>(() => report.MergeState(MarginReport.Multiclass(3).ExportState()));
    }

    [Fact]
    public void SyncAndCompute_SingleProcess_EqualLocalValue()
    {
        var metric = new MulticlassHingeLoss(2, multiclassMode: MulticlassMode.OneVsAll);
        metric.Update(Preds.SelectMany(p => new[] { p, 1 - p }).ToArray(), Target);
        var local = metric.Compute();
        Assert.Equal(local, metric.Compute(Communicator.SingleProcess));
        metric.Sync(Communicator.SingleProcess);
        Assert.Equal(local, metric.Compute());
        Assert.Equal(1, metric.UpdateCount);
    }

    [Fact]
    public void CheckAgree_DifferentValues_NamesTheRanks()
    {
        var ex = Assert.Throws<DistributedMismatchException>(() =>
            MetricSync.CheckAgree(["A", "A", "B"], "metric settings"));
        Assert.Contains("ranks 0, 1: A", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rank 2: B", ex.Message, StringComparison.Ordinal);
        MetricSync.CheckAgree(["A", "A"], "metric settings");
    }

    private static IMergeableMetric Make(string name) => name switch
    {
        "binary" => new BinaryHingeLoss { TrackVariance = true, ClassWeights = [1, 2] },
        "multiclass" => new MulticlassHingeLoss(2, squared: true),
        "multilabel" => new MultilabelHingeLoss(2),
        _ => MarginReport.Binary(),
    };

    private static void Feed(IMergeableMetric metric, int lo, int hi)
    {
        var p = Preds.AsSpan(lo, hi - lo);
        var t = Target.AsSpan(lo, hi - lo);
        switch (metric)
        {
            case MulticlassHingeLoss m:
                var rows = p.ToArray().SelectMany(x => new[] { x, 1 - x }).ToArray();
                m.Update(rows, t);
                break;
            case MultilabelHingeLoss l:
                l.Update(p.ToArray().SelectMany(x => new[] { x, 1 - x }).ToArray(),
                    t.ToArray().SelectMany(x => new[] { x, 1 - x }).ToArray());
                break;
            case MarginReport r:
                r.Update(p, t);
                break;
            default:
                ((IHingeMetric)metric).Update(p, t);
                break;
        }
    }

    private static double[] Read(IMergeableMetric metric) => metric switch
    {
        BinaryHingeLoss b => [b.Compute(), b.ComputeInterval().Lower, b.ComputeInterval().Upper],
        MarginReport r => [r.Compute().Overall.Hinge, r.Compute().Overall.Count, r.Compute().Overall.Quantiles[4].Value],
        _ => [.. ((IHingeMetric)metric).ComputeValue().Values],
    };
}
