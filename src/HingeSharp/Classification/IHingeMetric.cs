using System.Numerics;

namespace HingeSharp.Classification;

/// <summary>
/// A streaming hinge metric whatever its task, as returned by <see cref="HingeLoss.Create(string, int?, bool, string, int?, bool, HingeInputKind, NonFiniteHandling)"/>.
/// Binary metrics read <c>preds</c> flat; multiclass metrics read it as row-major <c>(N, C)</c>.
/// </summary>
public interface IHingeMetric
{
    /// <summary>Accumulates a batch.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>;

    /// <summary>Accumulates a batch and returns the value of that batch alone.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>;

    /// <summary>Accumulates a batch of any shape: binary preds and target of equal shape; multiclass preds
    /// <c>(N, C, d1, …)</c> with target <c>(N, d1, …)</c>.</summary>
    /// <param name="preds">Predictions, row-major in <paramref name="predsShape"/>.</param>
    /// <param name="predsShape">The shape of <paramref name="preds"/>.</param>
    /// <param name="target">Targets, row-major in <paramref name="targetShape"/>.</param>
    /// <param name="targetShape">The shape of <paramref name="target"/>.</param>
    void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>;

    /// <summary>Accumulates a shaped batch and returns the value of that batch alone.</summary>
    /// <param name="preds">Predictions, row-major in <paramref name="predsShape"/>.</param>
    /// <param name="predsShape">The shape of <paramref name="preds"/>.</param>
    /// <param name="target">Targets, row-major in <paramref name="targetShape"/>.</param>
    /// <param name="targetShape">The shape of <paramref name="target"/>.</param>
    HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>;

    /// <summary>The metric over everything accumulated.</summary>
    HingeLossValue ComputeValue();

    /// <summary>Clears the state.</summary>
    void Reset();
}
