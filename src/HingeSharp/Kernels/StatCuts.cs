using System.Numerics;

namespace HingeSharp.Kernels;

/// <summary>
/// Turns a probability threshold into a cut on raw predictions, so that the kernels decide a predicted label with one
/// comparison <c>x &gt; cut</c> on the value they read: the threshold itself for probabilities, the logit whose
/// sigmoid first exceeds it for logits, 0 for margins.
/// </summary>
internal static class StatCuts
{
    /// <summary>The cut for probabilities: torch compares <c>preds &gt; threshold</c> in the preds' precision.</summary>
    internal static T Probability<T>(double threshold)
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(threshold);

    /// <summary>
    /// The largest <typeparamref name="T"/> whose sigmoid (<see cref="SimdMath.Sigmoid{T}"/>, in the precision of
    /// <typeparamref name="T"/>) is not above the threshold: <c>x &gt; cut</c> ⇔ <c>sigmoid(x) &gt; threshold</c> for
    /// every non-NaN x. Found by bisection over the ordered bit patterns (the sigmoid is monotone).
    /// </summary>
    internal static T Logit<T>(double threshold)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var t = T.CreateTruncating(threshold);
        if (!(SimdMath.Sigmoid(T.PositiveInfinity) > t))
        {
            return T.PositiveInfinity;   // nothing is ever above the threshold
        }

        if (SimdMath.Sigmoid(T.NegativeInfinity) > t)
        {
            return T.NaN;                // never reached: thresholds are validated to [0, 1]
        }

        long lo = Key(T.NegativeInfinity), hi = Key(T.PositiveInfinity);
        while (hi > lo + 1)
        {
            // The keys of doubles span more than a long's range: halve without overflowing.
            var mid = (lo >> 1) + (hi >> 1) + (lo & hi & 1);
            if (SimdMath.Sigmoid(FromKey<T>(mid)) > t)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return FromKey<T>(lo);
    }

    private static long Key<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var bits = BitConverter.SingleToInt32Bits(float.CreateTruncating(x));
            return bits >= 0 ? bits : (long)int.MinValue - bits;
        }

        var b = BitConverter.DoubleToInt64Bits(double.CreateTruncating(x));
        return b >= 0 ? b : long.MinValue - b;
    }

    private static T FromKey<T>(long key)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var bits = key >= 0 ? (int)key : (int)(int.MinValue - key);
            return T.CreateTruncating(BitConverter.Int32BitsToSingle(bits));
        }

        var b = key >= 0 ? key : long.MinValue - key;
        return T.CreateTruncating(BitConverter.Int64BitsToDouble(b));
    }
}
