using System.Numerics;

namespace HingeSharp.Kernels;

/// <summary>
/// Turns a chunk of binary targets of any numeric type into signs in the prediction type:
/// <c>+1</c> (positive), <c>−1</c> (negative) or <c>0</c> (ignored). Validation is fused into the same pass.
/// </summary>
internal static class TargetCodes
{
    /// <summary>Fills <paramref name="destination"/> with the signs of <paramref name="target"/>.</summary>
    /// <param name="target">The chunk of targets.</param>
    /// <param name="destination">Signs, same length.</param>
    /// <param name="ignoreIndex">Targets equal to it are ignored (sign 0).</param>
    /// <param name="validate">When true, a target other than 0, 1 or the ignore index throws.</param>
    /// <param name="offset">Flat index of the chunk's first element, for error messages.</param>
    /// <returns>The number of kept (non-ignored) elements.</returns>
    internal static int BinarySigns<T, TTarget>(ReadOnlySpan<TTarget> target, Span<T> destination, int? ignoreIndex,
        bool validate, long offset)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var kept = 0;
        var hasIgnore = ignoreIndex.HasValue;
        var ignore = (double)ignoreIndex.GetValueOrDefault();
        for (var i = 0; i < target.Length; i++)
        {
            var v = double.CreateTruncating(target[i]);
            if (hasIgnore && v == ignore)
            {
                destination[i] = T.Zero;
                continue;
            }

            if (validate && v != 0d && v != 1d)
            {
                ThrowHelper.ThrowInvalidBinaryTarget(target[i], offset + i, ignoreIndex);
            }

            // target.bool(): any non-zero value (NaN included) is positive, as in torch.
            destination[i] = v != 0d ? T.One : T.NegativeOne;
            kept++;
        }

        return kept;
    }

    /// <summary>
    /// Reads a chunk of class-index targets: <c>-1</c> marks an ignored row, otherwise the class index, which must
    /// lie in [0, <paramref name="numClasses"/>).
    /// </summary>
    /// <returns>The number of kept rows.</returns>
    internal static int ClassIndices<TTarget>(ReadOnlySpan<TTarget> target, Span<int> destination, int numClasses,
        int? ignoreIndex, long offset)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var kept = 0;
        var hasIgnore = ignoreIndex.HasValue;
        var ignore = (double)ignoreIndex.GetValueOrDefault();
        for (var i = 0; i < target.Length; i++)
        {
            var v = double.CreateTruncating(target[i]);
            if (hasIgnore && v == ignore)
            {
                destination[i] = -1;
                continue;
            }

            if (!(v >= 0d && v < numClasses && v == Math.Floor(v)))
            {
                ThrowHelper.ThrowInvalidClassTarget((long)v, offset + i, numClasses, ignoreIndex);
            }

            destination[i] = (int)v;
            kept++;
        }

        return kept;
    }
}
