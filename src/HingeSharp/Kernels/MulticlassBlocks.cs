using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HingeSharp.Kernels;

/// <summary>
/// Crammer–Singer over blocks of rows, for small C (half a vector &lt; C ≤ two vectors) and scores used as they are.
/// A block holds as many rows as a vector has lanes: each row is reduced to one vector of its scores with the true
/// class (and any lane past the row) masked to −∞, a transpose-and-reduce turns those into one vector of the rows'
/// largest other scores, and the hinge, the square and the double accumulation run on whole vectors. Per row: one or
/// two loads, compares, blends and maxima; no gathers and no horizontal reduction per row.
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
        var state = default(BlockState<TV, TD>);
        var status = UnitStatus.Ok;
        var r0 = 0;
        while (true)
        {
            r0 = c <= w
                ? PlainBlocks<TL, TV, TD, T, TTarget, TPass, FlagOn>(preds, target[..blockRows], run, r0, ref state)
                : PlainBlocks<TL, TV, TD, T, TTarget, TPass, FlagOff>(preds, target[..blockRows], run, r0, ref state);
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
        ReadOnlySpan<TTarget> target, in MulticlassRun run, int r0, ref BlockState<TV, TD> state)
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
        var ignoreClass = ignoreIndex is { } ii && (uint)ii < (uint)c ? ii : -1;
        var squared = run.Squared;
        var rows = target.Length;

        // Bounds: scores are finite here, so min(v, bound) keeps v where bound = +∞ and gives −∞ where bound = −∞:
        // bound[q·C + y] is −∞ at class y (and, with one vector per row, past the row) in the row's vector q.
        var one = TOne.IsSet;
        var second = one ? 0 : c - w;
        Span<TV> bounds = stackalloc TV[2 * c];
        var negativeInfinity = TL.Create(T.NegativeInfinity);
        var positiveInfinity = TL.Create(T.PositiveInfinity);
        var pastRow = one ? TL.AndNot(TL.AllBits, TL.FirstLanes(c)) : TL.Zero;
        for (var y = 0; y < c; y++)
        {
            bounds[y] = TL.Select(TL.Or(TL.LaneIs(y), pastRow), negativeInfinity, positiveInfinity);
            bounds[c + y] = TL.Select(TL.LaneIs(y - second), negativeInfinity, positiveInfinity);
        }

        Span<int> classes = stackalloc int[w];
        ref var b = ref MemoryMarshal.GetReference(bounds);
        ref var classBuffer = ref MemoryMarshal.GetReference(classes);
        ref var k = ref classBuffer;
        var (low, high, failed) = (state.Low, state.High, state.Failed);
        var block = (nuint)(w * c);
        long count = 0;
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

            // All rows kept: the block's W·C scores are contiguous, check them as they lie.
            ref readonly var first = ref preds[r0 * c];
            failed = TL.MergeChecks(failed, CheckBlock<TL, TV, TD, T, TPass>(in first, block));

            // Rows are unrolled (the row pointer advances by C each time) so that the W row vectors and the
            // transpose-and-reduce stay in registers; each MaxPair level halves the vectors.
            TV other;
            ref readonly var row = ref first;
            if (w == 16)
            {
                var m0 = Row<TL, TV, TD, T>(in row, 0, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T>(in row, 1, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T>(in row, 2, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T>(in row, 3, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m4 = Row<TL, TV, TD, T>(in row, 4, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m5 = Row<TL, TV, TD, T>(in row, 5, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m6 = Row<TL, TV, TD, T>(in row, 6, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m7 = Row<TL, TV, TD, T>(in row, 7, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m8 = Row<TL, TV, TD, T>(in row, 8, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m9 = Row<TL, TV, TD, T>(in row, 9, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m10 = Row<TL, TV, TD, T>(in row, 10, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m11 = Row<TL, TV, TD, T>(in row, 11, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m12 = Row<TL, TV, TD, T>(in row, 12, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m13 = Row<TL, TV, TD, T>(in row, 13, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m14 = Row<TL, TV, TD, T>(in row, 14, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m15 = Row<TL, TV, TD, T>(in row, 15, c, one, second, ref k, ref b);
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
                other = s3_0;
            }
            else if (w == 8)
            {
                var m0 = Row<TL, TV, TD, T>(in row, 0, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T>(in row, 1, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T>(in row, 2, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T>(in row, 3, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m4 = Row<TL, TV, TD, T>(in row, 4, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m5 = Row<TL, TV, TD, T>(in row, 5, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m6 = Row<TL, TV, TD, T>(in row, 6, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m7 = Row<TL, TV, TD, T>(in row, 7, c, one, second, ref k, ref b);
                var s0_0 = TL.MaxPair(m0, m1, 1);
                var s0_1 = TL.MaxPair(m2, m3, 1);
                var s0_2 = TL.MaxPair(m4, m5, 1);
                var s0_3 = TL.MaxPair(m6, m7, 1);
                var s1_0 = TL.MaxPair(s0_0, s0_1, 2);
                var s1_1 = TL.MaxPair(s0_2, s0_3, 2);
                var s2_0 = TL.MaxPair(s1_0, s1_1, 4);
                other = s2_0;
            }
            else if (w == 4)
            {
                var m0 = Row<TL, TV, TD, T>(in row, 0, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T>(in row, 1, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m2 = Row<TL, TV, TD, T>(in row, 2, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m3 = Row<TL, TV, TD, T>(in row, 3, c, one, second, ref k, ref b);
                var s0_0 = TL.MaxPair(m0, m1, 1);
                var s0_1 = TL.MaxPair(m2, m3, 1);
                var s1_0 = TL.MaxPair(s0_0, s0_1, 2);
                other = s1_0;
            }
            else
            {
                var m0 = Row<TL, TV, TD, T>(in row, 0, c, one, second, ref k, ref b);
                row = ref Unsafe.Add(ref Unsafe.AsRef(in row), c);
                var m1 = Row<TL, TV, TD, T>(in row, 1, c, one, second, ref k, ref b);
                var s0_0 = TL.MaxPair(m0, m1, 1);
                other = s0_0;
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

    /// <summary>The pass's check of the <paramref name="block"/> contiguous scores at <paramref name="first"/>, as they
    /// lie (two independent chains), merged into one accumulator.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV CheckBlock<TL, TV, TD, T, TPass>(ref readonly T first, nuint block)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPass : IPass
    {
        var w = (nuint)TL.Count;
        TV check0 = TL.Zero, check1 = TL.Zero;
        nuint q = 0;
        for (; q + (2 * w) <= block; q += 2 * w)
        {
            check0 = TPass.RangeCheck
                ? TL.RangeCheck(check0, TL.Load(in first, q), TL.AllBits)
                : TL.FiniteCheck(check0, TL.Load(in first, q), TL.AllBits);
            check1 = TPass.RangeCheck
                ? TL.RangeCheck(check1, TL.Load(in first, q + w), TL.AllBits)
                : TL.FiniteCheck(check1, TL.Load(in first, q + w), TL.AllBits);
        }

        if (q < block)
        {
            check0 = TPass.RangeCheck
                ? TL.RangeCheck(check0, TL.Load(in first, q), TL.AllBits)
                : TL.FiniteCheck(check0, TL.Load(in first, q), TL.AllBits);
        }

        return TL.MergeChecks(check0, check1);
    }

    /// <summary>
    /// Row <paramref name="j"/> of a block (at <paramref name="row"/>): <c>p[j] − p[y]</c> for every class, with the
    /// true class (and lanes past the row) at −∞, via the bounds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Row<TL, TV, TD, T>(ref readonly T row, int j, int c, bool one, int second, ref int classes,
        ref TV bounds)
        where TL : ISimdLanes<TV, TD, T>
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Class indices were checked to lie in [0, C): zero-extending them is exact and costs nothing.
        var y = (nint)(uint)Unsafe.Add(ref classes, j);
        var p = TL.Create(Unsafe.Add(ref Unsafe.AsRef(in row), y));
        var m = TL.MinNative(TL.Subtract(TL.Load(in row, 0), p), Unsafe.Add(ref bounds, y));
        return one
            ? m
            : TL.Max(m, TL.MinNative(TL.Subtract(TL.Load(in row, (nuint)second), p),
                Unsafe.Add(ref bounds, (nint)(uint)c + y)));
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
