using System.Buffers;
using System.Numerics;

namespace HingeSharp.Kernels;

/// <summary>
/// Multiclass hinge kernels over row-major <c>(rows, C)</c> scores: validation of class indices, the all-in-[0, 1]
/// decision over kept rows, softmax when needed, and Crammer–Singer or one-vs-all sums in double.
/// </summary>
internal static class MulticlassKernels
{
    internal const int ChunkRows = 256;

    /// <summary>
    /// Accumulates one batch into <paramref name="measures"/> (length 1 for Crammer–Singer, C for one-vs-all) and
    /// returns the number of kept rows. <paramref name="measures"/> is only written, never read, so a caller that
    /// throws away the buffer on error keeps its own state intact.
    /// </summary>
    internal static long Sum<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, int numClasses,
        MulticlassMode mode, bool squared, int? ignoreIndex, HingeInputKind inputKind, NonFiniteHandling nonFinite,
        Span<double> measures)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var c = numClasses;
        var rows = target.Length;
        if ((long)rows * c != preds.Length)
        {
            ThrowHelper.ThrowArgument("preds",
                $"`preds` has {preds.Length} values, but {rows} targets × {c} classes need {(long)rows * c}.");
        }

        measures.Clear();
        var classes = ArrayPool<int>.Shared.Rent(Math.Min(Math.Max(rows, 1), ChunkRows));
        try
        {
            // Pass 1: validate targets, reject non-finite scores, decide probabilities vs logits over kept rows.
            long kept = 0;
            var allInRange = true;
            for (var start = 0; start < rows; start += ChunkRows)
            {
                var n = Math.Min(ChunkRows, rows - start);
                var cls = classes.AsSpan(0, n);
                kept += TargetCodes.ClassIndices(target.Slice(start, n), cls, c, ignoreIndex, start);
                for (var r = 0; r < n; r++)
                {
                    if (cls[r] < 0)
                    {
                        continue;
                    }

                    var row = preds.Slice((start + r) * c, c);
                    for (var j = 0; j < row.Length; j++)
                    {
                        var x = row[j];
                        if (nonFinite == NonFiniteHandling.Throw && !T.IsFinite(x))
                        {
                            ThrowHelper.ThrowNonFinite("preds", x, ((long)start + r) * c + j);
                        }

                        if (!SimdMath.InUnitInterval(x))
                        {
                            if (inputKind == HingeInputKind.Probabilities)
                            {
                                ThrowHelper.ThrowNotProbability(x, ((long)start + r) * c + j);
                            }

                            allInRange = false;
                        }
                    }
                }
            }

            if (mode == MulticlassMode.CrammerSinger && kept == 0)
            {
                ThrowHelper.ThrowEmptyCrammerSinger(rows);
            }

            var softmax = inputKind == HingeInputKind.Logits || (inputKind == HingeInputKind.Auto && !allInRange);

            // Pass 2: the sums (targets are known valid now).
            Span<T> buffer = c <= 256 ? stackalloc T[c] : new T[c];
            for (var start = 0; start < rows; start += ChunkRows)
            {
                var n = Math.Min(ChunkRows, rows - start);
                var cls = classes.AsSpan(0, n);
                TargetCodes.ClassIndices(target.Slice(start, n), cls, c, ignoreIndex, start);
                for (var r = 0; r < n; r++)
                {
                    var y = cls[r];
                    if (y < 0)
                    {
                        continue;
                    }

                    scoped ReadOnlySpan<T> row = preds.Slice((start + r) * c, c);
                    if (softmax)
                    {
                        Softmax(row, buffer);
                        row = buffer;
                    }

                    if (mode == MulticlassMode.CrammerSinger)
                    {
                        measures[0] += double.CreateTruncating(CrammerSinger(row, y, squared));
                    }
                    else
                    {
                        for (var j = 0; j < c; j++)
                        {
                            var s = j == y ? row[j] : -row[j];
                            measures[j] += double.CreateTruncating(SimdMath.Hinge(s, squared));
                        }
                    }
                }
            }

            return kept;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(classes);
        }
    }

    /// <summary><c>max(0, 1 − (p[y] − max_{j≠y} p[j]))</c>, squared after the clamp when asked.</summary>
    internal static T CrammerSinger<T>(ReadOnlySpan<T> row, int y, bool squared)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var other = T.NegativeInfinity;
        var nan = false;
        for (var j = 0; j < row.Length; j++)
        {
            if (j == y)
            {
                continue;
            }

            nan |= T.IsNaN(row[j]);
            other = row[j] > other ? row[j] : other;
        }

        if (nan)
        {
            other = T.NaN;
        }

        return SimdMath.Hinge(row[y] - other, squared);
    }

    /// <summary>Softmax over one row, as torch computes it: <c>exp(x − max) / Σ exp(x − max)</c>.</summary>
    internal static void Softmax<T>(ReadOnlySpan<T> row, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = T.NegativeInfinity;
        var nan = false;
        foreach (var x in row)
        {
            nan |= T.IsNaN(x);
            max = x > max ? x : max;
        }

        if (nan)
        {
            destination.Fill(T.NaN);
            return;
        }

        var sum = T.Zero;
        for (var j = 0; j < row.Length; j++)
        {
            var e = T.Exp(row[j] - max);
            destination[j] = e;
            sum += e;
        }

        for (var j = 0; j < row.Length; j++)
        {
            destination[j] /= sum;
        }
    }
}
