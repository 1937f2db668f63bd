using HingeSharp.Functional;
using HingeSharp.Kernels;
using HingeSharp.Metrics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace HingeSharp.Classification;

/// <summary><see cref="MulticlassHingeLoss"/> in a <see cref="MetricCollection"/> (scores <c>(N, C)</c>
/// row-major): it shares the collection's fused pass with the top-1 multiclass classification metrics of the same
/// class count and ignore index.</summary>
public sealed partial class MulticlassHingeLoss : ICollectableMetric
{
    /// <summary>The name the metric is saved under.</summary>
    public string MetricName => nameof(MulticlassHingeLoss);

    /// <summary>Whether the metric can take its share of a fused pass (unweighted, no variance tracking).</summary>
    internal bool CanFuse => !UsesWeightedPath;

    /// <summary>
    /// This metric's batch and the top-1 confusion counts (C = <see cref="NumClasses"/>, this ignore index) of the same
    /// batch, from one fused read of float or double scores (<see cref="MulticlassFusedKernels"/>). Nothing is
    /// committed. Other predictions (integer labels, a length that is not N·C) and rejected batches go through the
    /// separate passes in the order a collection ran them before: the counts (<see cref="MulticlassStats.Update"/>),
    /// then the hinge, so each error is the one those passes throw.
    /// </summary>
    /// <param name="preds">Scores <c>(N, C)</c> row-major (or labels).</param>
    /// <param name="target">N class indices.</param>
    /// <param name="counts">The batch's confusion counts.</param>
    /// <returns>The batch's hinge sums and kept rows.</returns>
    internal MulticlassBatch FusedBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        out MulticlassCounts counts)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        counts = new MulticlassCounts(NumClasses);
        MulticlassBatch batch;
        if (typeof(TPred) == typeof(float))
        {
            if (TryFused(MemoryMarshal.Cast<TPred, float>(preds), target, counts, out batch))
            {
                return batch;
            }
        }
        else if (typeof(TPred) == typeof(double))
        {
            if (TryFused(MemoryMarshal.Cast<TPred, double>(preds), target, counts, out batch))
            {
                return batch;
            }
        }
        else if (BinaryStats.IsFloating<TPred>() &&
            TryFused<double, TTarget>(BinaryHingeLoss.Widen(preds), target, counts, out batch))
        {
            return batch;
        }

        counts = MulticlassStats.Update(preds, target, NumClasses, 1, IgnoreIndex);
        return CollectionBatch(preds, target);
    }

    /// <summary>Adds a batch made by <see cref="FusedBatch"/>.</summary>
    internal void CommitPass(MulticlassBatch batch) => Commit(batch);

    private bool TryFused<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, MulticlassCounts counts,
        out MulticlassBatch batch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var measures = new double[_measures.Length];
        if (MulticlassFusedKernels.TrySum(preds, target, NumClasses, MulticlassMode, Squared, IgnoreIndex, InputKind,
            NonFinite, measures, counts.Writable, KernelOptions.Default, out var kept))
        {
            counts.Total = kept;
            batch = new MulticlassBatch(measures, kept);
            return true;
        }

        batch = default;
        return false;
    }

    /// <summary>The batch <see cref="ICollectableMetric.UpdateBatch"/> would add, without adding it.</summary>
    private MulticlassBatch CollectionBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (typeof(TPred) == typeof(float))
        {
            return Batch(MemoryMarshal.Cast<TPred, float>(preds), target);
        }

        return typeof(TPred) == typeof(double)
            ? Batch(MemoryMarshal.Cast<TPred, double>(preds), target)
            : Batch<double, TTarget>(BinaryHingeLoss.Widen(preds), target);
    }

    void ICollectableMetric.UpdateBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
    {
        if (typeof(TPred) == typeof(float))
        {
            Update(MemoryMarshal.Cast<TPred, float>(preds), target);
        }
        else if (typeof(TPred) == typeof(double))
        {
            Update(MemoryMarshal.Cast<TPred, double>(preds), target);
        }
        else
        {
            Update<double, TTarget>(BinaryHingeLoss.Widen(preds), target);
        }
    }

    MetricValue ICollectableMetric.ComputeMetricValue()
    {
        var value = Compute();
        return value.IsScalar ? MetricValue.Scalar(value.Value) : MetricValue.Vector([.. value.Values]);
    }

    void ICollectableMetric.MergeFrom(ICollectableMetric other) =>
        Merge(other as MulticlassHingeLoss ?? throw new HingeArgumentException(nameof(other),
            $"Cannot merge {other.GetType().Name} into MulticlassHingeLoss."));
}
