using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using HingeSharp.Kernels;

namespace HingeSharp.Diagnostics;

/// <summary>
/// A small, dependency-free throughput measurement of the hinge kernels (what <c>hinge bench</c> prints): one workload
/// at one size, timed beside a streaming read of the same bytes in the same process (a vectorised sum of every float
/// and every int label with four independent accumulators per stream, timed in its 512- and 256-bit forms and the
/// faster one kept: the memory limit of the machine), so the ratio says how close the kernel is to it.
/// </summary>
/// <remarks>
/// Method: the data are generated once (seeded); both routines are warmed up (0.2 s quick, 0.5 s otherwise, twice
/// for the first measurement in a process), then
/// timed alternately in batches of calls long enough for the clock (at least 5 ms quick, 40 ms otherwise), 7 rounds
/// quick and 21 otherwise; a round times each form of the baseline once and the kernel once before each of them, so
/// both sides get as many batches (<see cref="HingeBenchmarkResult.KernelBatches"/>,
/// <see cref="HingeBenchmarkResult.BaselineBatches"/>): a best of more batches would favour the side that has them
/// on a machine whose memory speed moves. Each rate is that of the fastest batch, as STREAM and a C read's best of n
/// report a read's limit (on a shared machine other jobs only ever slow a batch down), for the kernel and the
/// baseline alike; the medians over the batches are kept beside them. For serious numbers use the BenchmarkDotNet suite in benchmarks/.
/// </remarks>
/// <example><code>
/// var r = HingeBenchmark.Run("binary", 10_000_000, quick: true);
/// Console.WriteLine($"{r.ElementsPerSecond:E2}/s, {r.RatioToBaseline:P0} of the memory limit");
/// </code></example>
public static class HingeBenchmark
{
    private static int _measured;

    /// <summary>The class count of the multiclass workloads.</summary>
    public const int NumClasses = 10;

    /// <summary>
    /// The workload names: <c>binary</c> (float32 probabilities, int32 labels), <c>binary-logits</c> (float32
    /// logits: the sigmoid pass), <c>binary-metrics</c> (the binary hinge and the stat scores behind accuracy,
    /// precision, recall, F1 and the confusion matrix in one pass, on the <c>binary</c> data), <c>crammer-singer</c>
    /// and <c>one-vs-all</c> (float32 scores in [0, 1] of <see cref="NumClasses"/> classes, int32 class indices;
    /// <c>n</c> counts rows), <c>multiclass-metrics</c> (the Crammer–Singer hinge and the top-1 confusion matrix behind
    /// multiclass accuracy, precision, recall and F1 in one pass, on the <c>crammer-singer</c> data).
    /// </summary>
    public static IReadOnlyList<string> Workloads { get; } =
        ["binary", "binary-logits", "binary-metrics", "crammer-singer", "one-vs-all", "multiclass-metrics"];

