using System.Globalization;

namespace HingeSharp.Benchmarks;

/// <summary>
/// Benchmark parameters: N = 1e2, 1e4, 1e6, 1e7 and Threads = 1 (calling thread) or 0 (all cores) by default. For
/// spot checks on a busy machine set <c>HINGE_BENCH_N=100,10000000</c> and/or <c>HINGE_BENCH_THREADS=1</c> (the
/// benchmark processes inherit the environment).
/// </summary>
public static class Sizes
{
    public static IEnumerable<int> N => Read("HINGE_BENCH_N", [100, 10_000, 1_000_000, 10_000_000]);

    public static IEnumerable<int> Threads => Read("HINGE_BENCH_THREADS", [1, 0]);

    private static int[] Read(string variable, int[] defaults)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(text)
            ? defaults
            : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => (int)double.Parse(s, CultureInfo.InvariantCulture))];
    }
}
