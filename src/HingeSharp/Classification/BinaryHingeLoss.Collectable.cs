using HingeSharp.Metrics;
using System.Numerics;
using System.Runtime.InteropServices;
using HingeSharp.Kernels;

namespace HingeSharp.Classification;

/// <summary><see cref="BinaryHingeLoss"/> in a <see cref="MetricCollection"/>: it shares the collection's fused pass
/// with the binary classification metrics of the same ignore index, validation, input kind and non-finite
/// handling.</summary>
public sealed partial class BinaryHingeLoss : ICollectableMetric
{
    /// <summary>The name the metric is saved under.</summary>
    public string MetricName => nameof(BinaryHingeLoss);

    /// <summary>Whether the metric can take its share of a fused pass (unweighted, no variance tracking).</summary>
    internal bool CanFuse => !UsesWeightedPath;

    /// <summary>Takes the hinge part of a fused pass (made with this metric's settings).</summary>
    internal void CommitPass(in BinaryStatSums sums) => Commit(new HingeState(sums.Hinge.Measures, sums.Hinge.Total));

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
            Update<double, TTarget>(Widen(preds), target);
        }
    }

    MetricValue ICollectableMetric.ComputeMetricValue() => MetricValue.Scalar(Compute());

    void ICollectableMetric.MergeFrom(ICollectableMetric other) =>
        Merge(other as BinaryHingeLoss ?? throw new HingeArgumentException(nameof(other),
            $"Cannot merge {other.GetType().Name} into BinaryHingeLoss."));

    internal static double[] Widen<TPred>(ReadOnlySpan<TPred> preds)
        where TPred : unmanaged, INumberBase<TPred>
    {
        var widened = new double[preds.Length];
        for (var i = 0; i < preds.Length; i++)
        {
            widened[i] = double.CreateTruncating(preds[i]);
        }

        return widened;
    }
}
