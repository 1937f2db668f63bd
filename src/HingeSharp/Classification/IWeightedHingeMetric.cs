using System.Numerics;

namespace HingeSharp.Classification;

/// <summary>
/// A streaming hinge metric that also takes per-sample weights (binary: one per element; multiclass: one per row).
/// Weighted and unweighted updates mix freely: an unweighted element counts with weight 1.
/// </summary>
public interface IWeightedHingeMetric : IHingeMetric
{
    /// <summary>Accumulates a weighted batch.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    /// <param name="sampleWeight">Finite, non-negative weights, one per sample, or empty for none.</param>
    void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>;

    /// <summary>Accumulates a weighted batch and returns the weighted loss of that batch alone.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    /// <param name="sampleWeight">Finite, non-negative weights, one per sample, or empty for none.</param>
    HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>;
}
