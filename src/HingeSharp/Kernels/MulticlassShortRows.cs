using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HingeSharp.Kernels;

/// <summary>
/// One-vs-all for short rows (half a vector &lt; C ≤ two vectors) and scores used as they are: one or two vectors per
/// row, the sign flip of the other classes from a small table indexed by the class, and the per-class sums kept in
/// registers (widened to double) for the whole unit. With one vector per row the lanes past the row are masked. Float
/// rows of 10, 12 and 16 classes at 512 bits go by blocks of 16 rows instead (<see cref="MulticlassOneVsAllBlocks"/>).
/// </summary>
internal static class MulticlassShortRows
{
    /// <summary>The unit: float rows of 10, 12 or 16 classes at 512 bits go through
    /// <see cref="MulticlassOneVsAllBlocks"/> block by block, a block holding an ignored or invalid row through
    /// <see cref="Rows{TL, TV, TD, T, TTarget, TPass}"/>; so do the last rows, and every row at other shapes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static MulticlassUnit OneVsAll<TL, TV, TD, T, TTarget, TPass>(SimdWidth width, ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in MulticlassRun run, Span<double> sums)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var c = run.NumClasses;
        var rows = target.Length;
        var r0 = 0;
        var done = default(MulticlassUnit);
        if (MulticlassOneVsAllBlocks.Serves<TV, T>(run.Options with { Width = width }, c))
        {
            const int w = 16;
            while (true)
            {
                r0 = MulticlassOneVsAllBlocks.Run<T, TTarget, TPass>(preds, target, run, r0, sums, out var blocks);
                done += blocks;
                if (r0 + w > rows)
                {
                    break;
                }

                var block = Rows<TL, TV, TD, T, TTarget, TPass>(width, preds[(r0 * c)..], target.Slice(r0, w), run,
                    sums);
                done += block;
                r0 += w;
            }
        }

        var rest = Rows<TL, TV, TD, T, TTarget, TPass>(width, preds[(r0 * c)..], target[r0..], run, sums);
        return done + rest;
    }

    /// <summary>Row by row: the rows a vector may be read from go through <see cref="Loop"/>; the last ones (a vector
    /// from their start would leave the span) through <see cref="MulticlassUnits.RowByRow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static MulticlassUnit Rows<TL, TV, TD, T, TTarget, TPass>(SimdWidth width, ReadOnlySpan<T> preds,
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
        var rows = target.Length;
        var safe = c <= w ? Math.Min(rows, Math.Max(0, (preds.Length - w) / c) + 1) : rows;
        var r = c <= w
            ? Loop<TL, TV, TD, T, TTarget, TPass, FlagOn>(preds, target[..safe], run, sums)
            : Loop<TL, TV, TD, T, TTarget, TPass, FlagOff>(preds, target[..safe], run, sums);
        if (safe < rows)
        {
            var rest = MulticlassUnits.RowByRow<T, TTarget, TPass>(width, preds[(safe * c)..], target[safe..], run,
                sums);
            r += rest;
        }

        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static MulticlassUnit Loop<TL, TV, TD, T, TTarget, TPass, TOne>(ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in MulticlassRun run, Span<double> sums)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TOne : IFlag
    {
        var rows = target.Length;
        if (rows == 0)
        {
            return default;
        }

        var c = run.NumClasses;
        var w = TL.Count;
        var ignoreIndex = run.IgnoreIndex;
        var ignoreClass = run.IgnoreClass;
        var squared = run.Squared;
        var one = TOne.IsSet;
        var second = one ? 0 : c - w;

        // flips[q·C + y]: the sign bit in every lane of the row's vector q except class y's (s = −1 for the others).
        Span<TV> flips = stackalloc TV[2 * c];
        for (var y = 0; y < c; y++)
        {
            flips[y] = TL.Select(TL.LaneIs(y), TL.Zero, TL.SignBit);
            flips[c + y] = TL.Select(TL.LaneIs(y - second), TL.Zero, TL.SignBit);
        }

        // One vector: lanes past the row are masked. Two: the second vector's lanes already in the first are masked.
        var first = one ? TL.FirstLanes(c) : TL.AllBits;
        var fresh = TL.AndNot(TL.AllBits, TL.FirstLanes((2 * w) - c));
        ref var f = ref MemoryMarshal.GetReference(flips);
        TD a0 = default, a1 = default, a2 = default, a3 = default;
        var failed = TL.Zero;
        long count = 0;
        var status = UnitStatus.Ok;
        ref readonly var row = ref preds[0];
        for (var r = 0; r < rows; r++, row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c))
        {
            int y;
            if (typeof(TTarget) == typeof(int))
            {
                y = Unsafe.As<TTarget, int>(ref Unsafe.AsRef(in target[r]));
                if ((uint)y >= (uint)c || y == ignoreClass)
                {
                    status |= y == ignoreIndex ? UnitStatus.Ok : UnitStatus.TargetInvalid;
                    continue;
                }
            }
            else
            {
                y = TargetCodes.Class(target[r], c, ignoreIndex);
                if (y < 0)
                {
                    status |= y == TargetCodes.InvalidClass ? UnitStatus.TargetInvalid : UnitStatus.Ok;
                    continue;
                }
            }

            count++;
            var v0 = TL.Load(in row, 0);
            failed = TPass.RangeCheck ? TL.RangeCheck(failed, v0, first) : TL.FiniteCheck(failed, v0, first);
            var h0 = TL.Hinge(TL.Xor(v0, Unsafe.Add(ref f, (nint)(uint)y)));
            if (squared)
            {
                h0 = TL.Multiply(h0, h0);
            }

            h0 = TL.And(h0, first);
            a0 = TL.AddDouble(a0, TL.WidenLower(h0));
            if (TL.Widens)
            {
                a1 = TL.AddDouble(a1, TL.WidenUpper(h0));
            }

            if (!one)
            {
                var v1 = TL.Load(in row, (nuint)second);
                failed = TPass.RangeCheck ? TL.RangeCheck(failed, v1, TL.AllBits) : TL.FiniteCheck(failed, v1, TL.AllBits);
                var h1 = TL.Hinge(TL.Xor(v1, Unsafe.Add(ref f, (nint)(uint)(c + y))));
                if (squared)
                {
                    h1 = TL.Multiply(h1, h1);
                }

                h1 = TL.And(h1, fresh);
                a2 = TL.AddDouble(a2, TL.WidenLower(h1));
                if (TL.Widens)
                {
                    a3 = TL.AddDouble(a3, TL.WidenUpper(h1));
                }
            }
        }

        Span<double> lanes = stackalloc double[w];
        TL.Store(a0, a1, lanes);
        for (var j = 0; j < Math.Min(w, c); j++)
        {
            sums[j] += lanes[j];
        }

        if (!one)
        {
            TL.Store(a2, a3, lanes);
            for (var j = 0; j < w; j++)
            {
                sums[second + j] += lanes[j];
            }
        }

        var checkFailed = TPass.RangeCheck ? TL.RangeFailed(failed) : TL.FiniteFailed(failed);
        return new MulticlassUnit(count, status | (checkFailed ? UnitStatus.CheckFailed : UnitStatus.Ok));
    }
}
