using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>Element-wise helpers shared by the kernels, each with a scalar twin that uses the same formula.</summary>
internal static class SimdMath
{
    /// <summary>The logistic function, <c>1 / (1 + exp(−x))</c>, computed in the precision of <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Sigmoid<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));

    /// <summary>Vector twin of <see cref="Sigmoid{T}(T)"/> for float and double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Sigmoid<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var f = x.As<T, float>();
            return (Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-f))).As<float, T>();
        }

        var d = x.As<T, double>();
        return (Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-d))).As<double, T>();
    }

    /// <summary><c>max(0, 1 − m)</c>, squared after the clamp when asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Hinge<T>(T margin, bool squared)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var h = T.One - margin;
        h = h > T.Zero ? h : T.Zero;
        // NaN stays NaN (the comparison above is false for NaN and would give 0): keep torch's propagation.
        if (T.IsNaN(margin))
        {
            h = margin;
        }

        return squared ? h * h : h;
    }

    /// <summary>Vector twin of <see cref="Hinge{T}(T, bool)"/> (NaN propagates as in the scalar version).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Hinge<T>(Vector256<T> margin, bool squared)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Vector256.Max propagates NaN from either operand (IEEE maximum), which is what torch's clamp does.
        var h = Vector256.Max(Vector256<T>.One - margin, Vector256<T>.Zero);
        return squared ? h * h : h;
    }

    /// <summary>Sums a vector's lanes into a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double SumToDouble<T>(Vector256<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var (lo, hi) = Vector256.Widen(v.As<T, float>());
            return Vector256.Sum(lo + hi);
        }

        return Vector256.Sum(v.As<T, double>());
    }

    /// <summary>True when the value is a probability: <c>0 ≤ x ≤ 1</c> (NaN is not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool InUnitInterval<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x >= T.Zero && x <= T.One;
}
