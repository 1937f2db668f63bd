using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>The partial result of one unit of a multiclass pass (its sums go to a caller-provided span).</summary>
internal readonly record struct MulticlassUnit(long Count, UnitStatus Status)
{
    /// <summary>Two parts of one unit together: their rows counted, their statuses combined.</summary>
    public static MulticlassUnit operator +(MulticlassUnit a, MulticlassUnit b) =>
        new(a.Count + b.Count, a.Status | b.Status);
}

/// <summary>
/// The multiclass hinge over one unit of rows in a single fused pass: class-index validation, the pass's check on the
/// scores of kept rows, optional softmax, then Crammer–Singer or one-vs-all sums. Rows are walked with vectors
/// across the classes: full vectors, then one last vector that ends at the row's end and overlaps the previous one
/// (overlapping lanes are harmless for maxima and masked off for sums). No gathers.
/// </summary>
internal static class MulticlassUnits
{
    /// <summary>
    /// Runs the unit. Scores used as they are (no softmax) with C between half a vector and two vectors go through
    /// <see cref="MulticlassBlocks"/> (Crammer–Singer) or <see cref="MulticlassShortRows"/> (one-vs-all); everything
    /// else row by row at the widest width not wider than a
    /// row (C ≥ lanes), else scalar. <paramref name="sums"/> (1 value for Crammer–Singer, C for one-vs-all) must be zero
    /// on entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static MulticlassUnit Run<T, TTarget, TPass>(SimdWidth width, ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in MulticlassRun run, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var c = run.NumClasses;
        if ((typeof(T) == typeof(float) || typeof(T) == typeof(double)) &&
            run.Mode == MulticlassMode.CrammerSinger && !TPass.Squash)
        {
            if (width >= SimdWidth.V512 && MulticlassBlocks.Applies(c, Vector512<T>.Count))
            {
                return MulticlassBlocks.CrammerSinger<Lanes512<T>, Vector512<T>, Vector512<double>, T, TTarget, TPass>(
                    width, preds, target, run, sums);
            }

            if (width >= SimdWidth.V256 && MulticlassBlocks.Applies(c, Vector256<T>.Count))
            {
                return MulticlassBlocks.CrammerSinger<Lanes256<T>, Vector256<T>, Vector256<double>, T, TTarget, TPass>(
                    width, preds, target, run, sums);
            }

            if (width >= SimdWidth.V128 && MulticlassBlocks.Applies(c, Vector128<T>.Count, narrowest: true))
            {
                return MulticlassBlocks.CrammerSinger<Lanes128<T>, Vector128<T>, Vector128<double>, T, TTarget, TPass>(
                    width, preds, target, run, sums);
            }
        }

        if ((typeof(T) == typeof(float) || typeof(T) == typeof(double)) &&
            run.Mode == MulticlassMode.OneVsAll && !TPass.Squash)
        {
            if (width >= SimdWidth.V512 && MulticlassBlocks.Applies(c, Vector512<T>.Count))
            {
                return MulticlassShortRows.OneVsAll<Lanes512<T>, Vector512<T>, Vector512<double>, T, TTarget, TPass>(
                    width, preds, target, run, sums);
            }

            if (width >= SimdWidth.V256 && MulticlassBlocks.Applies(c, Vector256<T>.Count))
            {
                return MulticlassShortRows.OneVsAll<Lanes256<T>, Vector256<T>, Vector256<double>, T, TTarget, TPass>(
                    width, preds, target, run, sums);
            }

            if (width >= SimdWidth.V128 && MulticlassBlocks.Applies(c, Vector128<T>.Count, narrowest: true))
            {
                return MulticlassShortRows.OneVsAll<Lanes128<T>, Vector128<T>, Vector128<double>, T, TTarget, TPass>(
                    width, preds, target, run, sums);
            }
        }