    /// <summary>Measures one workload at one size.</summary>
    /// <param name="workload">One of <see cref="Workloads"/> (case-insensitive).</param>
    /// <param name="n">Elements (binary) or rows (multiclass), at least 1.</param>
    /// <param name="quick">Fewer and shorter timed batches (the whole 1e2…1e7 sweep of both main workloads takes a
    /// few seconds).</param>
    /// <param name="threads">1: the calling thread only; 0: all processors (the library's default for inputs of
    /// about 1e6 elements and more); k: at most k threads. The baseline runs on the same threads.</param>
    /// <returns>Times per call and the derived rates.</returns>
    /// <exception cref="ArgumentException">Unknown workload, <paramref name="n"/> below 1 or
    /// <paramref name="threads"/> negative.</exception>
    public static HingeBenchmarkResult Run(string workload, int n, bool quick = false, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var name = workload.Trim().ToLowerInvariant();
        if (!Workloads.Contains(name))
        {
            throw new ArgumentException(
                $"Unknown workload '{workload}': expected one of {string.Join(", ", Workloads)}.", nameof(workload));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);

        var options = KernelOptions.Default with { MaxThreads = threads };
        var binary = name.StartsWith("binary", StringComparison.Ordinal);
        var classes = binary ? 1 : NumClasses;
        var (scores, labels) = Data(n, classes, name == "binary-logits");
        var measures = new double[name == "one-vs-all" ? NumClasses : 1];
        var confusion = new long[NumClasses * NumClasses];
        Func<double> kernel = name == "binary-metrics"
            ? () => BinaryStatKernels.Sum<float, int>(scores, labels, true, false, null, true, HingeInputKind.Auto,
                NonFiniteHandling.Throw, 0.5, options).Scores.TruePositives
            : name == "multiclass-metrics"
            ? () => MulticlassFusedKernels.TrySum<float, int>(scores, labels, NumClasses, MulticlassMode.CrammerSinger,
                false, null, HingeInputKind.Auto, NonFiniteHandling.Throw, measures, confusion, options, out var kept)
                ? measures[0] + confusion[0] + kept
                : throw new InvalidOperationException("The fused multiclass pass rejected the benchmark data.")
            : binary
            ? () => BinaryKernels.Sum<float, int>(scores, labels, false, null, true, HingeInputKind.Auto,
                NonFiniteHandling.Throw, options).Measures
            : () => MulticlassKernels.Sum<float, int>(scores, labels, NumClasses,
                name == "one-vs-all" ? MulticlassMode.OneVsAll : MulticlassMode.CrammerSinger, false, null,
                HingeInputKind.Auto, NonFiniteHandling.Throw, measures, options);
        var forms = StreamingBaseline.Forms.Count > 0 ? StreamingBaseline.Forms : [options.Width];
        var baselines = forms
            .Select(w => (Func<double>)(() => StreamingBaseline.Sum(scores, labels, options with { Width = w })))
            .ToArray();

        // The previous workload's arrays are garbage now: collect them before timing, so that no background
        // collection shares the memory bus (or the other core) with the measurement.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var (kernelTimes, baselineTimes) = Measure(kernel, baselines, quick);
        var baselineBatches = baselineTimes.Sum(t => t.Length);
        var baselineNs = baselineTimes.Select(t => t.Min()).ToArray();
        var medians = baselineTimes.Select(Median).ToArray();
        var formResults = forms.Select((w, i) => new HingeBaselineForm(Width(w), baselineNs[i])
        {
            MedianNanosecondsPerCall = medians[i],
        }).ToArray();
        return new HingeBenchmarkResult(name, n, binary ? 0 : NumClasses, threads, Width(options.Width),
            kernelTimes.Min(), baselineNs.Min(),
            ((long)scores.Length * sizeof(float)) + ((long)labels.Length * sizeof(int)))
        {
            BaselineForms = formResults,
            MedianNanosecondsPerCall = Median(kernelTimes),
            MedianBaselineNanosecondsPerCall = medians.Min(),
            KernelBatches = kernelTimes.Length,
            BaselineBatches = baselineBatches,
        };
    }

    private static string Width(SimdWidth width) => width == SimdWidth.Scalar
        ? "scalar"
        : ((int)width).ToString(CultureInfo.InvariantCulture) + "-bit";

    /// <summary>Seeded scores and labels (a 64-bit xorshift: fast enough for 1e8 values).</summary>
    private static (float[] Scores, int[] Labels) Data(int n, int classes, bool logits)
    {
        var scores = new float[(long)n * classes];
        var labels = new int[n];
        var state = 0x9E3779B97F4A7C15UL;
        for (long i = 0; i < scores.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            var u = (state >> 40) * (1f / (1 << 24));
            scores[i] = logits ? (u - 0.5f) * 8f : u;
        }

        for (var i = 0; i < n; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            labels[i] = (int)(state % (ulong)Math.Max(classes, 2));
        }

        return (scores, labels);
    }

    /// <summary>Times per call of every batch: the kernel's, and each baseline form's.</summary>
    private static (double[] Kernel, double[][] Baselines) Measure(Func<double> kernel, Func<double>[] baselines,
        bool quick)
    {
        // Warm-up must outlast tiered compilation of the small driver methods and of the two delegates; the first
        // measurement in a process gets one more round of both, as the runtime delays promotions while it compiles.
        if (Interlocked.Exchange(ref _measured, 1) == 0)
        {
            Calibrate(kernel, quick, 0);
            foreach (var baseline in baselines)
            {
                Calibrate(baseline, quick, 0);
            }
        }

        var batchSeconds = quick ? 0.005 : 0.04;
        var runs = quick ? 7 : 21;
        var kernelCalls = Calibrate(kernel, quick, batchSeconds);
        var baselineCalls = baselines.Select(b => Calibrate(b, quick, batchSeconds)).ToArray();
        var kernelTimes = new double[runs * baselines.Length];
        var baselineTimes = baselines.Select(_ => new double[runs]).ToArray();
        for (var r = 0; r < runs; r++)
        {
            for (var b = 0; b < baselines.Length; b++)
            {
                kernelTimes[(r * baselines.Length) + b] = Batch(kernel, kernelCalls);
                baselineTimes[b][r] = Batch(baselines[b], baselineCalls[b]);
            }
        }

        return (kernelTimes, baselineTimes);
    }

