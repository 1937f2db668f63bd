using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>
/// The confusion half of the fused multiclass pass over one unit: the predicted class of a kept row is the first
/// index of the row maximum (as <see cref="MulticlassStatKernels.ArgMax{T}"/>); each kept row gives one cell
/// <c>y·C + predicted</c>, in row order, counted once the unit has passed. Crammer–Singer on scores used as they are
/// finds them inside <see cref="MulticlassFusedBlocks"/> (argmax and hinge share the loads and the
/// transpose-and-reduce); the other passes take the unit's rows right after its hinge (<see cref="MulticlassUnits"/>),
/// while they are still in cache.
/// </summary>
/// <remarks>The vector argmax assumes no NaN among the kept scores: its cells count only when the unit passed its
/// check (or the check's failure was a false alarm of the range test). A unit redone under
/// <see cref="NonFiniteHandling.Propagate"/> takes its cells from <see cref="ScalarCells"/>.</remarks>
internal static class MulticlassFusedUnits
{
    /// <summary>Whether the unit runs as <see cref="MulticlassFusedBlocks"/> at <paramref name="width"/>.</summary>
    internal static bool UsesBlocks<T, TPass>(SimdWidth width, in MulticlassRun run)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPass : IPass
    {
        var c = run.NumClasses;
        return (typeof(T) == typeof(float) || typeof(T) == typeof(double)) &&
            run.Mode == MulticlassMode.CrammerSinger && !TPass.Squash &&
            ((width >= SimdWidth.V512 && MulticlassBlocks.Applies(c, Vector512<T>.Count)) ||
                (width >= SimdWidth.V256 && MulticlassBlocks.Applies(c, Vector256<T>.Count)) ||
                (width >= SimdWidth.V128 && MulticlassBlocks.Applies(c, Vector128<T>.Count, narrowest: true)));
    }

    /// <summary>The unit through <see cref="MulticlassFusedBlocks"/> at the width <see cref="UsesBlocks"/> chose:
    /// sums into <paramref name="sums"/> (zero on entry), one cell per kept row into <paramref name="cells"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static MulticlassUnit Blocks<T, TTarget, TPass>(SimdWidth width, ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in MulticlassRun run, Span<double> sums, Span<int> cells)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var c = run.NumClasses;
        if (width >= SimdWidth.V512 && MulticlassBlocks.Applies(c, Vector512<T>.Count))
        {
            return MulticlassFusedBlocks.CrammerSinger<Lanes512<T>, Vector512<T>, Vector512<double>, T, TTarget,
                TPass>(width, preds, target, run, sums, cells);
        }

        if (width >= SimdWidth.V256 && MulticlassBlocks.Applies(c, Vector256<T>.Count))
        {
            return MulticlassFusedBlocks.CrammerSinger<Lanes256<T>, Vector256<T>, Vector256<double>, T, TTarget,
                TPass>(width, preds, target, run, sums, cells);
        }

        return MulticlassFusedBlocks.CrammerSinger<Lanes128<T>, Vector128<T>, Vector128<double>, T, TTarget,
            TPass>(width, preds, target, run, sums, cells);
    }

    /// <summary>
    /// The cells <c>y·C + argmax</c> of the kept rows, in row order, row by row at the widest width not wider than a
    /// row (else scalar); rows whose target is ignored or no class give none. Returns how many were written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Cells<T, TTarget>(SimdWidth width, ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, Span<int> cells)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var c = run.NumClasses;
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
        {
            if (width >= SimdWidth.V512 && Vector512<T>.Count <= c)
            {
                return Rows<Lanes512<T>, Vector512<T>, Vector512<double>, T, TTarget>(preds, target, run, cells);
            }

            if (width >= SimdWidth.V256 && Vector256<T>.Count <= c)
            {
                return Rows<Lanes256<T>, Vector256<T>, Vector256<double>, T, TTarget>(preds, target, run, cells);
            }

            if (width >= SimdWidth.V128 && Vector128<T>.Count <= c)
            {
                return Rows<Lanes128<T>, Vector128<T>, Vector128<double>, T, TTarget>(preds, target, run, cells);
            }
        }

        return ScalarCells(preds, target, run, cells);
    }

    /// <summary>The cells of every kept row with torch's argmax (a NaN is the maximum).</summary>
    internal static int ScalarCells<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, Span<int> cells)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var c = run.NumClasses;
        var n = 0;
        for (var r = 0; r < target.Length; r++)
        {
            var y = TargetCodes.Class(target[r], c, run.IgnoreIndex);
            if (y >= 0)
            {
                cells[n++] = (y * c) + MulticlassStatKernels.ArgMax(preds.Slice(r * c, c));
            }
        }

        return n;
    }

    /// <summary>Adds one to <paramref name="confusion"/> at every cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Count(ReadOnlySpan<int> cells, Span<long> confusion)
    {
        // Every cell is y·C + j with y and j in [0, C) by construction (the block kernel's sentinel bit, the
        // row loops' lanes, the scalar argmax), so the C×C buffer holds it.
        ref var counts = ref MemoryMarshal.GetReference(confusion);
        ref var cell = ref MemoryMarshal.GetReference(cells);
        var i = 0;
        for (; i + 4 <= cells.Length; i += 4)
        {
            Unsafe.Add(ref counts, (nint)(uint)Unsafe.Add(ref cell, i))++;
            Unsafe.Add(ref counts, (nint)(uint)Unsafe.Add(ref cell, i + 1))++;
            Unsafe.Add(ref counts, (nint)(uint)Unsafe.Add(ref cell, i + 2))++;
            Unsafe.Add(ref counts, (nint)(uint)Unsafe.Add(ref cell, i + 3))++;
        }

        for (; i < cells.Length; i++)
        {
            confusion[cells[i]]++;
        }
    }

    /// <summary>
    /// Per kept row: the maximum over the row's vectors (the last one overlapping), one horizontal maximum, then the
    /// first vector holding it and its first lane. Finite or infinite scores; no NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Rows<TL, TV, TD, T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, Span<int> cells)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var c = run.NumClasses;
        var w = TL.Count;
        var vectors = (c + w - 1) / w;
        var last = (nuint)(c - w);
        var n = 0;
        for (var r = 0; r < target.Length; r++)
        {
            var y = TargetCodes.Class(target[r], c, run.IgnoreIndex);
            if (y < 0)
            {
                continue;
            }

            ref readonly var row = ref preds[r * c];
            var max = TL.Load(in row, 0);
            for (var q = 1; q < vectors; q++)
            {
                max = TL.Max(max, TL.Load(in row, Math.Min((nuint)(q * w), last)));
            }

            var best = TL.Create(TL.MaxAcross(max));
            var index = 0;
            for (var q = 0; q < vectors; q++)
            {
                var o = Math.Min((nuint)(q * w), last);
                var bits = TL.MaskBits(TL.Equal(TL.Load(in row, o), best));
                if (bits != 0)
                {
                    index = (int)o + BitOperations.TrailingZeroCount(bits);
                    break;
                }
            }

            cells[n++] = (y * c) + index;
        }

        return n;
    }
}
