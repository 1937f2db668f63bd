using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>
/// Crammer–Singer and the top-1 confusion cells in one pass over blocks of rows (the shapes of <see
/// cref="MulticlassBlocks"/>: half a vector &lt; C ≤ two vectors, scores used as they are). Each row is reduced to one
/// vector of its scores with the true class (and lanes past the row) at −∞; the transpose-and-reduce turns a block of
/// those into one vector O of the rows' largest other scores. With P the vector of the rows' true-class scores, <c>O −
/// P</c> is the hinge kernel's <c>max p[j] − p[y]</c> bit for bit (fl is monotone), and <c>max(O, P)</c> is each row's
/// maximum: one compare of the row's vectors (read again, from L1) against it gives the first index of the maximum, and
/// that second read also does the pass's check of the scores. That argmax runs one block late, beside the next block's
/// transpose-and-reduce, so that it does not wait at the end of the reduce's dependency chain. Per row, on top of the
/// hinge: a scalar copy of p[y], one broadcast, one or two compares, a trailing-zero count and the cell's store; the
/// cells are counted once the unit has passed. Where most rows predict their own class (scan mode, one-vector rows), a
/// row with <c>P &gt; O</c> takes its diagonal cell unscanned and the rows' scores are checked as they are first read.
/// At 512 and 256 bits, float rows of 9 to 16 classes go through <see cref="MulticlassTransposedBlocks"/> instead (the
/// same bits and cells, with no per-row argmax: 1.7 times as fast from L2, 1.3 times from memory), and blocks with
/// ignored or invalid rows and the last rows come back here.
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
        var bounds = BlockMemory.AlignedTable<TV>(stackalloc byte[BlockMemory.TableBytes<TV>(2 * c)], 2 * c);
        MulticlassBlocks.FillBounds<TL, TV, TD, T>(bounds, c, c <= w);
        var constants = BlockConstants<TV>.Create<TL, TD, T>(c, c <= w);
        var state = default(BlockState<TV, TD>);
        var status = UnitStatus.Ok;
        var r0 = 0;
        var transposed = MulticlassTransposedBlocks.Serves<TV, T>(run.Options with { Width = width }, c);
        while (true)
        {
            if (transposed)
            {
                // Float rows of 9 to 16 classes: the transposed blocks (same bits and cells).
                r0 = MulticlassTransposedBlocks.Run<TV, TD, T, TTarget, TPass, FlagOn>(preds, target[..blockRows],
                    run, r0, ref state, cells);
            }

            r0 = c > w
                ? PlainBlocks<TL, TV, TD, T, TTarget, TPass, FlagOff, FlagOff>(preds, target[..blockRows], run, r0,
                    ref state, cells, bounds, constants)
                : MostRowsOwnClass(preds, target[..blockRows], run, r0, w)
                ? PlainBlocks<TL, TV, TD, T, TTarget, TPass, FlagOn, FlagOn>(preds, target[..blockRows], run, r0,
                    ref state, cells, bounds, constants)
                : PlainBlocks<TL, TV, TD, T, TTarget, TPass, FlagOn, FlagOff>(preds, target[..blockRows], run, r0,
                    ref state, cells, bounds, constants);
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
        ReadOnlySpan<TTarget> target, in MulticlassRun run, int r0, ref BlockState<TV, TD> state, Span<int> cells,
        ReadOnlySpan<TV> bounds, in BlockConstants<TV> constants)
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
        var ignoreClass = run.IgnoreClass;
        var squared = run.Squared;
        var rows = target.Length;

        // bounds[q·C + y] is −∞ at class y (and, with one vector per row, past the row) in the row's vector q, +∞
        // elsewhere (MulticlassBlocks.FillBounds). The transpose-and-reduce's constants come in as values, not as
        // constants the JIT would reload from memory at every step: copied here, they stay in registers.
        var one = TOne.IsSet;
        var scanMode = one && TScan.IsSet;
        var second = one ? 0 : c - w;
        var (u1, i1, u2, i2) = (constants.Upper1, constants.Index1, constants.Upper2, constants.Index2);
        var (u4, i4, u8, i8) = (constants.Upper4, constants.Index4, constants.Upper8, constants.Index8);
        var rowLanes = constants.RowLanes;

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
        var blockBytes = (nuint)(w * c * Unsafe.SizeOf<T>());
        for (; r0 + w <= rows; r0 += w)
        {
            // The block's class indices (the targets themselves when they are int), or null when a row is ignored or
            // invalid.
            k = ref MulticlassBlocks.BlockClasses<TL, TV, TD, T, TTarget>(target, r0, c, ignoreIndex, ignoreClass, ref classBuffer);
            if (Unsafe.IsNullRef(ref k))
            {
                break;
            }

            // All rows kept. Their scores are checked as the rows are read: here in scan mode, else below, as they are
            // read again for the argmax (from L1).
            ref readonly var first = ref preds[r0 * c];

            // Rows are unrolled (the row pointer advances by C each time) and reduced four at a time, so that few row
            // vectors are live at once and the step constants stay in registers. The width is tested on the types,
            // which the JIT folds as it imports the method: the other widths' rows are never imported (as inline
            // candidates, they would exhaust the method's inlining budget).
            BlockMemory.Prefetch(in first, blockBytes, toL2: !one);
            TV others;
            ref readonly var row = ref first;
            if (typeof(TV) == typeof(Vector512<float>))
            {
                var m0 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 0, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 1, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 2, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 3, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var q0 = TL.MaxPair(TL.MaxPair(m0, m1, u1, i1), TL.MaxPair(m2, m3, u1, i1), u2, i2);
                var m4 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 4, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m5 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 5, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m6 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 6, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m7 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 7, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var q1 = TL.MaxPair(TL.MaxPair(m4, m5, u1, i1), TL.MaxPair(m6, m7, u1, i1), u2, i2);
                var m8 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 8, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m9 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 9, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m10 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 10, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m11 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 11, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var q2 = TL.MaxPair(TL.MaxPair(m8, m9, u1, i1), TL.MaxPair(m10, m11, u1, i1), u2, i2);
                var m12 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 12, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m13 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 13, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m14 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 14, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m15 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 15, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                var q3 = TL.MaxPair(TL.MaxPair(m12, m13, u1, i1), TL.MaxPair(m14, m15, u1, i1), u2, i2);
                others = TL.MaxPair(TL.MaxPair(q0, q1, u4, i4), TL.MaxPair(q2, q3, u4, i4), u8, i8);
            }
            else if (typeof(TV) == typeof(Vector512<double>) || typeof(TV) == typeof(Vector256<float>))
            {
                var m0 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 0, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 1, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 2, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 3, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var q0 = TL.MaxPair(TL.MaxPair(m0, m1, u1, i1), TL.MaxPair(m2, m3, u1, i1), u2, i2);
                var m4 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 4, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m5 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 5, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m6 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 6, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m7 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 7, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                var q1 = TL.MaxPair(TL.MaxPair(m4, m5, u1, i1), TL.MaxPair(m6, m7, u1, i1), u2, i2);
                others = TL.MaxPair(q0, q1, u4, i4);
            }
            else if (typeof(TV) == typeof(Vector256<double>) || typeof(TV) == typeof(Vector128<float>))
            {
                var m0 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 0, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 1, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 2, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 3, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                var q0 = TL.MaxPair(TL.MaxPair(m0, m1, u1, i1), TL.MaxPair(m2, m3, u1, i1), u2, i2);
                others = q0;
            }
            else
            {
                var m0 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 0, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T, TPass, TOne, TScan>(in row, 1, c, second, ref k, ref b, ref pb, ref failed,
                    rowLanes);
                others = TL.MaxPair(m0, m1, u1, i1);
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
                if (scanMode)
                {
                    ScannedCells<TL, TV, TD, T>(in pendingFirst, c, ref Unsafe.Add(ref mb, current),
                        ref Unsafe.Add(ref yc, current), ref Unsafe.Add(ref yc, (2 * w) + current), pendingScan,
                        ref cell);
                }
                else
                {
                    failed = BlockCells<TL, TV, TD, T, TPass>(in pendingFirst, c, one, second,
                        ref Unsafe.Add(ref mb, current), ref Unsafe.Add(ref yc, current), ref cell, rowLanes, failed);
                }
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
            if (scanMode)
            {
                ScannedCells<TL, TV, TD, T>(in pendingFirst, c, ref Unsafe.Add(ref mb, current),
                    ref Unsafe.Add(ref yc, current), ref Unsafe.Add(ref yc, (2 * w) + current), pendingScan, ref cell);
            }
            else
            {
                failed = BlockCells<TL, TV, TD, T, TPass>(in pendingFirst, c, one, second,
                    ref Unsafe.Add(ref mb, current), ref Unsafe.Add(ref yc, current), ref cell, rowLanes, failed);
            }
        }

        state = new BlockState<TV, TD> { Low = low, High = high, Failed = failed, Count = state.Count + count };
        return r0;
    }

    /// <summary>
    /// Row <paramref name="j"/> of a block (at <paramref name="row"/>): its scores with the true class (and lanes past
    /// the row) at −∞, via the bounds; the true-class score goes to <paramref name="trueScores"/>[j]. In scan mode the
    /// row's scores go through the pass's check here (<paramref name="rowLanes"/>: the lanes inside the row), as
    /// most rows are not read again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Row<TL, TV, TD, T, TPass, TOne, TScan>(ref readonly T row, int j, int c, int second,
        ref int classes, ref TV bounds, ref T trueScores, ref TV check, TV rowLanes)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPass : IPass
        where TOne : IFlag
        where TScan : IFlag
    {
        // Class indices were checked to lie in [0, C): zero-extending them is exact and costs nothing.
        var y = (nint)(uint)Unsafe.Add(ref classes, j);
        Unsafe.Add(ref trueScores, j) = Unsafe.Add(ref Unsafe.AsRef(in row), y);
        var x = TL.Load(in row, 0);
        if (TOne.IsSet && TScan.IsSet)
        {
            check = TPass.RangeCheck ? TL.RangeCheck(check, x, rowLanes) : TL.FiniteCheck(check, x, rowLanes);
        }

        var m = TL.MinNative(x, Unsafe.Add(ref bounds, y));
        return TOne.IsSet
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
    /// to the row's maximum. (The block's scores were checked as its rows were first read.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScannedCells<TL, TV, TD, T>(ref readonly T first, int c, ref T maxima, ref int offsets,
        ref int diagonal, uint scan, ref int cells)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = TL.Count;
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
