using HingeSharp.Metrics;
using System.Runtime.InteropServices;

namespace HingeSharp.Classification;

/// <summary><see cref="MulticlassHingeLoss"/> in a <see cref="MetricCollection"/> (scores <c>(N, C)</c>
/// row-major).</summary>
public sealed partial class MulticlassHingeLoss : ICollectableMetric
{
    /// <summary>The name the metric is saved under.</summary>
    public string MetricName => nameof(MulticlassHingeLoss);

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
