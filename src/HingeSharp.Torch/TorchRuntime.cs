using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HingeSharp.Torch;

/// <summary>Process-wide settings that make libtorch run well under .NET.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// The value given to glibc's <c>M_MMAP_THRESHOLD</c> and <c>M_TRIM_THRESHOLD</c> by
    /// <see cref="TuneAllocator"/>: 1 GiB.
    /// </summary>
    public const int AllocatorThresholdBytes = 1 << 30;

    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    private static readonly Lock Gate = new();
    private static bool? tuned;

    /// <summary>
    /// Stops glibc from handing large blocks back to the operating system on <c>free</c>: sets
    /// <c>mallopt(M_MMAP_THRESHOLD, 1 GiB)</c> and <c>mallopt(M_TRIM_THRESHOLD, 1 GiB)</c>.
    /// </summary>
    /// <remarks>
    /// <para>By default glibc serves allocations above its dynamic mmap threshold (at most 32 MiB) with a fresh
    /// <c>mmap</c> and unmaps them on free, so every new large tensor page-faults its memory in again (about ten
    /// times slower than reusing heap memory). With the thresholds raised, such blocks stay in the heap and are
    /// reused. The cost is that freed memory up to the threshold is kept by the process.</para>
    /// <para>Runs automatically (a module initializer) before any other code of HingeSharp.Torch runs; calling it
    /// again does nothing.
    /// It is a no-op on other operating systems and on Linux C libraries other than glibc (e.g. musl), and it
    /// never throws.</para>
    /// <para>Limits: blocks of 1 GiB and more are still mapped and unmapped. Threads other than the first one
    /// usually allocate from a secondary glibc arena, whose heaps cannot exceed 64 MiB, so there blocks above
    /// 64 MiB are still mapped per allocation; starting the process with <c>MALLOC_ARENA_MAX=1</c> puts every
    /// thread on the main arena and removes that limit (at the cost of one allocator lock for all threads).</para>
    /// </remarks>
    /// <returns><see langword="true"/> when glibc accepted both settings (now or on an earlier call).</returns>
    public static bool TuneAllocator()
    {
        lock (Gate)
        {
            tuned ??= TryTuneGlibc();
            return tuned.Value;
        }
    }

    private static bool TryTuneGlibc()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out IntPtr libc))
            {
                return false;
            }

            // gnu_get_libc_version exists only in glibc; other C libraries may ship a do-nothing mallopt.
            if (!NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _)
                || !NativeLibrary.TryGetExport(libc, "mallopt", out _))
            {
                return false;
            }

            bool mmap = NativeMethods.Mallopt(MMmapThreshold, AllocatorThresholdBytes) == 1;
            bool trim = NativeMethods.Mallopt(MTrimThreshold, AllocatorThresholdBytes) == 1;
            return mmap && trim;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc.so.6", EntryPoint = "mallopt", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Mallopt(int param, int value);
    }
}

/// <summary>Applies <see cref="TorchRuntime.TuneAllocator"/> as soon as HingeSharp.Torch is loaded.</summary>
internal static class TorchRuntimeInitializer
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The allocator must be tuned before the first large tensor is allocated, in every process "
            + "that uses the adapter; TuneAllocator is idempotent, cheap and never throws.")]
    internal static void Initialize() => TorchRuntime.TuneAllocator();
}
