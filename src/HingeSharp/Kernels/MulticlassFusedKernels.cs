using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace HingeSharp.Kernels;

/// <summary>
/// The one-pass multiclass driver: the hinge of <see cref="MulticlassKernels"/> (both modes, squared or not, the
/// same passes: probabilities, then softmax for <see cref="HingeInputKind.Auto"/>; margins; logits) and the top-1
/// confusion matrix of <see cref="MulticlassStatKernels.Confusion{T, TTarget}"/> from a single read of the batch, in
/// the same units as the hinge (<see cref="MulticlassFusedUnits"/>), on several threads for large batches. The hinge
/// sums equal <see cref="MulticlassKernels.Sum{T, TTarget}(ReadOnlySpan{T}, ReadOnlySpan{TTarget}, int, MulticlassMode, bool, int?, HingeInputKind, NonFiniteHandling, Span{double}, KernelOptions)"/>'s
/// bit for bit (same units, same order); the counts are those of the separate counting pass.
/// </summary>
/// <remarks>
/// <see cref="TrySum"/> throws nothing for bad data: it returns false for a batch that either pass would reject (a
/// target that is no class index, a score the hinge refuses, a Crammer–Singer batch without a kept row), and the
/// caller then runs the separate passes, which throw their own errors. Rows of threaded passes count into one confusion
/// buffer per worker; counts are integers, so the total is the same whichever worker took which unit.
/// </remarks>
internal static class MulticlassFusedKernels
{
    /// <summary>The largest C×C matrix the fused pass counts into (larger ones take the separate passes).</summary>
    internal const int MaxCells = 1 << 24;

    /// <summary>The largest C×C matrix a threaded pass gives each worker a copy of.</summary>
    internal const int MaxThreadedCells = 1 << 16;

