using System.Buffers;
using System.Numerics;

namespace HingeSharp.Statistics;

/// <summary>
/// Scale-free weighted sums (docs/numerics.md, "Weights of any scale"). A weighted state keeps its sums of weights
/// divided by <c>2^e</c>, with <c>e</c> the binary exponent of the largest weight seen in its batches: each batch's
/// weights are multiplied by <c>2^-e</c> (exact; the largest becomes a value in [1, 2)) before they are summed, and two
/// parts with different exponents are brought to the larger one before they are added. A weighted mean, a ratio of
/// two such sums, then does not depend on the weights' scale: weights near <c>double.MaxValue</c> do not overflow and
/// subnormal weights keep their 53-bit precision.
/// </summary>
internal static class WeightScale
{
    /// <summary>The smallest exponent a weight can have (<c>ILogB(double.Epsilon)</c>).</summary>
    internal const int MinExponent = -1074;

    /// <summary>The largest exponent a weight can have (<c>ILogB(double.MaxValue)</c>).</summary>
    internal const int MaxExponent = 1023;

    /// <summary>
    /// The binary exponent of the largest valid weight (finite, positive) of a kept sample; 0 when there is none
    /// (no weights, or all zero). A sample (<paramref name="stride"/> targets per weight) is kept unless all its
    /// targets equal <paramref name="ignoreIndex"/>; invalid weights are skipped here and reported by the sums' checks.
    /// </summary>
    internal static int Exponent<TTarget>(ReadOnlySpan<double> weights, ReadOnlySpan<TTarget> target,
        int? ignoreIndex, int stride = 1)
        where TTarget : unmanaged, INumberBase<TTarget> => LargestExponent(weights, target, ignoreIndex, stride) ?? 0;

    /// <summary>As <see cref="Exponent"/>, but null when no kept sample has a positive weight.</summary>
    internal static int? LargestExponent<TTarget>(ReadOnlySpan<double> weights, ReadOnlySpan<TTarget> target,
        int? ignoreIndex, int stride = 1)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        double max = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            if (!(w > max && w <= double.MaxValue) || (ignoreIndex is { } ignore && Ignored(target, i, stride, ignore)))
            {
                continue;
            }

            max = w;
        }

        return max == 0 ? null : Math.ILogB(max);
    }

    /// <summary>
    /// Copies the weights multiplied by <c>2^-exponent</c> into a rented array (the caller returns it); invalid
    /// weights (negative, NaN, ±∞) are copied unchanged so that errors name the value given. Null when the exponent is
    /// 0 or there are no weights: use the weights as they are.
    /// </summary>
    internal static double[]? RentScaled(ReadOnlySpan<double> weights, int exponent)
    {
        if (exponent == 0 || weights.IsEmpty)
        {
            return null;
        }

        var scaled = ArrayPool<double>.Shared.Rent(weights.Length);
        for (var i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            scaled[i] = w >= 0 && w <= double.MaxValue ? Math.ScaleB(w, -exponent) : w;
        }

        return scaled;
    }

    /// <summary>Returns an array from <see cref="RentScaled"/> (null is ignored).</summary>
    internal static void Return(double[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The exponent two parts share when added: the larger one, except that a part without weight (its weight sum is
    /// 0) takes the other's.
    /// </summary>
    internal static int Common(int left, bool leftHasWeight, int right, bool rightHasWeight) =>
        leftHasWeight == rightHasWeight ? Math.Max(left, right) : leftHasWeight ? left : right;

    /// <summary>A sum kept at exponent <paramref name="from"/>, expressed at exponent <paramref name="to"/>.</summary>
    internal static double Rescale(double value, int from, int to) =>
        from == to ? value : Math.ScaleB(value, from - to);

    /// <summary>Rescales every sum of a part in place (see <see cref="Rescale(double, int, int)"/>).</summary>
    internal static void Rescale(Span<double> values, int from, int to)
    {
        if (from == to)
        {
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.ScaleB(values[i], from - to);
        }
    }

    /// <summary>A scaled sum in the weights' own units, <c>value·2^exponent</c> (±∞ when that overflows).</summary>
    internal static double Unscale(double value, int exponent) => exponent == 0 ? value : Math.ScaleB(value, exponent);

    /// <summary>Whether an exponent read from a state can come from weights.</summary>
    internal static bool IsValid(long exponent) => exponent is >= MinExponent and <= MaxExponent;

    private static bool Ignored<TTarget>(ReadOnlySpan<TTarget> target, int sample, int stride, int ignore)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var start = (long)sample * stride;
        if (start + stride > target.Length)
        {
            return false;
        }

        foreach (var t in target.Slice((int)start, stride))
        {
            if (double.CreateTruncating(t) != ignore)
            {
                return false;
            }
        }

        return true;
    }
}
