using System.Globalization;
using HingeSharp.Plots.Tests.Support;
using ScottPlot;
using SkiaSharp;

namespace HingeSharp.Plots.Tests;

public class MetricPlotTests
{
    private const string Tutorial = "stream/tutorial_binary_10_batches_seed42";

    private static double[] TutorialValues() => Fixtures.ForwardValues(Tutorial).Select(v => v[0]).ToArray();

    [Fact]
    public void Create_TutorialMethod5Values_RendersEveryPointInsideTheYRange()
    {
        double[] values = TutorialValues();
        Assert.Equal(10, values.Length);
        Assert.Contains(values, v => v > 1.1);   // torchmetrics' fixed [-0.1, 1.1] axis would cut these off

        using Chart chart = MetricPlot.Create(values, MetricPlotOptions.BinaryHinge());
        using SKBitmap image = TestImages.SaveAndDecode(chart, 800, 500);

        Pixels.AssertChart(image, 800, 500, Theme.Train);
        AxisLimits limits = chart.Panels[0].Axes.GetLimits();
        Assert.All(values, v => Assert.InRange(v, limits.Bottom, limits.Top));
        // Derived from the data (not torchmetrics' fixed [-0.1, 1.1]) and never past the bounds [0, 2] padded.
        Assert.InRange(limits.Bottom, -0.12, values.Min());
        Assert.InRange(limits.Top, values.Max(), 2.12);
        Assert.Equal(0 - 0.5, limits.Left, 6);      // steps 0..9 as torchmetrics, half a step of room
        Assert.Equal(9 + 0.5, limits.Right, 6);
    }

    [Fact]
    public void Create_PerClassFixtureValues_DrawsOneColouredLinePerClassWithLegend()
    {
        double[][] values = Fixtures.ForwardValues("stream/multiclass/probs/one-vs-all/forward");
        Assert.All(values, v => Assert.Equal(4, v.Length));

        using Chart chart = MetricPlot.Create(values, MetricPlotOptions.BinaryHinge() with
        {
            Title = "Multiclass hinge (one-vs-all) per class",
            YLabel = "MulticlassHingeLoss",
        });
        using SKBitmap image = TestImages.SaveAndDecode(chart, 800, 500);

        Pixels.AssertChart(image, 800, 500, Enumerable.Range(0, 4).Select(Theme.Series).ToArray());
        string[] legend = chart.Panels[0].Legend.GetItems().Select(i => i.LabelText).ToArray();
        Assert.Equal(4, legend.Length);
        for (int c = 0; c < 4; c++)
        {
            // The per-class mean (the reference line) is in the legend, rounded to 4 significant digits.
            double mean = values.Average(v => v[c]);
            Assert.Equal($"class {c} (mean {mean.ToString("G4", CultureInfo.InvariantCulture)})", legend[c]);
        }
    }

    [Fact]
    public void Create_ClassNames_AreTheLegend()
    {
        double[][] values = [[0.2, 0.4], [0.3, 0.5]];
        using Chart chart = MetricPlot.Create(values, new MetricPlotOptions
        {
            ClassNames = ["cat", "dog"],
            ReferenceLine = ReferenceLine.None,
        });
        Assert.Equal(["cat", "dog"], chart.Panels[0].Legend.GetItems().Select(i => i.LabelText));
    }

    [Fact]
    public void Create_NaNValues_LeaveGapsInsteadOfThrowing()
    {
        double[] values = TutorialValues();
        values[3] = double.NaN;
        values[6] = double.PositiveInfinity;
        values[7] = double.NaN;

        using Chart chart = MetricPlot.Create(values, MetricPlotOptions.BinaryHinge() with { Title = "NaN gaps" });
        using SKBitmap image = TestImages.SaveAndDecode(chart, 640, 400);

        Pixels.AssertChart(image, 640, 400, Theme.Train);
        AxisLimits limits = chart.Panels[0].Axes.GetLimits();
        Assert.True(double.IsFinite(limits.Bottom) && double.IsFinite(limits.Top));
        Assert.All(values.Where(double.IsFinite), v => Assert.InRange(v, limits.Bottom, limits.Top));
    }

