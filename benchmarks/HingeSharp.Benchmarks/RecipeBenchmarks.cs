using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using HingeSharp.Torch.Keras.Fused;
using HingeSharp.Torch.Tutorial;
using TorchSharp;

namespace HingeSharp.Benchmarks;

/// <summary>
/// The tutorial's two training recipes on one thread (<c>torch.set_num_threads(1)</c>), each invocation a full
/// run, through the fused path (the default) and through autograd in the same run: Method 1
/// (<see cref="SequentialHingeDemo"/>: make_circles, the Keras-style Sequential, 200 epochs with validation, then
/// evaluation) and Method 2 (<see cref="EmbeddingHingeDemo"/>: FakeData(15000) through the MLP with
/// HingeEmbeddingLoss and Adam, 5 epochs). An invocation includes making the data; <c>hinge bench --recipes</c>
/// times the training loops alone beside PyTorch (<c>benchmarks/pytorch/recipes.py</c>). Seconds-long, so the
/// monitoring strategy (no pilot, one invocation per iteration) with one warm-up and three measured runs.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class RecipeBenchmarks
{
    private static readonly EmbeddingDemoOptions OneWorker = new(NumWorkers: 1);

    [GlobalSetup]
    public void Setup() => torch.set_num_threads(1);

    /// <summary>Method 1 with the tutorial's settings (train accuracy returned so the run is observable).</summary>
    [Benchmark(Baseline = true)]
    public double Method1Sequential() => SequentialHingeDemo.Run().TrainAccuracy;

    /// <summary>Method 1 through autograd (the fused path switched off on this thread).</summary>
    [Benchmark]
    public double Method1SequentialAutograd()
    {
        FusedTrainer.Enabled = false;
        try
        {
            return SequentialHingeDemo.Run().TrainAccuracy;
        }
        finally
        {
            FusedTrainer.Enabled = true;
        }
    }

    /// <summary>Method 2, Example 2, with the tutorial's settings but one loader worker.</summary>
    [Benchmark]
    public double Method2Embedding() => EmbeddingHingeDemo.Run(OneWorker).FinalLoss;

    /// <summary>Method 2 through TorchSharp's DataLoader, autograd and torch.optim.Adam.</summary>
    [Benchmark]
    public double Method2EmbeddingAutograd() => EmbeddingHingeDemo.Run(OneWorker with { Fused = false }).FinalLoss;
}
