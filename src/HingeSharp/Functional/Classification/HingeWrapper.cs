using System.Numerics;
using HingeSharp.Classification;

namespace HingeSharp.Functional;

public static partial class HingeFunctional
{
    /// <summary>
    /// torchmetrics' functional <c>hinge_loss(task=...)</c>: the binary or multiclass hinge loss of one batch.
    /// Binary preds are flat; multiclass preds are row-major <c>(N, C)</c>.
    /// </summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    /// <param name="task"><c>"binary"</c> or <c>"multiclass"</c>, any case.</param>
    /// <param name="numClasses">Required for multiclass.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="multiclassMode"><c>"crammer-singer"</c> or <c>"one-vs-all"</c>.</param>
    /// <param name="ignoreIndex">Targets equal to it take no part.</param>
    /// <param name="validateArgs">Validate inputs (the wrapper's default is true).</param>
    public static HingeLossValue HingeLoss<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        string task, int? numClasses = null, bool squared = false, string multiclassMode = "crammer-singer",
        int? ignoreIndex = null, bool validateArgs = true)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var metric = HingeSharp.Classification.HingeLoss.Create(task, numClasses, squared, multiclassMode, ignoreIndex,
            validateArgs);
        return metric.Forward(preds, target);
    }
}