    [Fact]
    public void Create_AllNaN_RendersAnEmptyChartWithANote()
    {
        using Chart chart = MetricPlot.Create([double.NaN, double.NaN, double.NaN], MetricPlotOptions.BinaryHinge());
        using SKBitmap image = TestImages.SaveAndDecode(chart, 400, 300);

        Assert.Equal(400, image.Width);
        Assert.True(Pixels.LumaStdDev(image) > 5);
        AxisLimits limits = chart.Panels[0].Axes.GetLimits();
        Assert.InRange(limits.Bottom, -0.2, 0);    // the metric's bounds when there is no data
        Assert.InRange(limits.Top, 2, 2.2);
    }

    [Fact]
    public void Create_LongSeries_DrawsLineWithoutMarkersButMarksIsolatedPoints()
    {
        double[] values = Enumerable.Range(0, 200).Select(i => 1.5 * Math.Exp(-i / 40.0)).ToArray();
        values[100] = double.NaN;
        values[102] = double.NaN;    // values[101] stands alone between two gaps

        using Chart chart = MetricPlot.Create(values, MetricPlotOptions.HingeOnMargins() with
        {
            ReferenceLine = ReferenceLine.Final,
        });
        using SKBitmap image = TestImages.SaveAndDecode(chart, 800, 500);

        Pixels.AssertChart(image, 800, 500, Theme.Train);
        var scatters = chart.Panels[0].GetPlottables<ScottPlot.Plottables.Scatter>().ToArray();
        Assert.Equal(0, scatters[0].MarkerSize);
        Assert.Equal([101.0], scatters[1].Data.GetScatterPoints().Select(p => p.X));
    }

    [Fact]
    public void Create_Empty_ThrowsNamingValues()
    {
        var e = Assert.Throws<ArgumentException>(() => MetricPlot.Create(Array.Empty<double>()));
        Assert.Equal("values", e.ParamName);
        Assert.Contains("got 0", e.Message);
    }

    [Fact]
    public void Create_RaggedPerClassValues_ThrowsNamingTheStep()
    {
        double[][] values = [[0.1, 0.2, 0.3], [0.1, 0.2, 0.3], [0.1, 0.2]];
        var e = Assert.Throws<ArgumentException>(() => MetricPlot.Create(values));
        Assert.Equal("values", e.ParamName);
        Assert.Contains("values[2]", e.Message);
        Assert.Contains("3 classes", e.Message);
        Assert.Contains("got 2", e.Message);
    }

    [Fact]
    public void Create_WrongClassNameCount_Throws()
    {
        double[][] values = [[0.1, 0.2, 0.3]];
        var e = Assert.Throws<ArgumentException>(() =>
            MetricPlot.Create(values, new MetricPlotOptions { ClassNames = ["a", "b"] }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("3 names", e.Message);
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(2.0, 0.0)]
    [InlineData(double.NaN, 1.0)]
    public void Create_UnorderedBounds_ThrowsWithTheValues(double lower, double upper)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            MetricPlot.Create([0.5], new MetricPlotOptions { LowerBound = lower, UpperBound = upper }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("LowerBound", e.Message);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Create_BadPadding_ThrowsWithTheValue(double padding)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            MetricPlot.Create([0.5], new MetricPlotOptions { Padding = padding }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("`Padding`", e.Message);
    }

    [Fact]
    public void Create_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => MetricPlot.Create((IReadOnlyList<double>)null!));
        double[][] withNullRow = [[0.1], null!];
        var e = Assert.Throws<ArgumentNullException>(() => MetricPlot.Create(withNullRow));
        Assert.Contains("values[1]", e.Message);
    }
}
