using System.Numerics;
using System.Runtime.CompilerServices;

namespace HingeSharp.Kernels;

/// <summary>
/// The scalar formulas: the reference semantics the vector loops reproduce (they are used for other prediction
/// types, machines without vector hardware and units holding non-finite values under Propagate).
/// </summary>
internal static class SimdMath
{
    /// <summary>The logistic function, <c>1 / (1 + exp(−x))</c>, computed in the precision of <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Sigmoid<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));

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

    /// <summary>True when the value is a probability: <c>0 ≤ x ≤ 1</c> (NaN is not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool InUnitInterval<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => x >= T.Zero && x <= T.One;

    /// <summary><c>max(0, 1 − (p[y] − max_{j≠y} p[j]))</c>, squared after the clamp when asked.</summary>
    internal static T CrammerSinger<T>(ReadOnlySpan<T> row, int y, bool squared)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var other = T.NegativeInfinity;
        var nan = false;
        for (var j = 0; j < row.Length; j++)
        {
            if (j == y)
            {
                continue;
            }

            nan |= T.IsNaN(row[j]);
            other = row[j] > other ? row[j] : other;
        }

        if (nan)
        {
            other = T.NaN;
        }

        return Hinge(row[y] - other, squared);
    }

    /// <summary>Softmax over one row, as torch computes it: <c>exp(x − max) / Σ exp(x − max)</c>.</summary>
    internal static void Softmax<T>(ReadOnlySpan<T> row, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = T.NegativeInfinity;
        var nan = false;
        foreach (var x in row)
        {
            nan |= T.IsNaN(x);
            max = x > max ? x : max;
        }

        if (nan)
        {
            destination.Fill(T.NaN);
            return;
        }

        var sum = T.Zero;
        for (var j = 0; j < row.Length; j++)
        {
            var e = T.Exp(row[j] - max);
            destination[j] = e;
            sum += e;
        }

        for (var j = 0; j < row.Length; j++)
        {
            destination[j] /= sum;
        }
    }
}
