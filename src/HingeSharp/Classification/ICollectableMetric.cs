using HingeSharp.Metrics;
using System.Numerics;

namespace HingeSharp.Classification;

/// <summary>
/// A streaming metric that a <see cref="MetricCollection"/> can hold: the classification metrics
/// (<see cref="BinaryAccuracy"/>, <see cref="MulticlassF1Score"/>, …) and the hinge metrics
/// (<see cref="BinaryHingeLoss"/>, <see cref="MulticlassHingeLoss"/>).
/// </summary>
public interface ICollectableMetric
{
    /// <summary>The metric's type name, as saved states name it.</summary>
    string MetricName { get; }

    /// <summary>Accepted updates since construction or the last reset.</summary>
    long UpdateCount { get; }

    /// <summary>Accumulates a batch (binary: preds and target of equal length; multiclass: scores <c>(N, C)</c>
    /// row-major or labels, and N targets).</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    void UpdateBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>;

    /// <summary>The metric over everything accumulated.</summary>
    MetricValue ComputeMetricValue();

    /// <summary>Clears the state.</summary>
    void Reset();

    /// <summary>Adds the state of a metric of the same type and settings.</summary>
    /// <param name="other">The other metric.</param>
    void MergeFrom(ICollectableMetric other);

    /// <summary>Writes settings and state as JSON.</summary>
    /// <param name="stream">Receives UTF-8 JSON; not closed.</param>
    void SaveState(Stream stream);

    /// <summary>Replaces the state with a saved one of the same type and settings.</summary>
    /// <param name="stream">UTF-8 JSON; not closed.</param>
    void LoadState(Stream stream);
}
