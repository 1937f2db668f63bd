using HingeSharp.Plots.Tests.Support;
using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace HingeSharp.Plots.Tests;

public class MarginHistogramBinnedTests
{
    private const string Logits1000 = "binary/logits/n=1000/squared=False/seed=1023";

    private static double[] Grid(double from, double step, int count) =>
        Enumerable.Range(0, count).Select(i => Math.Round(from + (i * step), 10)).ToArray();

    private static string[] Legend(Chart chart) =>
        chart.Panels[0].Legend.GetItems().Select(i => i.LabelText).ToArray();

    [Fact]
    public void Create_ReportLikeBins_DrawsAtMost60BarsThatCountEveryMarginInTheirRange()
    {
        double[] margins = Fixtures.BinaryMargins(Logits1000);
        double[] edges = Grid(-12, 0.01, 2401);   // like MarginReport's raw-margin bins, 2400 of them
        MarginBins bins = MarginBins.Of(margins, edges);
        using Chart chart = MarginHistogram.Create(bins);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 900, 520);

        Pixels.AssertChart(image, 900, 520, Theme.Train);
        Assert.Equal([0.0, 1.0], chart.Panels[0].GetPlottables<VerticalLine>().Select(l => l.X));
        Bar[] bars = chart.Panels[0].GetPlottables<BarPlot>().Single().Bars.ToArray();
        Assert.InRange(bars.Length, 10, 60);
        Assert.Equal(margins.Length, bars.Sum(b => b.Value));
        double[] barEdges = bars.SelectMany(b => new[] { b.Position - (b.Size / 2), b.Position + (b.Size / 2) })
            .ToArray();
        Assert.Contains(barEdges, e => Math.Abs(e) < 1e-9);
        Assert.Contains(barEdges, e => Math.Abs(e - 1) < 1e-9);
        foreach (Bar bar in bars)
        {
            double left = bar.Position - (bar.Size / 2), right = bar.Position + (bar.Size / 2);
            Assert.Equal(margins.Count(m => m >= left - 1e-9 && m < right - 1e-9), bar.Value);
        }
    }

    [Fact]
    public void Create_BinsFromRawMargins_LegendRegionsEqualTheRawOverload()
    {
        double[] margins = Fixtures.BinaryMargins(Logits1000);
        using Chart raw = MarginHistogram.Create(margins);
        double[] edges = Grid(-1, 0.05, 51);   // [-1, 1.5]: margins lie on both sides beyond it
        MarginBins exact = MarginBins.Of(margins, edges);
        var derived = new MarginBins(edges, exact.Counts, exact.Below, exact.Above, exact.Min, exact.Max);
        Assert.True(derived.Below > 0 && derived.Above > 0);
        using Chart binned = MarginHistogram.Create(derived);
        using SKBitmap image = TestImages.SaveAndDecode(binned, 900, 520);

        Pixels.AssertChart(image, 900, 520, Theme.Train);
        Assert.Equal(Legend(raw)[..3], Legend(binned)[..3]);
        Assert.Equal(raw.Panels[0].Axes.Title.Label.Text, binned.Panels[0].Axes.Title.Label.Text);
        BarPlot[] plots = binned.Panels[0].GetPlottables<BarPlot>().ToArray();
        Assert.Equal(2, plots.Length);   // the bins, then the bars beyond them
        Assert.Equal(derived.Below + derived.Above, plots[1].Bars.Sum(b => b.Value));
        Assert.Contains($"{derived.Below} < -1 (min ", plots[1].LegendText, StringComparison.Ordinal);
        Assert.Contains($"{derived.Above} > 1.5 (max ", plots[1].LegendText, StringComparison.Ordinal);
        Assert.Equal(margins.Length, plots.Sum(p => p.Bars.Sum(b => b.Value)));
    }

    [Fact]
    public void Create_PerClass_OverlaysOnSharedBinsWithClassCounts()
    {
        double[] margins = Fixtures.BinaryMargins(Logits1000);
        double[] edges = Grid(-14, 0.02, 1401);
        var byClass = new Dictionary<string, MarginBins>
        {
            ["class 0"] = MarginBins.Of(margins.Where((_, i) => i % 2 == 0), edges),
            ["class 1"] = MarginBins.Of(margins.Where((_, i) => i % 2 == 1).Select(m => m + 0.8), edges),
        };
        using Chart chart = MarginHistogram.Create(byClass);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 900, 520);

        Assert.Equal(900, image.Width);
        Assert.True(Pixels.DistinctColours(image) >= 16);
        BarPlot[] plots = chart.Panels[0].GetPlottables<BarPlot>().ToArray();
        Assert.Equal(2, plots.Length);
        Assert.Equal(500, plots[0].Bars.Sum(b => b.Value));
        Assert.Equal(500, plots[1].Bars.Sum(b => b.Value));
        Assert.Contains("class 1 (n = 500)", Legend(chart));
        long bad = byClass.Values.Sum(b => b.Regions.Misclassified);
        Assert.StartsWith($"misclassified m < 0: {bad} (", Legend(chart)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ProbabilityBinsWithGivenRegions_UseThemInTheLegend()
    {
        // MarginReport's probability bins: [-1, 1] in 400, the last bin closed, so the regions come from the report.
        var random = new Random(3);
        double[] margins = Enumerable.Range(0, 800).Select(_ => (random.NextDouble() * 2) - 1).Append(1).ToArray();
        double[] edges = Grid(-1, 0.005, 401);
        MarginBins of = MarginBins.Of(margins, edges);
        long[] counts = [.. of.Counts];
        counts[^1] += of.Above;   // the closed last bin takes m = 1
        var bins = new MarginBins(edges, counts, min: of.Min, max: of.Max, regions: of.Regions);
        using Chart chart = MarginHistogram.Create(bins);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 900, 520);

        Pixels.AssertChart(image, 900, 520, Theme.Train);
        Assert.StartsWith($"outside margin m ≥ 1: {of.Regions.OutsideMargin} (", Legend(chart)[2],
            StringComparison.Ordinal);
        Assert.InRange(chart.Panels[0].GetPlottables<BarPlot>().Single().Bars.Count, 10, 60);
    }

    [Theory]
    [InlineData(400, 200, 60)]    // [-1, 1] in 400: 0 at 200, 1 at 400
    [InlineData(800, 400, 60)]    // [-4, 4] in 800: 0 at 400, 1 at 500
    [InlineData(1600, 800, 25)]
    [InlineData(50, 10, 60)]
    public void DisplayEdges_MergeToAtMostMaxBars_KeepingZeroAndOne(int k, int zeroAt, int maxBars)
    {
        double width = 1.0 / (k == 400 ? 200 : 100);
        double[] edges = Enumerable.Range(0, k + 1).Select(i => (i - zeroAt) * width).ToArray();
        long[] counts = Enumerable.Repeat(1L, k).ToArray();
        int[] cut = MarginHistogram.DisplayEdges(edges, [counts], true, true, maxBars);

        Assert.Equal(0, cut[0]);
        Assert.Equal(k, cut[^1]);
        Assert.InRange(cut.Length - 1, 1, maxBars);
        Assert.True(cut.Zip(cut.Skip(1)).All(p => p.First < p.Second));
        Assert.Contains(zeroAt, cut);
        int oneAt = zeroAt + (int)Math.Round(1 / width);
        if (oneAt <= k)
        {
            Assert.Contains(oneAt, cut);
        }
    }

    [Fact]
    public void DisplayEdges_EmptyEndBins_AreDroppedUnlessMarginsLieBeyond()
    {
        double[] edges = Grid(-2, 0.5, 9);
        long[] counts = [0, 0, 3, 4, 5, 6, 0, 0];
        Assert.Equal([2, 3, 4, 5, 6], MarginHistogram.DisplayEdges(edges, [counts], false, false, 60));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], MarginHistogram.DisplayEdges(edges, [counts], true, false, 60));
    }

    [Fact]
    public void Create_BadArguments_ThrowNamingTheArgument()
    {
        Assert.Equal("bins", Assert.Throws<ArgumentException>(
            () => MarginHistogram.Create(new MarginBins([0, 1], [0]))).ParamName);
        Assert.Equal("binsByClass", Assert.Throws<ArgumentException>(
            () => MarginHistogram.Create(new Dictionary<string, MarginBins>())).ParamName);
        var differ = Assert.Throws<ArgumentException>(() => MarginHistogram.Create(new Dictionary<string, MarginBins>
        {
            ["a"] = new([0, 1, 2], [1, 1]),
            ["b"] = new([0, 1, 3], [1, 1]),
        }));
        Assert.Equal("binsByClass", differ.ParamName);
        Assert.Contains("binsByClass['b']", differ.Message);
        var badCount = Assert.Throws<ArgumentException>(() =>
            MarginHistogram.Create(new MarginBins([0, 1, 2], [1, 1]), new MarginHistogramOptions { BinCount = 0 }));
        Assert.Equal("options", badCount.ParamName);
        Assert.Contains("got 0", badCount.Message);
    }
}
