namespace HingeSharp.Cli.Tests.Infrastructure;

internal static class Approx
{
    /// <summary>Float32 computations against the oracle's float32 output.</summary>
    public const double Float32Relative = 2e-6;

    /// <summary>
    /// The same float32 data in other chunks: the core's SIMD lanes and its scalar tail round a float32 sigmoid or
    /// hinge differently (about one ulp, 6e-8, per element), so chunkings agree to this, not bit for bit.
    /// </summary>
    public const double Float32Chunking = 1e-7;

    /// <summary>Double computations against the oracle's float64 output, or sums in another order.</summary>
    public const double Float64Relative = 1e-12;

    public static void Equal(double expected, double actual, double relative, string? what = null)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual:R}");
            return;
        }

        var tolerance = relative * Math.Max(1.0, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(expected - actual):E3} > {tolerance:E3})");
    }

    public static void Equal(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative,
        string? what = null)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Equal(expected[i], actual[i], relative, $"{what}[{i}]");
        }
    }
}