    /// <summary>
    /// Runs the fused pass over row-major <c>(rows, C)</c> scores. On success <paramref name="measures"/> (1 value
    /// for Crammer–Singer, C for one-vs-all) holds the hinge sums, <paramref name="confusion"/> (C×C, row = true
    /// class) the counts, and <paramref name="kept"/> the kept rows; both buffers are only written. False: the batch
    /// has an error (or a shape this pass does not take); the buffers then mean nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TrySum<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, int numClasses,
        MulticlassMode mode, bool squared, int? ignoreIndex, HingeInputKind inputKind, NonFiniteHandling nonFinite,
        Span<double> measures, Span<long> confusion, KernelOptions options, out long kept)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        kept = 0;
        if (numClasses < 2 || (long)target.Length * numClasses != preds.Length ||
            (long)numClasses * numClasses > MaxCells || confusion.Length != numClasses * numClasses ||
            measures.Length != (mode == MulticlassMode.CrammerSinger ? 1 : numClasses))
        {
            return false;
        }

        var run = new MulticlassRun(numClasses, mode, ignoreIndex, squared, nonFinite == NonFiniteHandling.Propagate,
            options);
        PassOutcome outcome;
        switch (inputKind)
        {
            case HingeInputKind.Auto:
            case HingeInputKind.Probabilities:
                outcome = Pass<T, TTarget, ProbabilityPass>(preds, target, run, measures, confusion, out kept);
                if (outcome == PassOutcome.Ok)
                {
                    return Done(kept, mode);
                }

                if (inputKind == HingeInputKind.Probabilities || outcome == PassOutcome.TargetInvalid)
                {
                    return false;
                }

                break;
            case HingeInputKind.Margins:
                outcome = Pass<T, TTarget, MarginPass>(preds, target, run, measures, confusion, out kept);
                return outcome == PassOutcome.Ok && Done(kept, mode);
        }

        outcome = Pass<T, TTarget, SquashPass>(preds, target, run, measures, confusion, out kept);
        return outcome == PassOutcome.Ok && Done(kept, mode);
    }

    /// <summary>Crammer–Singer needs a kept row (the hinge-only kernel throws without one).</summary>
    private static bool Done(long kept, MulticlassMode mode) => mode != MulticlassMode.CrammerSinger || kept > 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PassOutcome Pass<T, TTarget, TPass>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        in MulticlassRun run, Span<double> measures, Span<long> confusion, out long kept)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        measures.Clear();
        confusion.Clear();
        kept = 0;
        var units = UnitScheduler.UnitCount(target.Length, run.RowsPerUnit);

        // Each worker counts into a C×C buffer of its own: past C = 256 (512 KiB each) the pass keeps to one thread.
        var threads = confusion.Length <= MaxThreadedCells ? run.Options.ThreadsFor(preds.Length, units) : 1;
        if (threads > 1)
        {
            return MulticlassFusedJob<T, TTarget, TPass>.Run(preds, target, run, units, threads, measures, confusion,
                out kept);
        }

        Span<double> sums = run.Width <= 256 ? stackalloc double[run.Width] : new double[run.Width];
        var cells = ArrayPool<int>.Shared.Rent(Math.Min(run.RowsPerUnit, Math.Max(target.Length, 1)));
        try
        {
            for (var u = 0; u < units; u++)
            {
                sums.Clear();
                var r = RunUnit<T, TTarget, TPass>(preds, target, u, run, sums, cells);
                if (r.Status != UnitStatus.Ok)
                {
                    return BinaryKernels.Outcome(r.Status);
                }

                for (var j = 0; j < sums.Length; j++)
                {
                    measures[j] += sums[j];
                }

                MulticlassFusedUnits.Count(cells.AsSpan(0, (int)r.Count), confusion);

                kept += r.Count;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(cells);
        }

        return PassOutcome.Ok;
    }

    /// <summary>
    /// Unit <paramref name="unit"/> with the confirmations of <see cref="MulticlassKernels.RunUnit{T, TTarget, TPass}"/>:
    /// its sums into <paramref name="sums"/> (zero on entry), one cell per kept row into <paramref name="cells"/> (as
    /// many as the returned count; they stand when the status is <see cref="UnitStatus.Ok"/>). A unit redone by the
    /// scalar rows under Propagate takes its cells from torch's argmax (a NaN is the maximum).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static MulticlassUnit RunUnit<T, TTarget, TPass>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        int unit, in MulticlassRun run, Span<double> sums, Span<int> cells)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TPass : IPass
    {
        var first = unit * run.RowsPerUnit;
        var rows = Math.Min(run.RowsPerUnit, target.Length - first);
        var p = preds.Slice(first * run.NumClasses, rows * run.NumClasses);
        var t = target.Slice(first, rows);
        var width = run.Options.Width;
        MulticlassUnit r;
        if (MulticlassFusedUnits.UsesBlocks<T, TPass>(width, run))
        {
            r = MulticlassFusedUnits.Blocks<T, TTarget, TPass>(width, p, t, run, sums, cells);
        }
        else
        {
            r = MulticlassUnits.Run<T, TTarget, TPass>(width, p, t, run, sums);
            if (r.Status == UnitStatus.Ok)
            {
                MulticlassFusedUnits.Cells(width, p, t, run, cells);
            }
        }

        if (r.Status == UnitStatus.CheckFailed && TPass.RangeCheck &&
            !MulticlassUnits.HasScoreOutsideUnitInterval(p, t, run))
        {
            // Only −0.0 tripped the fast range check: every kept score is finite, so the vector argmax holds.
            r = r with { Status = UnitStatus.Ok };
            if (!MulticlassFusedUnits.UsesBlocks<T, TPass>(width, run))
            {
                MulticlassFusedUnits.Cells(width, p, t, run, cells);
            }
        }

        if (r.Status == UnitStatus.CheckFailed && run.Propagate && !TPass.RangeCheck)
        {
            sums.Clear();
            r = MulticlassUnits.ScalarRows(p, t, run, TPass.Squash, rangeCheck: false, check: false, sums);
            MulticlassFusedUnits.ScalarCells(p, t, run, cells);
        }

        return r;
    }
}
