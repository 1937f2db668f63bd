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
        ref var k = ref MemoryMarshal.GetReference(classes);
        var (low, high, failed) = (state.Low, state.High, state.Failed);
        long count = 0;
        for (; r0 + w <= rows && r0 <= lastStart; r0 += w)
        {
            if (typeof(TTarget) == typeof(int))
            {
                k = ref Unsafe.As<TTarget, int>(ref Unsafe.AsRef(in target[r0]));
                if (!Lanes512<float>.AllClasses(in k, c, ignoreClass))
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

            ref readonly var first = ref preds[r0 * c];
            ref readonly var line = ref Unsafe.Subtract(ref Unsafe.AsRef(in first), shift);
            BlockMemory.Prefetch(in first, (nuint)(w * c * sizeof(float)));

            // Every aligned vector of the block is read first (the memory system sees all of them at once); the
            // window over the shifted vectors then takes them in order: s0 = shifted vector q, s1 = q + 1.
            var a0 = Vector512.LoadUnsafe(in line);
            var a1 = Vector512.LoadUnsafe(in line, 16);
            var a = Vector512.LoadUnsafe(in line, 32);
            var queue = new Queue(
                Vector512.LoadUnsafe(in line, 48), Vector512.LoadUnsafe(in line, 64), Vector512.LoadUnsafe(in line, 80),
                Vector512.LoadUnsafe(in line, 96), Vector512.LoadUnsafe(in line, 112),
                Vector512.LoadUnsafe(in line, 128), Vector512.LoadUnsafe(in line, 144),
                c >= 10 ? Vector512.LoadUnsafe(in line, 160) : default,
                c >= 11 ? Vector512.LoadUnsafe(in line, 176) : default,
                c >= 12 ? Vector512.LoadUnsafe(in line, 192) : default,
                c >= 13 ? Vector512.LoadUnsafe(in line, 208) : default,
                c >= 14 ? Vector512.LoadUnsafe(in line, 224) : default,
                c >= 15 ? Vector512.LoadUnsafe(in line, 240) : default,
                c >= 16 ? Vector512.LoadUnsafe(in line, 256) : default);
            var s0 = Shifted<TPass>(a0, a1, realign, ref failed);
            var s1 = Shifted<TPass>(a1, a, realign, ref failed);
            var window = new Window(s0, s1, a);

            var m0 = Row<TPass, TC>(0, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m1 = Row<TPass, TC>(1, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m2 = Row<TPass, TC>(2, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m3 = Row<TPass, TC>(3, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var q0 = Lanes512<float>.MaxPair(Lanes512<float>.MaxPair(m0, m1, u1, i1),
                Lanes512<float>.MaxPair(m2, m3, u1, i1), u2, i2);
            var m4 = Row<TPass, TC>(4, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m5 = Row<TPass, TC>(5, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m6 = Row<TPass, TC>(6, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m7 = Row<TPass, TC>(7, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var q1 = Lanes512<float>.MaxPair(Lanes512<float>.MaxPair(m4, m5, u1, i1),
                Lanes512<float>.MaxPair(m6, m7, u1, i1), u2, i2);
            var m8 = Row<TPass, TC>(8, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m9 = Row<TPass, TC>(9, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m10 = Row<TPass, TC>(10, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m11 = Row<TPass, TC>(11, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var q2 = Lanes512<float>.MaxPair(Lanes512<float>.MaxPair(m8, m9, u1, i1),
                Lanes512<float>.MaxPair(m10, m11, u1, i1), u2, i2);
            var m12 = Row<TPass, TC>(12, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m13 = Row<TPass, TC>(13, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m14 = Row<TPass, TC>(14, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
            var m15 = Row<TPass, TC>(15, ref window, ref queue, in first, realign, ref k, ref b, ref failed);
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

    /// <summary>The aligned vectors 3 … C of a block, read at its start, taken in order by the window.</summary>
    private struct Queue(Vector512<float> v3, Vector512<float> v4, Vector512<float> v5, Vector512<float> v6,
        Vector512<float> v7, Vector512<float> v8, Vector512<float> v9, Vector512<float> v10, Vector512<float> v11,
        Vector512<float> v12, Vector512<float> v13, Vector512<float> v14, Vector512<float> v15, Vector512<float> v16)
    {
        public Vector512<float> V3 = v3, V4 = v4, V5 = v5, V6 = v6, V7 = v7, V8 = v8, V9 = v9, V10 = v10, V11 = v11,
            V12 = v12, V13 = v13, V14 = v14, V15 = v15, V16 = v16;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Take()
        {
            var next = V3;
            (V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14, V15) =
                (V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14, V15, V16);
            return next;
        }
    }

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
    private static Vector512<float> Row<TPass, TC>(int j, ref Window window, ref Queue queue,
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
                var next = queue.Take();
                window.High = Shifted<TPass>(window.Last, next, realign, ref check);
                window.Last = next;
            }
        }

        // lane is a constant once Row is inlined into a Blocks instantiation: valignd gets its immediate.
#pragma warning disable CA1857
        var x = lane == 0
            ? window.Low
            : Avx512F.AlignRight32(window.High.AsUInt32(), window.Low.AsUInt32(), (byte)lane).AsSingle();
#pragma warning restore CA1857
        var y = (nint)(uint)Unsafe.Add(ref classes, j);
        var p = Vector512.Create(Unsafe.Add(ref Unsafe.AsRef(in first), start + y));
        return Vector512.MinNative(x - p, Unsafe.Add(ref bounds, y));
    }
}
