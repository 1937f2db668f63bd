using HingeSharp.Diagnostics;
using Xunit;

namespace HingeSharp.Tests.Diagnostics;

/// <summary>
/// The measurement routine behind <c>hinge bench</c>: argument checks and the consistency of what it reports (no
/// timing thresholds: those belong to the benchmarks, not to unit tests).
/// </summary>
public sealed class HingeBenchmarkTests
{
    [Fact]
    public void Run_UnknownWorkload_ThrowsListingTheWorkloads()
    {
        var ex = Assert.Throws<ArgumentException>(() => HingeBenchmark.Run("multilabel", 100, quick: true));
        Assert.Equal("workload", ex.ParamName);
        Assert.All(HingeBenchmark.Workloads, w => Assert.Contains(w, ex.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(100, -1)]
    public void Run_BadSizeOrThreads_Throws(int n, int threads) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => HingeBenchmark.Run("binary", n, quick: true, threads));

    [Theory]
    [InlineData("binary", 1000, 0)]
    [InlineData("binary-metrics", 1000, 0)]
    [InlineData("Crammer-Singer", 100, 10)]
    [InlineData("multiclass-metrics", 300, 10)]
    public void Run_Quick_ReportsConsistentRates(string workload, int n, int classes)
    {
        var r = HingeBenchmark.Run(workload, n, quick: true);

        Assert.Equal(workload.ToLowerInvariant(), r.Workload);
        Assert.Equal(n, r.N);
        Assert.Equal(classes, r.NumClasses);
        Assert.Equal(((long)n * Math.Max(classes, 1) * sizeof(float)) + ((long)n * sizeof(int)), r.BytesPerCall);
        Assert.True(r.NanosecondsPerCall > 0 && double.IsFinite(r.NanosecondsPerCall), $"{r}");
        Assert.True(r.BaselineNanosecondsPerCall > 0 && double.IsFinite(r.BaselineNanosecondsPerCall), $"{r}");
        Assert.Equal(n / (r.NanosecondsPerCall * 1e-9), r.ElementsPerSecond, 1e-9 * r.ElementsPerSecond);
        Assert.Equal(r.BaselineNanosecondsPerCall / r.NanosecondsPerCall, r.RatioToBaseline, 1e-12);
        Assert.Equal(r.ElementsPerSecond / r.BaselineElementsPerSecond, r.RatioToBaseline, 1e-9);

        // The rates are the fastest batch's: no batch's median is faster.
        Assert.True(r.MedianNanosecondsPerCall >= r.NanosecondsPerCall, $"{r}");
        Assert.True(r.MedianBaselineNanosecondsPerCall >= r.BaselineNanosecondsPerCall, $"{r}");
        Assert.All(r.BaselineForms, f => Assert.True(f.MedianNanosecondsPerCall >= f.NanosecondsPerCall, $"{f}"));
    }

    [Theory]
    [InlineData("binary", 5000)]
    [InlineData("one-vs-all", 700)]
    public void Run_Quick_BaselineIsTheFastestOfItsForms(string workload, int n)
    {
        var r = HingeBenchmark.Run(workload, n, quick: true);

        Assert.NotEmpty(r.BaselineForms);
        Assert.Equal(r.BaselineForms.Count, r.BaselineForms.Select(f => f.Width).Distinct().Count());
        Assert.All(r.BaselineForms, f => Assert.True(f.NanosecondsPerCall > 0 && double.IsFinite(f.NanosecondsPerCall)));
        Assert.Equal(r.BaselineForms.Min(f => f.NanosecondsPerCall), r.BaselineNanosecondsPerCall);

        // Both sides are the best of as many batches: one kernel batch beside each batch of each form.
        Assert.Equal(7 * r.BaselineForms.Count, r.BaselineBatches);
        Assert.Equal(r.BaselineBatches, r.KernelBatches);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            Assert.Equal(["512-bit", "256-bit"], r.BaselineForms.Select(f => f.Width));
        }
    }
}
