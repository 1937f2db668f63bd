using System.Runtime.CompilerServices;

namespace HingeSharp.Kernels;

/// <summary>One pass of a kernel, split into units of fixed size that threads may take in any order.</summary>
internal interface IUnitJob
{
    /// <summary>Processes unit <paramref name="unit"/> and stores its result; false asks the others to stop.</summary>
    bool Run(int unit);
}

/// <summary>
/// A pass whose units also add to a buffer of the worker that runs them (integer counts: the sum over workers is the
/// same whichever worker took which unit).
/// </summary>
internal interface IWorkerUnitJob
{
    /// <summary>Processes unit <paramref name="unit"/> on worker <paramref name="worker"/> (0 ≤ worker &lt; threads);
    /// false asks the others to stop.</summary>
    bool Run(int unit, int worker);
}

/// <summary>
/// Runs the units of a large pass on several threads. Determinism comes from the callers: units have a fixed size
/// (it depends on the input shape only), every unit stores its own partial result, and the partials are reduced in
/// unit order afterwards, so the result is the same bit for bit whatever the thread count or timing.
/// </summary>
internal static class UnitScheduler
{
    /// <summary>Elements per unit of the binary kernels (multiclass units hold about as many scores).</summary>
    internal const int UnitElements = 1 << 16;

    /// <summary>Below this many elements a pass stays on the calling thread.</summary>
    internal const long ParallelThreshold = 1 << 20;

    /// <summary>Number of units for <paramref name="length"/> items taken <paramref name="perUnit"/> at a time.</summary>
    internal static int UnitCount(int length, int perUnit) => length == 0 ? 1 : (int)(((long)length + perUnit - 1) / perUnit);

    internal static void Run<TJob>(TJob job, int units, int threads)
        where TJob : class, IUnitJob =>
        Schedule(units, threads, (unit, _) => job.Run(unit));

    /// <summary>Runs the units on <paramref name="threads"/> workers, telling each unit which worker runs it.</summary>
    internal static void RunWorkers<TJob>(TJob job, int units, int threads)
        where TJob : class, IWorkerUnitJob =>
        Schedule(units, threads, job.Run);

    /// <summary>The workers take units in increasing order until all are taken or one unit asks them to stop
    /// (<paramref name="run"/>(unit, worker) returned false).</summary>
    private static void Schedule(int units, int threads, Func<int, int, bool> run)
    {
        var next = -1;
        var stop = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, worker =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                var unit = Interlocked.Increment(ref next);
                if (unit >= units)
                {
                    return;
                }

                if (!run(unit, worker))
                {
                    Volatile.Write(ref stop, 1);
                }
            }
        });
    }
}

/// <summary>What a unit of a pass found, besides its sums.</summary>
[Flags]
internal enum UnitStatus : byte
{
    Ok = 0,

    /// <summary>A kept prediction failed the pass's check ([0, 1] for probabilities, finiteness otherwise).</summary>
    CheckFailed = 1,

    /// <summary>A target is not a valid label (binary: 0, 1 or ignore; multiclass: a class index or ignore).</summary>
    TargetInvalid = 2,
}

/// <summary>The outcome of a whole pass: the first failure kind wins in the order target, check.</summary>
internal enum PassOutcome
{
    Ok,
    CheckFailed,
    TargetInvalid,
}

/// <summary>How a pass reads predictions.</summary>
internal interface IPass
{
    /// <summary>Sigmoid (binary) or softmax (multiclass) before the hinge.</summary>
    static abstract bool Squash { get; }

    /// <summary>True: kept predictions must lie in [0, 1]; false: they must be finite.</summary>
    static abstract bool RangeCheck { get; }
}

/// <summary>Probabilities as they are; a value outside [0, 1] fails the unit.</summary>
internal readonly struct ProbabilityPass : IPass
{
    public static bool Squash
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool RangeCheck
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }
}

/// <summary>Logits through sigmoid or softmax; a non-finite value fails the unit.</summary>
internal readonly struct SquashPass : IPass
{
    public static bool Squash
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }

    public static bool RangeCheck
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }
}

/// <summary>Margins as they are; a non-finite value fails the unit.</summary>
internal readonly struct MarginPass : IPass
{
    public static bool Squash
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool RangeCheck
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }
}

/// <summary>A compile-time boolean for generic specialisation.</summary>
internal interface IFlag
{
    static abstract bool IsSet { get; }
}

internal readonly struct FlagOn : IFlag
{
    public static bool IsSet
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }
}

internal readonly struct FlagOff : IFlag
{
    public static bool IsSet
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }
}
