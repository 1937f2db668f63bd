using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using HingeSharp.Kernels;
using HingeSharp.Torch.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Benchmarks;

/// <summary>
/// HingeSharp's functional hinge losses (the fused kernels with argument validation, on the calling thread) against
/// the same losses written as TorchSharp tensor ops (<see cref="TorchHingeReference"/>: torchmetrics 1.9's update and
/// compute, transcribed op for op) with libtorch limited to one thread (<c>torch.set_num_threads(1)</c>). Same data
/// for both: N float32 probabilities + int32 labels (binary), N rows of C = 10 float32 scores in [0, 1] + int32 class
/// indices (Crammer–Singer). The kernel is each category's baseline, so the torch row's <c>Ratio</c> is how many
/// times slower the tensor-op formula is.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TorchOpsBenchmarks
{
    private const int C = 10;
    private float[] _probabilities = [];
    private int[] _labels = [];
    private float[] _scores = [];
    private int[] _classes = [];
    private readonly double[] _measures = new double[1];
    private Tensor? _torchProbabilities;
    private Tensor? _torchLabels;
    private Tensor? _torchScores;
    private Tensor? _torchClasses;
    private static readonly KernelOptions OneThread = KernelOptions.Default with { MaxThreads = 1 };

    /// <summary>Elements (binary) or rows (Crammer–Singer).</summary>
    [Params(10_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        _probabilities = BenchmarkData.Uniform(N, 1f, 0f, 1);
        _labels = BenchmarkData.Labels(N, 2, 3);
        _scores = BenchmarkData.Uniform((long)N * C, 1f, 0f, 4);
        _classes = BenchmarkData.Labels(N, C, 5);
        _torchProbabilities = torch.tensor(_probabilities);
        _torchLabels = torch.tensor(_labels);
        _torchScores = torch.tensor(_scores, [N, C]);
        _torchClasses = torch.tensor(_classes);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torchProbabilities?.Dispose();
        _torchLabels?.Dispose();
        _torchScores?.Dispose();
        _torchClasses?.Dispose();
    }

    /// <summary>Mean binary hinge: one fused pass with target validation, one thread.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Binary")]
    public double BinaryKernel()
    {
        var sums = BinaryKernels.Sum<float, int>(_probabilities, _labels, false, null, true, HingeInputKind.Auto,
            NonFiniteHandling.Throw, OneThread);
        return sums.Measures / sums.Total;
    }

    /// <summary>torchmetrics' binary hinge as TorchSharp ops, read back as a float.</summary>
    [Benchmark, BenchmarkCategory("Binary")]
    public float BinaryTorchOps()
    {
        using var loss = TorchHingeReference.BinaryHinge(_torchProbabilities!, _torchLabels!);
        return loss.item<float>();
    }

    /// <summary>Mean Crammer–Singer hinge: one fused pass over the rows, one thread.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("CrammerSinger")]
    public double CrammerSingerKernel()
    {
        var total = MulticlassKernels.Sum<float, int>(_scores, _classes, C, MulticlassMode.CrammerSinger, false, null,
            HingeInputKind.Auto, NonFiniteHandling.Throw, _measures, OneThread);
        return _measures[0] / total;
    }

    /// <summary>torchmetrics' Crammer–Singer hinge as TorchSharp ops, read back as a float.</summary>
    [Benchmark, BenchmarkCategory("CrammerSinger")]
    public float CrammerSingerTorchOps()
    {
        using var loss = TorchHingeReference.MulticlassHinge(_torchScores!, _torchClasses!);
        return loss.item<float>();
    }
}
