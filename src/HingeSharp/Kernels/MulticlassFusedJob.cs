using System.Buffers;
using System.Numerics;

namespace HingeSharp.Kernels;

/// <summary>
/// The fused multiclass pass on several threads: the batch is pinned for the call; each unit writes its hinge sums to
/// its own slice of a shared buffer (added in unit order afterwards, as in <see cref="MulticlassJob{T, TTarget, TPass}"/>)
/// and, once it has passed, counts its cells into the confusion buffer of the worker that ran it (integer counts,
/// added up afterwards: the same total whatever the schedule). Memory: a C×C buffer and a unit of cells per worker.
/// </summary>
internal sealed unsafe class MulticlassFusedJob<T, TTarget, TPass> : IWorkerUnitJob
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
    private readonly long[][] _confusion;
    private readonly int[][] _cells;

    private MulticlassFusedJob(T* preds, int predsLength, TTarget* target, int rows, MulticlassRun run, double[] sums,
        MulticlassUnit[] results, long[][] confusion, int[][] cells)
    {
        _preds = preds;
        _predsLength = predsLength;
        _target = target;
        _rows = rows;
        _run = run;
        _sums = sums;
        _results = results;
        _confusion = confusion;
        _cells = cells;
    }

    public bool Run(int unit, int worker)
    {
        var sums = _sums.AsSpan(unit * _run.Width, _run.Width);
        var cells = _cells[worker];
        var r = MulticlassFusedKernels.RunUnit<T, TTarget, TPass>(new ReadOnlySpan<T>(_preds, _predsLength),
            new ReadOnlySpan<TTarget>(_target, _rows), unit, _run, sums, cells);
        _results[unit] = r;
        if (r.Status != UnitStatus.Ok)
        {
            return false;
        }

        MulticlassFusedUnits.Count(cells.AsSpan(0, (int)r.Count), _confusion[worker]);
        return true;
    }

    internal static PassOutcome Run(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, in MulticlassRun run,
        int units, int threads, Span<double> measures, Span<long> confusion, out long kept)
    {
        var width = run.Width;
        var sums = ArrayPool<double>.Shared.Rent(units * width);
        var results = ArrayPool<MulticlassUnit>.Shared.Rent(units);
        var counts = new long[threads][];
        var cells = new int[threads][];
        try
        {
            Array.Clear(sums, 0, units * width);
            Array.Clear(results, 0, units);
            for (var k = 0; k < threads; k++)
            {
                counts[k] = new long[confusion.Length];
                cells[k] = ArrayPool<int>.Shared.Rent(run.RowsPerUnit);
            }

            fixed (T* p = preds)
            fixed (TTarget* t = target)
            {
                var job = new MulticlassFusedJob<T, TTarget, TPass>(p, preds.Length, t, target.Length, run, sums,
                    results, counts, cells);
                UnitScheduler.RunWorkers(job, units, threads);
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

            foreach (var worker in counts)
            {
                for (var i = 0; i < confusion.Length; i++)
                {
                    confusion[i] += worker[i];
                }
            }

            return BinaryKernels.Outcome(status);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
            ArrayPool<MulticlassUnit>.Shared.Return(results);
            foreach (var buffer in cells)
            {
                if (buffer is not null)
                {
                    ArrayPool<int>.Shared.Return(buffer);
                }
            }
        }
    }
}
