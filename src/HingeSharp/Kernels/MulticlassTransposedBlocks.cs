using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HingeSharp.Kernels;

/// <summary>
/// Crammer–Singer and the top-1 confusion cells in one pass over blocks of float rows of 9 to 16 classes, on the
/// transposed block: 16 rows on AVX-512 (one vector each, transposed into one vector per class, lane r holding row r's
/// score of that class: 58 shuffles), 8 rows on AVX2 (<see cref="Blocks256{TTarget, TPass, TCells}"/>: two vectors a
/// row, two 8×8 transposes). Everything else runs on whole vectors, one step per class: the true-class scores P (a
/// blend where the row's class is j), the largest other scores O (a max masked where it is), then the rows' maxima
/// max(O, P) and, class by class from the last, the first class holding it: the predicted class of all the block's rows
/// without a compare, mask move or trailing-zero count per row. The cells <c>y·C + predicted</c> are stored as one
/// vector.
/// </summary>
/// <remarks>
/// The hinge is <see cref="MulticlassFusedBlocks"/>' bit for bit: O − P with O the maximum over j ≠ y (max is exact),
/// the same clamp, the same per-lane double sums (lane r takes row r of every block); the cells are the same (first
/// index of the maximum; no match, a NaN, gives C − 1, as the row loop's sentinel does, and such a unit fails the
/// check and is redone). The pass's check runs on the class vectors, which hold exactly the block's scores. The loads
/// of the next blocks are prefetched: with every row of a block loaded at its start and a long shuffle chain behind
/// them, the hardware prefetcher alone leaves the loop a third slower from memory (measured on a Zen 5 EPYC); the
/// labels too (about a twentieth). The prefetches go to L2 (<see cref="BlockMemory.PrefetchLines{T}"/>).
/// </remarks>
internal static class MulticlassTransposedBlocks
{
    /// <summary>Whether the transposed blocks serve rows of <paramref name="numClasses"/> scores of type
    /// <typeparamref name="T"/> under <paramref name="options"/> (float, 9 to 16 classes, 512 bits with AVX-512 or 256
    /// with AVX2, not pinned to the plain blocks).</summary>
    internal static bool Applies<T>(KernelOptions options, int numClasses) =>
        !options.PlainBlocksOnly && typeof(T) == typeof(float) && numClasses is > 8 and <= 16 &&
        ((options.Width == SimdWidth.V512 && Avx512F.IsSupported) ||
            (options.Width == SimdWidth.V256 && Avx2.IsSupported));

    /// <summary>
    /// Whether the unit loop of lanes <typeparamref name="TV"/> hands its blocks to the transposed blocks: float rows
    /// of 9 to 16 classes at 512 or 256 bits (<see cref="Applies{T}"/>), read with vectors of that width.
    /// </summary>
    internal static bool Serves<TV, T>(KernelOptions options, int numClasses) =>
        (typeof(TV) == typeof(Vector512<float>) || typeof(TV) == typeof(Vector256<float>)) &&
        Applies<T>(options, numClasses);

    /// <summary>
    /// The unit loops' entry (<see cref="MulticlassBlocks"/>, <see cref="MulticlassFusedBlocks"/>, where
    /// <see cref="Serves{TV, T}"/>): the transposed blocks of the loop's width on its running sums, from row
    /// <paramref name="r0"/> until a block holds an ignored or invalid row; returns the first row not processed (the
    /// loop's plain blocks then stop at once on that block too, and it goes row by row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Run<TV, TD, T, TTarget, TPass, TCells>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, int r0, ref BlockState<TV, TD> state, Span<int> cells)
        where TV : unmanaged
        where TD : unmanaged
        where T : unmanaged
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TCells : IFlag
    {
        var scores = MemoryMarshal.Cast<T, float>(preds);
        return typeof(TV) == typeof(Vector512<float>)
            ? Blocks<TTarget, TPass, TCells>(scores, target, run, r0,
                ref Unsafe.As<BlockState<TV, TD>, BlockState<Vector512<float>, Vector512<double>>>(ref state), cells)
            : Blocks256<TTarget, TPass, TCells>(scores, target, run, r0,
                ref Unsafe.As<BlockState<TV, TD>, BlockState<Vector256<float>, Vector256<double>>>(ref state), cells);
    }

