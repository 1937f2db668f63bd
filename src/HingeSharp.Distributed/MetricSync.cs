using System.Text;
using HingeSharp.Classification;
using HingeSharp.Metrics;
using HingeSharp.Reports;

namespace HingeSharp.Distributed;

/// <summary>
/// Metric state across ranks, as torchmetrics syncs it: every rank's state is gathered (one
/// <see cref="Communicator.AllgatherBytes"/>) and merged in rank order, so every rank ends with the state of the
/// concatenated data — counts exact, sums equal to a single-process run up to rounding (and bit-identical on all
/// ranks). The metric's type and state-defining settings travel with the state: ranks that differ all throw
/// <see cref="DistributedMismatchException"/> naming the ranks, none waits.
/// </summary>
/// <remarks>Every rank must call the same sync operations in the same order (they are collectives).</remarks>
/// <example><code>
/// var comm = Communicator.World;
/// var metric = new BinaryHingeLoss();
/// metric.Update(myPreds, myTarget);       // this rank's shard
/// double loss = metric.Compute(comm);     // the loss over all ranks' data; the local state is kept
/// metric.Sync(comm);                      // or: replace the local state by the global one
/// </code></example>
public static class MetricSync
{
    /// <summary>Replaces the metric's state by the state of all ranks together (torchmetrics' <c>sync()</c>, kept:
    /// there is no <c>unsync</c>; use <see cref="Compute(BinaryHingeLoss, Communicator)"/> to keep the local
    /// state).</summary>
    /// <param name="metric">This rank's metric; the same type and settings on every rank.</param>
    /// <param name="comm">The ranks.</param>
    /// <exception cref="DistributedMismatchException">The ranks' metric types or settings differ (on every rank; the
    /// metric is then unchanged).</exception>
    public static void Sync(this IMergeableMetric metric, Communicator comm)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(comm);
        if (comm.Size == 1)
        {
            return;
        }

