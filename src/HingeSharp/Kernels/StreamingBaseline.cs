using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>
/// The memory limit the kernels are measured against: a plain vectorised sum of every float score and every int
/// label, reading exactly the bytes a hinge kernel reads, split into the same units and threads. Each stream has
/// four independent accumulators and the loop is unrolled four registers deep (as a C streaming read is written),
/// reads the scores from their first vector-aligned address, at 512 or 256 bits (<see cref="KernelOptions.Width"/>);
/// callers that want the limit take the faster of the two forms (<see cref="Forms"/>).
/// </summary>
internal static class StreamingBaseline
{
    /// <summary>The accelerated widths the baseline has a form for (512 and/or 256 bits, widest first); empty when
    /// neither is accelerated (then <see cref="Sum"/> reads with 128-bit or scalar loops).</summary>
    internal static IReadOnlyList<SimdWidth> Forms { get; } =
        [.. new[] { SimdWidth.V512, SimdWidth.V256 }.Where(w => w <= KernelOptions.Best)];

    /// <summary>Sum of <paramref name="values"/> plus sum of <paramref name="labels"/> (the result only keeps the
    /// reads alive), read at <paramref name="options"/>' width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Sum(ReadOnlySpan<float> values, ReadOnlySpan<int> labels, KernelOptions options)
    {
        var units = UnitScheduler.UnitCount(Math.Max(values.Length, labels.Length), UnitScheduler.UnitElements);
        if (units == 1 && labels.Length > 0 && values.Length == labels.Length)
        {
            // Small binary batches: no share arithmetic (the kernels have none either).
            return Interleaved(values, labels, 1, options.Width);
        }

        // Threads from the same size rule as the kernels (their size is the number of scores).
        var threads = options.ThreadsFor(values.Length, units);
        if (threads > 1)
        {
            return BaselineJob.Run(values, labels, units, threads, options.Width);
        }

        double total = 0;
        for (var u = 0; u < units; u++)
        {
            total += Unit(values, labels, u, units, options.Width);
        }

        return total;
    }

