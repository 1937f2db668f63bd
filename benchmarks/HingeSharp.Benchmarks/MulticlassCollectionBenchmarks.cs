using BenchmarkDotNet.Attributes;
using HingeSharp.Classification;
using HingeSharp.Kernels;
using HingeSharp.Metrics;

namespace HingeSharp.Benchmarks;

/// <summary>
/// The one-pass claim of the multiclass metrics: the Crammer–Singer hinge alone (the baseline: the hinge-only
/// kernel) against the fused pass that also counts the top-1 confusion matrix (everything hinge, accuracy, precision,
/// recall, F1 and the confusion matrix need), against the two separate passes it replaces, and against a
/// <see cref="MetricCollection"/> of all six metrics (public API, default threads). N rows of C = 10 float32 scores in
/// [0, 1] and int32 class indices; the Ratio column is the speed relative to the hinge alone (1 / time ratio).
/// Target: the full set at ≥ 0.7 of the hinge-only speed at 1e7.
/// </summary>
[MemoryDiagnoser]
public class MulticlassCollectionBenchmarks
{
    private const int C = 10;
    private float[] _scores = [];
    private int[] _labels = [];
    private readonly double[] _measures = new double[1];
    private readonly long[] _confusion = new long[C * C];
    private KernelOptions _options;
    private MetricCollection _collection = new();

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
        _collection = new MetricCollection()
            .Add("hinge", new MulticlassHingeLoss(C))
            .Add("accuracy", new MulticlassAccuracy(C))
            .Add("precision", new MulticlassPrecision(C))
            .Add("recall", new MulticlassRecall(C))
            .Add("f1", new MulticlassF1Score(C))
            .Add("confusion", new MulticlassConfusionMatrix(C));
    }

    [Benchmark(Baseline = true)]
    public long HingeOnly() => MulticlassKernels.Sum<float, int>(_scores, _labels, C, MulticlassMode.CrammerSinger,
        false, null, HingeInputKind.Auto, NonFiniteHandling.Throw, _measures, _options);

    [Benchmark]
    public long HingeAndConfusion() => MulticlassFusedKernels.TrySum<float, int>(_scores, _labels, C,
        MulticlassMode.CrammerSinger, false, null, HingeInputKind.Auto, NonFiniteHandling.Throw, _measures, _confusion,
        _options, out var kept)
        ? kept
        : throw new InvalidOperationException("The fused pass rejected the benchmark data.");

    /// <summary>What a collection did before the fusion: the hinge pass, then the scalar counting pass.</summary>
    [Benchmark]
    public long SeparatePasses()
    {
        Array.Clear(_confusion);
        return HingeOnly() + MulticlassStatKernels.Confusion<float, int>(_scores, _labels, C, null, _confusion);
    }

    /// <summary>All six metrics through <see cref="MetricCollection.Update{TPred, TTarget}"/> (one pass; default
    /// threads whatever <see cref="Threads"/> says) and the reset that keeps the state small.</summary>
    [Benchmark]
    public void CollectionOfSix()
    {
        _collection.Update<float, int>(_scores, _labels);
        _collection.Reset();
    }
}