        var states = Gather(metric, comm);
        metric.Reset();
        foreach (var state in states)
        {
            metric.MergeState(state);
        }
    }

    /// <summary>Replaces every metric's state in the collection by the state of all ranks together (the counts of
    /// accuracy, precision, recall, F1 and confusion matrices are exact): one all-gather of
    /// <see cref="MetricCollection.SaveState(Stream)"/>, merged in rank order.</summary>
    /// <param name="collection">This rank's collection; built the same way on every rank.</param>
    /// <param name="comm">The ranks.</param>
    /// <param name="createEmpty">Builds an empty collection like <paramref name="collection"/> (same names, types and
    /// settings), to read the other ranks' states into.</param>
    /// <exception cref="MetricStateException">The ranks' collections differ (names, types or settings): on every rank,
    /// and the collection is then unchanged.</exception>
    public static void Sync(this MetricCollection collection, Communicator comm, Func<MetricCollection> createEmpty)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(comm);
        ArgumentNullException.ThrowIfNull(createEmpty);
        if (comm.Size == 1)
        {
            return;
        }

        using var local = new MemoryStream();
        collection.SaveState(local);
        var total = createEmpty();
        foreach (var state in comm.AllgatherBytes(local.ToArray()))
        {
            var shard = createEmpty();
            using (var stream = new MemoryStream(state, writable: false))
            {
                shard.LoadState(stream);
            }

            total.Merge(shard);
        }

        using var merged = new MemoryStream();
        total.SaveState(merged);
        merged.Position = 0;
        collection.LoadState(merged);
    }

    /// <summary>The loss over all ranks' data (torchmetrics' <c>compute()</c> under DDP: sync, compute, unsync);
    /// the local state is kept.</summary>
    /// <param name="metric">This rank's metric.</param>
    /// <param name="comm">The ranks.</param>
    /// <returns>The same value on every rank.</returns>
    /// <exception cref="DistributedMismatchException">The ranks' settings differ.</exception>
    public static double Compute(this BinaryHingeLoss metric, Communicator comm) =>
        Synced(metric, comm, m => m.Compute());

    /// <inheritdoc cref="Compute(BinaryHingeLoss, Communicator)"/>
    public static HingeLossValue Compute(this MulticlassHingeLoss metric, Communicator comm) =>
        Synced(metric, comm, m => m.Compute());

    /// <inheritdoc cref="Compute(BinaryHingeLoss, Communicator)"/>
    public static HingeLossValue Compute(this MultilabelHingeLoss metric, Communicator comm) =>
        Synced(metric, comm, m => m.Compute());

    /// <summary>The margin report over all ranks' data; the local state is kept.</summary>
    /// <param name="metric">This rank's report.</param>
    /// <param name="comm">The ranks.</param>
    /// <param name="topPairs">As <see cref="MarginReport.Compute(int, IReadOnlyList{double})"/>.</param>
    /// <param name="quantiles">As <see cref="MarginReport.Compute(int, IReadOnlyList{double})"/>.</param>
    /// <returns>The same report on every rank.</returns>
    public static MarginReportResult Compute(this MarginReport metric, Communicator comm, int topPairs = 10,
        IReadOnlyList<double>? quantiles = null) =>
        Synced(metric, comm, m => m.Compute(topPairs, quantiles ?? MarginReport.DefaultQuantiles));

    /// <summary>The value of any hinge metric over all ranks' data; the local state is kept.</summary>
    /// <param name="metric">A metric that is also <see cref="IMergeableMetric"/> (all HingeSharp metrics are).</param>
    /// <param name="comm">The ranks.</param>
    /// <returns>The same value on every rank.</returns>
    public static HingeLossValue ComputeValue(this IHingeMetric metric, Communicator comm) =>
        Synced(Mergeable(metric), comm, _ => metric.ComputeValue());

    /// <summary>Runs <paramref name="compute"/> on the state of all ranks together, then restores the local state
    /// (for intervals, moments and other read-outs).</summary>
    /// <typeparam name="TMetric">The metric type.</typeparam>
    /// <typeparam name="TResult">What <paramref name="compute"/> returns.</typeparam>
    /// <param name="metric">This rank's metric.</param>
    /// <param name="comm">The ranks.</param>
    /// <param name="compute">Reads the synced metric, e.g. <c>m =&gt; m.ComputeInterval(0.95)</c>.</param>
    /// <returns>The read-out over all ranks.</returns>
    public static TResult Synced<TMetric, TResult>(this TMetric metric, Communicator comm,
        Func<TMetric, TResult> compute)
        where TMetric : IMergeableMetric
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(comm);
        ArgumentNullException.ThrowIfNull(compute);
        if (comm.Size == 1)
        {
            return compute(metric);
        }

        var local = metric.ExportState();
        var states = Gather(metric, comm, local);
        try
        {
            metric.Reset();
            foreach (var state in states)
            {
                metric.MergeState(state);
            }

            return compute(metric);
        }
        finally
        {
            metric.Reset();
            metric.MergeState(local);
        }
    }

    /// <summary>
    /// torchmetrics' <c>dist_sync_on_step</c>: accumulates this rank's batch into <paramref name="metric"/> (local
    /// state, as <c>Forward</c>) and returns the value of the step's batches of all ranks together.
    /// </summary>
    /// <typeparam name="TPred">Prediction element type.</typeparam>
    /// <typeparam name="TTarget">Target element type.</typeparam>
    /// <param name="metric">This rank's metric.</param>
    /// <param name="preds">This rank's predictions.</param>
    /// <param name="target">This rank's targets.</param>
    /// <param name="comm">The ranks.</param>
    /// <returns>The step's value over all ranks (the same on every rank).</returns>
    public static HingeLossValue Forward<TPred, TTarget>(this IHingeMetric metric, ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, Communicator comm)
        where TPred : unmanaged, System.Numerics.IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, System.Numerics.INumberBase<TTarget>
    {
        ArgumentNullException.ThrowIfNull(comm);
        var mergeable = Mergeable(metric);
        var step = Mergeable(EmptyLike(mergeable));
        ((IHingeMetric)step).Update(preds, target);   // validates before anything is shared or kept
        var local = step.ExportState();
        step.Sync(comm);
        var value = ((IHingeMetric)step).ComputeValue();
        mergeable.MergeState(local);
        return value;
    }

    /// <summary>An empty metric with the settings of <paramref name="metric"/>.</summary>
    private static IHingeMetric EmptyLike(IMergeableMetric metric)
    {
        using var stream = new MemoryStream(metric.ExportState(), writable: false);
        var copy = MetricState.Load(stream);
        copy.Reset();
        return copy;
    }

    private static IMergeableMetric Mergeable(IHingeMetric metric) => metric switch
    {
        IMergeableMetric m => m,
        null => throw new ArgumentNullException(nameof(metric)),
        _ => throw new ArgumentException(
            $"{metric.GetType().Name} cannot be synced: it does not implement IMergeableMetric.", nameof(metric)),
    };

    private static byte[][] Gather(IMergeableMetric metric, Communicator comm, byte[]? local = null)
    {
        var key = metric.StateKey;
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var state = local ?? metric.ExportState();
        var packet = new byte[4 + keyBytes.Length + state.Length];
        BitConverter.TryWriteBytes(packet, keyBytes.Length);
        keyBytes.CopyTo(packet, 4);
        state.CopyTo(packet, 4 + keyBytes.Length);
        var packets = comm.AllgatherBytes(packet);
        var keys = new string[packets.Length];
        var states = new byte[packets.Length][];
        for (var r = 0; r < packets.Length; r++)
        {
            var length = BitConverter.ToInt32(packets[r], 0);
            keys[r] = Encoding.UTF8.GetString(packets[r], 4, length);
            states[r] = packets[r][(4 + length)..];
        }

        CheckAgree(keys, "metric settings");
        return states;
    }

    /// <summary>Throws on every rank when the ranks' <paramref name="values"/> differ.</summary>
    internal static void CheckAgree(string[] values, string what)
    {
        if (values.Distinct(StringComparer.Ordinal).Count() <= 1)
        {
            return;
        }

        var byValue = values.Select((v, r) => (v, r)).GroupBy(x => x.v, StringComparer.Ordinal)
            .Select(g => $"rank{(g.Count() > 1 ? "s" : "")} {string.Join(", ", g.Select(x => x.r))}: {g.Key}");
        throw new DistributedMismatchException(
            $"The ranks' {what} differ, so their states cannot be combined — {string.Join("; ", byValue)}. " +
            "Give every rank the same metric type and settings.");
    }
}
