using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>The partial result of one unit of a binary pass.</summary>
internal readonly record struct BinaryUnit(double Sum, long Count, UnitStatus Status);

/// <summary>
/// The binary hinge over one unit (at most <see cref="UnitScheduler.UnitElements"/> elements) in a single fused pass:
/// target decoding and validation, the pass's check on kept predictions, optional sigmoid, <c>max(0, 1 − y·p)</c>,
/// optional square, and the sum of kept losses in double. Loops never throw and never touch metric state: failures come
/// back as <see cref="UnitStatus"/> flags for the driver to diagnose.
/// </summary>
internal static class BinaryUnits
{
    /// <summary>Runs the unit at the requested width (scalar for other types than float/double).</summary>
    internal static BinaryUnit Run<T, TTarget, TPass>(SimdWidth width, ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in BinaryRule rule, bool squared)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        if ((typeof(T) != typeof(float) && typeof(T) != typeof(double)) || width == SimdWidth.Scalar)
        {
            return Scalar(preds, target, rule, TPass.Squash, TPass.RangeCheck, check: true, squared);
        }

        if (!TargetCodes.IsVectorTarget<TTarget>())
        {
            var codes = ArrayPool<byte>.Shared.Rent(target.Length);
            try
            {
                TargetCodes.ToBinaryCodes(target, codes, rule);
                return Run<T, byte, TPass>(width, preds, codes.AsSpan(0, target.Length), TargetCodes.CodeRule, squared);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(codes);
            }
        }

        return squared ? AtWidth<T, TTarget, TPass, FlagOn>(width, preds, target, rule)
            : AtWidth<T, TTarget, TPass, FlagOff>(width, preds, target, rule);
    }

    private static BinaryUnit AtWidth<T, TTarget, TPass, TSquared>(SimdWidth width, ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in BinaryRule rule)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged
        where TPass : IPass
        where TSquared : IFlag => width switch
    {
        SimdWidth.V512 => Vector<Lanes512<T>, Vector512<T>, Vector512<double>, T, TTarget, TPass, TSquared>(
            preds, target, rule),
        SimdWidth.V256 => Vector<Lanes256<T>, Vector256<T>, Vector256<double>, T, TTarget, TPass, TSquared>(
            preds, target, rule),
        _ => Vector<Lanes128<T>, Vector128<T>, Vector128<double>, T, TTarget, TPass, TSquared>(preds, target, rule),
    };

    /// <summary>The fused vector loop; the tail is padded into one more vector whose extra lanes are masked off.</summary>
    internal static BinaryUnit Vector<TL, TV, TD, T, TTarget, TPass, TSquared>(ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in BinaryRule rule)
        where TL : ISimdLanes<TV, TD, T>
        where TV : struct
        where TD : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged
        where TPass : IPass
        where TSquared : IFlag
    {
        TD low = default, high = default;
        TV counters = TL.Zero, invalid = TL.Zero, failed = TL.Zero;
        ref readonly var p = ref MemoryMarshal.GetReference(preds);
        ref readonly var t = ref MemoryMarshal.GetReference(target);
        var width = (nuint)TL.Count;
        var length = (nuint)preds.Length;
        nuint i = 0;
        for (; i + width <= length; i += width)
        {
            Step<TL, TV, TD, T, TTarget, TPass, TSquared>(TL.Load(in p, i), in t, i, TL.AllBits, rule,
                ref low, ref high, ref counters, ref invalid, ref failed);
        }

        if (i < length)
        {
            var rest = (int)(length - i);
            Span<T> predTail = stackalloc T[TL.Count];
            Span<TTarget> targetTail = stackalloc TTarget[TL.Count];
            preds[(int)i..].CopyTo(predTail);
            target[(int)i..].CopyTo(targetTail);
            Step<TL, TV, TD, T, TTarget, TPass, TSquared>(TL.Load(in predTail[0], 0), in targetTail[0], 0,
                TL.FirstLanes(rest), rule, ref low, ref high, ref counters, ref invalid, ref failed);
        }

        var status = (TL.AnyBits(invalid) ? UnitStatus.TargetInvalid : UnitStatus.Ok)
            | (TL.AnyBits(failed) ? UnitStatus.CheckFailed : UnitStatus.Ok);
        return new BinaryUnit(TL.Sum(low, high), TL.SumCounters(counters), status);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TL, TV, TD, T, TTarget, TPass, TSquared>(TV x, ref readonly TTarget t, nuint i, TV lanes,
        in BinaryRule rule, ref TD low, ref TD high, ref TV counters, ref TV invalid, ref TV failed)
        where TL : ISimdLanes<TV, TD, T>
        where TV : struct
        where TD : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged
        where TPass : IPass
        where TSquared : IFlag
    {
        TL.TargetMasks(in t, i, rule, out var negative, out var kept, ref invalid);
        kept = TL.And(kept, lanes);
        failed = TL.Or(failed, TL.AndNot(kept, TPass.RangeCheck ? TL.InUnitInterval(x) : TL.IsFinite(x)));
        if (TPass.Squash)
        {
            // sigmoid(x) = 1 / (1 + e^−x)
            x = TL.Divide(TL.One, TL.Add(TL.One, TL.Exp(TL.Xor(x, TL.SignBit))));
        }

        // y·p with y = ±1 is a sign flip of the negatives.
        var h = TL.Hinge(TL.Xor(x, TL.And(negative, TL.SignBit)));
        if (TSquared.IsSet)
        {
            h = TL.Multiply(h, h);
        }

        TL.Accumulate(TL.And(h, kept), ref low, ref high);
        counters = TL.CountLanes(counters, kept);
    }

    /// <summary>
    /// The plain loop with torch's element semantics (NaN propagates through the clamp). Used for other prediction
    /// types, machines without vector hardware, and units holding non-finite values under
    /// <see cref="NonFiniteHandling.Propagate"/> (<paramref name="check"/> false).
    /// </summary>
    internal static BinaryUnit Scalar<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in BinaryRule rule, bool squash, bool rangeCheck, bool check, bool squared)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        double sum = 0;
        long count = 0;
        var status = UnitStatus.Ok;
        for (var i = 0; i < preds.Length; i++)
        {
            var code = TargetCodes.Binary(target[i], rule);
            if (code == BinaryCode.Invalid)
            {
                status |= UnitStatus.TargetInvalid;
                continue;
            }

            if (code == BinaryCode.Ignored)
            {
                continue;
            }

            var x = preds[i];
            if (check && !(rangeCheck ? SimdMath.InUnitInterval(x) : T.IsFinite(x)))
            {
                status |= UnitStatus.CheckFailed;
            }

            if (squash)
            {
                x = SimdMath.Sigmoid(x);
            }

            sum += double.CreateTruncating(SimdMath.Hinge(code == BinaryCode.Positive ? x : -x, squared));
            count++;
        }

        return new BinaryUnit(sum, count, status);
    }
}
