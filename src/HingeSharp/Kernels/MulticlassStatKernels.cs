using System.Numerics;
using System.Runtime.CompilerServices;

namespace HingeSharp.Kernels;

/// <summary>
/// Multiclass confusion counts over row-major <c>(rows, C)</c> scores or class-label predictions: the predicted class
/// is the first index of the row maximum (torch's <c>argmax</c>: a NaN counts as the maximum), or the k largest
/// scores for top-k. Counts go into caller buffers that the caller adds to its state only after the whole batch
/// succeeded; an invalid target or label throws before anything is returned.
/// </summary>
internal static class MulticlassStatKernels
{
    /// <summary>Adds <c>confusion[target, argmax(row)]</c> for every kept row (confusion is C×C, row-major).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long Confusion<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, int numClasses,
        int? ignoreIndex, Span<long> confusion)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        CheckRows(preds.Length, target.Length, numClasses);
        long kept = 0;
        for (var r = 0; r < target.Length; r++)
        {
            var y = ClassOf(target, r, numClasses, ignoreIndex);
            if (y < 0)
            {
                continue;
            }

            confusion[(y * numClasses) + ArgMax(preds.Slice(r * numClasses, numClasses))]++;
            kept++;
        }

        return kept;
    }

    /// <summary>Adds <c>confusion[target, pred]</c> for class-label predictions (each must be a class index).</summary>
    internal static long ConfusionLabels<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        int numClasses, int? ignoreIndex, Span<long> confusion)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (preds.Length != target.Length)
        {
            ThrowHelper.ThrowShapeMismatch(preds.Length, target.Length);
        }

        long kept = 0;
        for (var r = 0; r < target.Length; r++)
        {
            var y = ClassOf(target, r, numClasses, ignoreIndex);
            if (y < 0)
            {
                continue;
            }

            var p = TargetCodes.Class(preds[r], numClasses, null);
            if (p < 0)
            {
                ThrowHelper.ThrowArgument("preds",
                    $"`preds[{r}]` = {Format(preds[r])} is not a class label: expected an integer in " +
                    $"[0, {numClasses - 1}] for {numClasses} classes.");
            }

            confusion[(y * numClasses) + p]++;
            kept++;
        }

        return kept;
    }

    /// <summary>
    /// Per-class counts for top-k predictions (torchmetrics' one-hot of <c>topk</c>): for a kept row with target y,
    /// tp[y] when y is among the k largest scores, else fn[y]; fp[c] for every other class c among them.
    /// </summary>
    internal static long TopK<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, int numClasses, int k,
        int? ignoreIndex, Span<long> truePositives, Span<long> falsePositives, Span<long> falseNegatives)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        CheckRows(preds.Length, target.Length, numClasses);
        Span<int> top = numClasses <= 256 ? stackalloc int[numClasses] : new int[numClasses];
        long kept = 0;
        for (var r = 0; r < target.Length; r++)
        {
            var y = ClassOf(target, r, numClasses, ignoreIndex);
            if (y < 0)
            {
                continue;
            }

            var chosen = TopIndices(preds.Slice(r * numClasses, numClasses), k, top);
            var hit = false;
            foreach (var c in chosen)
            {
                if (c == y)
                {
                    hit = true;
                }
                else
                {
                    falsePositives[c]++;
                }
            }

            if (hit)
            {
                truePositives[y]++;
            }
            else
            {
                falseNegatives[y]++;
            }

            kept++;
        }

        return kept;
    }

    /// <summary>The first index of the row maximum; a NaN is the maximum (as torch's argmax).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ArgMax<T>(ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var best = row[0];
        var index = 0;
        if (T.IsNaN(best))
        {
            return 0;
        }

        for (var j = 1; j < row.Length; j++)
        {
            var x = row[j];
            if (x > best)
            {
                best = x;
                index = j;
            }
            else if (T.IsNaN(x))
            {
                return j;
            }
        }

        return index;
    }

    /// <summary>The indices of the k largest values (NaN largest; ties to the lower index).</summary>
    private static ReadOnlySpan<int> TopIndices<T>(ReadOnlySpan<T> row, int k, Span<int> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var chosen = scratch[..k];
        for (var m = 0; m < k; m++)
        {
            var index = -1;
            for (var j = 0; j < row.Length; j++)
            {
                if (chosen[..m].Contains(j))
                {
                    continue;
                }

                if (index < 0 || Greater(row[j], row[index]))
                {
                    index = j;
                }
            }

            chosen[m] = index;
        }

        return chosen;
    }

    private static bool Greater<T>(T x, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => T.IsNaN(x) ? !T.IsNaN(y) : x > y;

    /// <summary>The class of row <paramref name="r"/>'s target, −1 when ignored; throws for a target that is no
    /// class index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ClassOf<TTarget>(ReadOnlySpan<TTarget> target, int r, int numClasses, int? ignoreIndex)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var y = TargetCodes.Class(target[r], numClasses, ignoreIndex);
        if (y == TargetCodes.InvalidClass)
        {
            var value = TargetCodes.IsVectorTarget<TTarget>()
                ? long.CreateTruncating(target[r])
                : (long)double.CreateTruncating(target[r]);
            ThrowHelper.ThrowInvalidClassTarget(value, r, numClasses, ignoreIndex);
        }

        return y;
    }

    private static void CheckRows(int predsLength, int rows, int numClasses)
    {
        if ((long)rows * numClasses != predsLength)
        {
            ThrowHelper.ThrowArgument("preds",
                $"`preds` has {predsLength} values, but {rows} targets × {numClasses} classes need " +
                $"{(long)rows * numClasses}.");
        }
    }

    private static string Format<TPred>(TPred value)
        where TPred : unmanaged, INumberBase<TPred> =>
        value.ToString(null, System.Globalization.CultureInfo.InvariantCulture);
}
