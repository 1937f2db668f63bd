using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>
/// Crammer–Singer over blocks of rows, for small C (half a vector &lt; C ≤ two vectors) and scores used as they are. A
/// block holds as many rows as a vector has lanes: each row is reduced to one vector of its scores with the true class
/// (and any lane past the row) masked to −∞, a transpose-and-reduce turns those into one vector of the rows' largest
/// other scores, and the hinge, the square and the double accumulation run on whole vectors. Per row: one or two loads,
/// the pass's check of those loads (masked to the row's lanes), a subtraction, a minimum with the bound and maxima; no
/// gathers, no horizontal reduction per row and no second read of the scores. The bound tables are vector-aligned and
/// the loop's constants are kept in registers, as loads (which cross cache lines on most rows) are what bounds the
/// loop; the scores are prefetched a few blocks ahead. At 512 and 256 bits, float rows of 9 to 16 classes go through
/// <see cref="MulticlassTransposedBlocks"/> instead (the same bits, a seventh less time from L2 and about two fifths
/// less from L3; the same from memory), and blocks with ignored or invalid rows and the last rows come back here.
/// </summary>
internal static class MulticlassBlocks
{
    /// <summary>
    /// Whether short-row kernels apply to rows of <paramref name="numClasses"/> scores at <paramref name="lanes"/>
    /// lanes: at most two vectors per row, and (except at the <paramref name="narrowest"/> width, where they still
    /// beat the scalar loop) at least half a vector of scores.
    /// </summary>
    internal static bool Applies(int numClasses, int lanes, bool narrowest = false) =>
        (narrowest || 2 * numClasses > lanes) && numClasses <= 2 * lanes;

