using System.Numerics;
using System.Runtime.InteropServices;
using HingeSharp.Kernels;

namespace HingeSharp.Svm;

/// <summary>Checks and reads the dense row-major feature matrices and integer labels the linear models take.</summary>
internal static class SvmData
{
    /// <summary>Rows of a row-major matrix with <paramref name="columns"/> columns; checks the shape and that every
    /// value is finite.</summary>
    internal static int Rows<T>(ReadOnlySpan<T> x, int columns, string name = "x")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (columns < 1)
        {
            ThrowHelper.ThrowArgument("columns", $"Expected `columns` (the number of features) to be at least 1, " +
                $"but got {columns}.");
        }

        if (x.Length % columns != 0)
        {
            ThrowHelper.ThrowArgument(name, $"`{name}` holds {x.Length} values, which is not a whole number of rows " +
                $"of {columns} features.");
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (!T.IsFinite(x[i]))
            {
                ThrowHelper.ThrowArgument(name, $"`{name}[{i / columns}, {i % columns}]` = {ThrowHelper.Format(x[i])}: " +
                    "features must be finite.", i);
            }
        }

        return x.Length / columns;
    }

    /// <summary>The sorted distinct labels and each sample's index into them.</summary>
    internal static (long[] Classes, int[] Index) Encode<TLabel>(ReadOnlySpan<TLabel> y, int rows)
        where TLabel : IBinaryInteger<TLabel>
    {
        if (y.Length != rows)
        {
            ThrowHelper.ThrowArgument("y", $"Found input variables with inconsistent numbers of samples: x has {rows} " +
                $"rows, y has {y.Length} labels.");
        }

        var labels = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            if (!SvmData.TryLong(y[i], out labels[i]))
            {
                ThrowHelper.ThrowArgument("y", $"`y[{i}]` = {y[i]} does not fit a 64-bit integer.", i);
            }
        }

        var classes = labels.Distinct().Order().ToArray();
        if (classes.Length < 2)
        {
            ThrowHelper.ThrowArgument("y", "This solver needs samples of at least 2 classes in the data, but the " +
                $"data contain only one class: {(classes.Length == 0 ? "none" : classes[0].ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
        }

        var index = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            index[i] = Array.BinarySearch(classes, labels[i]);
        }

        return (classes, index);
    }

    /// <summary>The label as a 64-bit integer, if it fits.</summary>
    internal static bool TryLong<TLabel>(TLabel value, out long result)
        where TLabel : IBinaryInteger<TLabel>
    {
        try
        {
            result = long.CreateChecked(value);
            return true;
        }
        catch (OverflowException)
        {
            result = 0;
            return false;
        }
    }

    /// <summary>One row as a span of its element type.</summary>
    internal static ReadOnlySpan<T> Row<T>(ReadOnlySpan<T> x, int columns, int row) => x.Slice(row * columns, columns);

    /// <summary>Dot product of a float or double row with double weights.</summary>
    internal static double Dot<T>(ReadOnlySpan<T> row, ReadOnlySpan<double> w)
        where T : unmanaged
        => typeof(T) == typeof(float)
            ? DenseKernels.Dot(MemoryMarshal.Cast<T, float>(row), w)
            : DenseKernels.Dot(MemoryMarshal.Cast<T, double>(row), w);

    /// <summary>w += a·row for a float or double row.</summary>
    internal static void Axpy<T>(double a, ReadOnlySpan<T> row, Span<double> w)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            DenseKernels.Axpy(a, MemoryMarshal.Cast<T, float>(row), w);
        }
        else
        {
            DenseKernels.Axpy(a, MemoryMarshal.Cast<T, double>(row), w);
        }
    }

    /// <summary>Σ row².</summary>
    internal static double SquaredNorm<T>(ReadOnlySpan<T> row)
        where T : unmanaged
        => typeof(T) == typeof(float)
            ? DenseKernels.SquaredNorm(MemoryMarshal.Cast<T, float>(row))
            : DenseKernels.SquaredNorm(MemoryMarshal.Cast<T, double>(row));
}

/// <summary>A small deterministic generator (SplitMix64) for the solvers' random permutations: the same seed gives
/// the same sequence on every platform and thread.</summary>
internal struct SplitMix64
{
    private ulong _state;

    internal SplitMix64(ulong seed) => _state = seed;

    internal ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound) (Lemire's multiply-shift with rejection).</summary>
    internal int Below(int bound)
    {
        var range = (ulong)bound;
        var product = (UInt128)Next() * range;
        var low = (ulong)product;
        if (low < range)
        {
            var threshold = (0UL - range) % range;
            while (low < threshold)
            {
                product = (UInt128)Next() * range;
                low = (ulong)product;
            }
        }

        return (int)(product >> 64);
    }

    /// <summary>A seed for sub-problem <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    internal static ulong Derive(int seed, int index)
    {
        var g = new SplitMix64(((ulong)(uint)seed << 32) ^ (uint)index ^ 0xA5A5A5A5UL);
        return g.Next();
    }
}
