using System.Buffers;
using System.Numerics;

namespace HingeSharp.Kernels;

/// <summary>
/// A multiclass pass on several threads: the batch is pinned for the call, each unit writes its sums to its own
/// slice of a shared buffer, and the slices are added in unit order afterwards (see <see cref="BinaryJob{T, TTarget, TPass}"/>).
/// </summary>
internal sealed unsafe class MulticlassJob<T, TTarget, TPass> : IUnitJob
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTarget : unmanaged, INumberBase<TTarget>
    where TPass : IPass
{
    private readonly T* _preds;
    private readonly int _predsLength;
    private readonly TTarget* _target;
    private readonly int _rows;
    private readonly MulticlassRun _run;
    private readonly double[] _sums;
    private readonly MulticlassUnit[] _results;

    private MulticlassJob(T* preds, int predsLength, TTarget* target, int rows, MulticlassRun run, double[] sums,
        MulticlassUnit[] results)
    {
        _preds = preds;
        _predsLength = predsLength;
        _target = target;
        _rows = rows;
        _run = run;
        _sums = sums;
        _results = results;
    }

    public bool Run(int unit)
    {
        var sums = _sums.AsSpan(unit * _run.Width, _run.Width);
        var r = MulticlassKernels.RunUnit<T, TTarget, TPass>(new ReadOnlySpan<T>(_preds, _predsLength),
            new ReadOnlySpan<TTarget>(_target, _rows), unit, _run, sums);
        _results[unit] = r;
        return r.Status == UnitStatus.Ok;
    }

    internal static PassOutcome Run(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, in MulticlassRun run,
        int units, int threads, Span<double> measures, out long kept)
    {
        var width = run.Width;
        var sums = ArrayPool<double>.Shared.Rent(units * width);
        var results = ArrayPool<MulticlassUnit>.Shared.Rent(units);
        try
        {
            Array.Clear(sums, 0, units * width);
            Array.Clear(results, 0, units);
            fixed (T* p = preds)
            fixed (TTarget* t = target)
            {
                var job = new MulticlassJob<T, TTarget, TPass>(p, preds.Length, t, target.Length, run, sums, results);
                UnitScheduler.Run(job, units, threads);
            }

            var status = UnitStatus.Ok;
            kept = 0;
            for (var u = 0; u < units; u++)
            {
                status |= results[u].Status;
                kept += results[u].Count;
                for (var j = 0; j < width; j++)
                {
                    measures[j] += sums[(u * width) + j];
                }
            }

            return BinaryKernels.Outcome(status);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
            ArrayPool<MulticlassUnit>.Shared.Return(results);
        }
    }
}