    /// <summary>
    /// The unit: runs of blocks without ignored or invalid rows go through <see cref="PlainBlocks"/>; other blocks
    /// and the last rows go row by row (<see cref="MulticlassUnits.RowByRow"/> at <paramref name="width"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static MulticlassUnit CrammerSinger<TL, TV, TD, T, TTarget, TPass>(SimdWidth width,
        ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, in MulticlassRun run, Span<double> sums)
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
        FillBounds<TL, TV, TD, T>(bounds, c, c <= w);
        var constants = BlockConstants<TV>.Create<TL, TD, T>(c, c <= w);
        var state = default(BlockState<TV, TD>);
        var status = UnitStatus.Ok;
        var r0 = 0;
        var transposed = MulticlassTransposedBlocks.Serves<TV, T>(run.Options with { Width = width }, c);
        while (true)
        {
            if (transposed)
            {
                // Float rows of 9 to 16 classes: the transposed blocks (same bits).
                r0 = MulticlassTransposedBlocks.Run<TV, TD, T, TTarget, TPass, FlagOff>(preds, target[..blockRows],
                    run, r0, ref state, default);
            }

            r0 = c <= w
                ? PlainBlocks<TL, TV, TD, T, TTarget, TPass, FlagOn>(preds, target[..blockRows], run, r0, ref state,
                    bounds, constants)
                : PlainBlocks<TL, TV, TD, T, TTarget, TPass, FlagOff>(preds, target[..blockRows], run, r0, ref state,
                    bounds, constants);
            if (r0 + w > blockRows)
            {
                break;
            }

            // A block with ignored or invalid rows goes row by row (outside the hot loop: no vector is live here).
            var r = MulticlassUnits.RowByRow<T, TTarget, TPass>(width, preds.Slice(r0 * c, w * c),
                target.Slice(r0, w), run, sums);
            state.Count += r.Count;
            status |= r.Status;
            r0 += w;
        }

        if (r0 < rows)
        {
            var r = MulticlassUnits.RowByRow<T, TTarget, TPass>(width, preds[(r0 * c)..], target[r0..], run, sums);
            state.Count += r.Count;
            status |= r.Status;
        }

        sums[0] += TL.Sum(state.Low, state.High);
        var checkFailed = TPass.RangeCheck ? TL.RangeFailed(state.Failed) : TL.FiniteFailed(state.Failed);
        return new MulticlassUnit(state.Count, status | (checkFailed ? UnitStatus.CheckFailed : UnitStatus.Ok));
    }

    /// <summary>
    /// Processes blocks from row <paramref name="r0"/> until one holds an ignored or invalid row (or too few rows are
    /// left); returns the first row not processed. The rows of a block are unrolled so that their vectors stay in
    /// registers through the transpose-and-reduce; the loop makes no call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static int PlainBlocks<TL, TV, TD, T, TTarget, TPass, TOne>(ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in MulticlassRun run, int r0, ref BlockState<TV, TD> state,
        ReadOnlySpan<TV> bounds, in BlockConstants<TV> constants)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TOne : IFlag
    {
        var c = run.NumClasses;
        var w = TL.Count;
        var ignoreIndex = run.IgnoreIndex;

        // An ignore index outside [0, C) never equals a class index: one unsigned compare then decides.
        var ignoreClass = run.IgnoreClass;
        var squared = run.Squared;
        var rows = target.Length;

        // bounds[q·C + y] is −∞ at class y (and, with one vector per row, past the row) in the row's vector q, +∞
        // elsewhere (FillBounds). The transpose-and-reduce's constants come in as values, not as constants
        // the JIT would reload from memory at every step: copied here, they stay in registers.
        var one = TOne.IsSet;
        var second = one ? 0 : c - w;
        var (u1, i1, u2, i2) = (constants.Upper1, constants.Index1, constants.Upper2, constants.Index2);
        var (u4, i4, u8, i8) = (constants.Upper4, constants.Index4, constants.Upper8, constants.Index8);
        var rowLanes = constants.RowLanes;

        Span<int> classes = stackalloc int[w];
        ref var b = ref MemoryMarshal.GetReference(bounds);
        ref var classBuffer = ref MemoryMarshal.GetReference(classes);
        ref var k = ref classBuffer;
        var (low, high, failed) = (state.Low, state.High, state.Failed);
        var blockBytes = (nuint)(w * c * Unsafe.SizeOf<T>());
        long count = 0;
        for (; r0 + w <= rows; r0 += w)
        {
            // The block's class indices (the targets themselves when they are int), or null when a row is ignored or
            // invalid.
            k = ref MulticlassBlocks.BlockClasses<TL, TV, TD, T, TTarget>(target, r0, c, ignoreIndex, ignoreClass, ref classBuffer);
            if (Unsafe.IsNullRef(ref k))
            {
                break;
            }

            // All rows kept: the block's W·C scores are contiguous.
            ref readonly var first = ref preds[r0 * c];
            BlockMemory.Prefetch(in first, blockBytes, toL2: !TOne.IsSet);

            // Rows are unrolled (the row pointer advances by C each time) and reduced four at a time, so that few row
            // vectors are live at once and the step constants stay in registers; each MaxPair level halves the
            // vectors.
            TV other;
            ref readonly var row = ref first;
            // The width is tested on the types, which the JIT folds as it imports the method: the other widths' rows
            // are then never imported (as inline candidates, they would exhaust the method's inlining budget).
            if (typeof(TV) == typeof(Vector512<float>))
            {
                var m0 = Row<TL, TV, TD, T, TPass, TOne>(in row, 0, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T, TPass, TOne>(in row, 1, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T, TPass, TOne>(in row, 2, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T, TPass, TOne>(in row, 3, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var q0 = TL.MaxPair(TL.MaxPair(m0, m1, u1, i1), TL.MaxPair(m2, m3, u1, i1), u2, i2);
                var m4 = Row<TL, TV, TD, T, TPass, TOne>(in row, 4, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m5 = Row<TL, TV, TD, T, TPass, TOne>(in row, 5, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m6 = Row<TL, TV, TD, T, TPass, TOne>(in row, 6, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m7 = Row<TL, TV, TD, T, TPass, TOne>(in row, 7, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var q1 = TL.MaxPair(TL.MaxPair(m4, m5, u1, i1), TL.MaxPair(m6, m7, u1, i1), u2, i2);
                var m8 = Row<TL, TV, TD, T, TPass, TOne>(in row, 8, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m9 = Row<TL, TV, TD, T, TPass, TOne>(in row, 9, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m10 = Row<TL, TV, TD, T, TPass, TOne>(in row, 10, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m11 = Row<TL, TV, TD, T, TPass, TOne>(in row, 11, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var q2 = TL.MaxPair(TL.MaxPair(m8, m9, u1, i1), TL.MaxPair(m10, m11, u1, i1), u2, i2);
                var m12 = Row<TL, TV, TD, T, TPass, TOne>(in row, 12, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m13 = Row<TL, TV, TD, T, TPass, TOne>(in row, 13, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m14 = Row<TL, TV, TD, T, TPass, TOne>(in row, 14, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m15 = Row<TL, TV, TD, T, TPass, TOne>(in row, 15, c, second, ref k, ref b, ref failed, rowLanes);
                var q3 = TL.MaxPair(TL.MaxPair(m12, m13, u1, i1), TL.MaxPair(m14, m15, u1, i1), u2, i2);
                other = TL.MaxPair(TL.MaxPair(q0, q1, u4, i4), TL.MaxPair(q2, q3, u4, i4), u8, i8);
            }
            else if (typeof(TV) == typeof(Vector512<double>) || typeof(TV) == typeof(Vector256<float>))
            {
                var m0 = Row<TL, TV, TD, T, TPass, TOne>(in row, 0, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T, TPass, TOne>(in row, 1, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T, TPass, TOne>(in row, 2, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T, TPass, TOne>(in row, 3, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var q0 = TL.MaxPair(TL.MaxPair(m0, m1, u1, i1), TL.MaxPair(m2, m3, u1, i1), u2, i2);
                var m4 = Row<TL, TV, TD, T, TPass, TOne>(in row, 4, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m5 = Row<TL, TV, TD, T, TPass, TOne>(in row, 5, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m6 = Row<TL, TV, TD, T, TPass, TOne>(in row, 6, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m7 = Row<TL, TV, TD, T, TPass, TOne>(in row, 7, c, second, ref k, ref b, ref failed, rowLanes);
                var q1 = TL.MaxPair(TL.MaxPair(m4, m5, u1, i1), TL.MaxPair(m6, m7, u1, i1), u2, i2);
                other = TL.MaxPair(q0, q1, u4, i4);
            }
            else if (typeof(TV) == typeof(Vector256<double>) || typeof(TV) == typeof(Vector128<float>))
            {
                var m0 = Row<TL, TV, TD, T, TPass, TOne>(in row, 0, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T, TPass, TOne>(in row, 1, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T, TPass, TOne>(in row, 2, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T, TPass, TOne>(in row, 3, c, second, ref k, ref b, ref failed, rowLanes);
                var q0 = TL.MaxPair(TL.MaxPair(m0, m1, u1, i1), TL.MaxPair(m2, m3, u1, i1), u2, i2);
                other = q0;
            }
            else
            {
                var m0 = Row<TL, TV, TD, T, TPass, TOne>(in row, 0, c, second, ref k, ref b, ref failed, rowLanes);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T, TPass, TOne>(in row, 1, c, second, ref k, ref b, ref failed, rowLanes);
                other = TL.MaxPair(m0, m1, u1, i1);
            }

            // Row vectors hold p[j] − p[y]: their maximum over j ≠ y is −margin (fl is monotone, so this equals
            // (max p[j]) − p[y] exactly).
            var h = TL.Hinge(TL.Subtract(TL.Zero, other));
            if (squared)
            {
                h = TL.Multiply(h, h);
            }

            low = TL.AddDouble(low, TL.WidenLower(h));
            if (TL.Widens)
            {
                high = TL.AddDouble(high, TL.WidenUpper(h));
            }

            count += w;
        }

        state = new BlockState<TV, TD> { Low = low, High = high, Failed = failed, Count = state.Count + count };
        return r0;
    }

    /// <summary>
    /// The class indices of the block of <c>TL.Count</c> rows from <paramref name="r0"/>: the targets themselves when
    /// they are int (checked to lie in [0, C) and not to be the ignored class), else decoded into
    /// <paramref name="buffer"/>; a null reference when a row is ignored or invalid (the block goes row by row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref int BlockClasses<TL, TV, TD, T, TTarget>(ReadOnlySpan<TTarget> target, int r0, int c,
        int? ignoreIndex, int ignoreClass, ref int buffer)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (typeof(TTarget) == typeof(int))
        {
            ref var classes = ref Unsafe.As<TTarget, int>(ref Unsafe.AsRef(in target[r0]));
            return ref TL.AllClasses(in classes, c, ignoreClass) ? ref classes : ref Unsafe.NullRef<int>();
        }

        var bad = false;
        for (var j = 0; j < TL.Count; j++)
        {
            var y = TargetCodes.Class(target[r0 + j], c, ignoreIndex);
            bad |= y < 0;
            Unsafe.Add(ref buffer, j) = y;
        }

        return ref bad ? ref Unsafe.NullRef<int>() : ref buffer;
    }

    /// <summary>
    /// Fills the bounds of C-class rows: <c>bounds[q·C + y]</c> is −∞ at class y in the row's vector q (and, with
    /// <paramref name="one"/> vector per row, in the lanes past the row), +∞ elsewhere. Scores are finite where they
    /// are used, so min(v, bound) keeps v or gives −∞.
    /// </summary>
    internal static void FillBounds<TL, TV, TD, T>(Span<TV> bounds, int c, bool one)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var second = one ? 0 : c - TL.Count;
        var negativeInfinity = TL.Create(T.NegativeInfinity);
        var positiveInfinity = TL.Create(T.PositiveInfinity);
        var pastRow = one ? TL.AndNot(TL.AllBits, TL.FirstLanes(c)) : TL.Zero;
        for (var y = 0; y < c; y++)
        {
            bounds[y] = TL.Select(TL.Or(TL.LaneIs(y), pastRow), negativeInfinity, positiveInfinity);
            bounds[c + y] = TL.Select(TL.LaneIs(y - second), negativeInfinity, positiveInfinity);
        }
    }

    /// <summary>
    /// Row <paramref name="j"/> of a block (at <paramref name="row"/>): <c>p[j] − p[y]</c>
    /// for every class, with the true class (and lanes past the row) at −∞, via the bounds; the row's scores go
    /// through the pass's check on the way (<paramref name="rowLanes"/>: the first vector's lanes inside the row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Row<TL, TV, TD, T, TPass, TOne>(ref readonly T row, int j, int c, int second, ref int classes,
        ref TV bounds, ref TV check, TV rowLanes)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPass : IPass
        where TOne : IFlag
    {
        // Class indices were checked to lie in [0, C): zero-extending them is exact and costs nothing.
        var y = (nint)(uint)Unsafe.Add(ref classes, j);
        var x = TL.Load(in row, 0);
        check = TPass.RangeCheck ? TL.RangeCheck(check, x, rowLanes) : TL.FiniteCheck(check, x, rowLanes);
        var p = TL.Create(Unsafe.Add(ref Unsafe.AsRef(in row), y));
        var m = TL.MinNative(TL.Subtract(x, p), Unsafe.Add(ref bounds, y));
        if (!TOne.IsSet)
        {
            var x1 = TL.Load(in row, (nuint)second);
            check = TPass.RangeCheck ? TL.RangeCheck(check, x1, TL.AllBits) : TL.FiniteCheck(check, x1, TL.AllBits);
            m = TL.Max(m, TL.MinNative(TL.Subtract(x1, p), Unsafe.Add(ref bounds, (nint)(uint)c + y)));
        }

        return m;
    }
}

/// <summary>The running sums of <see cref="MulticlassBlocks"/> between runs of plain blocks.</summary>
internal struct BlockState<TV, TD>
    where TV : unmanaged
    where TD : unmanaged
{
    public TD Low;
    public TD High;
    public TV Failed;
    public long Count;
}

/// <summary>
/// The block kernels' loop constants, built by the caller and passed in: the transpose-and-reduce's steps d = 1, 2,
/// 4, 8 (<see cref="ISimdLanes{TV, TD, T}.PairStep"/>) and the lanes of a row's first vector that lie inside the row.
/// </summary>
internal struct BlockConstants<TV>
    where TV : unmanaged
{
    public TV Upper1;
    public TV Index1;
    public TV Upper2;
    public TV Index2;
    public TV Upper4;
    public TV Index4;
    public TV Upper8;
    public TV Index8;
    public TV RowLanes;

    /// <summary>The constants for rows of <paramref name="c"/> scores, in <paramref name="one"/> vector or two.</summary>
    public static BlockConstants<TV> Create<TL, TD, T>(int c, bool one)
        where TL : ISimdLanes<TV, TD, T>
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = default(BlockConstants<TV>);
        (result.Upper1, result.Index1) = TL.PairStep(1);
        (result.Upper2, result.Index2) = TL.PairStep(2);
        (result.Upper4, result.Index4) = TL.PairStep(4);
        (result.Upper8, result.Index8) = TL.PairStep(8);
        result.RowLanes = one ? TL.FirstLanes(c) : TL.AllBits;
        return result;
    }
}
