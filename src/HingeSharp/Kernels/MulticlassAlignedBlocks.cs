using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HingeSharp.Kernels;

/// <summary>A number of classes known when a method is compiled (<see cref="MulticlassAlignedBlocks"/>).</summary>
internal interface IClassCount
{
    static abstract int Value { get; }
}

#pragma warning disable SA1649, SA1402 // The class counts are one-line types that belong together.
internal readonly struct Classes9 : IClassCount
{
    public static int Value => 9;
}

internal readonly struct Classes10 : IClassCount
{
    public static int Value => 10;
}

internal readonly struct Classes11 : IClassCount
{
    public static int Value => 11;
}

internal readonly struct Classes12 : IClassCount
{
    public static int Value => 12;
}

internal readonly struct Classes13 : IClassCount
{
    public static int Value => 13;
}

internal readonly struct Classes14 : IClassCount
{
    public static int Value => 14;
}

internal readonly struct Classes15 : IClassCount
{
    public static int Value => 15;
}

internal readonly struct Classes16 : IClassCount
{
    public static int Value => 16;
}
#pragma warning restore SA1649, SA1402

/// <summary>
/// Crammer–Singer blocks of 16 float rows of 9 to 16 classes on AVX-512, reading the scores with aligned loads only.
/// A block's 16·C scores are C·64 bytes, so every block of a unit starts at the same offset within a cache line. The
/// block is read as the C + 1 aligned vectors that cover it, all loaded at the block's start, shifted into C vectors
/// that start at the block (<c>vpermt2ps</c> with one index for the whole unit), and each row is cut from one or two
/// of those with a constant <c>valignd</c> (C is a type argument, so every row's place is a constant). The plain
/// blocks load each row where it lies, and seven rows in eight cross a cache line (a load that costs two). On this
/// machine (Zen 5 EPYC) the aligned read is about a sixth faster from L2 and L3; from memory the two are alike.
/// </summary>
/// <remarks>
/// Everything after the rows' vectors is <see cref="MulticlassBlocks"/>' block: the same bounds, the same
/// transpose-and-reduce and the same lanes, so a block gives the same bits whichever path reads it, and the caller
/// mixes them freely (the first block of a unit that does not start on a line, whose aligned read would begin before
/// the span, and the last ones, whose read would end after it, go through <see cref="MulticlassBlocks"/>). The pass's
/// check runs on the shifted vectors, which hold exactly the block's scores.
/// </remarks>
internal static class MulticlassAlignedBlocks
{
    /// <summary>Whether the aligned path serves rows of <paramref name="numClasses"/> scores of type
    /// <typeparamref name="T"/> under <paramref name="options"/> (512 bits, not pinned to the plain blocks).</summary>
    internal static bool Applies<T>(KernelOptions options, int numClasses) =>
        !options.PlainBlocksOnly && typeof(T) == typeof(float) && options.Width == SimdWidth.V512 &&
        Avx512F.IsSupported && numClasses is > 8 and <= 16;

