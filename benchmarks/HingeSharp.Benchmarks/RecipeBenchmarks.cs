using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using HingeSharp.Torch.Tutorial;
using TorchSharp;

namespace HingeSharp.Benchmarks;

/// <summary>
/// The tutorial's two training recipes end to end on one thread (<c>torch.set_num_threads(1)</c>, one data-loader
/// worker), each invocation a full run: Method 1 (<see cref="SequentialHingeDemo"/>: make_circles, the Keras-style
/// Sequential, 200 epochs, then evaluation) and Method 2 (<see cref="EmbeddingHingeDemo"/>: FakeData(15000) through
/// the MLP with HingeEmbeddingLoss and Adam, 5 epochs). Seconds-long, so the monitoring strategy (no pilot, one
/// invocation per iteration) with one warm-up and three measured runs.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class RecipeBenchmarks
{
    private static readonly EmbeddingDemoOptions OneWorker = new(NumWorkers: 1);

    [GlobalSetup]
    public void Setup() => torch.set_num_threads(1);

    /// <summary>Method 1 with the tutorial's settings (train accuracy returned so the run is observable).</summary>
    [Benchmark]
    public double Method1Sequential() => SequentialHingeDemo.Run().TrainAccuracy;

    /// <summary>Method 2, Example 2, with the tutorial's settings but one loader worker.</summary>
    [Benchmark]
    public double Method2Embedding() => EmbeddingHingeDemo.Run(OneWorker).FinalLoss;
}
