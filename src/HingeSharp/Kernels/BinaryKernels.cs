using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>What one pass over a binary batch produced: the loss sum and the number of kept elements.</summary>
internal readonly record struct BinarySums(double Measures, long Total);

/// <summary>
/// Binary hinge kernels: one fused pass per batch that validates targets, checks the probability range, rejects
/// non-finite predictions and accumulates <c>max(0, 1 − y·p)</c> (squared on request) into double.
/// </summary>
internal static class BinaryKernels
{
    internal const int ChunkLength = 512;

    /// <summary>Sums the binary hinge over a batch, deciding between probabilities and logits as asked.</summary>
    internal static BinarySums Sum<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, bool squared,
        int? ignoreIndex, bool validate, HingeInputKind inputKind, NonFiniteHandling nonFinite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (preds.Length != target.Length)
        {
            ThrowHelper.ThrowShapeMismatch(preds.Length, target.Length);
        }

        if (inputKind != HingeInputKind.Logits)
        {
            // Probabilities (or margins) unless a kept value leaves [0, 1] under the Auto rule.
            var rangeRule = inputKind switch
            {
                HingeInputKind.Auto => RangeRule.StopOutside,
                HingeInputKind.Probabilities => RangeRule.ThrowOutside,
                _ => RangeRule.None,
            };
            if (TrySum(preds, target, squared, ignoreIndex, validate, rangeRule, sigmoid: false, nonFinite,
                    out var sums))
            {
                return sums;
            }
        }

        TrySum(preds, target, squared, ignoreIndex, validate, RangeRule.None, sigmoid: true, nonFinite,
            out var logitSums);
        return logitSums;
    }

    private enum RangeRule
    {
        None,
        StopOutside,
        ThrowOutside,
    }

    private static bool TrySum<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, bool squared,
        int? ignoreIndex, bool validate, RangeRule rangeRule, bool sigmoid, NonFiniteHandling nonFinite,
        out BinarySums sums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        Span<T> signs = stackalloc T[ChunkLength];
        double measures = 0;
        long total = 0;
        for (var start = 0; start < preds.Length; start += ChunkLength)
        {
            var length = Math.Min(ChunkLength, preds.Length - start);
            var p = preds.Slice(start, length);
            var y = signs[..length];
            total += TargetCodes.BinarySigns(target.Slice(start, length), y, ignoreIndex, validate, start);

            var check = CheckChunk(p, y, rangeRule, nonFinite == NonFiniteHandling.Throw);
            if (check >= 0)
            {
                var value = p[check];
                if (nonFinite == NonFiniteHandling.Throw && !T.IsFinite(value))
                {
                    ThrowHelper.ThrowNonFinite("preds", value, start + check);
                }

                if (rangeRule == RangeRule.ThrowOutside)
                {
                    ThrowHelper.ThrowNotProbability(value, start + check);
                }

                if (rangeRule == RangeRule.StopOutside)
                {
                    sums = default;
                    return false;
                }
            }

            measures += SumChunk(p, y, squared, sigmoid);
        }

        sums = new BinarySums(measures, total);
        return true;
    }

    /// <summary>
    /// Index of the first kept element that breaks the range rule or is non-finite (when asked), or −1.
    /// </summary>
    private static int CheckChunk<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> y, RangeRule rangeRule, bool finiteOnly)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rangeRule == RangeRule.None && !finiteOnly)
        {
            return -1;
        }

        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var bad = Vector256<T>.Zero;
            for (; i <= p.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var x = Vector256.Create(p.Slice(i, Vector256<T>.Count));
                var kept = ~Vector256.Equals(Vector256.Create(y.Slice(i, Vector256<T>.Count)), Vector256<T>.Zero);
                var ok = rangeRule == RangeRule.None
                    ? Vector256.LessThan(Vector256.Abs(x), Vector256.Create(T.PositiveInfinity))
                    : Vector256.GreaterThanOrEqual(x, Vector256<T>.Zero) & Vector256.LessThanOrEqual(x, Vector256<T>.One);
                bad |= kept & ~ok;
            }

            if (bad == Vector256<T>.Zero)
            {
                return ScalarCheck(p, y, i, rangeRule);
            }

            i = 0;
        }

        return ScalarCheck(p, y, i, rangeRule);
    }

    private static int ScalarCheck<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> y, int from, RangeRule rangeRule)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = from; i < p.Length; i++)
        {
            if (y[i] == T.Zero)
            {
                continue;
            }

            var ok = rangeRule == RangeRule.None ? T.IsFinite(p[i]) : SimdMath.InUnitInterval(p[i]);
            if (!ok)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Sum of <c>max(0, 1 − y·f(p))</c> over the kept elements of one chunk (f = sigmoid or identity).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double SumChunk<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> y, bool squared, bool sigmoid)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<double>.Zero;
            for (; i <= p.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var x = Vector256.Create(p.Slice(i, Vector256<T>.Count));
                var s = Vector256.Create(y.Slice(i, Vector256<T>.Count));
                if (sigmoid)
                {
                    x = SimdMath.Sigmoid(x);
                }

                var h = SimdMath.Hinge(s * x, squared);
                h = Vector256.ConditionalSelect(Vector256.Equals(s, Vector256<T>.Zero), Vector256<T>.Zero, h);
                acc += WidenSum(h);
            }

            if (i < p.Length)
            {
                // The tail goes through the same vector formula (padded with ignored lanes), so an element's loss
                // does not depend on where a batch boundary falls: streaming == one call on the concatenation.
                Span<T> tailP = stackalloc T[Vector256<T>.Count];
                Span<T> tailY = stackalloc T[Vector256<T>.Count];
                tailP.Clear();
                tailY.Clear();
                p[i..].CopyTo(tailP);
                y[i..].CopyTo(tailY);
                var x = Vector256.Create<T>(tailP);
                var s = Vector256.Create<T>(tailY);
                if (sigmoid)
                {
                    x = SimdMath.Sigmoid(x);
                }

                var h = SimdMath.Hinge(s * x, squared);
                h = Vector256.ConditionalSelect(Vector256.Equals(s, Vector256<T>.Zero), Vector256<T>.Zero, h);
                acc += WidenSum(h);
                i = p.Length;
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < p.Length; i++)
        {
            if (y[i] == T.Zero)
            {
                continue;
            }

            var x = sigmoid ? SimdMath.Sigmoid(p[i]) : p[i];
            sum += double.CreateTruncating(SimdMath.Hinge(y[i] * x, squared));
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> WidenSum<T>(Vector256<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var (lo, hi) = Vector256.Widen(v.As<T, float>());
            return lo + hi;
        }

        return v.As<T, double>();
    }
}
