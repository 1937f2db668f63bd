using System.Buffers;
using System.Numerics;

namespace HingeSharp.Kernels;

/// <summary>The fused binary pass on several threads (the pattern of <see cref="BinaryJob{T, TTarget, TPass}"/>).</summary>
internal sealed unsafe class BinaryStatJob<T, TTarget, TPass> : IUnitJob
    where T : unmanaged, IFloatingPointIeee754<T>
    where TTarget : unmanaged, INumberBase<TTarget>
    where TPass : IPass
{
    private readonly T* _preds;
    private readonly TTarget* _target;
    private readonly int _length;
    private readonly BinaryRun _run;
    private readonly T _cut;
    private readonly BinaryStatUnit[] _results;

    private BinaryStatJob(T* preds, TTarget* target, int length, BinaryRun run, T cut, BinaryStatUnit[] results)
    {
        _preds = preds;
        _target = target;
        _length = length;
        _run = run;
        _cut = cut;
        _results = results;
    }

    public bool Run(int unit)
    {
        var r = BinaryStatKernels.RunUnit<T, TTarget, TPass>(new ReadOnlySpan<T>(_preds, _length),
            new ReadOnlySpan<TTarget>(_target, _length), unit, _run, _cut);
        _results[unit] = r;
        return r.Hinge.Status == UnitStatus.Ok;
    }

    internal static PassOutcome Run(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, in BinaryRun run, T cut,
        int units, int threads, out BinaryStatUnit total)
    {
        var results = ArrayPool<BinaryStatUnit>.Shared.Rent(units);
        try
        {
            Array.Clear(results, 0, units);
            fixed (T* p = preds)
            fixed (TTarget* t = target)
            {
                UnitScheduler.Run(new BinaryStatJob<T, TTarget, TPass>(p, t, preds.Length, run, cut, results), units,
                    threads);
            }

            total = default;
            for (var u = 0; u < units; u++)
            {
                total = BinaryStatKernels.Add(total, results[u]);
            }

            var status = total.Hinge.Status;
            if (status != UnitStatus.Ok)
            {
                total = default;
            }

            return BinaryKernels.Outcome(status);
        }
        finally
        {
            ArrayPool<BinaryStatUnit>.Shared.Return(results);
        }
    }
}