    /// <summary>
    /// Processes blocks from row <paramref name="r0"/> until one holds an ignored or invalid row (or too few rows are
    /// left: the caller cuts <paramref name="target"/> so that every row's one-vector load stays inside
    /// <paramref name="preds"/>); returns the first row not processed. Cells go to <paramref name="cells"/> from index
    /// <c>state.Count</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Blocks<TTarget, TPass, TCells>(ReadOnlySpan<float> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, int r0, ref BlockState<Vector512<float>, Vector512<double>> state, Span<int> cells)
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TCells : IFlag => run.NumClasses switch
    {
        9 => Blocks<TTarget, TPass, TCells, Classes9>(preds, target, run, r0, ref state, cells),
        10 => Blocks<TTarget, TPass, TCells, Classes10>(preds, target, run, r0, ref state, cells),
        11 => Blocks<TTarget, TPass, TCells, Classes11>(preds, target, run, r0, ref state, cells),
        12 => Blocks<TTarget, TPass, TCells, Classes12>(preds, target, run, r0, ref state, cells),
        13 => Blocks<TTarget, TPass, TCells, Classes13>(preds, target, run, r0, ref state, cells),
        14 => Blocks<TTarget, TPass, TCells, Classes14>(preds, target, run, r0, ref state, cells),
        15 => Blocks<TTarget, TPass, TCells, Classes15>(preds, target, run, r0, ref state, cells),
        _ => Blocks<TTarget, TPass, TCells, Classes16>(preds, target, run, r0, ref state, cells),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static int Blocks<TTarget, TPass, TCells, TC>(ReadOnlySpan<float> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, int r0, ref BlockState<Vector512<float>, Vector512<double>> state, Span<int> cells)
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TCells : IFlag
        where TC : IClassCount
    {
        const int w = 16;
        var c = TC.Value;
        var ignoreIndex = run.IgnoreIndex;
        var ignoreClass = run.IgnoreClass;
        var squared = run.Squared;
        var rows = target.Length;
        var negativeInfinity = Vector512.Create(float.NegativeInfinity);

        // The first ten class indices stay in registers through the loop (made in the step, each was loaded again at
        // every block: a tenth of the loop's time in cache at C = 10); classes 10–15 are made in their steps, as the
        // registers are taken by the rows there.
        var j0 = Vector512.Create(0f);
        var j1 = Vector512.Create(1f);
        var j2 = Vector512.Create(2f);
        var j3 = Vector512.Create(3f);
        var j4 = Vector512.Create(4f);
        var j5 = Vector512.Create(5f);
        var j6 = Vector512.Create(6f);
        var j7 = Vector512.Create(7f);
        var j8 = Vector512.Create(8f);
        var j9 = Vector512.Create(9f);

        Span<int> classes = stackalloc int[w];
        ref var buffer = ref MemoryMarshal.GetReference(classes);
        ref var k = ref buffer;
        ref var cell = ref TCells.IsSet
            ? ref Unsafe.Add(ref MemoryMarshal.GetReference(cells), (nint)state.Count)
            : ref Unsafe.NullRef<int>();
        var (low, high, failed) = (state.Low, state.High, state.Failed);
        long count = 0;
        for (; r0 + w <= rows; r0 += w)
        {
            // The block's class indices (the targets themselves when they are int), or null when a row is ignored or
            // invalid.
            k = ref MulticlassBlocks.BlockClasses<Lanes512<float>, Vector512<float>, Vector512<double>, float, TTarget>(
                target, r0, c, ignoreIndex, ignoreClass, ref buffer);
            if (Unsafe.IsNullRef(ref k))
            {
                break;
            }

            ref readonly var first = ref preds[r0 * c];
            // The scores and the labels ahead (the labels' line heads the block's work: its class check).
            BlockMemory.PrefetchLines(in first, c);
            BlockMemory.PrefetchLines(in target[r0], ((w * Unsafe.SizeOf<TTarget>()) + 63) / 64);

            // Row r's vector: its C scores, then the next row's first ones (no class vector below C takes them).
            var x0 = Vector512.LoadUnsafe(in first);
            var x1 = Vector512.LoadUnsafe(in first, (nuint)c);
            var x2 = Vector512.LoadUnsafe(in first, (nuint)(2 * c));
            var x3 = Vector512.LoadUnsafe(in first, (nuint)(3 * c));
            var x4 = Vector512.LoadUnsafe(in first, (nuint)(4 * c));
            var x5 = Vector512.LoadUnsafe(in first, (nuint)(5 * c));
            var x6 = Vector512.LoadUnsafe(in first, (nuint)(6 * c));
            var x7 = Vector512.LoadUnsafe(in first, (nuint)(7 * c));
            var x8 = Vector512.LoadUnsafe(in first, (nuint)(8 * c));
            var x9 = Vector512.LoadUnsafe(in first, (nuint)(9 * c));
            var x10 = Vector512.LoadUnsafe(in first, (nuint)(10 * c));
            var x11 = Vector512.LoadUnsafe(in first, (nuint)(11 * c));
            var x12 = Vector512.LoadUnsafe(in first, (nuint)(12 * c));
            var x13 = Vector512.LoadUnsafe(in first, (nuint)(13 * c));
            var x14 = Vector512.LoadUnsafe(in first, (nuint)(14 * c));
            var x15 = Vector512.LoadUnsafe(in first, (nuint)(15 * c));

            // The 16×16 transpose. Pairs of rows interleaved (a), then pairs of pairs (u: for the rows 4g … 4g + 3,
            // 128-bit lane q of u[g][m] holds class 4q + m of those four rows), then the 128-bit lanes gathered (v:
            // rows 0–7, w: rows 8–15; e takes lanes 0 and 2, o lanes 1 and 3).
            var a0 = Avx512F.UnpackLow(x0, x1);
            var a1 = Avx512F.UnpackHigh(x0, x1);
            var a2 = Avx512F.UnpackLow(x2, x3);
            var a3 = Avx512F.UnpackHigh(x2, x3);
            var a4 = Avx512F.UnpackLow(x4, x5);
            var a5 = Avx512F.UnpackHigh(x4, x5);
            var a6 = Avx512F.UnpackLow(x6, x7);
            var a7 = Avx512F.UnpackHigh(x6, x7);
            var a8 = Avx512F.UnpackLow(x8, x9);
            var a9 = Avx512F.UnpackHigh(x8, x9);
            var a10 = Avx512F.UnpackLow(x10, x11);
            var a11 = Avx512F.UnpackHigh(x10, x11);
            var a12 = Avx512F.UnpackLow(x12, x13);
            var a13 = Avx512F.UnpackHigh(x12, x13);
            var a14 = Avx512F.UnpackLow(x14, x15);
            var a15 = Avx512F.UnpackHigh(x14, x15);
            var u00 = Avx512F.Shuffle(a0, a2, 0x44);
            var u01 = Avx512F.Shuffle(a0, a2, 0xEE);
            var u02 = Avx512F.Shuffle(a1, a3, 0x44);
            var u03 = Avx512F.Shuffle(a1, a3, 0xEE);
            var u10 = Avx512F.Shuffle(a4, a6, 0x44);
            var u11 = Avx512F.Shuffle(a4, a6, 0xEE);
            var u12 = Avx512F.Shuffle(a5, a7, 0x44);
            var u13 = Avx512F.Shuffle(a5, a7, 0xEE);
            var u20 = Avx512F.Shuffle(a8, a10, 0x44);
            var u21 = Avx512F.Shuffle(a8, a10, 0xEE);
            var u22 = Avx512F.Shuffle(a9, a11, 0x44);
            var u23 = Avx512F.Shuffle(a9, a11, 0xEE);
            var u30 = Avx512F.Shuffle(a12, a14, 0x44);
            var u31 = Avx512F.Shuffle(a12, a14, 0xEE);
            var u32 = Avx512F.Shuffle(a13, a15, 0x44);
            var u33 = Avx512F.Shuffle(a13, a15, 0xEE);
            var v0e = Avx512F.Shuffle4x128(u00, u10, 0x88);
            var v0o = Avx512F.Shuffle4x128(u00, u10, 0xDD);
            var v1e = Avx512F.Shuffle4x128(u01, u11, 0x88);
            var v1o = Avx512F.Shuffle4x128(u01, u11, 0xDD);
            var v2e = Avx512F.Shuffle4x128(u02, u12, 0x88);
            var v2o = Avx512F.Shuffle4x128(u02, u12, 0xDD);
            var v3e = Avx512F.Shuffle4x128(u03, u13, 0x88);
            var v3o = Avx512F.Shuffle4x128(u03, u13, 0xDD);
            var w0e = Avx512F.Shuffle4x128(u20, u30, 0x88);
            var w0o = Avx512F.Shuffle4x128(u20, u30, 0xDD);
            var w1e = Avx512F.Shuffle4x128(u21, u31, 0x88);
            var w1o = Avx512F.Shuffle4x128(u21, u31, 0xDD);
            var w2e = Avx512F.Shuffle4x128(u22, u32, 0x88);
            var w2o = Avx512F.Shuffle4x128(u22, u32, 0xDD);
            var w3e = Avx512F.Shuffle4x128(u23, u33, 0x88);
            var w3o = Avx512F.Shuffle4x128(u23, u33, 0xDD);

            // Class j = 4q + m: lanes 0 and 2 of v and w (q even) or 1 and 3 (q odd), e (q < 2) or o. C > 8 always.
            var t0 = Avx512F.Shuffle4x128(v0e, w0e, 0x88);
            var t1 = Avx512F.Shuffle4x128(v1e, w1e, 0x88);
            var t2 = Avx512F.Shuffle4x128(v2e, w2e, 0x88);
            var t3 = Avx512F.Shuffle4x128(v3e, w3e, 0x88);
            var t4 = Avx512F.Shuffle4x128(v0o, w0o, 0x88);
            var t5 = Avx512F.Shuffle4x128(v1o, w1o, 0x88);
            var t6 = Avx512F.Shuffle4x128(v2o, w2o, 0x88);
            var t7 = Avx512F.Shuffle4x128(v3o, w3o, 0x88);
            var t8 = Avx512F.Shuffle4x128(v0e, w0e, 0xDD);
            var t9 = c > 9 ? Avx512F.Shuffle4x128(v1e, w1e, 0xDD) : default;
            var t10 = c > 10 ? Avx512F.Shuffle4x128(v2e, w2e, 0xDD) : default;
            var t11 = c > 11 ? Avx512F.Shuffle4x128(v3e, w3e, 0xDD) : default;
            var t12 = c > 12 ? Avx512F.Shuffle4x128(v0o, w0o, 0xDD) : default;
            var t13 = c > 13 ? Avx512F.Shuffle4x128(v1o, w1o, 0xDD) : default;
            var t14 = c > 14 ? Avx512F.Shuffle4x128(v2o, w2o, 0xDD) : default;
            var t15 = c > 15 ? Avx512F.Shuffle4x128(v3o, w3o, 0xDD) : default;

            // P: the true-class scores; O: the largest other scores; and the pass's check of every score.
            var y = Vector512.LoadUnsafe(ref k);
            var yf = Vector512.ConvertToSingle(y);
            var p = negativeInfinity;
            var o = negativeInfinity;
            Class<TPass>(j0, t0, yf, ref p, ref o, ref failed);
            Class<TPass>(j1, t1, yf, ref p, ref o, ref failed);
            Class<TPass>(j2, t2, yf, ref p, ref o, ref failed);
            Class<TPass>(j3, t3, yf, ref p, ref o, ref failed);
            Class<TPass>(j4, t4, yf, ref p, ref o, ref failed);
            Class<TPass>(j5, t5, yf, ref p, ref o, ref failed);
            Class<TPass>(j6, t6, yf, ref p, ref o, ref failed);
            Class<TPass>(j7, t7, yf, ref p, ref o, ref failed);
            Class<TPass>(j8, t8, yf, ref p, ref o, ref failed);
            if (c > 9)
            {
                Class<TPass>(j9, t9, yf, ref p, ref o, ref failed);
            }

            if (c > 10)
            {
                Class<TPass>(Vector512.Create(10f), t10, yf, ref p, ref o, ref failed);
            }

            if (c > 11)
            {
                Class<TPass>(Vector512.Create(11f), t11, yf, ref p, ref o, ref failed);
            }

            if (c > 12)
            {
                Class<TPass>(Vector512.Create(12f), t12, yf, ref p, ref o, ref failed);
            }

            if (c > 13)
            {
                Class<TPass>(Vector512.Create(13f), t13, yf, ref p, ref o, ref failed);
            }

            if (c > 14)
            {
                Class<TPass>(Vector512.Create(14f), t14, yf, ref p, ref o, ref failed);
            }

            if (c > 15)
            {
                Class<TPass>(Vector512.Create(15f), t15, yf, ref p, ref o, ref failed);
            }

            // O − P equals the hinge kernel's max (p[j] − p[y]) exactly: fl(x − p) is monotone in x.
            var h = Lanes512<float>.Hinge(Vector512<float>.Zero - (o - p));
            if (squared)
            {
                h *= h;
            }

            low += Lanes512<float>.WidenLower(h);
            high += Lanes512<float>.WidenUpper(h);
            count += w;
            if (!TCells.IsSet)
            {
                continue;
            }

            // The first class holding each row's maximum: from the last class down, the earliest match wins (none,
            // a NaN, leaves C − 1).
            var best = Vector512.MaxNative(o, p);
            var predicted = Vector512.Create(c - 1);
            predicted = c > 15 ? First(14, t14, best, predicted) : predicted;
            predicted = c > 14 ? First(13, t13, best, predicted) : predicted;
            predicted = c > 13 ? First(12, t12, best, predicted) : predicted;
            predicted = c > 12 ? First(11, t11, best, predicted) : predicted;
            predicted = c > 11 ? First(10, t10, best, predicted) : predicted;
            predicted = c > 10 ? First(9, t9, best, predicted) : predicted;
            predicted = c > 9 ? First(8, t8, best, predicted) : predicted;
            predicted = First(7, t7, best, predicted);
            predicted = First(6, t6, best, predicted);
            predicted = First(5, t5, best, predicted);
            predicted = First(4, t4, best, predicted);
            predicted = First(3, t3, best, predicted);
            predicted = First(2, t2, best, predicted);
            predicted = First(1, t1, best, predicted);
            predicted = First(0, t0, best, predicted);
            ((y * c) + predicted).StoreUnsafe(ref cell);
            cell = ref Unsafe.Add(ref cell, w);
        }

        state = new BlockState<Vector512<float>, Vector512<double>>
        {
            Low = low, High = high, Failed = failed, Count = state.Count + count,
        };
        return r0;
    }

    /// <summary>The step of the class <paramref name="jf"/> (its index in every lane): its scores
    /// <paramref name="scores"/> checked, taken into P where it is the row's class and into O where it is not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Class<TPass>(Vector512<float> jf, Vector512<float> scores, Vector512<float> classes,
        ref Vector512<float> p, ref Vector512<float> o, ref Vector512<float> check)
        where TPass : IPass
    {
        check = TPass.RangeCheck
            ? Lanes512<float>.RangeCheck(check, scores, Lanes512<float>.AllBits)
            : Lanes512<float>.FiniteCheck(check, scores, Lanes512<float>.AllBits);

        // Two compares, one per use: each stays a mask register (a blend, and a max under a write mask).
        p = Vector512.ConditionalSelect(Vector512.Equals(classes, jf), scores, p);
        o = Vector512.ConditionalSelect(Avx512F.CompareNotEqual(classes, jf), Vector512.MaxNative(o, scores), o);
    }

