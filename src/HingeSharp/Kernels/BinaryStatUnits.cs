using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>
/// What one unit of the fused binary pass produced: the hinge part (exactly what <see cref="BinaryUnits"/> gives for
/// the same unit) and the stat-score counts of the kept elements.
/// </summary>
/// <param name="Hinge">Loss sum, kept count and status, as the hinge-only unit.</param>
/// <param name="Positives">Kept elements whose target is positive.</param>
/// <param name="TruePositives">Kept positives predicted positive (<c>x &gt; cut</c>).</param>
/// <param name="FalsePositives">Kept negatives predicted positive.</param>
/// <param name="IgnoredOutside">Whether an ignored element may lie outside [0, 1] (to be confirmed exactly).</param>
internal readonly record struct BinaryStatUnit(BinaryUnit Hinge, long Positives, long TruePositives,
    long FalsePositives, bool IgnoredOutside);

/// <summary>
/// The binary hinge and the stat scores over one unit in a single fused pass: the loop of
/// <see cref="BinaryUnits.Vector{TL, TV, TD, T, TTarget, TPass, TSquared, TIgnore, TValidate}"/> (same operations on
/// the scores, same padding, same accumulation order, so the hinge sum is bit-identical to the hinge-only kernel's; the
/// labels always through <see cref="ISimdLanes{TV, TD, T}.TargetMasks{TTarget}"/>, whose masks the counters need)
/// plus one comparison <c>x &gt; cut</c> on the raw prediction and three lane counters. The predicted label is decided
/// on the raw value: the caller turns a probability threshold into the equivalent cut on logits
/// (<see cref="StatCuts"/>).
/// </summary>
internal static class BinaryStatUnits
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BinaryStatUnit Run<T, TTarget, TPass>(SimdWidth width, ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in BinaryRule rule, bool squared, T cut)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        if ((typeof(T) != typeof(float) && typeof(T) != typeof(double)) || width == SimdWidth.Scalar)
        {
            return Scalar(preds, target, rule, TPass.Squash, TPass.RangeCheck, check: true, squared, cut);
        }

        if (rule.SignedNegatives)
        {
            switch (TargetCodes.RouteSigned<TTarget>(rule))
            {
                case SignedRoute.AsPlain:
                    return Run<T, TTarget, TPass>(width, preds, target, rule with { SignedNegatives = false }, squared,
                        cut);
                case SignedRoute.ZeroMinusOnes:
                    var plain = ArrayPool<TTarget>.Shared.Rent(target.Length);
                    try
                    {
                        TargetCodes.ZeroMinusOnes(target, plain);
                        return Run<T, TTarget, TPass>(width, preds, plain.AsSpan(0, target.Length),
                            rule with { SignedNegatives = false }, squared, cut);
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
                return Run<T, byte, TPass>(width, preds, codes.AsSpan(0, target.Length), TargetCodes.CodeRule,
                    squared, cut);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(codes);
            }
        }

        return (squared, rule.HasIgnore) switch
        {
            (true, true) => AtWidth<T, TTarget, TPass, FlagOn, FlagOn>(width, preds, target, rule, cut),
            (true, false) => AtWidth<T, TTarget, TPass, FlagOn, FlagOff>(width, preds, target, rule, cut),
            (false, true) => AtWidth<T, TTarget, TPass, FlagOff, FlagOn>(width, preds, target, rule, cut),
            _ => AtWidth<T, TTarget, TPass, FlagOff, FlagOff>(width, preds, target, rule, cut),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static BinaryStatUnit AtWidth<T, TTarget, TPass, TSquared, TIgnore>(SimdWidth width, ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in BinaryRule rule, T cut)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TSquared : IFlag
        where TIgnore : IFlag => width switch
    {
        SimdWidth.V512 => Vector<Lanes512<T>, Vector512<T>, Vector512<double>, T, TTarget, TPass, TSquared, TIgnore>(
            preds, target, rule, cut),
        SimdWidth.V256 => Vector<Lanes256<T>, Vector256<T>, Vector256<double>, T, TTarget, TPass, TSquared, TIgnore>(
            preds, target, rule, cut),
        _ => Vector<Lanes128<T>, Vector128<T>, Vector128<double>, T, TTarget, TPass, TSquared, TIgnore>(
            preds, target, rule, cut),
    };

    /// <summary>The fused loop; the data is read from its first aligned vector and the rest padded as in
    /// <see cref="BinaryUnits"/> (<see cref="AlignedFrame"/>: label 1 and a prediction whose hinge is exactly 0), and
    /// the pads' share of the counts is taken off after the loop. With an ignore index of 1 the pads are ignored lanes
    /// holding 1.0 (inside [0, 1], so the ignored-range check passes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static BinaryStatUnit Vector<TL, TV, TD, T, TTarget, TPass, TSquared, TIgnore>(ReadOnlySpan<T> preds,
        ReadOnlySpan<TTarget> target, in BinaryRule rule, T cut)
        where TL : ISimdLanes<TV, TD, T>
        where TV : struct
        where TD : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
        where TSquared : IFlag
        where TIgnore : IFlag
    {
        var (ignore, validate) = (rule.Ignore, rule.Validate);
        var n = preds.Length;
        var padsKept = !(TIgnore.IsSet && ignore == 1);
        var padValue = TPass.Squash && padsKept ? T.CreateTruncating(100) : T.One;
        var frame = AlignedFrame.Of(preds, TL.Count, Unsafe.SizeOf<TV>());
        Span<T> predPad = frame.PadVectors > 0 ? stackalloc T[frame.PadVectors * TL.Count] : default;
        Span<TTarget> targetPad = frame.PadVectors > 0 ? stackalloc TTarget[frame.PadVectors * TL.Count] : default;
        var pads = frame.Fill(preds, target, predPad, targetPad, padValue);

        scoped ref readonly var p = ref MemoryMarshal.GetReference((ReadOnlySpan<T>)predPad);
        scoped ref readonly var t = ref MemoryMarshal.GetReference((ReadOnlySpan<TTarget>)targetPad);
        var step = (nuint)TL.Count;
        var end = (nuint)frame.HeadEnd;
        TD low = default, high = default;
        TV counters = TL.Zero, invalid = TL.Zero, failed = TL.Zero, ignoredRange = TL.Zero;
        TV positives = TL.Zero, truePositives = TL.Zero, falsePositives = TL.Zero;
        var cutVector = TL.Create(cut);
        nuint i = 0;
        var stage = 0;
        while (true)
        {
            for (; i < end; i += step)
            {
                var x = TL.Load(in p, i);
                var masks = TL.TargetMasks(in t, i, ignore, TIgnore.IsSet, validate);
                var kept = TIgnore.IsSet ? masks.Kept : TL.AllBits;
                invalid = TL.Or(invalid, masks.Invalid);
                failed = TPass.RangeCheck ? TL.RangeCheck(failed, x, kept) : TL.FiniteCheck(failed, x, kept);
                if (TIgnore.IsSet)
                {
                    ignoredRange = TL.RangeCheck(ignoredRange, x, TL.AndNot(TL.AndNot(TL.AllBits, kept), masks.Invalid));
                }

                var negative = masks.Negative;
                var predicted = TL.GreaterThan(x, cutVector);
                if (TIgnore.IsSet)
                {
                    predicted = TL.And(predicted, kept);
                }

                positives = TL.CountLanes(positives, TL.AndNot(kept, negative));
                truePositives = TL.CountLanes(truePositives, TL.AndNot(predicted, negative));
                falsePositives = TL.CountLanes(falsePositives, TL.And(predicted, negative));
                if (TPass.Squash)
                {
                    x = TL.Divide(TL.One, TL.Add(TL.One, TL.Exp(TL.Xor(x, TL.SignBit))));
                }

                var h = TL.Hinge(TL.Xor(x, TL.And(negative, TL.SignBit)));
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
        var status = (TL.AnyBits(invalid) ? UnitStatus.TargetInvalid : UnitStatus.Ok)
            | (checkFailed ? UnitStatus.CheckFailed : UnitStatus.Ok);
        var keptPads = padsKept ? pads : 0;
        var count = TIgnore.IsSet ? TL.SumCounters(counters) - keptPads : n;
        var statScores = (Positives: TL.SumCounters(positives) - keptPads,
            TruePositives: TL.SumCounters(truePositives) - (padValue > cut ? keptPads : 0),
            FalsePositives: TL.SumCounters(falsePositives),
            IgnoredOutside: TIgnore.IsSet && TL.RangeFailed(ignoredRange));

        // Last, so that no other vector is live across the call (the loop would spill it at every step).
        (low, high) = frame.Unrotate(low, high);
        var hinge = new BinaryUnit(TL.Sum(low, high), count, status);
        return new BinaryStatUnit(hinge, statScores.Positives, statScores.TruePositives, statScores.FalsePositives,
            statScores.IgnoredOutside);
    }

    /// <summary>The plain loop (torch's element semantics), the scalar twin of the vector loop.</summary>
    internal static BinaryStatUnit Scalar<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in BinaryRule rule, bool squash, bool rangeCheck, bool check, bool squared, T cut)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        long positives = 0, truePositives = 0, falsePositives = 0;
        var ignoredOutside = false;
        for (var i = 0; i < preds.Length; i++)
        {
            var code = TargetCodes.Binary(target[i], rule);
            if (code == BinaryCode.Ignored)
            {
                ignoredOutside |= !SimdMath.InUnitInterval(preds[i]);
                continue;
            }

            if (code == BinaryCode.Invalid)
            {
                continue;
            }

            var predicted = preds[i] > cut;
            if (code == BinaryCode.Positive)
            {
                positives++;
                truePositives += predicted ? 1 : 0;
            }
            else
            {
                falsePositives += predicted ? 1 : 0;
            }
        }

        var hinge = BinaryUnits.Scalar(preds, target, rule, squash, rangeCheck, check, squared);
        return new BinaryStatUnit(hinge, positives, truePositives, falsePositives, ignoredOutside);
    }
}
