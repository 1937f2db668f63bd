using BenchmarkDotNet.Attributes;
using HingeSharp.Classification;
using HingeSharp.Kernels;
using HingeSharp.Metrics;

namespace HingeSharp.Benchmarks;

/// <summary>
/// The one-pass claim of the classification metrics: the binary hinge alone (the baseline: the hinge-only fused
/// kernel) against hinge + stat scores in the fused kernel (everything hinge, accuracy, precision, recall, F1 and the
/// confusion matrix need), and against a <see cref="MetricCollection"/> of all six metrics (public API, default
/// threads). Float32 probabilities and int32 labels; the Ratio column is the speed relative to the hinge alone
/// (1 / time ratio). Target: the full set at ≥ 0.7 of the hinge-only speed at 1e7.
/// </summary>
[MemoryDiagnoser]
public class CollectionBenchmarks
{
    private float[] _probabilities = [];
    private float[] _logits = [];
    private int[] _labels = [];
    private KernelOptions _options;
    private MetricCollection _collection = new();

    [ParamsSource(typeof(Sizes), nameof(Sizes.N))]
    public int N { get; set; }

    [ParamsSource(typeof(Sizes), nameof(Sizes.Threads))]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _probabilities = BenchmarkData.Uniform(N, 1f, 0f, 1);
        _logits = BenchmarkData.Uniform(N, 8f, -4f, 2);
        _labels = BenchmarkData.Labels(N, 2, 3);
        _options = KernelOptions.Default with { MaxThreads = Threads };
        _collection = new MetricCollection()
            .Add("hinge", new BinaryHingeLoss())
            .Add("accuracy", new BinaryAccuracy())
            .Add("precision", new BinaryPrecision())
            .Add("recall", new BinaryRecall())
            .Add("f1", new BinaryF1Score())
            .Add("confusion", new BinaryConfusionMatrix());
    }

    [Benchmark(Baseline = true)]
    public double HingeOnly() => BinaryKernels.Sum<float, int>(_probabilities, _labels, false, null, true,
        HingeInputKind.Auto, NonFiniteHandling.Throw, _options).Measures;

    [Benchmark]
    public double HingeAndStatScores() => BinaryStatKernels.Sum<float, int>(_probabilities, _labels, true, false,
        null, true, HingeInputKind.Auto, NonFiniteHandling.Throw, 0.5, _options).Scores.TruePositives;

    [Benchmark]
    public double HingeOnlyLogits() => BinaryKernels.Sum<float, int>(_logits, _labels, false, null, true,
        HingeInputKind.Auto, NonFiniteHandling.Throw, _options).Measures;

    [Benchmark]
    public double HingeAndStatScoresLogits() => BinaryStatKernels.Sum<float, int>(_logits, _labels, true, false,
        null, true, HingeInputKind.Auto, NonFiniteHandling.Throw, 0.5, _options).Scores.TruePositives;

    /// <summary>All six metrics through <see cref="MetricCollection.Update{TPred, TTarget}"/> (one pass; default
    /// threads whatever <see cref="Threads"/> says) and the reset that keeps the state small.</summary>
    [Benchmark]
    public void CollectionOfSix()
    {
        _collection.Update<float, int>(_probabilities, _labels);
        _collection.Reset();
    }
}