    /// <summary>Warms <paramref name="f"/> up and returns how many calls fill one batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Calibrate(Func<double> f, bool quick, double batchSeconds)
    {
        var warmup = quick ? 0.2 : 0.5;
        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (calls < 3 || clock.Elapsed.TotalSeconds < warmup)
        {
            f();
            calls++;
        }

        var perCall = clock.Elapsed.TotalSeconds / calls;
        return (int)Math.Clamp(Math.Ceiling(batchSeconds / perCall), 1, 10_000_000);
    }

    /// <summary>Nanoseconds per call over one batch (fully optimised from the first call: no tier-0 timing loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Batch(Func<double> f, int calls)
    {
        double sink = 0;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            sink += f();
        }

        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        GC.KeepAlive(sink);
        return elapsed * 1e9 / calls;
    }

    private static double Median(double[] values)
    {
        values = [.. values];
        Array.Sort(values);
        var m = values.Length / 2;
        return values.Length % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
    }
}

/// <summary>One measurement of <see cref="HingeBenchmark.Run"/>.</summary>
/// <param name="Workload">The workload's name.</param>
/// <param name="N">Elements (binary) or rows (multiclass).</param>
/// <param name="NumClasses">Classes per row; 0 for binary.</param>
/// <param name="Threads">The thread setting (1 = calling thread, 0 = all processors).</param>
/// <param name="Width">The register width the kernels used: <c>512-bit</c>, <c>256-bit</c>, <c>128-bit</c> or <c>scalar</c>.</param>
/// <param name="NanosecondsPerCall">Time of one kernel call in the fastest batch.</param>
/// <param name="BaselineNanosecondsPerCall">Time of one streaming read of the same bytes in the fastest batch: the
/// fastest of <see cref="BaselineForms"/> (the limit is the best read the machine does, whatever its register
/// width).</param>
/// <param name="BytesPerCall">Bytes of scores and labels one call reads.</param>
public sealed record HingeBenchmarkResult(string Workload, int N, int NumClasses, int Threads, string Width,
    double NanosecondsPerCall, double BaselineNanosecondsPerCall, long BytesPerCall)
{
    /// <summary>Each form of the streaming read (512- and 256-bit where accelerated) with its time; the baseline is
    /// the fastest of them.</summary>
    public IReadOnlyList<HingeBaselineForm> BaselineForms { get; init; } = [];

    /// <summary>Median over the batches of one kernel call's time (<see cref="NanosecondsPerCall"/> is the fastest
    /// batch's).</summary>
    public double MedianNanosecondsPerCall { get; init; }

    /// <summary>Median over the batches of one streaming read's time, its fastest form's.</summary>
    public double MedianBaselineNanosecondsPerCall { get; init; }

    /// <summary>How many timed batches the kernel's rate is the fastest of.</summary>
    public int KernelBatches { get; init; }

    /// <summary>How many timed batches the baseline's rate is the fastest of, all its forms together: as many as the
    /// kernel's.</summary>
    public int BaselineBatches { get; init; }

    /// <summary>Kernel throughput: <see cref="N"/> elements (or rows) per second.</summary>
    public double ElementsPerSecond => N / (NanosecondsPerCall * 1e-9);

    /// <summary>Baseline throughput over the same elements (or rows).</summary>
    public double BaselineElementsPerSecond => N / (BaselineNanosecondsPerCall * 1e-9);

    /// <summary>Kernel throughput as a fraction of the baseline's (1 = at the memory limit).</summary>
    public double RatioToBaseline => BaselineNanosecondsPerCall / NanosecondsPerCall;

    /// <summary>Kernel read bandwidth in GB/s (10⁹ bytes).</summary>
    public double GigabytesPerSecond => BytesPerCall / NanosecondsPerCall;
}

/// <summary>One form of the streaming read that <see cref="HingeBenchmark.Run"/> times as the memory limit.</summary>
/// <param name="Width">Its register width: <c>512-bit</c>, <c>256-bit</c> (or the kernels' width where neither is
/// accelerated).</param>
/// <param name="NanosecondsPerCall">Time of one read of the workload's bytes in the fastest batch.</param>
public sealed record HingeBaselineForm(string Width, double NanosecondsPerCall)
{
    /// <summary>Median over the batches of one read's time.</summary>
    public double MedianNanosecondsPerCall { get; init; }
}
