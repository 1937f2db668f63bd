using HingeSharp.Distributed;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// The tensor metrics across MPI ranks (torchmetrics' <c>compute()</c> under DDP): every rank's state — host and
/// device parts — is gathered and merged in rank order (<see cref="MetricSync"/>). <c>metric.Sync(comm)</c> (from
/// <see cref="MetricSync"/>) replaces the local state by the global one.
/// </summary>
public static class TensorMetricSync
{
    /// <summary>The mean loss over all ranks' data; the local state is kept.</summary>
    /// <param name="metric">This rank's metric; the same settings on every rank.</param>
    /// <param name="comm">The ranks.</param>
    /// <returns>The same value on every rank.</returns>
    /// <exception cref="DistributedMismatchException">The ranks' settings differ (on every rank).</exception>
    public static double Compute(this TensorBinaryHingeLoss metric, Communicator comm) =>
        metric.Synced(comm, m => m.Compute());

    /// <summary>The loss over all ranks' data (one value, or one per class for one-vs-all); the local state is
    /// kept.</summary>
    /// <param name="metric">This rank's metric.</param>
    /// <param name="comm">The ranks.</param>
    /// <returns>The same value on every rank.</returns>
    /// <exception cref="DistributedMismatchException">The ranks' settings differ (on every rank).</exception>
    public static HingeLossValue Compute(this TensorMulticlassHingeLoss metric, Communicator comm) =>
        metric.Synced(comm, m => m.ComputeValue());
}
