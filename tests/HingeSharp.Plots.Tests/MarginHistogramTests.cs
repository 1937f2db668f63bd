using HingeSharp.Plots.Tests.Support;
using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace HingeSharp.Plots.Tests;

public class MarginHistogramTests
{
    private const string Logits1000 = "binary/logits/n=1000/squared=False/seed=1023";

    private static Bar[] Bars(Chart chart) =>
        chart.Panels[0].GetPlottables<BarPlot>().SelectMany(b => b.Bars).ToArray();

    [Fact]
    public void Create_FixtureMargins_DrawsBarsRegionsAndThresholdLines()
    {
        double[] margins = Fixtures.BinaryMargins(Logits1000);
        using Chart chart = MarginHistogram.Create(margins);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 900, 520);

        Pixels.AssertChart(image, 900, 520, Theme.Train);
        double[] lines = chart.Panels[0].GetPlottables<VerticalLine>().Select(l => l.X).ToArray();
        Assert.Equal([0.0, 1.0], lines);

        // The bars count every margin once, and each bar's height is the number of margins in its [left, right).
        Bar[] bars = Bars(chart);
        Assert.Equal(margins.Length, bars.Sum(b => b.Value));
        foreach (Bar bar in bars)
        {
            double left = bar.Position - (bar.Size / 2), right = bar.Position + (bar.Size / 2);
            int expected = margins.Count(m => m >= left - 1e-12 && m < right - 1e-12);
            Assert.Equal(expected, bar.Value);
        }
    }

    [Fact]
    public void Create_Regions_LegendCountsMatchAScalarCount()
    {
        double[] margins = Fixtures.BinaryMargins(Logits1000);
        using Chart chart = MarginHistogram.Create(margins);

        int bad = margins.Count(m => m < 0), inside = margins.Count(m => m >= 0 && m < 1);
        int outside = margins.Count(m => m >= 1);
        string[] legend = chart.Panels[0].Legend.GetItems().Select(i => i.LabelText).ToArray();
        Assert.Equal(5, legend.Length);   // three regions, then the lines at 0 and 1
        Assert.StartsWith($"misclassified m < 0: {bad} (", legend[0]);
        // "inside margin" is m < 1, as the margin report counts it (the misclassified included).
        Assert.StartsWith($"inside margin m < 1: {bad + inside} (", legend[1]);
        Assert.StartsWith($"outside margin m ≥ 1: {outside} (", legend[2]);
    }

    [Fact]
    public void Create_ProbabilityMargins_UseNarrowBinsWithZeroAndOneOnEdges()
    {
        // torchmetrics' binary hinge on probabilities: margins y·p lie in [-1, 1].
        double[] margins = Fixtures.BinaryMargins("binary/prob/n=1000/squared=False/seed=1011");
        using Chart chart = MarginHistogram.Create(margins);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 900, 520);

        Pixels.AssertChart(image, 900, 520, Theme.Train);
        Bar[] bars = Bars(chart);
        Assert.Equal(margins.Length, bars.Sum(b => b.Value));
        Assert.All(bars, b => Assert.True(b.Size <= 0.1, $"bin width {b.Size}"));
        Assert.All(bars, b => Assert.InRange(b.Position, -1, 1));
    }

    [Fact]
    public void Create_PerClass_OverlaysTranslucentHistogramsOnSharedBins()
    {
        double[] margins = Fixtures.BinaryMargins(Logits1000);
        var byClass = new Dictionary<string, IReadOnlyList<double>>
        {
            ["class 0"] = margins.Where((_, i) => i % 2 == 0).ToArray(),
            ["class 1"] = margins.Where((_, i) => i % 2 == 1).Select(m => m + 0.8).ToArray(),
        };
        using Chart chart = MarginHistogram.Create(byClass, new MarginHistogramOptions { Title = "Margins per class" });
        using SKBitmap image = TestImages.SaveAndDecode(chart, 900, 520);

        Assert.Equal(900, image.Width);
        Assert.True(Pixels.DistinctColours(image) >= 16);
        BarPlot[] plots = chart.Panels[0].GetPlottables<BarPlot>().ToArray();
        Assert.Equal(2, plots.Length);
        Assert.Equal(500, plots[0].Bars.Sum(b => b.Value));
        Assert.Equal(500, plots[1].Bars.Sum(b => b.Value));
        Assert.Single(plots.SelectMany(p => p.Bars).Select(b => b.Size).Distinct());   // shared bin width
        Assert.Contains(chart.Panels[0].Legend.GetItems(), i => i.LabelText == "class 1 (n = 500)");
    }

    [Fact]
    public void Create_BinEdgesIncludeZeroAndOne()
    {
        double[] margins = Fixtures.BinaryMargins(Logits1000);
        using Chart chart = MarginHistogram.Create(margins, new MarginHistogramOptions { BinCount = 23 });
        double[] edges = Bars(chart).SelectMany(b => new[] { b.Position - (b.Size / 2), b.Position + (b.Size / 2) })
            .ToArray();
        Assert.Contains(edges, e => Math.Abs(e) < 1e-9);
        Assert.Contains(edges, e => Math.Abs(e - 1) < 1e-9);
    }

    [Fact]
    public void Create_NonFiniteMargins_AreLeftOutAndCountedInTheTitle()
    {
        double[] margins = [-0.5, 0.25, 0.5, double.NaN, 1.5, double.PositiveInfinity, 2.5];
        using Chart chart = MarginHistogram.Create(margins);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 600, 400);

        Assert.Equal(5, Bars(chart).Sum(b => b.Value));
        Assert.Contains("+2 non-finite", chart.Panels[0].Axes.Title.Label.Text);
        Assert.True(Pixels.LumaStdDev(image) > 5);
    }

    [Fact]
    public void Create_AllNaN_RendersWithANote()
    {
        using Chart chart = MarginHistogram.Create([double.NaN, double.NaN]);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 600, 400);
        Assert.Empty(Bars(chart));
        Assert.True(Pixels.LumaStdDev(image) > 5);
    }

    [Fact]
    public void Create_Empty_ThrowsNamingTheArgument()
    {
        var e = Assert.Throws<ArgumentException>(() => MarginHistogram.Create(Array.Empty<double>()));
        Assert.Equal("margins", e.ParamName);
        var e2 = Assert.Throws<ArgumentException>(() =>
            MarginHistogram.Create(new Dictionary<string, IReadOnlyList<double>>()));
        Assert.Equal("marginsByClass", e2.ParamName);
        var e3 = Assert.Throws<ArgumentException>(() =>
            MarginHistogram.Create(new Dictionary<string, IReadOnlyList<double>> { ["a"] = [], ["b"] = [] }));
        Assert.Contains("every class is empty", e3.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Create_BadBinCount_ThrowsWithTheValue(int bins)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            MarginHistogram.Create([0.5], new MarginHistogramOptions { BinCount = bins }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains($"got {bins}", e.Message);
    }

    /// <summary>Issue 14, item 13: a histogram of a few margins has whole-number count ticks only.</summary>
    [Fact]
    public void Create_FewMargins_CountAxisHasIntegerTicksOnly()
    {
        using Chart chart = MarginHistogram.Create([-0.5, 0.25, 0.5, 2.0]);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 900, 520);
        var ticks = chart.Panels[0].Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).ToArray();
        Assert.NotEmpty(ticks);
        Assert.All(ticks, tick => Assert.DoesNotContain(".", tick.Label, StringComparison.Ordinal));
        Assert.All(ticks, tick => Assert.Equal(Math.Round(tick.Position), tick.Position));
    }
}