    /// <summary>
    /// Processes blocks from row <paramref name="r0"/> while their aligned read stays inside
    /// <paramref name="preds"/> and none holds an ignored or invalid row; returns the first row not processed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Blocks<TTarget, TPass>(ReadOnlySpan<float> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, int r0, ref BlockState<Vector512<float>, Vector512<double>> state,
        ReadOnlySpan<Vector512<float>> bounds, in BlockConstants<Vector512<float>> constants)
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass => run.NumClasses switch
    {
        9 => Blocks<TTarget, TPass, Classes9>(preds, target, run, r0, ref state, bounds, constants),
        10 => Blocks<TTarget, TPass, Classes10>(preds, target, run, r0, ref state, bounds, constants),
        11 => Blocks<TTarget, TPass, Classes11>(preds, target, run, r0, ref state, bounds, constants),
        12 => Blocks<TTarget, TPass, Classes12>(preds, target, run, r0, ref state, bounds, constants),
        13 => Blocks<TTarget, TPass, Classes13>(preds, target, run, r0, ref state, bounds, constants),
        14 => Blocks<TTarget, TPass, Classes14>(preds, target, run, r0, ref state, bounds, constants),
        15 => Blocks<TTarget, TPass, Classes15>(preds, target, run, r0, ref state, bounds, constants),
        _ => Blocks<TTarget, TPass, Classes16>(preds, target, run, r0, ref state, bounds, constants),
    };

    /// <summary>The first row from which <see cref="Blocks{TTarget, TPass}"/> can read blocks: 0 when the unit's
    /// scores start on a cache line, else 16 (the first block's aligned read would begin before the span).</summary>
    internal static int FirstRow(ReadOnlySpan<float> preds) =>
        BlockMemory.Lead(in MemoryMarshal.GetReference(preds), 64) == 0 ? 0 : 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static int Blocks<TTarget, TPass, TC>(ReadOnlySpan<float> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, int r0, ref BlockState<Vector512<float>, Vector512<double>> state,
        ReadOnlySpan<Vector512<float>> bounds, in BlockConstants<Vector512<float>> constants)
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TC : IClassCount
    {
        const int w = 16;
        var c = TC.Value;
        var ignoreIndex = run.IgnoreIndex;
        var ignoreClass = ignoreIndex is { } ii && (uint)ii < (uint)c ? ii : -1;
        var squared = run.Squared;
        var rows = target.Length;

        // Block b's scores start `shift` floats past a line: its aligned read is [start − shift, start − shift +
        // 16·(C + 1)), which must lie inside the span (a block whose scores start on a line reads one vector past it).
        var lead = BlockMemory.Lead(in MemoryMarshal.GetReference(preds), 64);
        var shift = (w - lead) % w;
        if (r0 * c < shift)
        {
            return r0;
        }

        var room = preds.Length + shift - (w * (c + 1));
        if (room < 0)
        {
            return r0;
        }

        var lastStart = room / c;
        var realign = Vector512<int>.Indices + Vector512.Create(shift);
        var (u1, i1, u2, i2) = (constants.Upper1, constants.Index1, constants.Upper2, constants.Index2);
        var (u4, i4, u8, i8) = (constants.Upper4, constants.Index4, constants.Upper8, constants.Index8);
        Span<int> classes = stackalloc int[w];
        ref var b = ref MemoryMarshal.GetReference(bounds);
        ref var buffer = ref MemoryMarshal.GetReference(classes);
        ref var k = ref buffer;
        var (low, high, failed) = (state.Low, state.High, state.Failed);
        long count = 0;
        for (; r0 + w <= rows && r0 <= lastStart; r0 += w)
        {
            // The block's class indices (the targets themselves when they are int), or null when a row is ignored or
            // invalid.
            k = ref MulticlassBlocks.BlockClasses<Lanes512<float>, Vector512<float>, Vector512<double>, float, TTarget>(target, r0, c, ignoreIndex, ignoreClass, ref buffer);
            if (Unsafe.IsNullRef(ref k))
            {
                break;
            }

            ref readonly var first = ref preds[r0 * c];
            ref readonly var line = ref Unsafe.Subtract(ref Unsafe.AsRef(in first), shift);
            BlockMemory.Prefetch(in first, (nuint)(w * c * sizeof(float)));

            // Every aligned vector of the block is read first (the memory system sees all of them at once); the
            // window over the shifted vectors then takes them in order: s0 = shifted vector q, s1 = q + 1.
            var a0 = Vector512.LoadUnsafe(in line);
            var a1 = Vector512.LoadUnsafe(in line, 16);
            var a = Vector512.LoadUnsafe(in line, 32);
            var a3 = Vector512.LoadUnsafe(in line, 48);
            var a4 = Vector512.LoadUnsafe(in line, 64);
            var a5 = Vector512.LoadUnsafe(in line, 80);
            var a6 = Vector512.LoadUnsafe(in line, 96);
            var a7 = Vector512.LoadUnsafe(in line, 112);
            var a8 = Vector512.LoadUnsafe(in line, 128);
            var a9 = Vector512.LoadUnsafe(in line, 144);
            var a10 = c >= 10 ? Vector512.LoadUnsafe(in line, 160) : default;
            var a11 = c >= 11 ? Vector512.LoadUnsafe(in line, 176) : default;
            var a12 = c >= 12 ? Vector512.LoadUnsafe(in line, 192) : default;
            var a13 = c >= 13 ? Vector512.LoadUnsafe(in line, 208) : default;
            var a14 = c >= 14 ? Vector512.LoadUnsafe(in line, 224) : default;
            var a15 = c >= 15 ? Vector512.LoadUnsafe(in line, 240) : default;
            var a16 = c >= 16 ? Vector512.LoadUnsafe(in line, 256) : default;
            var s0 = Shifted<TPass>(a0, a1, realign, ref failed);
            var s1 = Shifted<TPass>(a1, a, realign, ref failed);
            var window = new Window(s0, s1, a);

            var m0 = Row<TPass, TC>(0, ref window, Next<TC>(0, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m1 = Row<TPass, TC>(1, ref window, Next<TC>(1, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m2 = Row<TPass, TC>(2, ref window, Next<TC>(2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m3 = Row<TPass, TC>(3, ref window, Next<TC>(3, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var q0 = Lanes512<float>.MaxPair(Lanes512<float>.MaxPair(m0, m1, u1, i1),
                Lanes512<float>.MaxPair(m2, m3, u1, i1), u2, i2);
            var m4 = Row<TPass, TC>(4, ref window, Next<TC>(4, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m5 = Row<TPass, TC>(5, ref window, Next<TC>(5, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m6 = Row<TPass, TC>(6, ref window, Next<TC>(6, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m7 = Row<TPass, TC>(7, ref window, Next<TC>(7, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var q1 = Lanes512<float>.MaxPair(Lanes512<float>.MaxPair(m4, m5, u1, i1),
                Lanes512<float>.MaxPair(m6, m7, u1, i1), u2, i2);
            var m8 = Row<TPass, TC>(8, ref window, Next<TC>(8, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m9 = Row<TPass, TC>(9, ref window, Next<TC>(9, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m10 = Row<TPass, TC>(10, ref window, Next<TC>(10, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m11 = Row<TPass, TC>(11, ref window, Next<TC>(11, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var q2 = Lanes512<float>.MaxPair(Lanes512<float>.MaxPair(m8, m9, u1, i1),
                Lanes512<float>.MaxPair(m10, m11, u1, i1), u2, i2);
            var m12 = Row<TPass, TC>(12, ref window, Next<TC>(12, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m13 = Row<TPass, TC>(13, ref window, Next<TC>(13, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m14 = Row<TPass, TC>(14, ref window, Next<TC>(14, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var m15 = Row<TPass, TC>(15, ref window, Next<TC>(15, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), in first, realign, ref k, ref b, ref failed);
            var q3 = Lanes512<float>.MaxPair(Lanes512<float>.MaxPair(m12, m13, u1, i1),
                Lanes512<float>.MaxPair(m14, m15, u1, i1), u2, i2);
            var other = Lanes512<float>.MaxPair(Lanes512<float>.MaxPair(q0, q1, u4, i4),
                Lanes512<float>.MaxPair(q2, q3, u4, i4), u8, i8);

            var h = Lanes512<float>.Hinge(Vector512<float>.Zero - other);
            if (squared)
            {
                h *= h;
            }

            low += Lanes512<float>.WidenLower(h);
            high += Lanes512<float>.WidenUpper(h);
            count += w;
        }

        state = new BlockState<Vector512<float>, Vector512<double>>
        {
            Low = low, High = high, Failed = failed, Count = state.Count + count,
        };
        return r0;
    }

    /// <summary>
    /// The aligned vector that row <paramref name="j"/> shifts in when it starts in the next shifted vector q (see
    /// <see cref="Row{TPass, TC}"/>): vector q + 2 of the block. A constant pick once inlined (j and C are); the
    /// block's vectors are all loaded at its start, so that the memory system sees every line of it at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Next<TC>(int j, Vector512<float> a3, Vector512<float> a4, Vector512<float> a5,
        Vector512<float> a6, Vector512<float> a7, Vector512<float> a8, Vector512<float> a9, Vector512<float> a10,
        Vector512<float> a11, Vector512<float> a12, Vector512<float> a13, Vector512<float> a14, Vector512<float> a15,
        Vector512<float> a16)
        where TC : IClassCount => (((j * TC.Value) >> 4) + 2) switch
    {
        <= 3 => a3,
        4 => a4,
        5 => a5,
        6 => a6,
        7 => a7,
        8 => a8,
        9 => a9,
        10 => a10,
        11 => a11,
        12 => a12,
        13 => a13,
        14 => a14,
        15 => a15,
        _ => a16,
    };

    /// <summary>The shifted vectors on either side of row boundaries and the last aligned vector read.</summary>
    private struct Window(Vector512<float> low, Vector512<float> high, Vector512<float> last)
    {
        public Vector512<float> Low = low;
        public Vector512<float> High = high;
        public Vector512<float> Last = last;
    }

    /// <summary>The 16 scores from <c>shift</c> on in the aligned pair (<paramref name="left"/>,
    /// <paramref name="right"/>), checked as the pass asks (all 16 belong to the block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Shifted<TPass>(Vector512<float> left, Vector512<float> right,
        Vector512<int> realign, ref Vector512<float> check)
        where TPass : IPass
    {
        var s = Avx512F.PermuteVar16x32x2(left, realign, right);
        check = TPass.RangeCheck
            ? Lanes512<float>.RangeCheck(check, s, Lanes512<float>.AllBits)
            : Lanes512<float>.FiniteCheck(check, s, Lanes512<float>.AllBits);
        return s;
    }

    /// <summary>
    /// Row <paramref name="j"/> of the block: its scores start at <c>j·C</c>, lane <c>j·C mod 16</c> of shifted
    /// vector <c>j·C / 16</c> (constants), so the window moves on when the row starts in the next vector and the row is cut
    /// out with one <c>valignd</c>. Then <c>p[j] − p[y]</c> and the bound, as <see cref="MulticlassBlocks"/>' rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row<TPass, TC>(int j, ref Window window, Vector512<float> next,
        ref readonly float first, Vector512<int> realign, ref int classes, ref Vector512<float> bounds,
        ref Vector512<float> check)
        where TPass : IPass
        where TC : IClassCount
    {
        var c = TC.Value;
        var start = j * c;
        var q = start >> 4;
        var lane = start & 15;
        if (j > 0 && q != ((start - c) >> 4))
        {
            // The row starts in the next shifted vector: slide the window, shifting in the next aligned vector
            // (there is none past shifted vector C − 1: the rows from there on end inside it).
            window.Low = window.High;
            if (q + 1 < c)
            {
                window.High = Shifted<TPass>(window.Last, next, realign, ref check);
                window.Last = next;
            }
        }

        var x = AlignRight(window.High, window.Low, lane);
        var y = (nint)(uint)Unsafe.Add(ref classes, j);
        var p = Vector512.Create(Unsafe.Add(ref Unsafe.AsRef(in first), start + y));
        return Vector512.MinNative(x - p, Unsafe.Add(ref bounds, y));
    }

    /// <summary>
    /// Lanes <paramref name="lane"/> … 15 of <paramref name="low"/> then lanes 0 … <paramref name="lane"/> − 1 of
    /// <paramref name="high"/> (<c>valignd</c>). The immediate must be a constant: <paramref name="lane"/> is one
    /// once <see cref="Row{TPass, TC}"/> is inlined into a <c>Blocks</c> instantiation, and the switch folds to its
    /// one case (written out so that no compiler falls back to a jump table around a variable immediate).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> AlignRight(Vector512<float> high, Vector512<float> low, int lane)
    {
        var (h, l) = (high.AsUInt32(), low.AsUInt32());
        return lane switch
        {
            0 => low,
            1 => Avx512F.AlignRight32(h, l, 1).AsSingle(),
            2 => Avx512F.AlignRight32(h, l, 2).AsSingle(),
            3 => Avx512F.AlignRight32(h, l, 3).AsSingle(),
            4 => Avx512F.AlignRight32(h, l, 4).AsSingle(),
            5 => Avx512F.AlignRight32(h, l, 5).AsSingle(),
            6 => Avx512F.AlignRight32(h, l, 6).AsSingle(),
            7 => Avx512F.AlignRight32(h, l, 7).AsSingle(),
            8 => Avx512F.AlignRight32(h, l, 8).AsSingle(),
            9 => Avx512F.AlignRight32(h, l, 9).AsSingle(),
            10 => Avx512F.AlignRight32(h, l, 10).AsSingle(),
            11 => Avx512F.AlignRight32(h, l, 11).AsSingle(),
            12 => Avx512F.AlignRight32(h, l, 12).AsSingle(),
            13 => Avx512F.AlignRight32(h, l, 13).AsSingle(),
            14 => Avx512F.AlignRight32(h, l, 14).AsSingle(),
            _ => Avx512F.AlignRight32(h, l, 15).AsSingle(),
        };
    }
}
