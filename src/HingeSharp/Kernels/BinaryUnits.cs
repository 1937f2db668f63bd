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

        if (rule.SignedNegatives)
        {
            switch (TargetCodes.RouteSigned<TTarget>(rule))
            {
                case SignedRoute.AsPlain:
                    return Run<T, TTarget, TPass>(width, preds, target, rule with { SignedNegatives = false }, squared);
                case SignedRoute.ZeroMinusOnes:
                    var plain = ArrayPool<TTarget>.Shared.Rent(target.Length);
                    try
                    {
                        TargetCodes.ZeroMinusOnes(target, plain);
                        return Run<T, TTarget, TPass>(width, preds, plain.AsSpan(0, target.Length),
                            rule with { SignedNegatives = false }, squared);
                    }
                    finally
                    {
                        ArrayPool<TTarget>.Shared.Return(plain);
                    }
            }
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

        // The flags are type arguments, so that the loop holds no test of them and the label step is chosen as the
        // loop is compiled (validated int labels, none ignored, take the short one).
        return (squared, rule.HasIgnore, rule.Validate) switch
        {
            (true, true, true) => AtWidth<T, TTarget, TPass, FlagOn, FlagOn, FlagOn>(width, preds, target, rule),
            (true, true, false) => AtWidth<T, TTarget, TPass, FlagOn, FlagOn, FlagOff>(width, preds, target, rule),
            (true, false, true) => AtWidth<T, TTarget, TPass, FlagOn, FlagOff, FlagOn>(width, preds, target, rule),
            (true, false, false) => AtWidth<T, TTarget, TPass, FlagOn, FlagOff, FlagOff>(width, preds, target, rule),
            (false, true, true) => AtWidth<T, TTarget, TPass, FlagOff, FlagOn, FlagOn>(width, preds, target, rule),
            (false, true, false) => AtWidth<T, TTarget, TPass, FlagOff, FlagOn, FlagOff>(width, preds, target, rule),
            (false, false, true) => AtWidth<T, TTarget, TPass, FlagOff, FlagOff, FlagOn>(width, preds, target, rule),
            _ => AtWidth<T, TTarget, TPass, FlagOff, FlagOff, FlagOff>(width, preds, target, rule),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static BinaryUnit AtWidth<T, TTarget, TPass, TSquared, TIgnore, TValidate>(SimdWidth width,
        ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, in BinaryRule rule)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TSquared : IFlag
        where TIgnore : IFlag
        where TValidate : IFlag => width switch
    {
        SimdWidth.V512 => Vector<Lanes512<T>, Vector512<T>, Vector512<double>, T, TTarget, TPass, TSquared, TIgnore,
            TValidate>(preds, target, rule),
        SimdWidth.V256 => Vector<Lanes256<T>, Vector256<T>, Vector256<double>, T, TTarget, TPass, TSquared, TIgnore,
            TValidate>(preds, target, rule),
        _ => Vector<Lanes128<T>, Vector128<T>, Vector128<double>, T, TTarget, TPass, TSquared, TIgnore, TValidate>(
            preds, target, rule),
    };

    /// <summary>
    /// The fused vector loop. The elements after the last full vector go into one padded vector, placed in the lanes
    /// the loop would give them, and the lanes before them hold a neutral pair (label 1, a prediction whose hinge is
    /// exactly 0 and that passes the checks): no lane mask in the loop, and the sums are those of masked lanes bit for
    /// bit. Without an ignore index (<typeparamref name="TIgnore"/> off) every lane is kept: no keep mask, and the
    /// count is the element count (an invalid label fails the unit anyway). Accumulators are plain locals (no refs),
    /// so they stay in registers; the padding is copied before any vector is live.
    /// </summary>
    /// <remarks>
    /// Predictions that do not start on a vector boundary are read from their first aligned vector on (a load across
    /// two cache lines costs two; from memory the misaligned loop is about a fifth slower). The lanes then hold the
    /// elements <see cref="AlignedFrame"/>'s lead further on; the elements before it and the ones that end the last
    /// full vector go into padded vectors in the same rotated lanes, each lane still adds its elements in index order,
    /// and the accumulators are rotated back before the final sum: the result is the same bit for bit wherever the
    /// data lies.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BinaryUnit Vector<TL, TV, TD, T, TTarget, TPass, TSquared, TIgnore, TValidate>(
        ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, in BinaryRule rule)
        where TL : ISimdLanes<TV, TD, T>
        where TV : struct
        where TD : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TSquared : IFlag
        where TIgnore : IFlag
        where TValidate : IFlag
    {
        var ignore = rule.Ignore;
        var n = preds.Length;
        var frame = AlignedFrame.Of(preds, TL.Count, Unsafe.SizeOf<TV>());

        // The padded vectors: the lead's (before the loop), then the ones after it (the end of the last full vector
        // and the tail). sigmoid(100) is 1 in float and double: a hinge of exactly 0 under either pass, and finite.
        Span<T> predPad = frame.PadVectors > 0 ? stackalloc T[frame.PadVectors * TL.Count] : default;
        Span<TTarget> targetPad = frame.PadVectors > 0 ? stackalloc TTarget[frame.PadVectors * TL.Count] : default;
        var pads = frame.Fill(preds, target, predPad, targetPad, TPass.Squash ? T.CreateTruncating(100) : T.One);

        scoped ref readonly var p = ref MemoryMarshal.GetReference((ReadOnlySpan<T>)predPad);
        scoped ref readonly var t = ref MemoryMarshal.GetReference((ReadOnlySpan<TTarget>)targetPad);
        var step = (nuint)TL.Count;
        var end = (nuint)frame.HeadEnd;
        TD low = default, high = default;
        TV counters = TL.Zero, invalid = TL.Zero, failed = TL.Zero, labelMax = TL.Zero;

        // Float predictions with int labels that must be 0 or 1 (none ignored) take the short label step.
        var labels01 = typeof(T) == typeof(float) && typeof(TTarget) == typeof(int) && TValidate.IsSet &&
            !TIgnore.IsSet;

        // There, under the range-checked pass, the margins are added as integers (MarginCodes): one fused
        // multiply-add and one conversion a vector, no widening to double, the same bits.
        var exact = labels01 && TPass.RangeCheck && !TSquared.IsSet;
        var codeScale = TL.Create(T.CreateTruncating(MarginCodes.Scale));
        var run = (nuint)MarginCodes.VectorsPerFlush * step;
        var one = TL.One;
        nuint i = 0;
        var stage = 0;
        while (true)
        {
            // The integer codes: 32-bit sums over runs of at most VectorsPerFlush vectors (no test in the inner
            // loop), each run's then added in 64 bits.
            while (exact && i < end)
            {
                var runEnd = i + Math.Min(end - i, run);
                var codes = TL.Zero;
                for (; i < runEnd; i += step)
                {
                    var x = TL.Load(in p, i);
                    var labels = TL.LoadLabels(in Unsafe.As<TTarget, int>(ref Unsafe.AsRef(in t)), i);
                    labelMax = TL.LabelMax(labelMax, labels);
                    failed = TL.RangeCheck(failed, x, TL.AllBits);
                    codes = TL.AddCodes(codes, TL.MarginCodes(TL.Xor(x, TL.PositiveSigns01(labels)), codeScale));
                }

                (low, high) = TL.FlushCodes(low, high, codes);
            }

            for (; i < end; i += step)
            {
                var x = TL.Load(in p, i);
                TV negative;
                TV kept;
                if (labels01)
                {
                    // Validated int labels, none ignored: their bits give the signs (of −y here), their maximum the
                    // check.
                    var labels = TL.LoadLabels(in Unsafe.As<TTarget, int>(ref Unsafe.AsRef(in t)), i);
                    labelMax = TL.LabelMax(labelMax, labels);
                    negative = TL.PositiveSigns01(labels);
                    kept = TL.AllBits;
                }
                else
                {
                    var masks = TL.TargetMasks(in t, i, ignore, TIgnore.IsSet, TValidate.IsSet);
                    invalid = TL.Or(invalid, masks.Invalid);
                    negative = TL.And(masks.Negative, TL.SignBit);
                    kept = TIgnore.IsSet ? masks.Kept : TL.AllBits;
                }

                failed = TPass.RangeCheck ? TL.RangeCheck(failed, x, kept) : TL.FiniteCheck(failed, x, kept);
                if (TPass.Squash)
                {
                    // sigmoid(x) = 1 / (1 + e^−x)
                    x = TL.Divide(TL.One, TL.Add(TL.One, TL.Exp(TL.Xor(x, TL.SignBit))));
                }

                // y·p with y = ±1 is a sign flip of the negatives (in the short label step, of the positives: −y·p,
                // and 1 − y·p is −y·p + 1, the same bits, one operation fewer). Probabilities that pass the range check
                // have margins 1 − y·p in [0, 2]: no clamp (lanes the check skips, ignored ones, are masked below; a
                // unit whose check fails is thrown away).
                TV h;
                if (labels01)
                {
                    var flipped = TL.Xor(x, negative);
                    h = TPass.RangeCheck ? TL.Add(flipped, one) : TL.Hinge(TL.Xor(flipped, TL.SignBit));
                }
                else
                {
                    var signed = TL.Xor(x, negative);
                    h = TPass.RangeCheck ? TL.Subtract(one, signed) : TL.Hinge(signed);
                }

                if (TSquared.IsSet)
                {
                    h = TL.Multiply(h, h);
                }

                if (TIgnore.IsSet)
                {
                    h = TL.And(h, kept);
                    counters = TL.CountLanes(counters, kept);
                }

                low = TL.AddDouble(low, TL.WidenLower(h));
                if (TL.Widens)
                {
                    high = TL.AddDouble(high, TL.WidenUpper(h));
                }
            }

            stage = frame.Next(stage, out var inPads, out var start, out var stop);
            if (stage == 3)
            {
                break;
            }

            p = ref AlignedFrame.Start<T>(inPads, predPad, preds);
            t = ref AlignedFrame.Start<TTarget>(inPads, targetPad, target);
            (i, end) = (start, stop);
        }

        var checkFailed = TPass.RangeCheck ? TL.RangeFailed(failed) : TL.FiniteFailed(failed);
        var labelsInvalid = TL.AnyBits(invalid) || (labels01 && TL.LabelsAbove1(labelMax));
        var status = (labelsInvalid ? UnitStatus.TargetInvalid : UnitStatus.Ok)
            | (checkFailed ? UnitStatus.CheckFailed : UnitStatus.Ok);

        // Pads carry label 1: kept, and so counted, unless 1 is the ignore index.
        var count = TIgnore.IsSet ? TL.SumCounters(counters) - (ignore == 1 ? 0 : pads) : n;

        if (exact)
        {
            // Integer sums: where the lanes lie does not matter.
            return new BinaryUnit(TL.CodeSum(low, high) * MarginCodes.Unit, count, status);
        }

        // Last, so that no other vector is live across the call (the loop would spill it at every step).
        (low, high) = frame.Unrotate(low, high);
        return new BinaryUnit(TL.Sum(low, high), count, status);
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