    /// <summary><paramref name="j"/> where class j's scores equal the rows' maxima, else
    /// <paramref name="predicted"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> First(int j, Vector512<float> scores, Vector512<float> best,
        Vector512<int> predicted) =>
        Vector512.ConditionalSelect(Vector512.Equals(scores, best).AsInt32(), Vector512.Create(j), predicted);

    /// <summary>
    /// <see cref="Blocks{TTarget, TPass, TCells}"/> at 256 bits (AVX2): blocks of 8 rows, each read as two vectors
    /// (its first eight scores, and its last eight, which overlap the first for C &lt; 16, as the plain blocks read
    /// them); the two 8×8 transposes give classes 0–7 and C − 8 … C − 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Blocks256<TTarget, TPass, TCells>(ReadOnlySpan<float> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, int r0, ref BlockState<Vector256<float>, Vector256<double>> state, Span<int> cells)
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TCells : IFlag => run.NumClasses switch
    {
        9 => Blocks256<TTarget, TPass, TCells, Classes9>(preds, target, run, r0, ref state, cells),
        10 => Blocks256<TTarget, TPass, TCells, Classes10>(preds, target, run, r0, ref state, cells),
        11 => Blocks256<TTarget, TPass, TCells, Classes11>(preds, target, run, r0, ref state, cells),
        12 => Blocks256<TTarget, TPass, TCells, Classes12>(preds, target, run, r0, ref state, cells),
        13 => Blocks256<TTarget, TPass, TCells, Classes13>(preds, target, run, r0, ref state, cells),
        14 => Blocks256<TTarget, TPass, TCells, Classes14>(preds, target, run, r0, ref state, cells),
        15 => Blocks256<TTarget, TPass, TCells, Classes15>(preds, target, run, r0, ref state, cells),
        _ => Blocks256<TTarget, TPass, TCells, Classes16>(preds, target, run, r0, ref state, cells),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static int Blocks256<TTarget, TPass, TCells, TC>(ReadOnlySpan<float> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, int r0, ref BlockState<Vector256<float>, Vector256<double>> state, Span<int> cells)
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TCells : IFlag
        where TC : IClassCount
    {
        const int w = 8;
        var c = TC.Value;
        var second = (nuint)(c - w);
        var ignoreIndex = run.IgnoreIndex;
        var ignoreClass = run.IgnoreClass;
        var squared = run.Squared;
        var rows = target.Length;
        var negativeInfinity = Vector256.Create(float.NegativeInfinity);

        Span<int> classes = stackalloc int[w];
        ref var buffer = ref MemoryMarshal.GetReference(classes);
        ref var k = ref buffer;
        ref var cell = ref TCells.IsSet
            ? ref Unsafe.Add(ref MemoryMarshal.GetReference(cells), (nint)state.Count)
            : ref Unsafe.NullRef<int>();
        var (low, high, failed) = (state.Low, state.High, state.Failed);
        long count = 0;
        for (; r0 + w <= rows; r0 += w)
        {
            k = ref MulticlassBlocks.BlockClasses<Lanes256<float>, Vector256<float>, Vector256<double>, float, TTarget>(
                target, r0, c, ignoreIndex, ignoreClass, ref buffer);
            if (Unsafe.IsNullRef(ref k))
            {
                break;
            }

            ref readonly var first = ref preds[r0 * c];
            BlockMemory.PrefetchLines(in first, (c + 1) / 2);
            BlockMemory.PrefetchLines(in target[r0], ((w * Unsafe.SizeOf<TTarget>()) + 63) / 64);

            // Classes 0–7 from the rows' first vectors, C − 8 … C − 1 from their last ones (l: lane = row).
            var (l0, l1, l2, l3, l4, l5, l6, l7) = Transpose(in first, 0, c);
            var (h0, h1, h2, h3, h4, h5, h6, h7) = Transpose(in first, second, c);

            var y = Vector256.LoadUnsafe(ref k);
            var yf = Vector256.ConvertToSingle(y);
            var p = negativeInfinity;
            var o = negativeInfinity;
            Class256<TPass>(0, l0, yf, ref p, ref o, ref failed);
            Class256<TPass>(1, l1, yf, ref p, ref o, ref failed);
            Class256<TPass>(2, l2, yf, ref p, ref o, ref failed);
            Class256<TPass>(3, l3, yf, ref p, ref o, ref failed);
            Class256<TPass>(4, l4, yf, ref p, ref o, ref failed);
            Class256<TPass>(5, l5, yf, ref p, ref o, ref failed);
            Class256<TPass>(6, l6, yf, ref p, ref o, ref failed);
            Class256<TPass>(7, l7, yf, ref p, ref o, ref failed);

            // Class j ≥ 8 is lane j − C + 8 of the last vectors' transpose.
            var t8 = High(8, c, h0, h1, h2, h3, h4, h5, h6, h7);
            var t9 = High(9, c, h0, h1, h2, h3, h4, h5, h6, h7);
            var t10 = High(10, c, h0, h1, h2, h3, h4, h5, h6, h7);
            var t11 = High(11, c, h0, h1, h2, h3, h4, h5, h6, h7);
            var t12 = High(12, c, h0, h1, h2, h3, h4, h5, h6, h7);
            var t13 = High(13, c, h0, h1, h2, h3, h4, h5, h6, h7);
            var t14 = High(14, c, h0, h1, h2, h3, h4, h5, h6, h7);
            var t15 = High(15, c, h0, h1, h2, h3, h4, h5, h6, h7);
            Class256<TPass>(8, t8, yf, ref p, ref o, ref failed);
            if (c > 9)
            {
                Class256<TPass>(9, t9, yf, ref p, ref o, ref failed);
            }

            if (c > 10)
            {
                Class256<TPass>(10, t10, yf, ref p, ref o, ref failed);
            }

            if (c > 11)
            {
                Class256<TPass>(11, t11, yf, ref p, ref o, ref failed);
            }

            if (c > 12)
            {
                Class256<TPass>(12, t12, yf, ref p, ref o, ref failed);
            }

            if (c > 13)
            {
                Class256<TPass>(13, t13, yf, ref p, ref o, ref failed);
            }

            if (c > 14)
            {
                Class256<TPass>(14, t14, yf, ref p, ref o, ref failed);
            }

            if (c > 15)
            {
                Class256<TPass>(15, t15, yf, ref p, ref o, ref failed);
            }

            var h = Lanes256<float>.Hinge(Vector256<float>.Zero - (o - p));
            if (squared)
            {
                h *= h;
            }

            low += Lanes256<float>.WidenLower(h);
            high += Lanes256<float>.WidenUpper(h);
            count += w;
            if (!TCells.IsSet)
            {
                continue;
            }

            var best = Vector256.MaxNative(o, p);
            var predicted = Vector256.Create(c - 1);
            predicted = c > 15 ? First256(14, t14, best, predicted) : predicted;
            predicted = c > 14 ? First256(13, t13, best, predicted) : predicted;
            predicted = c > 13 ? First256(12, t12, best, predicted) : predicted;
            predicted = c > 12 ? First256(11, t11, best, predicted) : predicted;
            predicted = c > 11 ? First256(10, t10, best, predicted) : predicted;
            predicted = c > 10 ? First256(9, t9, best, predicted) : predicted;
            predicted = c > 9 ? First256(8, t8, best, predicted) : predicted;
            predicted = First256(7, l7, best, predicted);
            predicted = First256(6, l6, best, predicted);
            predicted = First256(5, l5, best, predicted);
            predicted = First256(4, l4, best, predicted);
            predicted = First256(3, l3, best, predicted);
            predicted = First256(2, l2, best, predicted);
            predicted = First256(1, l1, best, predicted);
            predicted = First256(0, l0, best, predicted);
            ((y * c) + predicted).StoreUnsafe(ref cell);
            cell = ref Unsafe.Add(ref cell, w);
        }

        state = new BlockState<Vector256<float>, Vector256<double>>
        {
            Low = low, High = high, Failed = failed, Count = state.Count + count,
        };
        return r0;
    }

    /// <summary>The 8×8 transpose of the vectors at <paramref name="offset"/> of the block's 8 rows of
    /// <paramref name="c"/> scores: vector m holds lane m of every row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>,
        Vector256<float>, Vector256<float>, Vector256<float>) Transpose(ref readonly float first, nuint offset, int c)
    {
        var x0 = Vector256.LoadUnsafe(in first, offset);
        var x1 = Vector256.LoadUnsafe(in first, offset + (nuint)c);
        var x2 = Vector256.LoadUnsafe(in first, offset + (nuint)(2 * c));
        var x3 = Vector256.LoadUnsafe(in first, offset + (nuint)(3 * c));
        var x4 = Vector256.LoadUnsafe(in first, offset + (nuint)(4 * c));
        var x5 = Vector256.LoadUnsafe(in first, offset + (nuint)(5 * c));
        var x6 = Vector256.LoadUnsafe(in first, offset + (nuint)(6 * c));
        var x7 = Vector256.LoadUnsafe(in first, offset + (nuint)(7 * c));
        var a0 = Avx.UnpackLow(x0, x1);
        var a1 = Avx.UnpackHigh(x0, x1);
        var a2 = Avx.UnpackLow(x2, x3);
        var a3 = Avx.UnpackHigh(x2, x3);
        var a4 = Avx.UnpackLow(x4, x5);
        var a5 = Avx.UnpackHigh(x4, x5);
        var a6 = Avx.UnpackLow(x6, x7);
        var a7 = Avx.UnpackHigh(x6, x7);

        // 128-bit lane q of u[m] (rows 0–3) and v[m] (rows 4–7) holds lane 4q + m of those four rows.
        var u0 = Avx.Shuffle(a0, a2, 0x44);
        var u1 = Avx.Shuffle(a0, a2, 0xEE);
        var u2 = Avx.Shuffle(a1, a3, 0x44);
        var u3 = Avx.Shuffle(a1, a3, 0xEE);
        var v0 = Avx.Shuffle(a4, a6, 0x44);
        var v1 = Avx.Shuffle(a4, a6, 0xEE);
        var v2 = Avx.Shuffle(a5, a7, 0x44);
        var v3 = Avx.Shuffle(a5, a7, 0xEE);
        return (Avx.Permute2x128(u0, v0, 0x20), Avx.Permute2x128(u1, v1, 0x20), Avx.Permute2x128(u2, v2, 0x20),
            Avx.Permute2x128(u3, v3, 0x20), Avx.Permute2x128(u0, v0, 0x31), Avx.Permute2x128(u1, v1, 0x31),
            Avx.Permute2x128(u2, v2, 0x31), Avx.Permute2x128(u3, v3, 0x31));
    }

    /// <summary>Class <paramref name="j"/> (8 ≤ j &lt; 16) from the last vectors' transpose: lane j − C + 8 (a
    /// constant pick once inlined; a class at or past C gives a vector that is never used).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> High(int j, int c, Vector256<float> h0, Vector256<float> h1, Vector256<float> h2,
        Vector256<float> h3, Vector256<float> h4, Vector256<float> h5, Vector256<float> h6, Vector256<float> h7) =>
        (j - c + 8) switch
    {
        0 => h0,
        1 => h1,
        2 => h2,
        3 => h3,
        4 => h4,
        5 => h5,
        6 => h6,
        7 => h7,
        _ => default,
    };

    /// <summary><see cref="Class{TPass}"/> at 256 bits (one compare serves the blend and the max).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Class256<TPass>(int j, Vector256<float> scores, Vector256<float> classes,
        ref Vector256<float> p, ref Vector256<float> o, ref Vector256<float> check)
        where TPass : IPass
    {
        check = TPass.RangeCheck
            ? Lanes256<float>.RangeCheck(check, scores, Lanes256<float>.AllBits)
            : Lanes256<float>.FiniteCheck(check, scores, Lanes256<float>.AllBits);
        var isClass = Vector256.Equals(classes, Vector256.Create((float)j));
        p = Vector256.ConditionalSelect(isClass, scores, p);
        o = Vector256.ConditionalSelect(isClass, o, Vector256.MaxNative(o, scores));
    }

    /// <summary><see cref="First"/> at 256 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> First256(int j, Vector256<float> scores, Vector256<float> best,
        Vector256<int> predicted) =>
        Vector256.ConditionalSelect(Vector256.Equals(scores, best).AsInt32(), Vector256.Create(j), predicted);
}
