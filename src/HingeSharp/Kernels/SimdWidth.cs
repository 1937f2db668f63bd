using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>The register width a kernel runs at; <see cref="Scalar"/> is the plain loop.</summary>
internal enum SimdWidth
{
    Scalar = 0,
    V128 = 128,
    V256 = 256,
    V512 = 512,
}

/// <summary>Per-call kernel settings: the width (the widest accelerated one by default) and the thread limit.</summary>
/// <param name="Width">Register width; tests and benchmarks pin it, the public API uses <see cref="Best"/>.</param>
/// <param name="MaxThreads">Most threads for large inputs; 0 means <see cref="Environment.ProcessorCount"/>, 1
/// means the calling thread only.</param>
internal readonly record struct KernelOptions(SimdWidth Width, int MaxThreads)
{
    /// <summary>The widest width .NET accelerates on this machine (Vector512 only where it reports so).</summary>
    internal static SimdWidth Best { get; } =
        Vector512.IsHardwareAccelerated ? SimdWidth.V512
        : Vector256.IsHardwareAccelerated ? SimdWidth.V256
        : Vector128.IsHardwareAccelerated ? SimdWidth.V128
        : SimdWidth.Scalar;

    /// <summary>Crammer–Singer blocks (hinge alone and fused with the confusion cells) go through the plain row-by-row
    /// blocks even where <see cref="MulticlassTransposedBlocks"/> applies (tests compare the two paths' bits).</summary>
    internal bool PlainBlocksOnly { get; init; }

    /// <summary>The widest width, all threads.</summary>
    internal static KernelOptions Default => new(Best, 0);

    /// <summary>Every width that runs on vector hardware here, plus <see cref="SimdWidth.Scalar"/>.</summary>
    internal static IReadOnlyList<SimdWidth> Available { get; } =
        [.. new[] { SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 }.Where(w => w <= Best)];

    /// <summary>The thread count for a pass over <paramref name="elements"/> values split into
    /// <paramref name="units"/> units.</summary>
    internal int ThreadsFor(long elements, int units) =>
        elements < UnitScheduler.ParallelThreshold || units < 2
            ? 1
            : Math.Min(units, MaxThreads > 0 ? MaxThreads : Environment.ProcessorCount);
}
