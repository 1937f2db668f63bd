using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>
/// The memory limit the kernels are measured against: a plain vectorised sum of every float score and every int
/// label, reading exactly the bytes a hinge kernel reads, split into the same units and threads.
/// </summary>
internal static class StreamingBaseline
{
    /// <summary>Sum of <paramref name="values"/> plus sum of <paramref name="labels"/> (the result only keeps the
    /// reads alive).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Sum(ReadOnlySpan<float> values, ReadOnlySpan<int> labels, KernelOptions options)
    {
        var units = UnitScheduler.UnitCount(Math.Max(values.Length, labels.Length), UnitScheduler.UnitElements);
        if (units == 1 && labels.Length > 0 && values.Length == labels.Length)
        {
            // Small binary batches: no share arithmetic (the kernels have none either).
            return Interleaved(values, labels, 1);
        }

        // Threads from the same size rule as the kernels (their size is the number of scores).
        var threads = options.ThreadsFor(values.Length, units);
        if (threads > 1)
        {
            return BaselineJob.Run(values, labels, units, threads);
        }

        double total = 0;
        for (var u = 0; u < units; u++)
        {
            total += Unit(values, labels, u, units);
        }

        return total;
    }

    /// <summary>
    /// Unit <paramref name="unit"/> of <paramref name="units"/>: the same share of both spans, read together as a
    /// kernel reads them (each block of labels beside its scores) so that both streams are in flight at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Unit(ReadOnlySpan<float> values, ReadOnlySpan<int> labels, int unit, int units)
    {
        var v = Share(values.Length, unit, units);
        var l = Share(labels.Length, unit, units);
        var perLabel = labels.Length == 0 ? 0 : values.Length / labels.Length;
        if (perLabel == 0 || (long)perLabel * labels.Length != values.Length || l.Length == 0)
        {
            return Lanes(values[v.Start..v.End]) + Lanes(labels[l.Start..l.End]);
        }

        // Shares of equal label counts: the values of labels [l.Start, l.End) are [l.Start·k, l.End·k).
        return Interleaved(values.Slice(l.Start * perLabel, l.Length * perLabel), labels.Slice(l.Start, l.Length),
            perLabel);
    }

    private static (int Start, int End, int Length) Share(int length, int unit, int units)
    {
        var per = (length + units - 1) / units;
        var start = Math.Min(length, unit * per);
        var end = Math.Min(length, start + per);
        return (start, end, end - start);
    }

    /// <summary>Sums <paramref name="labels"/> in blocks of 16 and, beside each block, its 16·k values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Interleaved(ReadOnlySpan<float> values, ReadOnlySpan<int> labels, int k)
    {
        ref var pv = ref MemoryMarshal.GetReference(values);
        ref var pl = ref MemoryMarshal.GetReference(labels);
        nuint i = 0, n = (nuint)labels.Length, block = 16, step = (nuint)(16 * k);
        nuint j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a = default, b = default;
            Vector512<int> c = default;
            for (; i + block <= n; i += block, j += step)
            {
                c += Vector512.LoadUnsafe(ref pl, i);
                nuint q = 0;
                for (; q + 32 <= step; q += 32)
                {
                    a += Vector512.LoadUnsafe(ref pv, j + q);
                    b += Vector512.LoadUnsafe(ref pv, j + q + 16);
                }

                if (q < step)
                {
                    a += Vector512.LoadUnsafe(ref pv, j + q);
                }
            }

            return Vector512.Sum(a + b) + Vector512.Sum(c) + Lanes(values[(int)j..]) + Lanes(labels[(int)i..]);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a = default, b = default;
            Vector256<int> c = default, d = default;
            for (; i + block <= n; i += block, j += step)
            {
                c += Vector256.LoadUnsafe(ref pl, i);
                d += Vector256.LoadUnsafe(ref pl, i + 8);
                for (nuint q = 0; q < step; q += 16)
                {
                    a += Vector256.LoadUnsafe(ref pv, j + q);
                    b += Vector256.LoadUnsafe(ref pv, j + q + 8);
                }
            }

            return Vector256.Sum(a + b) + Vector256.Sum(c + d) + Lanes(values[(int)j..]) + Lanes(labels[(int)i..]);
        }

        return Lanes(values) + Lanes(labels);
    }

    /// <summary>A two-accumulator vector sum of every element (float scores or int labels alike).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Lanes<T>(ReadOnlySpan<T> x)
        where T : unmanaged, INumberBase<T>
    {
        ref var p = ref MemoryMarshal.GetReference(x);
        nuint i = 0, n = (nuint)x.Length;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var width = (nuint)Vector512<T>.Count;
            Vector512<T> a = default, b = default;
            for (; i + 2 * width <= n; i += 2 * width)
            {
                a += Vector512.LoadUnsafe(ref p, i);
                b += Vector512.LoadUnsafe(ref p, i + width);
            }

            sum = double.CreateTruncating(Vector512.Sum(a + b));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var width = (nuint)Vector256<T>.Count;
            Vector256<T> a = default, b = default;
            for (; i + 2 * width <= n; i += 2 * width)
            {
                a += Vector256.LoadUnsafe(ref p, i);
                b += Vector256.LoadUnsafe(ref p, i + width);
            }

            sum = double.CreateTruncating(Vector256.Sum(a + b));
        }

        for (; i < n; i++)
        {
            sum += double.CreateTruncating(x[(int)i]);
        }

        return sum;
    }
}
