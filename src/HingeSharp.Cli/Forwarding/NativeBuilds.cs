using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace HingeSharp.Cli.Forwarding;

/// <summary>
/// The native AOT <c>hinge</c> of the tool package is compiled twice: <c>hinge</c> for x86-64-v3 (AVX2 and FMA,
/// 256-bit kernels) and <c>hinge-avx512</c> beside it for x86-64-v4 (AVX-512, 512-bit kernels). Native AOT fixes the
/// vector width when it compiles (<see cref="Vector512.IsHardwareAccelerated"/> is a constant there), so the AVX2
/// build, started on a machine whose CPU and kernel offer AVX-512, replaces itself with the AVX-512 build before it
/// does anything else (<c>execv</c>: the same process, arguments and environment). Under the JIT (<c>dotnet run</c>,
/// tests, the library) nothing happens: the JIT picks the machine's width itself.
/// </summary>
internal static unsafe partial class NativeBuilds
{
    /// <summary>The file name of the AVX-512 build, beside <c>hinge</c>.</summary>
    public const string Avx512FileName = "hinge-avx512";

    /// <summary>Set to <c>1</c>, the AVX2 build stays in charge on an AVX-512 machine (to compare the two).</summary>
    public const string StayVariable = "HINGE_NO_AVX512";

    /// <summary>The <c>/proc/cpuinfo</c> flags x86-64-v4 needs beyond x86-64-v3.</summary>
    private static readonly string[] V4Flags = ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"];

    /// <summary>True in the native AOT build, whose assembly has no file of its own (under the JIT it has one; the
    /// project's PublishAot sets RuntimeFeature.IsDynamicCodeSupported to false in JIT runs too, so that cannot
    /// tell).</summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "Location is empty exactly in a native (single-file) build: that is the question asked.")]
    internal static bool IsNative => typeof(NativeBuilds).Assembly.Location.Length == 0;

    /// <summary>What the running code's kernels use: <c>"512-bit"</c>, <c>"256-bit"</c>, <c>"128-bit"</c> or
    /// <c>"scalar"</c>, and whether it is a native AOT build.</summary>
    public static string Describe() =>
        (Vector512.IsHardwareAccelerated ? "512-bit" : Vector256.IsHardwareAccelerated ? "256-bit"
            : Vector128.IsHardwareAccelerated ? "128-bit" : "scalar") +
        (IsNative ? " vectors (native AOT build)" : " vectors (JIT)");

    /// <summary>In the AVX2 native build on an AVX-512 machine with <see cref="Avx512FileName"/> beside it, runs that
    /// build in this process instead; returns (and this build goes on) in every other case, or if the exec fails.
    /// </summary>
    /// <param name="args">The command line, without the program name.</param>
    public static void PreferAvx512(string[] args)
    {
        if (!IsNative || Vector512.IsHardwareAccelerated || !OperatingSystem.IsLinux() ||
            Environment.GetEnvironmentVariable(StayVariable) == "1" || Environment.ProcessPath is not { } self)
        {
            return;
        }

        var sibling = Path.Combine(Path.GetDirectoryName(self) ?? ".", Avx512FileName);
        if (File.Exists(sibling) && CpuOffersV4(ReadCpuFlags()))
        {
            Exec(sibling, args);
        }
    }

    /// <summary>True when the flags line of <c>/proc/cpuinfo</c> names every AVX-512 subset x86-64-v4 needs (the
    /// kernel lists them only when it saves the AVX-512 registers too).</summary>
    internal static bool CpuOffersV4(string? flags)
    {
        if (flags is null)
        {
            return false;
        }

        var set = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return V4Flags.All(set.Contains);
    }

    /// <summary>The first <c>flags</c> line of <c>/proc/cpuinfo</c>, after its colon; null when there is none.
    /// </summary>
    private static string? ReadCpuFlags()
    {
        try
        {
            using var reader = new StreamReader("/proc/cpuinfo");
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith("flags", StringComparison.Ordinal) && line.IndexOf(':') is var colon and >= 0)
                {
                    return line[(colon + 1)..];
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static void Exec(string path, string[] args)
    {
        var argv = (byte**)NativeMemory.AllocZeroed((nuint)(args.Length + 2), (nuint)sizeof(byte*));
        try
        {
            argv[0] = Utf8(path);
            for (var i = 0; i < args.Length; i++)
            {
                argv[i + 1] = Utf8(args[i]);
            }

            var file = Utf8(path);
            _ = Execv(file, argv); // returns only when the exec failed: this build goes on
            NativeMemory.Free(file);
        }
        finally
        {
            for (var i = 0; i <= args.Length; i++)
            {
                NativeMemory.Free(argv[i]);
            }

            NativeMemory.Free(argv);
        }
    }

    private static byte* Utf8(string s)
    {
        var count = Encoding.UTF8.GetByteCount(s);
        var bytes = (byte*)NativeMemory.Alloc((nuint)count + 1);
        Encoding.UTF8.GetBytes(s, new Span<byte>(bytes, count));
        bytes[count] = 0;
        return bytes;
    }

    [LibraryImport("libc", EntryPoint = "execv")]
    private static partial int Execv(byte* path, byte** argv);
}
