using System.Buffers;
using System.Numerics;
using HingeSharp.Kernels;

namespace HingeSharp.Functional;

public static partial class HingeFunctional
{
    /// <summary>
    /// Multiclass hinge loss over row-major <c>(N, C)</c> scores: Crammer–Singer (a scalar) or one-vs-all
    /// (one value per class), squared after the clamp when asked.
    /// </summary>
    /// <typeparam name="TPred"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TTarget">An integer type holding class indices.</typeparam>
    /// <param name="preds">Scores, <c>N·C</c> values, row-major. With <see cref="HingeInputKind.Auto"/> they are used
    /// as they are if every kept value lies in [0, 1] (rows need not sum to 1), and softmax is applied to every row
    /// otherwise.</param>
    /// <param name="target">Class indices in [0, C), or the ignore index; N values.</param>
    /// <param name="numClasses">C, larger than 1. Without validation torchmetrics ignores it and takes C from the
    /// data; here C is then <c>preds.Length / target.Length</c>.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="multiclassMode">Crammer–Singer (default) or one-vs-all.</param>
    /// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
    /// <param name="validateArgs">Check <paramref name="numClasses"/> against the data (torchmetrics'
    /// <c>validate_args</c>). Class indices are always checked: an out-of-range index is an error either way.</param>
    /// <param name="inputKind">How to read <paramref name="preds"/>.</param>
    /// <param name="nonFinite">Whether NaN/±∞ among the kept scores throw (default) or propagate.</param>
    /// <returns>The loss: a scalar for Crammer–Singer, a length-C vector for one-vs-all (NaN per class when no row
    /// is kept).</returns>
    /// <exception cref="HingeArgumentException">Bad shapes, class count, an out-of-range class index (naming its
    /// index), a non-finite score, or no row left for Crammer–Singer.</exception>
    /// <example><code>
    /// float[] preds = [0.25f, 0.20f, 0.55f, 0.55f, 0.05f, 0.40f, 0.10f, 0.30f, 0.60f, 0.90f, 0.05f, 0.05f];
    /// HingeFunctional.MulticlassHingeLoss(preds, [0, 1, 2, 0], numClasses: 3); // 0.9125
    /// </code></example>
    public static HingeLossValue MulticlassHingeLoss<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, int numClasses, bool squared = false,
        MulticlassMode multiclassMode = MulticlassMode.CrammerSinger, int? ignoreIndex = null,
        bool validateArgs = true, HingeInputKind inputKind = HingeInputKind.Auto,
        NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var batch = MulticlassHinge.Update(preds, target, numClasses, squared, multiclassMode, ignoreIndex,
            validateArgs, inputKind, nonFinite, requireNumClasses: false);
        return MulticlassHinge.Compute(batch.Measures, batch.Total, multiclassMode);
    }

    /// <summary>
    /// Multiclass hinge loss over <c>(N, C, d1, …)</c> scores and <c>(N, d1, …)</c> targets, as torchmetrics moves the
    /// class axis last: <c>preds.movedim(1, -1).reshape(-1, C)</c>.
    /// </summary>
    /// <param name="preds">Scores in row-major order of <paramref name="predsShape"/>.</param>
    /// <param name="predsShape">The shape of <paramref name="preds"/>: <c>(N, C, d1, …)</c>.</param>
    /// <param name="target">Class indices in row-major order of <paramref name="targetShape"/>.</param>
    /// <param name="targetShape">The shape of <paramref name="target"/>: <c>(N, d1, …)</c>.</param>
    /// <param name="numClasses">C, larger than 1; must equal <c>predsShape[1]</c> when validating.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="multiclassMode">Crammer–Singer (default) or one-vs-all.</param>
    /// <param name="ignoreIndex">Positions whose target equals it take no part.</param>
    /// <param name="validateArgs">Check <paramref name="numClasses"/> against <c>predsShape[1]</c>.</param>
    /// <param name="inputKind">How to read <paramref name="preds"/>.</param>
    /// <param name="nonFinite">Whether NaN/±∞ among the kept scores throw (default) or propagate.</param>
    /// <returns>A scalar for Crammer–Singer, a length-C vector for one-vs-all.</returns>
    /// <exception cref="HingeArgumentException">Shapes break torchmetrics' rules, or any error of the flat overload.</exception>
    public static HingeLossValue MulticlassHingeLoss<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<int> predsShape, ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape, int numClasses,
        bool squared = false, MulticlassMode multiclassMode = MulticlassMode.CrammerSinger, int? ignoreIndex = null,
        bool validateArgs = true, HingeInputKind inputKind = HingeInputKind.Auto,
        NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var classes = MulticlassHinge.ValidateShapes(preds.Length, predsShape, target.Length, targetShape,
            numClasses, validateArgs);
        var rented = MulticlassHinge.MoveClassLast(preds, predsShape, out var moved);
        try
        {
            return MulticlassHingeLoss(moved, target, classes, squared, multiclassMode, ignoreIndex,
                validateArgs: false, inputKind, nonFinite);
        }
        catch (HingeArgumentException ex) when (rented is not null && ex.ParamName == "preds" && ex.Index is not null)
        {
            throw MulticlassHinge.InCallerLayout(ex, predsShape);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<TPred>.Shared.Return(rented);
            }
        }
    }
}
