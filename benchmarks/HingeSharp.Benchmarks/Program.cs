using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using HingeSharp.Benchmarks;

// Examples (2 shared cores here: keep runs short; HINGE_BENCH_N / HINGE_BENCH_THREADS narrow the sizes, see Sizes.cs):
//   dotnet run -c Release --project benchmarks/HingeSharp.Benchmarks -- --filter '*Binary*' --job short
//   HINGE_BENCH_N=100 HINGE_BENCH_THREADS=1 dotnet run -c Release --project benchmarks/HingeSharp.Benchmarks -- \
//       --filter '*BinaryBenchmarks*' --job short --inProcess
//   dotnet run -c Release --project benchmarks/HingeSharp.Benchmarks -- precision 100000000   (docs/numerics.md)
if (args.Length > 0 && args[0] == "precision")
{
    return PrecisionRun.Run(args);
}

var config = DefaultConfig.Instance.AddColumn(new ThroughputColumn());
BenchmarkSwitcher.FromAssembly(typeof(ThroughputColumn).Assembly).Run(args, config);
return 0;