        return RowByRow<T, TTarget, TPass>(width, preds, target, run, sums);
    }

    /// <summary>Row by row at the widest width with C ≥ lanes (else scalar); adds to <paramref name="sums"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static MulticlassUnit RowByRow<T, TTarget, TPass>(SimdWidth width, ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in MulticlassRun run, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var c = run.NumClasses;
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
        {
            if (width >= SimdWidth.V512 && Vector512<T>.Count <= c)
            {
                return Rows<Lanes512<T>, Vector512<T>, Vector512<double>, T, TTarget, TPass>(preds, target, run, sums);
            }

            if (width >= SimdWidth.V256 && Vector256<T>.Count <= c)
            {
                return Rows<Lanes256<T>, Vector256<T>, Vector256<double>, T, TTarget, TPass>(preds, target, run, sums);
            }

            if (width >= SimdWidth.V128 && Vector128<T>.Count <= c)
            {
                return Rows<Lanes128<T>, Vector128<T>, Vector128<double>, T, TTarget, TPass>(preds, target, run, sums);
            }
        }

        return ScalarRows(preds, target, run, TPass.Squash, TPass.RangeCheck, check: true, sums);
    }

    /// <summary>Whether a kept row holds a score outside [0, 1] (the exact test behind a failed fast range check).</summary>
    internal static bool HasScoreOutsideUnitInterval<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var c = run.NumClasses;
        for (var r = 0; r < target.Length; r++)
        {
            if (TargetCodes.Class(target[r], c, run.IgnoreIndex) < 0)
            {
                continue;
            }

            foreach (var x in preds.Slice(r * c, c))
            {
                if (!SimdMath.InUnitInterval(x))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The vector row loop for one width; adds to <paramref name="sums"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static MulticlassUnit Rows<TL, TV, TD, T, TTarget, TPass>(ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in MulticlassRun run, Span<double> sums)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var c = run.NumClasses;
        var w = TL.Count;
        var vectors = (c + w - 1) / w;
        var last = (nuint)(c - w);
        var fresh = TL.AndNot(TL.AllBits, TL.FirstLanes((vectors * w) - c));
        var negativeInfinity = TL.Create(T.NegativeInfinity);
        var oneVsAll = run.Mode == MulticlassMode.OneVsAll;
        var squared = run.Squared;
        Span<T> scratch = !TPass.Squash ? default : c <= 1024 ? stackalloc T[c] : new T[c];
        var accLength = oneVsAll ? 2 * vectors : 0;
        Span<TD> acc = accLength <= 64 ? stackalloc TD[accLength] : new TD[accLength];
        acc.Clear();

        var failed = TL.Zero;
        double sum = 0;
        long count = 0;
        var status = UnitStatus.Ok;
        for (var r = 0; r < target.Length; r++)
        {
            var y = TargetCodes.Class(target[r], c, run.IgnoreIndex);
            if (y < 0)
            {
                status |= y == TargetCodes.InvalidClass ? UnitStatus.TargetInvalid : UnitStatus.Ok;
                continue;
            }

            count++;
            var scale = TL.One;
            if (TPass.Squash)
            {
                var (bad, total) = Exponentials<TL, TV, TD, T>(in preds[r * c], c, scratch, fresh);
                failed = TL.Or(failed, bad);
                scale = TL.Create(total);
            }

            ref readonly var row = ref TPass.Squash ? ref MemoryMarshal.GetReference(scratch) : ref preds[r * c];

            if (!oneVsAll)
            {
                var other = negativeInfinity;
                for (var q = 0; q < vectors; q++)
                {
                    var o = Math.Min((nuint)(q * w), last);
                    var v = TL.Load(in row, o);
                    if (TPass.Squash)
                    {
                        v = TL.Divide(v, scale);
                    }
                    else
                    {
                        failed = TL.Or(failed, Check<TL, TV, TD, T, TPass>(v));
                    }

                    other = TL.Max(other, TL.Select(TL.LaneIs(y - (int)o), negativeInfinity, v));
                }

                var py = Unsafe.Add(ref Unsafe.AsRef(in row), y);
                if (TPass.Squash)
                {
                    py /= TL.MaxAcross(scale); // every lane holds the softmax denominator
                }

                sum += double.CreateTruncating(SimdMath.Hinge(py - TL.MaxAcross(other), squared));
                continue;
            }

            for (var q = 0; q < vectors; q++)
            {
                var o = Math.Min((nuint)(q * w), last);
                var v = TL.Load(in row, o);
                if (TPass.Squash)
                {
                    v = TL.Divide(v, scale);
                }
                else
                {
                    failed = TL.Or(failed, Check<TL, TV, TD, T, TPass>(v));
                }

                // s·p with s = +1 for the true class, −1 for the others.
                var h = TL.Hinge(TL.Xor(v, TL.AndNot(TL.SignBit, TL.LaneIs(y - (int)o))));
                if (squared)
                {
                    h = TL.Multiply(h, h);
                }

                if (q == vectors - 1)
                {
                    h = TL.And(h, fresh);
                }

                acc[2 * q] = TL.AddDouble(acc[2 * q], TL.WidenLower(h));
                if (TL.Widens)
                {
                    acc[(2 * q) + 1] = TL.AddDouble(acc[(2 * q) + 1], TL.WidenUpper(h));
                }
            }
        }

        if (oneVsAll)
        {
            Span<double> lanes = stackalloc double[w];
            for (var q = 0; q < vectors; q++)
            {
                var o = Math.Min(q * w, (int)last);
                TL.Store(acc[2 * q], acc[(2 * q) + 1], lanes);
                for (var j = 0; j < w; j++)
                {
                    sums[o + j] += lanes[j];
                }
            }
        }
        else
        {
            sums[0] += sum;
        }

        status |= TL.AnyBits(failed) ? UnitStatus.CheckFailed : UnitStatus.Ok;
        return new MulticlassUnit(count, status);
    }

    /// <summary>Mask of the lanes failing the pass's check ([0, 1] or finiteness).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Check<TL, TV, TD, T, TPass>(TV v)
        where TL : ISimdLanes<TV, TD, T>
        where TV : struct
        where TD : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPass : IPass =>
        TL.AndNot(TL.AllBits, TPass.RangeCheck ? TL.InUnitInterval(v) : TL.IsFinite(v));

    /// <summary>
    /// The numerators of one row's softmax, <c>exp(x − max)</c>, into <paramref name="destination"/>, and their sum:
    /// the callers divide, as torch does (<c>exp(x − max) / Σ</c>, in the prediction type). Also returns the mask of
    /// non-finite scores (the row is then redone or rejected).
    /// </summary>
    private static (TV Bad, T Total) Exponentials<TL, TV, TD, T>(ref readonly T row, int c, Span<T> destination,
        TV fresh)
        where TL : ISimdLanes<TV, TD, T>
        where TV : struct
        where TD : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = TL.Count;
        var vectors = (c + w - 1) / w;
        var last = (nuint)(c - w);
        var bad = TL.Zero;
        var max = TL.Create(T.NegativeInfinity);
        for (var q = 0; q < vectors; q++)
        {
            var v = TL.Load(in row, Math.Min((nuint)(q * w), last));
            bad = TL.Or(bad, TL.AndNot(TL.AllBits, TL.IsFinite(v)));
            max = TL.Max(max, v);
        }

        var shift = TL.Create(TL.MaxAcross(max));
        ref var d = ref MemoryMarshal.GetReference(destination);
        var total = TL.Zero;
        for (var q = 0; q < vectors; q++)
        {
            var o = Math.Min((nuint)(q * w), last);
            var e = TL.Exp(TL.Subtract(TL.Load(in row, o), shift));
            TL.Store(e, ref d, o);
            total = TL.Add(total, q == vectors - 1 ? TL.And(e, fresh) : e);
        }

        return (bad, TL.SumAcross(total));
    }

    /// <summary>
    /// The plain row loop with torch's semantics (NaN and ±∞ propagate). Used for C below the narrowest vector, other
    /// prediction types, and units holding non-finite scores under <see cref="NonFiniteHandling.Propagate"/>.
    /// </summary>
    internal static MulticlassUnit ScalarRows<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, bool squash, bool rangeCheck, bool check, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var c = run.NumClasses;
        Span<T> buffer = c <= 256 ? stackalloc T[c] : new T[c];
        long count = 0;
        var status = UnitStatus.Ok;
        for (var r = 0; r < target.Length; r++)
        {
            var y = TargetCodes.Class(target[r], c, run.IgnoreIndex);
            if (y < 0)
            {
                status |= y == TargetCodes.InvalidClass ? UnitStatus.TargetInvalid : UnitStatus.Ok;
                continue;
            }

            count++;
            scoped var row = preds.Slice(r * c, c);
            if (check)
            {
                foreach (var x in row)
                {
                    status |= (rangeCheck ? SimdMath.InUnitInterval(x) : T.IsFinite(x)) ? 0 : UnitStatus.CheckFailed;
                }
            }

            if (squash)
            {
                SimdMath.Softmax(row, buffer);
                row = buffer;
            }

            if (run.Mode == MulticlassMode.CrammerSinger)
            {
                sums[0] += double.CreateTruncating(SimdMath.CrammerSinger(row, y, run.Squared));
                continue;
            }

            for (var j = 0; j < c; j++)
            {
                sums[j] += double.CreateTruncating(SimdMath.Hinge(j == y ? row[j] : -row[j], run.Squared));
            }
        }

        return new MulticlassUnit(count, status);
    }
}
