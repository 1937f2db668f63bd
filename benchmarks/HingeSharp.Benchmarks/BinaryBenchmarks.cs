using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using HingeSharp.Functional;
using HingeSharp.Kernels;

namespace HingeSharp.Benchmarks;

/// <summary>
/// Binary hinge over N float32 predictions and int32 labels: the fused kernel (probabilities, and logits through
/// sigmoid), the scalar loop, the public API, a chain of TensorPrimitives calls doing the same arithmetic, and the
/// streaming read of the same bytes (the baseline: the memory limit). Threads = 0 uses every core for N ≥ 2^20.
/// </summary>
[MemoryDiagnoser]
public class BinaryBenchmarks
{
    private float[] _probabilities = [];
    private float[] _logits = [];
    private int[] _labels = [];
    private float[] _scratch = [];
    private KernelOptions _options;

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
        _scratch = new float[N];
        _options = KernelOptions.Default with { MaxThreads = Threads };
    }

    /// <summary>The streaming read at the kernels' width (512-bit where accelerated): the baseline.</summary>
    [Benchmark(Baseline = true)]
    public double StreamingRead() => StreamingBaseline.Sum(_probabilities, _labels, _options);

    /// <summary>The streaming read's 256-bit form: where it is the faster read, it is the limit to compare with.</summary>
    [Benchmark]
    public double StreamingRead256() => StreamingBaseline.Sum(_probabilities, _labels, _options with { Width = SimdWidth.V256 });

    [Benchmark]
    public double Fused() => BinaryKernels.Sum<float, int>(_probabilities, _labels, false, null, true,
        HingeInputKind.Auto, NonFiniteHandling.Throw, _options).Measures;

    [Benchmark]
    public double FusedLogits() => BinaryKernels.Sum<float, int>(_logits, _labels, false, null, true,
        HingeInputKind.Auto, NonFiniteHandling.Throw, _options).Measures;

    [Benchmark]
    public double Scalar() => BinaryKernels.Sum<float, int>(_probabilities, _labels, false, null, true,
        HingeInputKind.Auto, NonFiniteHandling.Throw, _options with { Width = SimdWidth.Scalar }).Measures;

    /// <summary>The public entry point (validation of options, default threads): shows the per-call overhead.</summary>
    [Benchmark]
    public double PublicApi() => HingeFunctional.BinaryHingeLoss<float, int>(_probabilities, _labels);

    /// <summary>
    /// The same arithmetic as separate TensorPrimitives passes (no validation, no ignore index): y = 2t − 1,
    /// m = y·p, h = max(0, 1 − m), Σh. Each pass streams the data again.
    /// </summary>
    [Benchmark]
    public double TensorPrimitivesChain()
    {
        TensorPrimitives.ConvertTruncating<int, float>(_labels, _scratch);
        TensorPrimitives.Multiply(_scratch, 2f, _scratch);
        TensorPrimitives.Add(_scratch, -1f, _scratch);
        TensorPrimitives.Multiply(_probabilities, _scratch, _scratch);
        TensorPrimitives.Subtract(1f, _scratch, _scratch);
        TensorPrimitives.Max(_scratch, 0f, _scratch);
        return TensorPrimitives.Sum<float>(_scratch);
    }
}
