using HingeSharp.Statistics;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Statistics;

/// <summary>
/// Φ⁻¹ (AS 241) against an independent computation of Φ: composite Simpson integration of the normal density, which
/// is accurate far beyond the tolerances used here; plus published table values.
/// </summary>
public sealed class NormalDistributionTests
{
    private static double Density(double t) => Math.Exp(-0.5 * t * t) / Math.Sqrt(2 * Math.PI);

    private static double Simpson(double a, double b, int intervals)
    {
        var h = (b - a) / intervals;
        var sum = Density(a) + Density(b);
        for (var i = 1; i < intervals; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * Density(a + i * h);
        }

        return sum * h / 3;
    }

    public static TheoryData<double> CentralProbabilities =>
        [0.5000001, 0.51, 0.6, 0.7, 0.8, 0.9, 0.925, 0.93, 0.95, 0.975, 0.99, 0.995, 0.999, 0.9999];

    [Theory, MemberData(nameof(CentralProbabilities))]
    public void InverseCdf_ThenIntegratedDensity_GivesBackP(double p)
    {
        var z = NormalDistribution.InverseCdf(p);
        var phi = 0.5 + Simpson(0, z, 20_000);
        Assert.True(Math.Abs(phi - p) < 1e-14, $"Φ(Φ⁻¹({p})) = {phi:R}, |diff| {Math.Abs(phi - p):E2}");
    }

    [Theory]
    [InlineData(1e-5)]
    [InlineData(1e-9)]
    [InlineData(1e-12)]
    [InlineData(1e-20)]
    [InlineData(1e-100)]
    public void InverseCdf_Tail_MatchesIntegratedTailRelatively(double p)
    {
        var z = NormalDistribution.InverseCdf(p);
        Assert.True(z < 0);
        // Upper tail of |z|: the density is negligible (< 1e-300 relative) 40 units further out.
        var tail = Simpson(-z, -z + 40, 400_000);
        Assert.True(Math.Abs(tail - p) < 1e-9 * p, $"tail({-z:R}) = {tail:R} vs p = {p:R}");
    }

    [Theory, MemberData(nameof(CentralProbabilities))]
    public void InverseCdf_IsOddAroundOneHalf(double p) =>
        Approx.Equal(-NormalDistribution.InverseCdf(p), NormalDistribution.InverseCdf(1 - p), 1e-15);

    [Theory]
    // Standard normal table values (e.g. scipy.stats.norm.ppf; Abramowitz & Stegun table 26.5).
    [InlineData(0.95, 1.6448536269514722)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.995, 2.5758293035489004)]
    [InlineData(0.999, 3.090232306167813)]
    public void InverseCdf_TableValues(double p, double z) => Approx.Equal(z, NormalDistribution.InverseCdf(p), 1e-15);

    [Fact]
    public void InverseCdf_Bounds_AreInfiniteAndOutsideThrows()
    {
        Assert.Equal(double.NegativeInfinity, NormalDistribution.InverseCdf(0));
        Assert.Equal(double.PositiveInfinity, NormalDistribution.InverseCdf(1));
        Assert.Equal(0, NormalDistribution.InverseCdf(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalDistribution.InverseCdf(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalDistribution.InverseCdf(double.NaN));
    }

    [Fact]
    public void InverseCdf_IsStrictlyIncreasingAcrossTheBranchSplits()
    {
        var previous = double.NegativeInfinity;
        foreach (var p in new[] { 1e-300, 1e-11, 1.3888e-11, 1.39e-11, 0.074, 0.075, 0.0750001, 0.3, 0.5, 0.9249999,
                     0.925, 0.926, 1 - 1e-11 })
        {
            var z = NormalDistribution.InverseCdf(p);
            Assert.True(z > previous, $"Φ⁻¹({p:R}) = {z:R} is not above {previous:R}");
            previous = z;
        }
    }

    [Fact]
    public void ZForLevel_IsTheTwoSidedQuantile()
    {
        Assert.Equal(NormalDistribution.InverseCdf(0.975), NormalDistribution.ZForLevel(0.95));
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalDistribution.ZForLevel(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalDistribution.ZForLevel(0));
    }
}
