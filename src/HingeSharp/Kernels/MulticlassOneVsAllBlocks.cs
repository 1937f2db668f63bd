using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HingeSharp.Kernels;

/// <summary>
/// One-vs-all over blocks of 16 float rows of 10, 12 or 16 classes at 512 bits: a block's 16·C scores are C whole
/// vectors, read as they lie (no lane of another block, none wasted past a row). Lane l of the block's vector q
/// holds class <c>(16q + l) mod C</c> of row <c>(16q + l) / C</c>: the rows' classes come into those lanes with one
/// permute of the block's class vector, one compare gives the lanes of the true class, and the sign flip, the hinge
/// and its sum run on whole vectors. The pattern of classes repeats every P = C / gcd(C, 16) vectors (5, 3 and 1), so
/// P accumulators hold the sums of the unit, lane by lane; after the loop each lane's sum goes to its class.
/// Probabilities' hinges (the range-checked pass, not squared) are added as integer codes (<see cref="MarginCodes"/>):
/// a masked xor flips the true class's score, a fused multiply-add and a conversion give the code, an integer add
/// sums it, and the 32-bit sums go into 64-bit ones before they could overflow. Other hinges are widened to double
/// into P pairs of accumulators. Per row this is a fraction of the work of <see cref="MulticlassShortRows"/>' row step
/// (one vector a row, ten of its sixteen lanes used): on a Zen 4 EPYC at C = 10, 1.04e9 rows/s in cache (6.6e8 with
/// the widening, 3.5e8 by rows), and 0.74–0.82 of the streaming-read baseline from memory against 0.53–0.60 (1e7
/// rows, one thread); 0.93 of it on an Intel Xeon (family 6, model 207).
/// </summary>
/// <remarks>
/// Codes are exact, so the probabilities' sums are those of the row loop bit for bit (while a class's sum stays below
/// 2²⁹, where every double sum of its margins is exact). The widened sums are those of
/// the row loop to float rounding: a class's hinges are added in P·16 / C lane sums (8 at C = 10), each in row order,
/// then in lane order. Where the blocks start and stop depends on the rows alone (a block holding an ignored or
/// invalid row goes through the row loop, as do the last rows), so the bits are the same wherever the scores lie in
/// memory, at any thread count. Scores used as they are (probabilities or margins: the softmax pass stays on the row
/// loop); the pass's check runs on every score of the block.
/// </remarks>
internal static class MulticlassOneVsAllBlocks
{
    private const int W = 16;

    /// <summary>Whether the blocks serve float rows of <paramref name="numClasses"/> classes read with lanes
    /// <typeparamref name="TV"/> under <paramref name="options"/> (AVX-512, not pinned to the plain loops).</summary>
    internal static bool Serves<TV, T>(KernelOptions options, int numClasses) =>
        typeof(TV) == typeof(Vector512<float>) && typeof(T) == typeof(float) && !options.PlainBlocksOnly &&
        numClasses is 10 or 12 or 16 && options.Width == SimdWidth.V512 && Avx512F.IsSupported;