    /// <summary>
    /// Unit <paramref name="unit"/> of <paramref name="units"/>: the same share of both spans, read together as a
    /// kernel reads them (each block of labels beside its scores) so that both streams are in flight at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Unit(ReadOnlySpan<float> values, ReadOnlySpan<int> labels, int unit, int units,
        SimdWidth width)
    {
        var v = Share(values.Length, unit, units);
        var l = Share(labels.Length, unit, units);
        var perLabel = labels.Length == 0 ? 0 : values.Length / labels.Length;
        if (perLabel == 0 || (long)perLabel * labels.Length != values.Length || l.Length == 0)
        {
            return Lanes(values[v.Start..v.End], width) + Lanes(labels[l.Start..l.End], width);
        }

        // Shares of equal label counts: the values of labels [l.Start, l.End) are [l.Start·k, l.End·k).
        return Interleaved(values.Slice(l.Start * perLabel, l.Length * perLabel), labels.Slice(l.Start, l.Length),
            perLabel, width);
    }

    private static (int Start, int End, int Length) Share(int length, int unit, int units)
    {
        var per = (length + units - 1) / units;
        var start = Math.Min(length, unit * per);
        var end = Math.Min(length, start + per);
        return (start, end, end - start);
    }

    private static double Interleaved(ReadOnlySpan<float> values, ReadOnlySpan<int> labels, int k, SimdWidth width)
    {
        // As a C streaming read is written: from the first label whose values start on a vector boundary (a load
        // across two cache lines costs two), the labels before it summed on their own.
        var head = width >= SimdWidth.V256 && labels.Length >= 64 ? AlignedStart(values, k, (int)width / 8) : 0;
        var sum = head == 0 ? 0 : Lanes(values[..(head * k)], width) + Lanes(labels[..head], width);
        values = values[(head * k)..];
        labels = labels[head..];
        return sum + width switch
        {
            SimdWidth.V512 when Vector512.IsHardwareAccelerated => Interleaved512(values, labels, k),
            SimdWidth.V256 or SimdWidth.V512 when Vector256.IsHardwareAccelerated => Interleaved256(values, labels, k),
            _ => Lanes(values, width) + Lanes(labels, width),
        };
    }

    /// <summary>The first label (of the next <paramref name="vectorBytes"/> / 4) whose <paramref name="k"/> values
    /// start on a <paramref name="vectorBytes"/> boundary; 0 when none does.</summary>
    private static int AlignedStart(ReadOnlySpan<float> values, int k, int vectorBytes)
    {
        var lanes = vectorBytes / sizeof(float);
        var lead = BlockMemory.Lead(in MemoryMarshal.GetReference(values), vectorBytes);
        for (var h = 0; h < lanes; h++)
        {
            if ((lead - (h * k)) % lanes == 0)
            {
                return h;
            }
        }

        return 0;
    }

    /// <summary>Sums <paramref name="labels"/> in blocks of 64 (four registers, four accumulators) and, beside each
    /// block, its 64·k values (four registers per step, four accumulators).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Interleaved512(ReadOnlySpan<float> values, ReadOnlySpan<int> labels, int k)
    {
        ref var pv = ref MemoryMarshal.GetReference(values);
        ref var pl = ref MemoryMarshal.GetReference(labels);
        nuint i = 0, j = 0, n = (nuint)labels.Length, step = (nuint)(64 * k);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<int> c0 = default, c1 = default, c2 = default, c3 = default;
        for (; i + 64 <= n; i += 64, j += step)
        {
            c0 += Vector512.LoadUnsafe(ref pl, i);
            c1 += Vector512.LoadUnsafe(ref pl, i + 16);
            c2 += Vector512.LoadUnsafe(ref pl, i + 32);
            c3 += Vector512.LoadUnsafe(ref pl, i + 48);
            for (nuint q = 0; q < step; q += 64)
            {
                a0 += Vector512.LoadUnsafe(ref pv, j + q);
                a1 += Vector512.LoadUnsafe(ref pv, j + q + 16);
                a2 += Vector512.LoadUnsafe(ref pv, j + q + 32);
                a3 += Vector512.LoadUnsafe(ref pv, j + q + 48);
            }
        }

        return Vector512.Sum((a0 + a1) + (a2 + a3)) + Vector512.Sum((c0 + c1) + (c2 + c3)) +
            Lanes(values[(int)j..], SimdWidth.V512) + Lanes(labels[(int)i..], SimdWidth.V512);
    }

    /// <summary>The 256-bit form of <see cref="Interleaved512"/>: blocks of 32 labels and 32·k values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Interleaved256(ReadOnlySpan<float> values, ReadOnlySpan<int> labels, int k)
    {
        ref var pv = ref MemoryMarshal.GetReference(values);
        ref var pl = ref MemoryMarshal.GetReference(labels);
        nuint i = 0, j = 0, n = (nuint)labels.Length, step = (nuint)(32 * k);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default;
        for (; i + 32 <= n; i += 32, j += step)
        {
            c0 += Vector256.LoadUnsafe(ref pl, i);
            c1 += Vector256.LoadUnsafe(ref pl, i + 8);
            c2 += Vector256.LoadUnsafe(ref pl, i + 16);
            c3 += Vector256.LoadUnsafe(ref pl, i + 24);
            for (nuint q = 0; q < step; q += 32)
            {
                a0 += Vector256.LoadUnsafe(ref pv, j + q);
                a1 += Vector256.LoadUnsafe(ref pv, j + q + 8);
                a2 += Vector256.LoadUnsafe(ref pv, j + q + 16);
                a3 += Vector256.LoadUnsafe(ref pv, j + q + 24);
            }
        }

        return Vector256.Sum((a0 + a1) + (a2 + a3)) + Vector256.Sum((c0 + c1) + (c2 + c3)) +
            Lanes(values[(int)j..], SimdWidth.V256) + Lanes(labels[(int)i..], SimdWidth.V256);
    }

    /// <summary>A four-accumulator vector sum of every element (float scores or int labels alike).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Lanes<T>(ReadOnlySpan<T> x, SimdWidth width)
        where T : unmanaged, INumberBase<T>
    {
        ref var p = ref MemoryMarshal.GetReference(x);
        nuint i = 0, n = (nuint)x.Length;
        double sum = 0;
        if (width == SimdWidth.V512 && Vector512.IsHardwareAccelerated)
        {
            var w = (nuint)Vector512<T>.Count;
            Vector512<T> a = default, b = default, c = default, d = default;
            for (; i + (4 * w) <= n; i += 4 * w)
            {
                a += Vector512.LoadUnsafe(ref p, i);
                b += Vector512.LoadUnsafe(ref p, i + w);
                c += Vector512.LoadUnsafe(ref p, i + (2 * w));
                d += Vector512.LoadUnsafe(ref p, i + (3 * w));
            }

            sum = double.CreateTruncating(Vector512.Sum((a + b) + (c + d)));
        }
        else if (width >= SimdWidth.V256 && Vector256.IsHardwareAccelerated)
        {
            var w = (nuint)Vector256<T>.Count;
            Vector256<T> a = default, b = default, c = default, d = default;
            for (; i + (4 * w) <= n; i += 4 * w)
            {
                a += Vector256.LoadUnsafe(ref p, i);
                b += Vector256.LoadUnsafe(ref p, i + w);
                c += Vector256.LoadUnsafe(ref p, i + (2 * w));
                d += Vector256.LoadUnsafe(ref p, i + (3 * w));
            }

            sum = double.CreateTruncating(Vector256.Sum((a + b) + (c + d)));
        }
        else if (width >= SimdWidth.V128 && Vector128.IsHardwareAccelerated)
        {
            var w = (nuint)Vector128<T>.Count;
            Vector128<T> a = default, b = default;
            for (; i + (2 * w) <= n; i += 2 * w)
            {
                a += Vector128.LoadUnsafe(ref p, i);
                b += Vector128.LoadUnsafe(ref p, i + w);
            }

            sum = double.CreateTruncating(Vector128.Sum(a + b));
        }

        for (; i < n; i++)
        {
            sum += double.CreateTruncating(Unsafe.Add(ref p, i));
        }

        return sum;
    }
}
