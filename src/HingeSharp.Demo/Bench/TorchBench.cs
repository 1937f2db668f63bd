using HingeSharp.Demo.Bench;
using TorchSharp;

namespace HingeSharp.Cli.Bench;

/// <summary><c>hinge-demo bench</c>: the torch half of the sweep that src/HingeSharp.Cli/Bench/BenchRunner.cs
/// declares (the slim <c>hinge</c> leaves these partial methods empty, so its torch fields stay null).</summary>
internal static partial class BenchRunner
{
    static partial void RunRecipes(CliEnvironment env, int threads, bool json, bool quick, ref int? exitCode) =>
        exitCode = RecipeBench.Run(env, threads, json, quick);

    static partial void DetectTorch(ref bool available) => available = true;

    static partial void SetTorchThreads(int threads) => torch.set_num_threads(threads);

    static partial void MeasureTorch(string workload, int n, int numClasses, bool quick, ref double? elementsPerSecond) =>
        elementsPerSecond = TorchThroughput.Measure(workload, n, numClasses, quick);
}
