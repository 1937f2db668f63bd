using System.Numerics;
using System.Runtime.CompilerServices;

namespace HingeSharp.Kernels;

/// <summary>What the fused binary pass produced.</summary>
/// <param name="Hinge">The hinge sums (meaningful only when the hinge was asked for).</param>
/// <param name="Scores">Stat scores under torchmetrics' stat-score rule: the probabilities-or-logits decision looks
/// at every prediction, ignored ones included (accuracy, precision, recall, F1).</param>
/// <param name="Confusion">Stat scores under the confusion-matrix rule: the decision looks at kept predictions only
/// (<c>binary_confusion_matrix</c>, and the hinge).</param>
internal readonly record struct BinaryStatSums(BinarySums Hinge, StatScores Scores, StatScores Confusion);

/// <summary>
/// The one-pass binary driver: hinge sum, kept count and stat scores from a single read of the batch
/// (<see cref="BinaryStatUnits"/>), in units of <see cref="UnitScheduler.UnitElements"/> that run on several threads
/// for large batches and are reduced in unit order. The hinge part equals <see cref="BinaryKernels.Sum{T, TTarget}(ReadOnlySpan{T}, ReadOnlySpan{TTarget}, bool, int?, bool, HingeInputKind, NonFiniteHandling)"/>
/// bit for bit. Without the hinge, logits are compared on their raw values and never go through the exponential.
/// </summary>
internal static class BinaryStatKernels
{
    /// <summary>Runs the pass. <paramref name="threshold"/> is a probability threshold; with
    /// <see cref="HingeInputKind.Margins"/> the predicted label is the sign of the margin.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BinaryStatSums Sum<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, bool hinge,
        bool squared, int? ignoreIndex, bool validate, HingeInputKind inputKind, NonFiniteHandling nonFinite,
        double threshold, KernelOptions options)
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
        BinaryStatUnit total;
        switch (inputKind)
        {
            case HingeInputKind.Auto:
            case HingeInputKind.Probabilities:
                outcome = Pass<T, TTarget, ProbabilityPass>(preds, target, run, StatCuts.Probability<T>(threshold),
                    out total);
                if (outcome == PassOutcome.Ok)
                {
                    var scores = Scores(total);
                    if (inputKind == HingeInputKind.Auto && total.IgnoredOutside &&
                        AnyIgnoredOutside(preds, target, run.Rule))
                    {
                        // torchmetrics' stat scores decide over every prediction, ignored ones included: one of
                        // those is a logit, so all are (rare: a second read of the batch).
                        scores = Scores(CountOnly(preds, target, run, StatCuts.Logit<T>(threshold)));
                    }

                    return new BinaryStatSums(Sums(total), scores, Scores(total));
                }

                if (inputKind == HingeInputKind.Probabilities || outcome == PassOutcome.TargetInvalid)
                {
                    BinaryKernels.Diagnose(preds, target, run.Rule, ignoreIndex, rangeCheck: true, nonFinite);
                }

                break;
            case HingeInputKind.Margins:
                outcome = Pass<T, TTarget, MarginPass>(preds, target, run, T.Zero, out total);
                if (outcome != PassOutcome.Ok)
                {
                    BinaryKernels.Diagnose(preds, target, run.Rule, ignoreIndex, rangeCheck: false, nonFinite);
                }

                return new BinaryStatSums(Sums(total), Scores(total), Scores(total));
        }

        var cut = StatCuts.Logit<T>(threshold);
        outcome = hinge
            ? Pass<T, TTarget, SquashPass>(preds, target, run, cut, out total)
            : Pass<T, TTarget, MarginPass>(preds, target, run, cut, out total);
        if (outcome != PassOutcome.Ok)
        {
            BinaryKernels.Diagnose(preds, target, run.Rule, ignoreIndex, rangeCheck: false, nonFinite);
        }

        return new BinaryStatSums(hinge ? Sums(total) : default, Scores(total), Scores(total));
    }

    private static BinarySums Sums(in BinaryStatUnit u) => new(u.Hinge.Sum, u.Hinge.Count);

    private static StatScores Scores(in BinaryStatUnit u)
    {
        var negatives = u.Hinge.Count - u.Positives;
        return new StatScores(u.TruePositives, u.FalsePositives, negatives - u.FalsePositives,
            u.Positives - u.TruePositives);
    }

    private static BinaryStatUnit CountOnly<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in BinaryRun run, T cut)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        BinaryStatUnits.Scalar(preds, target, run.Rule, squash: false, rangeCheck: false, check: false,
            squared: false, cut);

    private static bool AnyIgnoredOutside<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in BinaryRule rule)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        for (var i = 0; i < preds.Length; i++)
        {
            if (!SimdMath.InUnitInterval(preds[i]) && TargetCodes.Binary(target[i], rule) == BinaryCode.Ignored)
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PassOutcome Pass<T, TTarget, TPass>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in BinaryRun run, T cut, out BinaryStatUnit total)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var units = UnitScheduler.UnitCount(preds.Length, UnitScheduler.UnitElements);
        var threads = run.Options.ThreadsFor(preds.Length, units);
        if (threads > 1)
        {
            return BinaryStatJob<T, TTarget, TPass>.Run(preds, target, run, cut, units, threads, out total);
        }

        total = default;
        for (var u = 0; u < units; u++)
        {
            var r = RunUnit<T, TTarget, TPass>(preds, target, u, run, cut);
            if (r.Hinge.Status != UnitStatus.Ok)
            {
                total = default;
                return BinaryKernels.Outcome(r.Hinge.Status);
            }

            total = Add(total, r);
        }

        return PassOutcome.Ok;
    }

    internal static BinaryStatUnit Add(in BinaryStatUnit a, in BinaryStatUnit b) => new(
        new BinaryUnit(a.Hinge.Sum + b.Hinge.Sum, a.Hinge.Count + b.Hinge.Count, a.Hinge.Status | b.Hinge.Status),
        a.Positives + b.Positives, a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives,
        a.IgnoredOutside || b.IgnoredOutside);

    /// <summary>Unit <paramref name="unit"/>, with the same confirmations as <see cref="BinaryKernels.RunUnit{T, TTarget, TPass}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BinaryStatUnit RunUnit<T, TTarget, TPass>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        int unit, in BinaryRun run, T cut)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var start = unit * UnitScheduler.UnitElements;
        var length = Math.Min(UnitScheduler.UnitElements, preds.Length - start);
        var p = preds.Slice(start, length);
        var t = target.Slice(start, length);
        var r = BinaryStatUnits.Run<T, TTarget, TPass>(run.Options.Width, p, t, run.Rule, run.Squared, cut);
        if (r.Hinge.Status == UnitStatus.CheckFailed && TPass.RangeCheck &&
            !BinaryKernels.HasKeptOutsideUnitInterval(p, t, run.Rule))
        {
            r = r with { Hinge = r.Hinge with { Status = UnitStatus.Ok } };
        }

        if (r.Hinge.Status == UnitStatus.CheckFailed && run.Propagate && !TPass.RangeCheck)
        {
            r = BinaryStatUnits.Scalar(p, t, run.Rule, TPass.Squash, rangeCheck: false, check: false, run.Squared,
                cut);
        }

        return r;
    }
}