    /// <summary>
    /// Processes blocks from row <paramref name="r0"/> until one holds an ignored or invalid row or fewer than 16 rows
    /// are left; adds the blocks' hinge sums to <paramref name="sums"/> (one per class) and returns the first row not
    /// processed, with the count of rows taken and the pass's check.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Run<T, TTarget, TPass>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, int r0, Span<double> sums, out MulticlassUnit unit)
        where T : unmanaged
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var scores = MemoryMarshal.Cast<T, float>(preds);
        return run.NumClasses switch
        {
            10 when run.Squared => Blocks<TTarget, TPass, Classes10, FlagOn>(scores, target, run, r0, sums, out unit),
            10 => Blocks<TTarget, TPass, Classes10, FlagOff>(scores, target, run, r0, sums, out unit),
            12 when run.Squared => Blocks<TTarget, TPass, Classes12, FlagOn>(scores, target, run, r0, sums, out unit),
            12 => Blocks<TTarget, TPass, Classes12, FlagOff>(scores, target, run, r0, sums, out unit),
            _ when run.Squared => Blocks<TTarget, TPass, Classes16, FlagOn>(scores, target, run, r0, sums, out unit),
            _ => Blocks<TTarget, TPass, Classes16, FlagOff>(scores, target, run, r0, sums, out unit),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static int Blocks<TTarget, TPass, TC, TSquared>(ReadOnlySpan<float> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, int r0, Span<double> sums, out MulticlassUnit unit)
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TC : IClassCount
        where TSquared : IFlag
    {
        var c = TC.Value;
        var period = c / Math.Min(c & -c, W);
        var ignoreIndex = run.IgnoreIndex;
        var ignoreClass = run.IgnoreClass;
        var rows = target.Length;

        // Row (lane / C within the block) and class (lane mod C) of every lane of the block's vectors.
        Span<byte> tableBytes = stackalloc byte[BlockMemory.TableBytes<Vector512<int>>(2 * 16)];
        var table = BlockMemory.AlignedTable<Vector512<int>>(tableBytes, 2 * 16);
        for (var q = 0; q < c; q++)
        {
            table[q] = (Vector512<int>.Indices + Vector512.Create(16 * q)) / c;
            table[16 + q] = (Vector512<int>.Indices + Vector512.Create(16 * q)) - (table[q] * c);
        }

        ref var lanes = ref MemoryMarshal.GetReference(table);
        Span<int> classes = stackalloc int[W];
        ref var buffer = ref MemoryMarshal.GetReference(classes);
        ref var k = ref buffer;
        Vector512<double> l0 = default, h0 = default, l1 = default, h1 = default, l2 = default, h2 = default;
        Vector512<double> l3 = default, h3 = default, l4 = default, h4 = default;

        // Probabilities' hinges (not squared) are added as integer codes (MarginCodes): 32-bit sums c0…c4 go into the
        // pairs above (then 64-bit integers) before a lane could overflow.
        var exact = TPass.RangeCheck && !TSquared.IsSet;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default;
        var flushBlocks = MarginCodes.VectorsPerFlush / (c / period);
        var blocksLeft = flushBlocks;
        var scale = Vector512.Create(MarginCodes.Scale);
        var failed = Vector512<float>.Zero;
        long count = 0;
        for (; r0 + W <= rows; r0 += W)
        {
            k = ref MulticlassBlocks.BlockClasses<Lanes512<float>, Vector512<float>, Vector512<double>, float, TTarget>(
                target, r0, c, ignoreIndex, ignoreClass, ref buffer);
            if (Unsafe.IsNullRef(ref k))
            {
                break;
            }

            ref readonly var first = ref preds[r0 * c];
            BlockMemory.Prefetch(in first, (nuint)(W * c * sizeof(float)), toL2: true);
            var y = Vector512.LoadUnsafe(ref k);

            // Vector q's accumulators are pair (or code sum) q mod P (constants once C is: the steps are written out).
            Accumulate<TPass, TSquared>(0 % period,
                Step<TPass, TSquared>(0, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2, ref c3,
                ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            Accumulate<TPass, TSquared>(1 % period,
                Step<TPass, TSquared>(1, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2, ref c3,
                ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            Accumulate<TPass, TSquared>(2 % period,
                Step<TPass, TSquared>(2, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2, ref c3,
                ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            Accumulate<TPass, TSquared>(3 % period,
                Step<TPass, TSquared>(3, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2, ref c3,
                ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            Accumulate<TPass, TSquared>(4 % period,
                Step<TPass, TSquared>(4, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2, ref c3,
                ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            Accumulate<TPass, TSquared>(5 % period,
                Step<TPass, TSquared>(5, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2, ref c3,
                ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            Accumulate<TPass, TSquared>(6 % period,
                Step<TPass, TSquared>(6, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2, ref c3,
                ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            Accumulate<TPass, TSquared>(7 % period,
                Step<TPass, TSquared>(7, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2, ref c3,
                ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            Accumulate<TPass, TSquared>(8 % period,
                Step<TPass, TSquared>(8, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2, ref c3,
                ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            Accumulate<TPass, TSquared>(9 % period,
                Step<TPass, TSquared>(9, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2, ref c3,
                ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            if (c > 10)
            {
                Accumulate<TPass, TSquared>(10 % period,
                    Step<TPass, TSquared>(10, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2,
                    ref c3, ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            }

            if (c > 11)
            {
                Accumulate<TPass, TSquared>(11 % period,
                    Step<TPass, TSquared>(11, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2,
                    ref c3, ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            }

            if (c > 12)
            {
                Accumulate<TPass, TSquared>(12 % period,
                    Step<TPass, TSquared>(12, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2,
                    ref c3, ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            }

            if (c > 13)
            {
                Accumulate<TPass, TSquared>(13 % period,
                    Step<TPass, TSquared>(13, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2,
                    ref c3, ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            }

            if (c > 14)
            {
                Accumulate<TPass, TSquared>(14 % period,
                    Step<TPass, TSquared>(14, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2,
                    ref c3, ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            }

            if (c > 15)
            {
                Accumulate<TPass, TSquared>(15 % period,
                    Step<TPass, TSquared>(15, in first, y, ref lanes, ref failed, scale), ref c0, ref c1, ref c2,
                    ref c3, ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3, ref l4, ref h4);
            }

            count += W;
            if (exact && --blocksLeft == 0)
            {
                Flush(ref c0, ref c1, ref c2, ref c3, ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3,
                    ref h3, ref l4, ref h4);
                blocksLeft = flushBlocks;
            }
        }

        if (exact)
        {
            Flush(ref c0, ref c1, ref c2, ref c3, ref c4, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3,
                ref h3, ref l4, ref h4);
        }

        // Lane l of accumulator pair q holds class (16q + l) mod C.
        Span<double> lane = stackalloc double[W];
        for (var q = 0; q < period; q++)
        {
            var (low, high) = q switch { 0 => (l0, h0), 1 => (l1, h1), 2 => (l2, h2), 3 => (l3, h3), _ => (l4, h4) };
            if (exact)
            {
                // 64-bit integer codes (below 2⁵³): each lane's value, exact in double.
                low = Vector512.ConvertToDouble(low.AsUInt64()) * MarginCodes.Unit;
                high = Vector512.ConvertToDouble(high.AsUInt64()) * MarginCodes.Unit;
            }

            Lanes512<float>.Store(low, high, lane);

            for (var l = 0; l < W; l++)
            {
                sums[((16 * q) + l) % c] += lane[l];
            }
        }

        var checkFailed = TPass.RangeCheck ? Lanes512<float>.RangeFailed(failed) : Lanes512<float>.FiniteFailed(failed);
        unit = new MulticlassUnit(count, checkFailed ? UnitStatus.CheckFailed : UnitStatus.Ok);
        return r0;
    }

    /// <summary>Vector <paramref name="q"/> of the block: its check, the sign flip of the other classes and the hinge
    /// (squared when asked), or, for probabilities' hinges, their integer codes (<see cref="MarginCodes"/>, bits as
    /// floats; <paramref name="scale"/> is <see cref="MarginCodes.Scale"/> in every lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Step<TPass, TSquared>(int q, ref readonly float first, Vector512<int> y,
        ref Vector512<int> lanes, ref Vector512<float> failed, Vector512<float> scale)
        where TPass : IPass
        where TSquared : IFlag
    {
        var x = Vector512.LoadUnsafe(in first, (nuint)(16 * q));
        failed = TPass.RangeCheck
            ? Lanes512<float>.RangeCheck(failed, x, Lanes512<float>.AllBits)
            : Lanes512<float>.FiniteCheck(failed, x, Lanes512<float>.AllBits);
        var rowClasses = Avx512F.PermuteVar16x32(y, Unsafe.Add(ref lanes, q));
        if (TPass.RangeCheck && !TSquared.IsSet)
        {
            // −y·s (the true class's score flipped: one masked xor), then the code of 1 + (−y·s).
            var bits = x.AsInt32();
            var flipped = Vector512.ConditionalSelect(Vector512.Equals(rowClasses, Unsafe.Add(ref lanes, 16 + q)),
                bits ^ Vector512.Create(int.MinValue), bits);
            return Lanes512<float>.MarginCodes(flipped.AsSingle(), scale);
        }

        var own = Vector512.Equals(rowClasses, Unsafe.Add(ref lanes, 16 + q)).AsSingle();

        // y·s with y = +1 for the row's class and −1 for the others: a blend on the compare's mask. Scores that pass
        // the range check are probabilities, whose margins 1 − y·s are never negative: the clamp is left out there
        // (a unit whose check fails is thrown away).
        var margin = Vector512<float>.One - Vector512.ConditionalSelect(own, x, x ^ Lanes512<float>.SignBit);
        var h = TPass.RangeCheck ? margin : Vector512.MaxNative(Vector512<float>.Zero, margin);
        return TSquared.IsSet ? h * h : h;
    }

    /// <summary>Adds a step's hinges (widened to double) or codes (32-bit) to accumulator pair or code sum
    /// <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate<TPass, TSquared>(int slot, Vector512<float> step, ref Vector512<float> c0,
        ref Vector512<float> c1, ref Vector512<float> c2, ref Vector512<float> c3, ref Vector512<float> c4,
        ref Vector512<double> l0, ref Vector512<double> h0, ref Vector512<double> l1, ref Vector512<double> h1,
        ref Vector512<double> l2, ref Vector512<double> h2, ref Vector512<double> l3, ref Vector512<double> h3,
        ref Vector512<double> l4, ref Vector512<double> h4)
        where TPass : IPass
        where TSquared : IFlag
    {
        if (TPass.RangeCheck && !TSquared.IsSet)
        {
            switch (slot)
            {
                case 0:
                    c0 = Lanes512<float>.AddCodes(c0, step);
                    break;
                case 1:
                    c1 = Lanes512<float>.AddCodes(c1, step);
                    break;
                case 2:
                    c2 = Lanes512<float>.AddCodes(c2, step);
                    break;
                case 3:
                    c3 = Lanes512<float>.AddCodes(c3, step);
                    break;
                default:
                    c4 = Lanes512<float>.AddCodes(c4, step);
                    break;
            }

            return;
        }

        var (low, high) = (Lanes512<float>.WidenLower(step), Lanes512<float>.WidenUpper(step));
        switch (slot)
        {
            case 0:
                (l0, h0) = (l0 + low, h0 + high);
                break;
            case 1:
                (l1, h1) = (l1 + low, h1 + high);
                break;
            case 2:
                (l2, h2) = (l2 + low, h2 + high);
                break;
            case 3:
                (l3, h3) = (l3 + low, h3 + high);
                break;
            default:
                (l4, h4) = (l4 + low, h4 + high);
                break;
        }
    }

    /// <summary>Moves the 32-bit code sums into the pairs (as 64-bit integers) and clears them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Flush(ref Vector512<float> c0, ref Vector512<float> c1, ref Vector512<float> c2,
        ref Vector512<float> c3, ref Vector512<float> c4, ref Vector512<double> l0, ref Vector512<double> h0,
        ref Vector512<double> l1, ref Vector512<double> h1, ref Vector512<double> l2, ref Vector512<double> h2,
        ref Vector512<double> l3, ref Vector512<double> h3, ref Vector512<double> l4, ref Vector512<double> h4)
    {
        (l0, h0) = Lanes512<float>.FlushCodes(l0, h0, c0);
        (l1, h1) = Lanes512<float>.FlushCodes(l1, h1, c1);
        (l2, h2) = Lanes512<float>.FlushCodes(l2, h2, c2);
        (l3, h3) = Lanes512<float>.FlushCodes(l3, h3, c3);
        (l4, h4) = Lanes512<float>.FlushCodes(l4, h4, c4);
        (c0, c1, c2, c3, c4) = (default, default, default, default, default);
    }
}
