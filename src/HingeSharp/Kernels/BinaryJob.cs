using System.Buffers;
using System.Numerics;

namespace HingeSharp.Kernels;

/// <summary>
/// A binary pass on several threads. Spans cannot cross threads, so the batch is pinned for the duration of the call
/// and each unit rebuilds its spans from the pinned addresses. Each unit stores its own result; the reduction runs
/// afterwards in unit order.
/// </summary>
internal sealed unsafe class BinaryJob<T, TTarget, TPass> : IUnitJob
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTarget : unmanaged, INumberBase<TTarget>
    where TPass : IPass
{
    private readonly T* _preds;
    private readonly TTarget* _target;
    private readonly int _length;
    private readonly BinaryRun _run;
    private readonly BinaryUnit[] _results;

    private BinaryJob(T* preds, TTarget* target, int length, BinaryRun run, BinaryUnit[] results)
    {
        _preds = preds;
        _target = target;
        _length = length;
        _run = run;
        _results = results;
    }

    public bool Run(int unit)
    {
        var r = BinaryKernels.RunUnit<T, TTarget, TPass>(new ReadOnlySpan<T>(_preds, _length),
            new ReadOnlySpan<TTarget>(_target, _length), unit, _run);
        _results[unit] = r;
        return r.Status == UnitStatus.Ok;
    }

    internal static PassOutcome Run(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, in BinaryRun run,
        int units, int threads, out BinarySums sums)
    {
        var results = ArrayPool<BinaryUnit>.Shared.Rent(units);
        try
        {
            Array.Clear(results, 0, units);
            fixed (T* p = preds)
            fixed (TTarget* t = target)
            {
                UnitScheduler.Run(new BinaryJob<T, TTarget, TPass>(p, t, preds.Length, run, results), units, threads);
            }

            var status = UnitStatus.Ok;
            double measures = 0;
            long total = 0;
            for (var u = 0; u < units; u++)
            {
                status |= results[u].Status;
                measures += results[u].Sum;
                total += results[u].Count;
            }

            sums = status == UnitStatus.Ok ? new BinarySums(measures, total) : default;
            return BinaryKernels.Outcome(status);
        }
        finally
        {
            ArrayPool<BinaryUnit>.Shared.Return(results);
        }
    }
}
