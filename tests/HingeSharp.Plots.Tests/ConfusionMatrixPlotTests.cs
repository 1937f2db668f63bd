using HingeSharp.Plots.Tests.Support;
using ScottPlot;
using SkiaSharp;

namespace HingeSharp.Plots.Tests;

public class ConfusionMatrixPlotTests
{
    [Fact]
    public void Create_ThreeClassCounts_RendersOneCellPerEntryWithinTheLimits()
    {
        double[][] counts = [[5, 1, 0], [2, 7, 1], [0, 0, 4]];
        using Chart chart = ConfusionMatrixPlot.Create(counts, ["cat", "dog", "bird"]);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 560, 520);

        Assert.Equal(560, image.Width);
        Assert.Equal(520, image.Height);
        AxisLimits limits = chart.Panels[0].Axes.GetLimits();
        Assert.Equal(-0.5, limits.Left, 6);
        Assert.Equal(2.5, limits.Right, 6);
        Assert.Equal(9, chart.Panels[0].GetPlottables().OfType<ScottPlot.Plottables.Rectangle>().Count());
        Assert.Equal(9, chart.Panels[0].GetPlottables().OfType<ScottPlot.Plottables.Text>().Count());
    }

    [Fact]
    public void Create_NotSquareOrNegative_Throws()
    {
        Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.Create([[1, 2]]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.Create([[1, -2], [0, 1]]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.Create([[1, 0], [0, 1]], ["a"]));
    }
}
