using System.Numerics;
using System.Runtime.InteropServices;
using HingeSharp.Kernels;

namespace HingeSharp.Functional;

/// <summary>
/// Functional hinge losses with torchmetrics 1.9 semantics (<c>torchmetrics.functional.classification</c>),
/// over spans of <see cref="float"/> or <see cref="double"/> predictions.
/// </summary>
public static partial class HingeFunctional
{
    /// <summary>
    /// Mean binary hinge loss, <c>mean(max(0, 1 − y·p))</c> with <c>y = +1</c> where <paramref name="target"/> is
    /// non-zero and <c>−1</c> elsewhere; squared after the clamp when <paramref name="squared"/> is set.
    /// </summary>
    /// <typeparam name="TPred"><see cref="float"/> or <see cref="double"/>; the loss is computed in this precision
    /// and summed in double.</typeparam>
    /// <typeparam name="TTarget">Any numeric type: <see cref="byte"/>, <see cref="int"/>, <see cref="long"/>, or
    /// floating 0/1 as torchmetrics accepts.</typeparam>
    /// <param name="preds">Predictions, any shape flattened. With <see cref="HingeInputKind.Auto"/> (default) they are
    /// probabilities if every kept value lies in [0, 1], and are passed through sigmoid otherwise.</param>
    /// <param name="target">Labels 0/1 (or the ignore index), same length as <paramref name="preds"/>.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="ignoreIndex">Elements whose target equals it take no part (not in the sum, count or the
    /// probability decision).</param>
    /// <param name="validateArgs">Check that targets are 0, 1 or the ignore index (torchmetrics'
    /// <c>validate_args</c>; its functional default is False, HingeSharp's is true). Without it any non-zero target
    /// counts as positive.</param>
    /// <param name="inputKind">How to read <paramref name="preds"/>.</param>
    /// <param name="nonFinite">Whether NaN/±∞ among the kept predictions throw (default) or propagate.</param>
    /// <returns>The mean loss; NaN when no element is kept (0/0, as torchmetrics).</returns>
    /// <exception cref="HingeArgumentException">Lengths differ; a target is not 0, 1 or the ignore index (with
    /// validation); a kept prediction is not finite (with <see cref="NonFiniteHandling.Throw"/>); a prediction lies
    /// outside [0, 1] with <see cref="HingeInputKind.Probabilities"/>. An invalid target is reported before any
    /// prediction error, each at the first offending index.</exception>
    /// <remarks>One fused SIMD pass (two with logits under <see cref="HingeInputKind.Auto"/>: the probability pass
    /// stops at the first kept value outside [0, 1]). Batches of about a million elements and more are cut into fixed
    /// chunks of 65,536 elements that run on all cores; chunk sums are added in chunk order, so the result does not
    /// depend on the number of threads.</remarks>
    /// <example><code>
    /// HingeFunctional.BinaryHingeLoss([0.5f, 0.7f, 0.1f], [0, 1, 1]); // 0.9000 (the tutorial's HingeLoss example)
    /// </code></example>
    public static double BinaryHingeLoss<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        bool squared = false, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        BinaryHinge.Update(preds, target, squared, ignoreIndex, validateArgs, inputKind, nonFinite).Mean;

    /// <summary>Mean binary hinge loss with boolean targets (true = positive).</summary>
    /// <inheritdoc cref="BinaryHingeLoss{TPred, TTarget}(ReadOnlySpan{TPred}, ReadOnlySpan{TTarget}, bool, int?, bool, HingeInputKind, NonFiniteHandling)"/>
    public static double BinaryHingeLoss<TPred>(ReadOnlySpan<TPred> preds, ReadOnlySpan<bool> target,
        bool squared = false, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
        where TPred : unmanaged, IFloatingPointIeee754<TPred> =>
        BinaryHingeLoss(preds, MemoryMarshal.Cast<bool, byte>(target), squared, ignoreIndex, validateArgs, inputKind,
            nonFinite);
}

/// <summary>The binary hinge's update and compute steps, shared by the functional and the metric.</summary>
internal static class BinaryHinge
{
    internal static HingeState Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        bool squared, int? ignoreIndex, bool validateArgs, HingeInputKind inputKind, NonFiniteHandling nonFinite)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        ValidateOptions(inputKind, nonFinite);
        var sums = BinaryKernels.Sum(preds, target, squared, ignoreIndex, validateArgs, inputKind, nonFinite);
        return new HingeState(sums.Measures, sums.Total);
    }

    internal static void ValidateOptions(HingeInputKind inputKind, NonFiniteHandling nonFinite)
    {
        // Range checks rather than Enum.IsDefined: this runs on every update (a few ns instead of tens).
        if ((uint)inputKind > (uint)HingeInputKind.Margins)
        {
            ThrowHelper.ThrowArgument(nameof(inputKind),
                $"Expected argument `input_kind` to be one of Auto, Probabilities, Logits, Margins, but got {(int)inputKind}.");
        }

        if ((uint)nonFinite > (uint)NonFiniteHandling.Propagate)
        {
            ThrowHelper.ThrowArgument(nameof(nonFinite),
                $"Expected argument `non_finite` to be Throw or Propagate, but got {(int)nonFinite}.");
        }
    }
}
