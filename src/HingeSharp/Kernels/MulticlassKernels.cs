using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace HingeSharp.Kernels;

/// <summary>The settings of one multiclass call, shared by its units.</summary>
internal readonly record struct MulticlassRun(int NumClasses, MulticlassMode Mode, int? IgnoreIndex, bool Squared,
    bool Propagate, KernelOptions Options)
{
    /// <summary>Rows per unit: about <see cref="UnitScheduler.UnitElements"/> scores, fixed by C alone.</summary>
    public int RowsPerUnit => Math.Max(1, UnitScheduler.UnitElements / NumClasses);

    /// <summary>The ignore index where it is a class (in [0, C)), else −1: then no class index equals it, and an
    /// unsigned range test alone decides a block's labels (<see cref="ISimdLanes{TV, TD, T}.AllClasses"/>).</summary>
    public int IgnoreClass => IgnoreIndex is { } ii && (uint)ii < (uint)NumClasses ? ii : -1;

    /// <summary>How many sums one unit produces: 1 for Crammer–Singer, C for one-vs-all.</summary>
    public int Width => Mode == MulticlassMode.CrammerSinger ? 1 : NumClasses;
}

/// <summary>
/// Multiclass hinge driver over row-major <c>(rows, C)</c> scores: units of rows (<see cref="MulticlassUnits"/>), run
/// on several threads for large batches and reduced in unit order. Same pass logic as <see cref="BinaryKernels"/>:
/// <see cref="HingeInputKind.Auto"/> tries the scores as probabilities and falls back to softmax when a kept score
/// leaves [0, 1].
/// </summary>
internal static class MulticlassKernels
{
    /// <summary>
    /// Accumulates one batch into <paramref name="measures"/> (length 1 for Crammer–Singer, C for one-vs-all) and
    /// returns the number of kept rows. <paramref name="measures"/> is only written, never read, so a caller that
    /// throws away the buffer on error keeps its own state intact.
    /// </summary>
    internal static long Sum<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, int numClasses,
        MulticlassMode mode, bool squared, int? ignoreIndex, HingeInputKind inputKind, NonFiniteHandling nonFinite,
        Span<double> measures)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Sum(preds, target, numClasses, mode, squared, ignoreIndex, inputKind, nonFinite, measures,
            KernelOptions.Default);

    /// <inheritdoc cref="Sum{T, TTarget}(ReadOnlySpan{T}, ReadOnlySpan{TTarget}, int, MulticlassMode, bool, int?, HingeInputKind, NonFiniteHandling, Span{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long Sum<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, int numClasses,
        MulticlassMode mode, bool squared, int? ignoreIndex, HingeInputKind inputKind, NonFiniteHandling nonFinite,
        Span<double> measures, KernelOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var rows = target.Length;
        if ((long)rows * numClasses != preds.Length)
        {
            ThrowHelper.ThrowArgument("preds",
                $"`preds` has {preds.Length} values, but {rows} targets × {numClasses} classes need " +
                $"{(long)rows * numClasses}.");
        }

        var run = new MulticlassRun(numClasses, mode, ignoreIndex, squared, nonFinite == NonFiniteHandling.Propagate,
            options);
        long kept;
        PassOutcome outcome;
        switch (inputKind)
        {
            case HingeInputKind.Auto:
            case HingeInputKind.Probabilities:
                outcome = Pass<T, TTarget, ProbabilityPass>(preds, target, run, measures, out kept);
                if (outcome == PassOutcome.Ok)
                {
                    return Done(kept, rows, mode);
                }

                if (inputKind == HingeInputKind.Probabilities || outcome == PassOutcome.TargetInvalid)
                {
                    Diagnose(preds, target, run, rangeCheck: true, nonFinite);
                }

                break;
            case HingeInputKind.Margins:
                outcome = Pass<T, TTarget, MarginPass>(preds, target, run, measures, out kept);
                if (outcome == PassOutcome.Ok)
                {
                    return Done(kept, rows, mode);
                }

                Diagnose(preds, target, run, rangeCheck: false, nonFinite);
                break;
        }

        outcome = Pass<T, TTarget, SquashPass>(preds, target, run, measures, out kept);
        if (outcome != PassOutcome.Ok)
        {
            Diagnose(preds, target, run, rangeCheck: false, nonFinite);
        }

        return Done(kept, rows, mode);
    }

    private static long Done(long kept, int rows, MulticlassMode mode)
    {
        if (mode == MulticlassMode.CrammerSinger && kept == 0)
        {
            ThrowHelper.ThrowEmptyCrammerSinger(rows);
        }

        return kept;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PassOutcome Pass<T, TTarget, TPass>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, Span<double> measures, out long kept)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        measures.Clear();
        kept = 0;
        var units = UnitScheduler.UnitCount(target.Length, run.RowsPerUnit);
        var threads = run.Options.ThreadsFor(preds.Length, units);
        if (threads > 1)
        {
            return MulticlassJob<T, TTarget, TPass>.Run(preds, target, run, units, threads, measures, out kept);
        }

        Span<double> sums = run.Width <= 256 ? stackalloc double[run.Width] : new double[run.Width];
        for (var u = 0; u < units; u++)
        {
            sums.Clear();
            var r = RunUnit<T, TTarget, TPass>(preds, target, u, run, sums);
            if (r.Status != UnitStatus.Ok)
            {
                return BinaryKernels.Outcome(r.Status);
            }

            for (var j = 0; j < sums.Length; j++)
            {
                measures[j] += sums[j];
            }

            kept += r.Count;
        }

        return PassOutcome.Ok;
    }

    /// <summary>Unit <paramref name="unit"/> into <paramref name="sums"/> (zero on entry); under Propagate a unit
    /// with non-finite scores is redone by the scalar rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static MulticlassUnit RunUnit<T, TTarget, TPass>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        int unit, in MulticlassRun run, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var first = unit * run.RowsPerUnit;
        var rows = Math.Min(run.RowsPerUnit, target.Length - first);
        var p = preds.Slice(first * run.NumClasses, rows * run.NumClasses);
        var t = target.Slice(first, rows);
        var r = MulticlassUnits.Run<T, TTarget, TPass>(run.Options.Width, p, t, run, sums);
        if (r.Status == UnitStatus.CheckFailed && TPass.RangeCheck &&
            !MulticlassUnits.HasScoreOutsideUnitInterval(p, t, run))
        {
            // The fast range check also flags −0.0; the exact scan stops at the first real offender (often the first
            // score, with logits), so it costs little.
            r = r with { Status = UnitStatus.Ok };
        }

        if (r.Status == UnitStatus.CheckFailed && run.Propagate && !TPass.RangeCheck)
        {
            sums.Clear();
            r = MulticlassUnits.ScalarRows(p, t, run, TPass.Squash, rangeCheck: false, check: false, sums);
        }

        return r;
    }

    /// <summary>
    /// Throws for a failed pass: the first row whose target is no class index, else the first score of a kept row
    /// that is outside [0, 1] (<paramref name="rangeCheck"/>) or not finite, by flat index.
    /// </summary>
    [DoesNotReturn]
    private static void Diagnose<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, bool rangeCheck, NonFiniteHandling nonFinite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var c = run.NumClasses;
        var bad = TargetCodes.FirstInvalidClass(target, c, run.IgnoreIndex);
        if (bad >= 0)
        {
            var value = TargetCodes.IsVectorTarget<TTarget>()
                ? long.CreateTruncating(target[bad])
                : (long)double.CreateTruncating(target[bad]);
            ThrowHelper.ThrowInvalidClassTarget(value, bad, c, run.IgnoreIndex);
        }

        for (var r = 0; r < target.Length; r++)
        {
            if (TargetCodes.Class(target[r], c, run.IgnoreIndex) < 0)
            {
                continue;
            }

            for (var j = 0; j < c; j++)
            {
                var index = ((long)r * c) + j;
                var x = preds[(r * c) + j];
                if (nonFinite == NonFiniteHandling.Throw && !T.IsFinite(x))
                {
                    ThrowHelper.ThrowNonFinite("preds", x, index);
                }

                if (rangeCheck && !SimdMath.InUnitInterval(x))
                {
                    ThrowHelper.ThrowNotProbability(x, index);
                }
            }
        }

        throw new InvalidOperationException("A multiclass hinge pass failed, but no offending element was found.");
    }
}
