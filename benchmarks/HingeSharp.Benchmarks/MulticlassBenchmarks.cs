using BenchmarkDotNet.Attributes;
using HingeSharp.Kernels;

namespace HingeSharp.Benchmarks;

/// <summary>
/// Multiclass hinge over N rows of C = 10 float32 scores and int32 class indices: Crammer–Singer (scores in [0, 1],
/// and logits through softmax), one-vs-all, the scalar loop, and the streaming read of the same bytes (the baseline).
/// </summary>
[MemoryDiagnoser]
public class MulticlassBenchmarks
{
    private const int C = 10;
    private float[] _scores = [];
    private float[] _logits = [];
    private int[] _labels = [];
    private double[] _measures = new double[C];
    private KernelOptions _options;

    [ParamsSource(typeof(Sizes), nameof(Sizes.N))]
    public int N { get; set; }

    [ParamsSource(typeof(Sizes), nameof(Sizes.Threads))]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scores = BenchmarkData.Uniform((long)N * C, 1f, 0f, 4);
        _labels = BenchmarkData.Labels(N, C, 5);
        _options = KernelOptions.Default with { MaxThreads = Threads };
    }

    [GlobalSetup(Target = nameof(CrammerSingerLogits))]
    public void SetupLogits()
    {
        Setup();
        _logits = BenchmarkData.Uniform((long)N * C, 8f, -4f, 6);
    }

    /// <summary>The streaming read at the kernels' width (512-bit where accelerated): the baseline.</summary>
    [Benchmark(Baseline = true)]
    public double StreamingRead() => StreamingBaseline.Sum(_scores, _labels, _options);

    /// <summary>The streaming read's 256-bit form: where it is the faster read, it is the limit to compare with.</summary>
    [Benchmark]
    public double StreamingRead256() => StreamingBaseline.Sum(_scores, _labels, _options with { Width = SimdWidth.V256 });

    [Benchmark]
    public long CrammerSinger() => Run(_scores, MulticlassMode.CrammerSinger, _options);

    [Benchmark]
    public long CrammerSingerLogits() => Run(_logits, MulticlassMode.CrammerSinger, _options);

    [Benchmark]
    public long OneVsAll() => Run(_scores, MulticlassMode.OneVsAll, _options);

    [Benchmark]
    public long Scalar() => Run(_scores, MulticlassMode.CrammerSinger, _options with { Width = SimdWidth.Scalar });

    private long Run(float[] scores, MulticlassMode mode, KernelOptions options) =>
        MulticlassKernels.Sum<float, int>(scores, _labels, C, mode, false, null, HingeInputKind.Auto,
            NonFiniteHandling.Throw, _measures.AsSpan(0, mode == MulticlassMode.CrammerSinger ? 1 : C), options);
}
