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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

        if (!TargetCodes.IsVectorTarget<TTarget>() || rule.SignedNegatives)
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// The fused vector loop. After the full vectors, the tail is one more vector that ends at the last element and
    /// overlaps the previous one, with the already counted lanes masked off; a batch shorter than one vector is copied
    /// into a padded vector instead. Accumulators are plain locals (no refs), so they stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        var (ignore, hasIgnore, validate) = (rule.Ignore, rule.HasIgnore, rule.Validate);
        var n = preds.Length;
        var padded = n < TL.Count;
        Span<T> predPad = padded ? stackalloc T[TL.Count] : default;
        Span<TTarget> targetPad = padded ? stackalloc TTarget[TL.Count] : default;
        if (padded)
        {
            // Copied before any vector is live: vector registers do not survive calls, and a vector live across a
            // call would be kept in memory for the whole loop.
            preds.CopyTo(predPad);
            target.CopyTo(targetPad);
        }

        ref readonly var p = ref MemoryMarshal.GetReference(padded ? predPad : preds);
        ref readonly var t = ref MemoryMarshal.GetReference(padded ? targetPad : target);
        var width = (nuint)TL.Count;
        var end = padded ? width : (nuint)n - ((nuint)n % width);
        var rest = padded ? 0 : n % TL.Count;
        TD low = default, high = default;
        TV counters = TL.Zero, invalid = TL.Zero, failed = TL.Zero;
        var lanes = padded ? TL.FirstLanes(n) : TL.AllBits;
        nuint i = 0;
        while (true)
        {
            for (; i < end; i += width)
            {
                var x = TL.Load(in p, i);
                var masks = TL.TargetMasks(in t, i, ignore, hasIgnore, validate);
                var kept = TL.And(masks.Kept, lanes);
                invalid = TL.Or(invalid, masks.Invalid);
                failed = TPass.RangeCheck ? TL.RangeCheck(failed, x, kept) : TL.FiniteCheck(failed, x, kept);
                if (TPass.Squash)
                {
                    // sigmoid(x) = 1 / (1 + e^−x)
                    x = TL.Divide(TL.One, TL.Add(TL.One, TL.Exp(TL.Xor(x, TL.SignBit))));
                }

                // y·p with y = ±1 is a sign flip of the negatives.
                var h = TL.Hinge(TL.Xor(x, TL.And(masks.Negative, TL.SignBit)));
                if (TSquared.IsSet)
                {
                    h = TL.Multiply(h, h);
                }

                h = TL.And(h, kept);
                low = TL.AddDouble(low, TL.WidenLower(h));
                if (TL.Widens)
                {
                    high = TL.AddDouble(high, TL.WidenUpper(h));
                }

                counters = TL.CountLanes(counters, kept);
            }

            if (rest == 0)
            {
                break;
            }

            // The overlapping last vector: only its last `rest` lanes are new.
            i = (nuint)(n - TL.Count);
            end = i + 1;
            lanes = TL.AndNot(TL.AllBits, TL.FirstLanes(TL.Count - rest));
            rest = 0;
        }

        var checkFailed = TPass.RangeCheck ? TL.RangeFailed(failed) : TL.FiniteFailed(failed);
        var status = (TL.AnyBits(invalid) ? UnitStatus.TargetInvalid : UnitStatus.Ok)
            | (checkFailed ? UnitStatus.CheckFailed : UnitStatus.Ok);
        return new BinaryUnit(TL.Sum(low, high), TL.SumCounters(counters), status);
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
