using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>
/// Dense dot products and axpy updates for the linear SVM solvers: a row of features (float or double) against a
/// double weight vector. Float features are widened exactly to double, so a float32 matrix and its float64 copy give
/// the same sums bit for bit. Vector256 blocks of 8 with two accumulators, then a scalar tail in the same order for
/// both types; the scalar path (no vector hardware) is a plain loop. The loops are compiled fully optimised on first
/// use (no tier-0 phase): a solver calls them millions of times from its first pass on.
/// </summary>
internal static class DenseKernels
{
    /// <summary>Σ x[j]·w[j] over x's length (w at least as long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var wr = ref MemoryMarshal.GetReference(w[..n]);
        nuint i = 0;
        var sum = 0.0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var a0 = Vector256<double>.Zero;
            var a1 = Vector256<double>.Zero;
            for (; (int)i <= n - 8; i += 8)
            {
                a0 += Vector256.LoadUnsafe(ref xr, i) * Vector256.LoadUnsafe(ref wr, i);
                a1 += Vector256.LoadUnsafe(ref xr, i + 4) * Vector256.LoadUnsafe(ref wr, i + 4);
            }

            sum = Vector256.Sum(a0 + a1);
        }

        for (; (int)i < n; i++)
        {
            sum += Unsafe.Add(ref xr, i) * Unsafe.Add(ref wr, i);
        }

        return sum;
    }

    /// <summary>Σ x[j]·w[j] with float features widened exactly to double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<double> w)
    {
        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var wr = ref MemoryMarshal.GetReference(w[..n]);
        nuint i = 0;
        var sum = 0.0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var a0 = Vector256<double>.Zero;
            var a1 = Vector256<double>.Zero;
            for (; (int)i <= n - 8; i += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref xr, i));
                a0 += lo * Vector256.LoadUnsafe(ref wr, i);
                a1 += hi * Vector256.LoadUnsafe(ref wr, i + 4);
            }

            sum = Vector256.Sum(a0 + a1);
        }

        for (; (int)i < n; i++)
        {
            sum += Unsafe.Add(ref xr, i) * Unsafe.Add(ref wr, i);
        }

        return sum;
    }

    /// <summary>w[j] += a·x[j] over x's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Axpy(double a, ReadOnlySpan<double> x, Span<double> w)
    {
        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var wr = ref MemoryMarshal.GetReference(w[..n]);
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            var va = Vector256.Create(a);
            for (; (int)i <= n - 4; i += 4)
            {
                (Vector256.LoadUnsafe(ref wr, i) + va * Vector256.LoadUnsafe(ref xr, i)).StoreUnsafe(ref wr, i);
            }
        }

        for (; (int)i < n; i++)
        {
            Unsafe.Add(ref wr, i) += a * Unsafe.Add(ref xr, i);
        }
    }

    /// <summary>w[j] += a·x[j] with float features widened exactly to double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Axpy(double a, ReadOnlySpan<float> x, Span<double> w)
    {
        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var wr = ref MemoryMarshal.GetReference(w[..n]);
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var va = Vector256.Create(a);
            for (; (int)i <= n - 8; i += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref xr, i));
                (Vector256.LoadUnsafe(ref wr, i) + va * lo).StoreUnsafe(ref wr, i);
                (Vector256.LoadUnsafe(ref wr, i + 4) + va * hi).StoreUnsafe(ref wr, i + 4);
            }
        }

        for (; (int)i < n; i++)
        {
            Unsafe.Add(ref wr, i) += a * Unsafe.Add(ref xr, i);
        }
    }

    /// <summary>Σ x[j]² (double features).</summary>
    internal static double SquaredNorm(ReadOnlySpan<double> x) => Dot(x, x);

    /// <summary>Σ x[j]² with float features widened to double.</summary>
    internal static double SquaredNorm(ReadOnlySpan<float> x)
    {
        var sum = 0.0;
        foreach (var v in x)
        {
            sum += (double)v * v;
        }

        return sum;
    }
}
