using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace HingeSharp.Kernels;

/// <summary>What one pass over a binary batch produced: the loss sum and the number of kept elements.</summary>
internal readonly record struct BinarySums(double Measures, long Total);

/// <summary>
/// Binary hinge driver. A batch is cut into units of <see cref="UnitScheduler.UnitElements"/> elements; each unit is
/// one fused pass (<see cref="BinaryUnits"/>), and units run on several threads for large batches. The sum is the
/// unit sums added in unit order, so results do not depend on the thread count.
/// </summary>
/// <remarks>
/// <para>Input kinds: <see cref="HingeInputKind.Auto"/> first runs the probability pass, which fails as soon as a
/// kept prediction leaves [0, 1]; the batch is then logits and the sigmoid pass runs (with logits the first pass stops
/// after its first unit). The decision is per call, over kept elements only, as torchmetrics makes it.</para>
/// <para>Errors: when a pass fails, <see cref="Diagnose{T, TTarget}"/> rescans the batch: the first invalid target
/// (by index) is reported if there is one, otherwise the first kept prediction that breaks the pass's rule.</para>
/// </remarks>
internal static class BinaryKernels
{
    /// <summary>Sums the binary hinge over a batch, deciding between probabilities and logits as asked.</summary>
    internal static BinarySums Sum<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, bool squared,
        int? ignoreIndex, bool validate, HingeInputKind inputKind, NonFiniteHandling nonFinite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Sum(preds, target, squared, ignoreIndex, validate, inputKind, nonFinite, KernelOptions.Default);

    /// <inheritdoc cref="Sum{T, TTarget}(ReadOnlySpan{T}, ReadOnlySpan{TTarget}, bool, int?, bool, HingeInputKind, NonFiniteHandling)"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BinarySums Sum<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, bool squared,
        int? ignoreIndex, bool validate, HingeInputKind inputKind, NonFiniteHandling nonFinite, KernelOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (preds.Length != target.Length)
        {
            ThrowHelper.ThrowShapeMismatch(preds.Length, target.Length);
        }

        var run = new BinaryRun(BinaryRule.Of(ignoreIndex, validate, inputKind == HingeInputKind.Margins), squared,
            nonFinite == NonFiniteHandling.Propagate, options);
        PassOutcome outcome;
        BinarySums sums;
        switch (inputKind)
        {
            case HingeInputKind.Auto:
            case HingeInputKind.Probabilities:
                outcome = Pass<T, TTarget, ProbabilityPass>(preds, target, run, out sums);
                if (outcome == PassOutcome.Ok)
                {
                    return sums;
                }

                if (inputKind == HingeInputKind.Probabilities || outcome == PassOutcome.TargetInvalid)
                {
                    Diagnose(preds, target, run.Rule, ignoreIndex, rangeCheck: true, nonFinite);
                }

                break;
            case HingeInputKind.Margins:
                outcome = Pass<T, TTarget, MarginPass>(preds, target, run, out sums);
                if (outcome == PassOutcome.Ok)
                {
                    return sums;
                }

                Diagnose(preds, target, run.Rule, ignoreIndex, rangeCheck: false, nonFinite);
                break;
        }

        outcome = Pass<T, TTarget, SquashPass>(preds, target, run, out sums);
        if (outcome != PassOutcome.Ok)
        {
            Diagnose(preds, target, run.Rule, ignoreIndex, rangeCheck: false, nonFinite);
        }

        return sums;
    }

    /// <summary>One pass over the batch, sequential or threaded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PassOutcome Pass<T, TTarget, TPass>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in BinaryRun run, out BinarySums sums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var units = UnitScheduler.UnitCount(preds.Length, UnitScheduler.UnitElements);
        var threads = run.Options.ThreadsFor(preds.Length, units);
        if (threads > 1)
        {
            return BinaryJob<T, TTarget, TPass>.Run(preds, target, run, units, threads, out sums);
        }

        double measures = 0;
        long total = 0;
        for (var u = 0; u < units; u++)
        {
            var r = RunUnit<T, TTarget, TPass>(preds, target, u, run);
            if (r.Status != UnitStatus.Ok)
            {
                sums = default;
                return Outcome(r.Status);
            }

            measures += r.Sum;
            total += r.Count;
        }

        sums = new BinarySums(measures, total);
        return PassOutcome.Ok;
    }

    internal static PassOutcome Outcome(UnitStatus status) =>
        (status & UnitStatus.TargetInvalid) != 0 ? PassOutcome.TargetInvalid
        : status != UnitStatus.Ok ? PassOutcome.CheckFailed
        : PassOutcome.Ok;

    /// <summary>Unit <paramref name="unit"/> of the batch; under Propagate a unit with non-finite values is redone by
    /// the scalar loop, which has torch's NaN semantics.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BinaryUnit RunUnit<T, TTarget, TPass>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        int unit, in BinaryRun run)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var start = unit * UnitScheduler.UnitElements;
        var length = Math.Min(UnitScheduler.UnitElements, preds.Length - start);
        var p = preds.Slice(start, length);
        var t = target.Slice(start, length);
        var r = BinaryUnits.Run<T, TTarget, TPass>(run.Options.Width, p, t, run.Rule, run.Squared);
        if (r.Status == UnitStatus.CheckFailed && TPass.RangeCheck && !HasKeptOutsideUnitInterval(p, t, run.Rule))
        {
            // The fast range check also flags −0.0; the exact scan stops at the first real offender (with logits,
            // usually the first element), so it costs little.
            r = r with { Status = UnitStatus.Ok };
        }

        if (r.Status == UnitStatus.CheckFailed && run.Propagate && !TPass.RangeCheck)
        {
            r = BinaryUnits.Scalar(p, t, run.Rule, TPass.Squash, rangeCheck: false, check: false, run.Squared);
        }

        return r;
    }

    internal static bool HasKeptOutsideUnitInterval<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in BinaryRule rule)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        for (var i = 0; i < preds.Length; i++)
        {
            if (!SimdMath.InUnitInterval(preds[i]) && TargetCodes.Binary(target[i], rule) is not BinaryCode.Ignored)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Throws for a failed pass: the first invalid target if any, else the first kept prediction that is outside
    /// [0, 1] (<paramref name="rangeCheck"/>) or not finite.
    /// </summary>
    [DoesNotReturn]
    internal static void Diagnose<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, in BinaryRule rule,
        int? ignoreIndex, bool rangeCheck, NonFiniteHandling nonFinite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var bad = TargetCodes.FirstInvalidBinary(target, rule);
        if (bad >= 0)
        {
            ThrowHelper.ThrowInvalidBinaryTarget(target[bad], bad, ignoreIndex);
        }

        for (var i = 0; i < preds.Length; i++)
        {
            if (TargetCodes.Binary(target[i], rule) == BinaryCode.Ignored)
            {
                continue;
            }

            var x = preds[i];
            if (nonFinite == NonFiniteHandling.Throw && !T.IsFinite(x))
            {
                ThrowHelper.ThrowNonFinite("preds", x, i);
            }

            if (rangeCheck && !SimdMath.InUnitInterval(x))
            {
                ThrowHelper.ThrowNotProbability(x, i);
            }
        }

        throw new InvalidOperationException("A binary hinge pass failed, but no offending element was found.");
    }
}

/// <summary>The settings of one binary call, shared by its units.</summary>
internal readonly record struct BinaryRun(BinaryRule Rule, bool Squared, bool Propagate, KernelOptions Options);
