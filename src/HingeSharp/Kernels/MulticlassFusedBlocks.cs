using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>
/// Crammer–Singer and the top-1 confusion cells in one pass over blocks of rows (the shapes of
/// <see cref="MulticlassBlocks"/>: half a vector &lt; C ≤ two vectors, scores used as they are). Each row is reduced to
/// one vector of its scores with the true class (and lanes past the row) at −∞; the transpose-and-reduce turns a
/// block of those into one vector O of the rows' largest other scores. With P the vector of the rows' true-class
/// scores, <c>O − P</c> is the hinge kernel's <c>max p[j] − p[y]</c> bit for bit (fl is monotone), and
/// <c>max(O, P)</c> is each row's maximum: one compare of the row's vectors (read again, from L1) against it gives
/// the first index of the maximum, and that second read also does the pass's check of the scores (instead of the
/// hinge kernel's separate sweep over the block). That argmax runs one block late, beside the next block's
/// transpose-and-reduce, so that it does not wait at the end of the reduce's dependency chain. Per row, on top of the
/// hinge: a scalar copy of p[y], one broadcast, one or two compares, a trailing-zero count and the cell's store; the
/// cells are counted once the unit has passed. Where most rows predict their own class (scan mode, one-vector rows),
/// a row with <c>P &gt; O</c> takes its diagonal cell unscanned and the block is checked by the hinge kernel's sweep
/// (<see cref="MulticlassBlocks.CheckBlock"/>).
/// </summary>
internal static class MulticlassFusedBlocks
{
    /// <summary>
    /// The unit: runs of blocks without ignored or invalid rows go through <see cref="PlainBlocks"/>; other blocks
    /// and the last rows go row by row (<see cref="MulticlassUnits.RowByRow"/>, then
    /// <see cref="MulticlassFusedUnits.Cells"/> over the same rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static MulticlassUnit CrammerSinger<TL, TV, TD, T, TTarget, TPass>(SimdWidth width,
        ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, in MulticlassRun run, Span<double> sums,
        Span<int> cells)
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

        // One vector per row reads past the row's end: the block's last row must stay inside the span.
        var blockRows = c <= w ? Math.Min(rows, Math.Max(0, (preds.Length - w) / c) + 1) : rows;
        var state = default(BlockState<TV, TD>);
        var status = UnitStatus.Ok;
        var r0 = 0;
        while (true)
        {
            r0 = c > w
                ? PlainBlocks<TL, TV, TD, T, TTarget, TPass, FlagOff, FlagOff>(preds, target[..blockRows], run, r0,
                    ref state, cells)
                : MostRowsOwnClass(preds, target[..blockRows], run, r0, w)
                ? PlainBlocks<TL, TV, TD, T, TTarget, TPass, FlagOn, FlagOn>(preds, target[..blockRows], run, r0,
                    ref state, cells)
                : PlainBlocks<TL, TV, TD, T, TTarget, TPass, FlagOn, FlagOff>(preds, target[..blockRows], run, r0,
                    ref state, cells);
            if (r0 + w > blockRows)
            {
                break;
            }

            // A block with ignored or invalid rows goes row by row (outside the hot loop: no vector is live here).
            var p = preds.Slice(r0 * c, w * c);
            var t = target.Slice(r0, w);
            var r = MulticlassUnits.RowByRow<T, TTarget, TPass>(width, p, t, run, sums);
            MulticlassFusedUnits.Cells(width, p, t, run, cells[(int)state.Count..]);
            state.Count += r.Count;
            status |= r.Status;
            r0 += w;
        }

        if (r0 < rows)
        {
            var p = preds[(r0 * c)..];
            var t = target[r0..];
            var r = MulticlassUnits.RowByRow<T, TTarget, TPass>(width, p, t, run, sums);
            MulticlassFusedUnits.Cells(width, p, t, run, cells[(int)state.Count..]);
            state.Count += r.Count;
            status |= r.Status;
        }

        sums[0] += TL.Sum(state.Low, state.High);
        var checkFailed = TPass.RangeCheck ? TL.RangeFailed(state.Failed) : TL.FiniteFailed(state.Failed);
        return new MulticlassUnit(state.Count, status | (checkFailed ? UnitStatus.CheckFailed : UnitStatus.Ok));
    }

    /// <summary>
    /// Processes blocks from row <paramref name="r0"/> until one holds an ignored or invalid row (or too few rows are
    /// left); returns the first row not processed. Cells go to <paramref name="cells"/> from index
    /// <c>state.Count</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static int PlainBlocks<TL, TV, TD, T, TTarget, TPass, TOne, TScan>(ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in MulticlassRun run, int r0, ref BlockState<TV, TD> state, Span<int> cells)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TOne : IFlag
        where TScan : IFlag
    {
        var c = run.NumClasses;
        var w = TL.Count;
        var ignoreIndex = run.IgnoreIndex;
        var ignoreClass = ignoreIndex is { } ii && (uint)ii < (uint)c ? ii : -1;
        var squared = run.Squared;
        var rows = target.Length;

        // Bounds: scores are finite here, so min(v, bound) keeps v where bound = +∞ and gives −∞ where bound = −∞:
        // bound[q·C + y] is −∞ at class y (and, with one vector per row, past the row) in the row's vector q.
        var one = TOne.IsSet;
        var scanMode = one && TScan.IsSet;
        var second = one ? 0 : c - w;
        Span<TV> bounds = stackalloc TV[2 * c];
        var negativeInfinity = TL.Create(T.NegativeInfinity);
        var positiveInfinity = TL.Create(T.PositiveInfinity);
        var pastRow = one ? TL.AndNot(TL.AllBits, TL.FirstLanes(c)) : TL.Zero;
        var rowLanes = one ? TL.FirstLanes(c) : TL.AllBits;
        for (var y = 0; y < c; y++)
        {
            bounds[y] = TL.Select(TL.Or(TL.LaneIs(y), pastRow), negativeInfinity, positiveInfinity);
            bounds[c + y] = TL.Select(TL.LaneIs(y - second), negativeInfinity, positiveInfinity);
        }

        Span<int> classes = stackalloc int[w];
        Span<T> trueScores = stackalloc T[w];
        Span<T> maxima = stackalloc T[2 * w];
        ref var b = ref MemoryMarshal.GetReference(bounds);
        ref var classBuffer = ref MemoryMarshal.GetReference(classes);
        ref var pb = ref MemoryMarshal.GetReference(trueScores);
        ref var mb = ref MemoryMarshal.GetReference(maxima);
        // Two blocks' offsets y·C, then their diagonal cells y·C + y (one buffer: one reference to keep).
        Span<int> offsets = stackalloc int[4 * w];
        ref var yc = ref MemoryMarshal.GetReference(offsets);
        ref var k = ref classBuffer;
        ref var cell = ref Unsafe.Add(ref MemoryMarshal.GetReference(cells), (nint)state.Count);
        var (low, high, failed) = (state.Low, state.High, state.Failed);
        long count = 0;

        // The argmax of a block runs one block late, beside the next block's transpose-and-reduce: its compares need
        // the block's maxima, which come at the end of the reduce's dependency chain.
        ref readonly var pendingFirst = ref Unsafe.NullRef<T>();
        var pending = false;
        uint pendingScan = 0;
        nint current = 0;
        var everyRow = (1u << w) - 1; // one bit per row of a block (W ≤ 16)
        for (; r0 + w <= rows; r0 += w)
        {
            if (typeof(TTarget) == typeof(int))
            {
                k = ref Unsafe.As<TTarget, int>(ref Unsafe.AsRef(in target[r0]));
                if (!TL.AllClasses(in k, c, ignoreClass))
                {
                    break;
                }
            }
            else
            {
                var bad = false;
                for (var j = 0; j < w; j++)
                {
                    var y = TargetCodes.Class(target[r0 + j], c, ignoreIndex);
                    bad |= y < 0;
                    Unsafe.Add(ref k, j) = y;
                }

                if (bad)
                {
                    break;
                }
            }

            // All rows kept. Their scores are checked below, as the rows are read again for the argmax (from L1).
            ref readonly var first = ref preds[r0 * c];

            // Rows are unrolled so that the W row vectors and the transpose-and-reduce stay in registers.
            TV others;
            ref readonly var row = ref first;
            if (w == 16)
            {
                var m0 = Row<TL, TV, TD, T>(in row, 0, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T>(in row, 1, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T>(in row, 2, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T>(in row, 3, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m4 = Row<TL, TV, TD, T>(in row, 4, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m5 = Row<TL, TV, TD, T>(in row, 5, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m6 = Row<TL, TV, TD, T>(in row, 6, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m7 = Row<TL, TV, TD, T>(in row, 7, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m8 = Row<TL, TV, TD, T>(in row, 8, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m9 = Row<TL, TV, TD, T>(in row, 9, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m10 = Row<TL, TV, TD, T>(in row, 10, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m11 = Row<TL, TV, TD, T>(in row, 11, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m12 = Row<TL, TV, TD, T>(in row, 12, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m13 = Row<TL, TV, TD, T>(in row, 13, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m14 = Row<TL, TV, TD, T>(in row, 14, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m15 = Row<TL, TV, TD, T>(in row, 15, c, one, second, ref k, ref b, ref pb);
                var s0_0 = TL.MaxPair(m0, m1, 1);
                var s0_1 = TL.MaxPair(m2, m3, 1);
                var s0_2 = TL.MaxPair(m4, m5, 1);
                var s0_3 = TL.MaxPair(m6, m7, 1);
                var s0_4 = TL.MaxPair(m8, m9, 1);
                var s0_5 = TL.MaxPair(m10, m11, 1);
                var s0_6 = TL.MaxPair(m12, m13, 1);
                var s0_7 = TL.MaxPair(m14, m15, 1);
                var s1_0 = TL.MaxPair(s0_0, s0_1, 2);
                var s1_1 = TL.MaxPair(s0_2, s0_3, 2);
                var s1_2 = TL.MaxPair(s0_4, s0_5, 2);
                var s1_3 = TL.MaxPair(s0_6, s0_7, 2);
                var s2_0 = TL.MaxPair(s1_0, s1_1, 4);
                var s2_1 = TL.MaxPair(s1_2, s1_3, 4);
                var s3_0 = TL.MaxPair(s2_0, s2_1, 8);
                others = s3_0;
            }

            else if (w == 8)
            {
                var m0 = Row<TL, TV, TD, T>(in row, 0, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T>(in row, 1, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T>(in row, 2, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T>(in row, 3, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m4 = Row<TL, TV, TD, T>(in row, 4, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m5 = Row<TL, TV, TD, T>(in row, 5, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m6 = Row<TL, TV, TD, T>(in row, 6, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m7 = Row<TL, TV, TD, T>(in row, 7, c, one, second, ref k, ref b, ref pb);
                var s0_0 = TL.MaxPair(m0, m1, 1);
                var s0_1 = TL.MaxPair(m2, m3, 1);
                var s0_2 = TL.MaxPair(m4, m5, 1);
                var s0_3 = TL.MaxPair(m6, m7, 1);
                var s1_0 = TL.MaxPair(s0_0, s0_1, 2);
                var s1_1 = TL.MaxPair(s0_2, s0_3, 2);
                var s2_0 = TL.MaxPair(s1_0, s1_1, 4);
                others = s2_0;
            }

            else if (w == 4)
            {
                var m0 = Row<TL, TV, TD, T>(in row, 0, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T>(in row, 1, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T>(in row, 2, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T>(in row, 3, c, one, second, ref k, ref b, ref pb);
                var s0_0 = TL.MaxPair(m0, m1, 1);
                var s0_1 = TL.MaxPair(m2, m3, 1);
                var s1_0 = TL.MaxPair(s0_0, s0_1, 2);
                others = s1_0;
            }

            else
            {
                var m0 = Row<TL, TV, TD, T>(in row, 0, c, one, second, ref k, ref b, ref pb);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T>(in row, 1, c, one, second, ref k, ref b, ref pb);
                var s0_0 = TL.MaxPair(m0, m1, 1);
                others = s0_0;
            }

            // O − P equals the hinge kernel's max (p[j] − p[y]) exactly: fl(x − p) is monotone in x.
            var trueScore = TL.Load(in pb, 0);
            var h = TL.Hinge(TL.Subtract(TL.Zero, TL.Subtract(others, trueScore)));
            if (squared)
            {
                h = TL.Multiply(h, h);
            }

            low = TL.AddDouble(low, TL.WidenLower(h));
            if (TL.Widens)
            {
                high = TL.AddDouble(high, TL.WidenUpper(h));
            }

            // Each row's maximum, then per row the first lane holding it (a lane past a one-vector row may hold it
            // too, but its bit lies above the row's own). In scan mode (most rows predicting their own class) a row
            // whose true score lies above all its others takes its diagonal cell, and only the others (P ≤ O) are
            // scanned; otherwise every row is, in one loop of fixed length with the check folded into its loads.
            var scan = scanMode ? ~TL.MaskBits(TL.GreaterThan(trueScore, others)) & everyRow : 0;
            TL.Store(TL.Max(others, trueScore), ref Unsafe.Add(ref mb, current), 0);
            ClassOffsets(ref k, c, ref Unsafe.Add(ref yc, current), ref Unsafe.Add(ref yc, (2 * w) + current), w,
                scanMode);
            current ^= w;
            if (pending)
            {
                failed = scanMode
                    ? ScannedCells<TL, TV, TD, T, TPass>(in pendingFirst, c, ref Unsafe.Add(ref mb, current),
                        ref Unsafe.Add(ref yc, current), ref Unsafe.Add(ref yc, (2 * w) + current), pendingScan,
                        ref cell, failed)
                    : BlockCells<TL, TV, TD, T, TPass>(in pendingFirst, c, one, second,
                        ref Unsafe.Add(ref mb, current), ref Unsafe.Add(ref yc, current), ref cell, rowLanes, failed);
                cell = ref Unsafe.Add(ref cell, w);
            }

            pendingFirst = ref first;
            pendingScan = scan;
            pending = true;
            count += w;
        }

        if (pending)
        {
            current ^= w;
            failed = scanMode
                ? ScannedCells<TL, TV, TD, T, TPass>(in pendingFirst, c, ref Unsafe.Add(ref mb, current),
                    ref Unsafe.Add(ref yc, current), ref Unsafe.Add(ref yc, (2 * w) + current), pendingScan, ref cell,
                    failed)
                : BlockCells<TL, TV, TD, T, TPass>(in pendingFirst, c, one, second,
                    ref Unsafe.Add(ref mb, current), ref Unsafe.Add(ref yc, current), ref cell, rowLanes, failed);
        }

        state = new BlockState<TV, TD> { Low = low, High = high, Failed = failed, Count = state.Count + count };
        return r0;
    }

    /// <summary>
    /// Row <paramref name="j"/> of a block (at <paramref name="row"/>): its scores with the true class (and lanes past
    /// the row) at −∞, via the bounds; the true-class score goes to <paramref name="trueScores"/>[j].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Row<TL, TV, TD, T>(ref readonly T row, int j, int c, bool one, int second, ref int classes,
        ref TV bounds, ref T trueScores)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Class indices were checked to lie in [0, C): zero-extending them is exact and costs nothing.
        var y = (nint)(uint)Unsafe.Add(ref classes, j);
        Unsafe.Add(ref trueScores, j) = Unsafe.Add(ref Unsafe.AsRef(in row), y);
        var m = TL.MinNative(TL.Load(in row, 0), Unsafe.Add(ref bounds, y));
        return one
            ? m
            : TL.Max(m, TL.MinNative(TL.Load(in row, (nuint)second), Unsafe.Add(ref bounds, (nint)(uint)c + y)));
    }

    /// <summary><c>y·C</c> (the row's offset in the C×C cells) and <c>y·C + y</c> (its cell when it predicts its own
    /// class) for the <paramref name="w"/> classes at <paramref name="classes"/> (vector multiplies where the width
    /// allows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ClassOffsets(ref int classes, int c, ref int offsets, ref int diagonal, int w,
        bool withDiagonal)
    {
        if (w == 16 && Vector512.IsHardwareAccelerated)
        {
            var y = Vector512.LoadUnsafe(ref classes);
            (y * c).StoreUnsafe(ref offsets);
            if (withDiagonal)
            {
                (y * (c + 1)).StoreUnsafe(ref diagonal);
            }
        }
        else if (w == 8 && Vector256.IsHardwareAccelerated)
        {
            var y = Vector256.LoadUnsafe(ref classes);
            (y * c).StoreUnsafe(ref offsets);
            if (withDiagonal)
            {
                (y * (c + 1)).StoreUnsafe(ref diagonal);
            }
        }
        else
        {
            for (var j = 0; j < w; j++)
            {
                Unsafe.Add(ref offsets, j) = Unsafe.Add(ref classes, j) * c;
                if (withDiagonal)
                {
                    Unsafe.Add(ref diagonal, j) = Unsafe.Add(ref classes, j) * (c + 1);
                }
            }
        }
    }

    /// <summary>Whether most of the (up to) <paramref name="sample"/> kept rows from <paramref name="r0"/> have their
    /// true score above all their others: the block loop then runs in scan mode. A guess for speed only: both modes
    /// give the same cells.</summary>
    private static bool MostRowsOwnClass<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, int r0, int sample)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var c = run.NumClasses;
        int seen = 0, own = 0;
        for (var r = r0; r < target.Length && seen < sample; r++)
        {
            var y = TargetCodes.Class(target[r], c, run.IgnoreIndex);
            if (y < 0)
            {
                continue;
            }

            seen++;
            var row = preds.Slice(r * c, c);
            var above = true;
            for (var j = 0; j < c; j++)
            {
                above &= j == y || row[y] > row[j];
            }

            own += above ? 1 : 0;
        }

        return 2 * own > seen;
    }

    /// <summary>
    /// The cells of a block of one-vector rows: every row's diagonal cell, then, for the rows in
    /// <paramref name="scan"/> (those whose true score is not above all others), its offset plus the first lane equal
    /// to the row's maximum. The block's W·C scores, contiguous, are checked as they lie (two chains, as in
    /// <see cref="MulticlassBlocks"/>), into the accumulator returned.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ScannedCells<TL, TV, TD, T, TPass>(ref readonly T first, int c, ref T maxima, ref int offsets,
        ref int diagonal, uint scan, ref int cells, TV check)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPass : IPass
    {
        var w = TL.Count;
        check = TL.MergeChecks(check,
            MulticlassBlocks.CheckBlock<TL, TV, TD, T, TPass>(in first, (nuint)(w * c)));
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<int, byte>(ref cells), ref Unsafe.As<int, byte>(ref diagonal),
            (uint)(w * sizeof(int)));

        // A sentinel at lane C − 1 keeps the index inside the row when no lane matched (a NaN: such a unit fails or
        // is redone, and its cells are dropped); otherwise the row's maximum lies at or below it.
        var sentinel = 1u << (c - 1);
        while (scan != 0)
        {
            var j = BitOperations.TrailingZeroCount(scan);
            scan &= scan - 1;
            ref readonly var row = ref Unsafe.Add(ref Unsafe.AsRef(in first), (nint)j * c);
            var bits = TL.MaskBits(TL.Equal(TL.Load(in row, 0), TL.Create(Unsafe.Add(ref maxima, j)))) | sentinel;
            Unsafe.Add(ref cells, j) = Unsafe.Add(ref offsets, j) + BitOperations.TrailingZeroCount(bits);
        }

        return check;
    }

    /// <summary>
    /// The block's cells: per row its offset <c>y·C</c> plus the first lane equal to the row's maximum (from
    /// <paramref name="maxima"/>); the row's scores (lanes past a one-vector row masked off) are folded into the
    /// pass's check accumulator, which is returned.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV BlockCells<TL, TV, TD, T, TPass>(ref readonly T first, int c, bool one, int second,
        ref T maxima, ref int offsets, ref int cells, TV rowLanes, TV check)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPass : IPass
    {
        // Two rows per step, two check chains. A sentinel at lane C − 1 keeps the index inside the row when no lane
        // matched (a NaN: such a unit fails or is redone, and its cells are dropped); otherwise the row's maximum
        // lies at or below it.
        var sentinel = 1u << (c - 1);
        var check2 = TL.Zero;
        ref readonly var row = ref first;
        for (var j = 0; j < TL.Count; j += 2)
        {
            ref readonly var next = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
            var v0 = TL.Load(in row, 0);
            var v1 = TL.Load(in next, 0);
            check = TPass.RangeCheck ? TL.RangeCheck(check, v0, rowLanes) : TL.FiniteCheck(check, v0, rowLanes);
            check2 = TPass.RangeCheck ? TL.RangeCheck(check2, v1, rowLanes) : TL.FiniteCheck(check2, v1, rowLanes);
            var best0 = TL.Create(Unsafe.Add(ref maxima, j));
            var best1 = TL.Create(Unsafe.Add(ref maxima, j + 1));
            var bits0 = TL.MaskBits(TL.Equal(v0, best0)) | sentinel;
            var bits1 = TL.MaskBits(TL.Equal(v1, best1)) | sentinel;
            if (!one)
            {
                var u0 = TL.Load(in row, (nuint)second);
                var u1 = TL.Load(in next, (nuint)second);
                check = TPass.RangeCheck ? TL.RangeCheck(check, u0, TL.AllBits) : TL.FiniteCheck(check, u0, TL.AllBits);
                check2 = TPass.RangeCheck
                    ? TL.RangeCheck(check2, u1, TL.AllBits)
                    : TL.FiniteCheck(check2, u1, TL.AllBits);
                bits0 |= TL.MaskBits(TL.Equal(u0, best0)) << second;
                bits1 |= TL.MaskBits(TL.Equal(u1, best1)) << second;
            }

            Unsafe.Add(ref cells, j) = Unsafe.Add(ref offsets, j) + BitOperations.TrailingZeroCount(bits0);
            Unsafe.Add(ref cells, j + 1) = Unsafe.Add(ref offsets, j + 1) + BitOperations.TrailingZeroCount(bits1);
            row = ref Unsafe.Add(ref Unsafe.AsRef(in next), c);
        }

        return TL.MergeChecks(check, check2);
    }
}
