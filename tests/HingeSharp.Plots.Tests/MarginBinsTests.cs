namespace HingeSharp.Plots.Tests;

public class MarginBinsTests
{
    private static double[] Grid(double from, double step, int count) =>
        Enumerable.Range(0, count).Select(i => from + (i * step)).ToArray();

    [Fact]
    public void Of_RandomMargins_CountsMatchAPlainLoop()
    {
        var random = new Random(42);
        double[] margins = Enumerable.Range(0, 3000).Select(_ => (random.NextDouble() * 8) - 3).ToArray();
        margins[5] = 0;
        margins[6] = 1;
        margins[7] = double.NaN;
        double[] edges = Grid(-1, 0.25, 13);   // [-1, 2]: margins left and right of it

        MarginBins bins = MarginBins.Of(margins, edges);

        double[] finite = margins.Where(double.IsFinite).ToArray();
        for (int i = 0; i < bins.Counts.Count; i++)
        {
            Assert.Equal(finite.Count(m => m >= edges[i] && m < edges[i + 1]), bins.Counts[i]);
        }

        Assert.Equal(finite.Count(m => m < edges[0]), bins.Below);
        Assert.Equal(finite.Count(m => m >= edges[^1]), bins.Above);
        Assert.Equal(finite.Min(), bins.Min);
        Assert.Equal(finite.Max(), bins.Max);
        MarginSummary s = MarginSummary.Of(margins);
        Assert.Equal(new MarginRegionCounts(s.Misclassified, s.InsideMargin, s.OutsideMargin), bins.Regions);
    }

    [Fact]
    public void Regions_DerivedWhenZeroAndOneAreInnerEdges_EqualTheExactCounts()
    {
        var random = new Random(7);
        double[] margins = Enumerable.Range(0, 2000).Select(_ => (random.NextDouble() * 6) - 2.5).ToArray();
        MarginBins exact = MarginBins.Of(margins, Grid(-1, 0.1, 31));
        var derived = new MarginBins(exact.Edges, exact.Counts, exact.Below, exact.Above, exact.Min, exact.Max);
        Assert.Equal(exact.Regions, derived.Regions);
        Assert.Equal(margins.Length, derived.Total);
    }

    [Fact]
    public void Regions_OneIsTheLastEdge_MustBeGiven()
    {
        // The last bin may hold its right edge (MarginReport's closed last bin), so m = 1 could be in it.
        double[] edges = [-1, -0.5, 0, 0.5, 1];
        var e = Assert.Throws<ArgumentException>(() => new MarginBins(edges, [1, 2, 3, 4]));
        Assert.Equal("regions", e.ParamName);
        Assert.Contains("bin 3 [0.5, 1]", e.Message);

        var given = new MarginBins(edges, [1, 2, 3, 4], regions: new MarginRegionCounts(3, 5, 2));
        Assert.Equal(10, given.Regions.Total);
    }

    [Fact]
    public void Regions_BelowTheFirstEdgeWithAPositiveFirstEdge_NeedMin()
    {
        double[] edges = [0.5, 1, 1.5];
        Assert.Equal("regions", Assert.Throws<ArgumentException>(() => new MarginBins(edges, [1, 1], below: 2))
            .ParamName);
        var withMin = new MarginBins(edges, [1, 1], below: 2, min: 0.2);
        Assert.Equal(new MarginRegionCounts(0, 3, 1), withMin.Regions);
    }

    [Fact]
    public void Constructor_MismatchedLengths_NamesCountsAndBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => new MarginBins([0, 1, 2], [1, 2, 3]));
        Assert.Equal("counts", e.ParamName);
        Assert.Contains("edges.Count - 1 = 2", e.Message);
        Assert.Contains("got 3", e.Message);
    }

    [Fact]
    public void Constructor_NegativeCount_NamesIndexAndValue()
    {
        var e = Assert.Throws<ArgumentException>(() => new MarginBins([0, 1, 2, 3], [1, 2, -5]));
        Assert.Equal("counts", e.ParamName);
        Assert.Contains("counts[2] = -5", e.Message);
    }

    [Theory]
    [InlineData(0.5, "edges[2] = 0.5 after edges[1] = 0.5")]
    [InlineData(0.25, "edges[2] = 0.25 after edges[1] = 0.5")]
    [InlineData(double.NaN, "edges[2] = NaN")]
    public void Constructor_BadEdges_NameIndexAndValue(double bad, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new MarginBins([0, 0.5, bad, 2], [1, 1, 1]));
        Assert.Equal("edges", e.ParamName);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Constructor_BadScalars_NameTheArgument()
    {
        double[] edges = [0, 1, 2];
        Assert.Equal("below", Assert.Throws<ArgumentException>(() => new MarginBins(edges, [1, 1], below: -1))
            .ParamName);
        Assert.Equal("above", Assert.Throws<ArgumentException>(() => new MarginBins(edges, [1, 1], above: -3))
            .ParamName);
        Assert.Equal("max", Assert.Throws<ArgumentException>(
            () => new MarginBins(edges, [1, 1], max: double.PositiveInfinity)).ParamName);
        var minMax = Assert.Throws<ArgumentException>(() => new MarginBins(edges, [1, 1], min: 1.5, max: 0.5));
        Assert.Equal("min", minMax.ParamName);
        Assert.Contains("min = 1.5, max = 0.5", minMax.Message);
        var sum = Assert.Throws<ArgumentException>(
            () => new MarginBins(edges, [1, 1], regions: new MarginRegionCounts(0, 1, 2)));
        Assert.Equal("regions", sum.ParamName);
        Assert.Contains("the 2 binned margins, but got 0 + 1 + 2", sum.Message);
        Assert.Throws<ArgumentNullException>(() => new MarginBins(null!, [1]));
    }
}
