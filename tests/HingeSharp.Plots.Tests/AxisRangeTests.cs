namespace HingeSharp.Plots.Tests;

public class AxisRangeTests
{
    private const double Padding = 0.06;

    /// <summary>The invariants of <see cref="AxisRange.Derive"/>: ordered, every finite value visible, and no
    /// further past a finite bound (that the data respect) than the padding of the visible span.</summary>
    private static void AssertInvariants(double[] values, double lower, double upper, (double Bottom, double Top) r)
    {
        Assert.True(r.Bottom < r.Top, $"[{r.Bottom}, {r.Top}] is not ordered");
        Assert.True(double.IsFinite(r.Bottom) && double.IsFinite(r.Top), $"[{r.Bottom}, {r.Top}] is not finite");
        foreach (double v in values.Where(double.IsFinite))
        {
            Assert.InRange(v, r.Bottom, r.Top);
        }

        double pad = Padding * (r.Top - r.Bottom);
        if (double.IsFinite(lower))
        {
            Assert.True(r.Bottom >= lower - pad - 1e-12, $"bottom {r.Bottom} below {lower} - {pad}");
        }

        if (double.IsFinite(upper))
        {
            Assert.True(r.Top <= upper + pad + 1e-12, $"top {r.Top} above {upper} + {pad}");
        }
    }

    [Fact]
    public void Derive_ValuesInsideBinaryHingeBounds_IncludeAllAndStayWithinPaddedBounds()
    {
        double[] values = [0.3, 0.9, 1.7, 1.2];
        var r = AxisRange.Derive(values, 0, 2, Padding);

        AssertInvariants(values, 0, 2, r);
        Assert.True(r.Bottom >= 0 - (Padding * 2) && r.Top <= 2 + (Padding * 2), $"{r}");
    }

    [Fact]
    public void Derive_DataNearABound_ExtendsToShowTheBound()
    {
        // 0.3 and 1.7 lie within a quarter of the data span (1.4) of the bounds 0 and 2.
        var r = AxisRange.Derive([0.3, 1.7], 0, 2, Padding);
        Assert.True(r.Bottom <= 0 && r.Top >= 2, $"{r}");
    }

    [Fact]
    public void Derive_DataFarFromBounds_ZoomsOnTheData()
    {
        double[] values = [1.0, 1.05, 1.1];
        var r = AxisRange.Derive(values, 0, 2, Padding);
        AssertInvariants(values, 0, 2, r);
        Assert.True(r.Top - r.Bottom < 0.2, $"{r} does not zoom on a 0.1 wide series");
    }

    [Fact]
    public void Derive_RandomSeriesAndBounds_KeepTheInvariants()
    {
        var random = new Random(42);
        for (int trial = 0; trial < 2000; trial++)
        {
            double lower = random.Next(4) switch { 0 => double.NegativeInfinity, _ => (random.NextDouble() * 4) - 2 };
            double upper = random.Next(4) switch
            {
                0 => double.PositiveInfinity,
                _ => (double.IsFinite(lower) ? lower : -2) + 1e-3 + (random.NextDouble() * 5),
            };
            double lo = double.IsFinite(lower) ? lower : -10, hi = double.IsFinite(upper) ? upper : lo + 20;
            double[] values = Enumerable.Range(0, random.Next(0, 30))
                .Select(_ => random.Next(10) == 0 ? double.NaN : lo + (random.NextDouble() * (hi - lo)))
                .ToArray();
            if (values.Length > 0 && random.Next(5) == 0)
            {
                Array.Fill(values, values[0]);   // constant series
            }

            AssertInvariants(values, lower, upper, AxisRange.Derive(values, lower, upper, Padding));
        }
    }

    [Fact]
    public void Derive_DataOutsideTheBounds_WidensToTheData()
    {
        double[] values = [-0.5, 0.5, 2.5];
        var r = AxisRange.Derive(values, 0, 2, Padding);
        AssertInvariants(values, -0.5, 2.5, r);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(1e6)]
    public void Derive_ConstantSeries_GetsAVisibleBandInsideTheBounds(double v)
    {
        double upper = Math.Max(2, v);
        var r = AxisRange.Derive([v, v, v], 0, upper, Padding);
        AssertInvariants([v], 0, upper, r);
        Assert.True(r.Top - r.Bottom >= 0.05, $"{r}");
    }

    [Fact]
    public void Derive_NoFiniteValues_ShowsTheBounds()
    {
        var r = AxisRange.Derive([double.NaN, double.PositiveInfinity], 0, 2, 0);
        Assert.Equal((0.0, 2.0), r);
        var unbounded = AxisRange.Derive([], double.NegativeInfinity, double.PositiveInfinity, 0);
        Assert.True(unbounded.Bottom < unbounded.Top);
    }
}
