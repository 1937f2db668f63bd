using System.Diagnostics;
using System.Reflection;
using HingeSharp.Diagnostics;

namespace HingeSharp.Cli.Bench;

/// <summary>One row of <c>hinge bench</c>.</summary>
/// <param name="Workload">One of <see cref="BenchRunner.Workloads"/>.</param>
/// <param name="N">Elements (binary workloads) or rows of <see cref="HingeBenchmark.NumClasses"/> scores (multiclass
/// workloads).</param>
/// <param name="ElementsPerSecond">HingeSharp's kernel throughput (its fastest timed batch, as
/// <see cref="HingeBenchmark"/> measures).</param>
/// <param name="BaselineElementsPerSecond">A streaming read of the same bytes in the same process (the memory
/// limit; its fastest batch too).</param>
/// <param name="RatioToBaseline">Kernel over baseline throughput (1 = at the memory limit).</param>
/// <param name="TorchElementsPerSecond">torchmetrics' ops in libtorch on the CPU, or null when not measured.</param>
/// <param name="SpeedupVsTorch">Kernel over torch throughput, or null.</param>
internal sealed record BenchRow(string Workload, int N, double ElementsPerSecond, double BaselineElementsPerSecond,
    double RatioToBaseline, double? TorchElementsPerSecond, double? SpeedupVsTorch);

/// <summary>
/// The <c>hinge bench</c> sweep: HingeSharp's measurement routine beside torchmetrics-in-libtorch. The slim
/// <c>hinge</c> has no TorchSharp, so its torch fields stay null; <c>hinge-demo</c> compiles this file too and
/// implements the torch partial methods (src/HingeSharp.Demo/Bench/TorchBench.cs).
/// </summary>
internal static partial class BenchRunner
{
    /// <summary>The workloads of the sweep: the binary hinge, the binary hinge with the stat scores of accuracy,
    /// precision, recall, F1 and the confusion matrix in the same pass (its rate over <c>binary</c>'s is the cost of
    /// those metrics), Crammer–Singer and one-vs-all with 10 classes, and Crammer–Singer with the top-1 confusion
    /// matrix behind multiclass accuracy, precision, recall and F1 in the same pass (its rate over
    /// <c>crammer-singer</c>'s is the cost of those metrics).</summary>
    public static readonly string[] Workloads =
        ["binary", "binary-metrics", "crammer-singer", "one-vs-all", "multiclass-metrics"];

    /// <summary>The sizes of the sweep: 1e2, 1e4, 1e6, 1e7.</summary>
    public static readonly int[] Sizes = [100, 10_000, 1_000_000, 10_000_000];

    /// <summary>
    /// The largest size torch is timed at: multiclass torchmetrics builds an int64 one-hot mask of N·C elements
    /// (800 MB at 1e7 rows of 10 classes, with several copies of the scores beside it), so Crammer–Singer is timed
    /// up to 1e6 rows; binary up to 1e7. <c>binary-metrics</c> and <c>multiclass-metrics</c> have no torch
    /// counterpart (0).
    /// </summary>
    public static int TorchLimit(string workload) => workload switch
    {
        "binary" => 10_000_000,
        "crammer-singer" or "one-vs-all" => 1_000_000,
        _ => 0,
    };

    /// <summary>True when the core assembly was compiled with the JIT optimizer disabled (a Debug build).</summary>
    public static bool CoreIsUnoptimized() =>
        typeof(HingeBenchmark).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;

    /// <summary>Measures every workload at every size.</summary>
    /// <param name="sizes">Sizes to measure.</param>
    /// <param name="quick">Shorter measurements (the whole default sweep within 30 s).</param>
    /// <param name="threads">Threads for both HingeSharp and libtorch: 1 (default) or more; 0 = all processors.</param>
    /// <param name="torchToo">Whether to time torch as well.</param>
    /// <param name="progress">Called before each measurement with (done, total, what).</param>
    public static IReadOnlyList<BenchRow> Run(IReadOnlyList<int> sizes, bool quick, int threads, bool torchToo,
        Action<int, int, string>? progress = null)
    {
        torchToo &= TorchAvailable;
        if (torchToo)
        {
            SetTorchThreads(threads == 0 ? Environment.ProcessorCount : threads);
        }

        var rows = new List<BenchRow>();
        var total = Workloads.Length * sizes.Count;
        foreach (var workload in Workloads)
        {
            foreach (var n in sizes)
            {
                progress?.Invoke(rows.Count, total, $"{workload} n={n}");
                var r = HingeBenchmark.Run(workload, n, quick, threads);
                double? torchRate = null;
                if (torchToo && n <= TorchLimit(workload))
                {
                    MeasureTorch(workload, n, HingeBenchmark.NumClasses, quick, ref torchRate);
                }

                rows.Add(new BenchRow(workload, n, r.ElementsPerSecond, r.BaselineElementsPerSecond,
                    r.RatioToBaseline, torchRate, torchRate is { } t ? r.ElementsPerSecond / t : null));
            }
        }

        progress?.Invoke(total, total, "done");
        return rows;
    }

    /// <summary>True in a tool that can time libtorch (<c>hinge-demo</c>); false in the slim <c>hinge</c>.</summary>
    public static bool TorchAvailable
    {
        get
        {
            var available = false;
            DetectTorch(ref available);
            return available;
        }
    }

    /// <summary>The tutorial's training recipes beside PyTorch (<c>bench --recipes</c>); null where this build has
    /// no torch (the slim <c>hinge</c>, which forwards <c>--recipes</c> to <c>hinge-demo</c>).</summary>
    internal static int? Recipes(CliEnvironment env, int threads, bool json, bool quick)
    {
        int? exitCode = null;
        RunRecipes(env, threads, json, quick, ref exitCode);
        return exitCode;
    }

    static partial void RunRecipes(CliEnvironment env, int threads, bool json, bool quick, ref int? exitCode);

    static partial void DetectTorch(ref bool available);

    static partial void SetTorchThreads(int threads);

    static partial void MeasureTorch(string workload, int n, int numClasses, bool quick, ref double? elementsPerSecond);
}
