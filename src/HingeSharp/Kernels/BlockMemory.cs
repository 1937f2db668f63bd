using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace HingeSharp.Kernels;

/// <summary>
/// The kernels' uses of addresses: a vector-aligned table on the stack (a bound is read per row, and a load across a
/// cache line costs two), where a stream's first aligned vector starts (<see cref="Lead{T}"/>), and software prefetch
/// hints. Unsafe code stays here and in the threaded jobs.
/// </summary>
internal static class BlockMemory
{
    /// <summary>How far ahead of the block being reduced its successors' scores are prefetched (bytes).</summary>
    internal const int PrefetchDistance = 8192;

    /// <summary>Bytes to stack-allocate for <see cref="AlignedTable{TV}"/> of <paramref name="count"/> vectors.</summary>
    internal static int TableBytes<TV>(int count)
        where TV : unmanaged => (count + 1) * Unsafe.SizeOf<TV>();

    /// <summary><paramref name="count"/> vectors inside <paramref name="bytes"/>, aligned to a vector's size.</summary>
    internal static unsafe Span<TV> AlignedTable<TV>(Span<byte> bytes, int count)
        where TV : unmanaged
    {
        // Stack memory does not move: the address taken here stays valid for the span's lifetime.
        ref var start = ref MemoryMarshal.GetReference(bytes);
        var size = (nuint)Unsafe.SizeOf<TV>();
        var skip = (size - ((nuint)Unsafe.AsPointer(ref start) & (size - 1))) & (size - 1);
        return MemoryMarshal.CreateSpan(ref Unsafe.As<byte, TV>(ref Unsafe.Add(ref start, skip)), count);
    }

    /// <summary>
    /// How many elements of <paramref name="first"/>'s stream come before its first address aligned to
    /// <paramref name="vectorBytes"/> (a power of two): 0 when it is aligned, or when the elements themselves are not
    /// aligned to their size (no element then starts on the boundary). Streaming reads from aligned addresses run
    /// about a fifth faster from memory (a vector across two cache lines is two loads).
    /// </summary>
    /// <remarks>The answer is a hint for the moment it is taken: the collector may move an unpinned array later, so
    /// callers use it only for speed, never for what they compute.</remarks>
    internal static unsafe int Lead<T>(ref readonly T first, int vectorBytes)
        where T : unmanaged
    {
        var address = (nuint)Unsafe.AsPointer(ref Unsafe.AsRef(in first));
        var size = (nuint)Unsafe.SizeOf<T>();
        if ((address & (size - 1)) != 0)
        {
            return 0;
        }

        var mask = (nuint)vectorBytes - 1;
        return (int)(((nuint)vectorBytes - (address & mask)) & mask) / (int)size;
    }

    /// <summary>
    /// Prefetches the <paramref name="lines"/> cache lines (at most 16) that lie <see cref="PrefetchDistance"/> past
    /// <paramref name="first"/> into L2 (<c>prefetcht1</c>), written out one by one: where <paramref name="lines"/> is
    /// a constant of the caller, as in the transposed blocks, the compiler keeps exactly that many prefetches and no
    /// loop (which, from memory, is worth a tenth there).
    /// </summary>
    /// <remarks>
    /// L2, not L1: the transposed blocks load all of a block's rows at once and then run a long shuffle chain, and with
    /// the lines pulled into L1 ahead they ran about a sixth slower from memory (Crammer–Singer, C = 10, 1e7 rows, on a
    /// Zen 4 EPYC: 0.43 against 0.48–0.51e9 rows/s, at 512 and at 256 bits alike); the demand loads find the lines in
    /// L2 in time.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void PrefetchLines<T>(ref readonly T first, int lines)
    {
        if (Sse.IsSupported)
        {
            var at = (byte*)Unsafe.AsPointer(ref Unsafe.AsRef(in first)) + PrefetchDistance;
            Sse.Prefetch1(at);
            if (lines > 1) { Sse.Prefetch1(at + 64); }
            if (lines > 2) { Sse.Prefetch1(at + 128); }
            if (lines > 3) { Sse.Prefetch1(at + 192); }
            if (lines > 4) { Sse.Prefetch1(at + 256); }
            if (lines > 5) { Sse.Prefetch1(at + 320); }
            if (lines > 6) { Sse.Prefetch1(at + 384); }
            if (lines > 7) { Sse.Prefetch1(at + 448); }
            if (lines > 8) { Sse.Prefetch1(at + 512); }
            if (lines > 9) { Sse.Prefetch1(at + 576); }
            if (lines > 10) { Sse.Prefetch1(at + 640); }
            if (lines > 11) { Sse.Prefetch1(at + 704); }
            if (lines > 12) { Sse.Prefetch1(at + 768); }
            if (lines > 13) { Sse.Prefetch1(at + 832); }
            if (lines > 14) { Sse.Prefetch1(at + 896); }
            if (lines > 15) { Sse.Prefetch1(at + 960); }
        }
    }

    /// <summary>
    /// Prefetches the <paramref name="bytes"/> that lie <see cref="PrefetchDistance"/> past <paramref name="first"/>
    /// (a hint: an address past the data, or one the collector has since moved, costs nothing but the hint), into L2
    /// when <paramref name="toL2"/> is set, else into L1.
    /// </summary>
    /// <remarks>
    /// The plain blocks take L2 for rows of two vectors and L1 for rows of one: from memory on a Zen 4 EPYC, L2 was
    /// faster for float rows of 20 classes (0.20–0.22 against 0.14–0.15e9 rows/s) and double rows of 10 (0.18–0.20
    /// against 0.16–0.18), L1 for float rows of 3 and 5 classes (by 6–12 %).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Prefetch<T>(ref readonly T first, nuint bytes, bool toL2)
    {
        if (Sse.IsSupported)
        {
            var at = (byte*)Unsafe.AsPointer(ref Unsafe.AsRef(in first)) + PrefetchDistance;
            for (nuint offset = 0; offset < bytes; offset += 64)
            {
                if (toL2)
                {
                    Sse.Prefetch1(at + offset);
                }
                else
                {
                    Sse.Prefetch0(at + offset);
                }
            }
        }
    }
}
