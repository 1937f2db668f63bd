using HingeSharp.Plots.Tests.Support;
using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace HingeSharp.Plots.Tests;

public class HistoryPlotTests
{
    private static string[] Titles(Chart chart) => chart.Panels.Select(p => p.Axes.Title.Label.Text).ToArray();

    private static string[] Legend(Plot panel) => panel.Legend.GetItems().Select(i => i.LabelText).ToArray();

    [Fact]
    public void Create_TutorialHistory_StacksLossOverAccuracyWithTrainAndValidation()
    {
        var history = HistoryPlot_Input();
        using Chart chart = HistoryPlot.Create(history);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 900, 680);

        Pixels.AssertChart(image, 900, 680, Theme.Train, Theme.Validation);
        Assert.Equal(["Loss", "Accuracy"], Titles(chart));
        Assert.All(chart.Panels, p => Assert.Equal(["train", "validation"], Legend(p)));
        // Both panels are drawn: each half of the image holds both series colours.
        foreach ((int top, int bottom) in new[] { (0, 340), (340, 680) })
        {
            Assert.True(Pixels.CountNearInRows(image, Theme.Train, top, bottom) > 100);
            Assert.True(Pixels.CountNearInRows(image, Theme.Validation, top, bottom) > 100);
        }
    }

    private static Dictionary<string, IReadOnlyList<double>> HistoryPlot_Input() => Histories.Tutorial();

    [Fact]
    public void Create_Epochs_AreOneBasedAndEveryValueIsInsideItsPanel()
    {
        var history = Histories.Tutorial(epochs: 37);
        using Chart chart = HistoryPlot.Create(history);

        string[] order = ["loss", "accuracy"];
        for (int p = 0; p < 2; p++)
        {
            Scatter[] lines = chart.Panels[p].GetPlottables<Scatter>().ToArray();
            Assert.Equal(2, lines.Length);
            foreach (Scatter line in lines)
            {
                Assert.Equal(Enumerable.Range(1, 37).Select(e => (double)e), line.Data.GetScatterPoints().Select(c => c.X));
            }

            AxisLimits limits = chart.Panels[p].Axes.GetLimits();
            Assert.All(history[order[p]].Concat(history["val_" + order[p]]),
                v => Assert.InRange(v, limits.Bottom, limits.Top));
            Assert.InRange(1, limits.Left, limits.Right);
            Assert.InRange(37, limits.Left, limits.Right);
        }

        // Accuracy lives in [0, 1]: its axis stays within that range padded by the options' fraction.
        AxisLimits accuracy = chart.Panels[1].Axes.GetLimits();
        Assert.True(accuracy.Bottom >= -0.06 && accuracy.Top <= 1.06, $"{accuracy}");
    }

    [Fact]
    public void Create_KeysInAnyOrder_PutsLossOnTop()
    {
        var history = new Dictionary<string, IReadOnlyList<double>>
        {
            ["val_accuracy"] = [0.5, 0.6], ["accuracy"] = [0.55, 0.7], ["val_loss"] = [0.9, 0.8], ["loss"] = [1.0, 0.7],
        };
        using Chart chart = HistoryPlot.Create(history);
        Assert.Equal(["Loss", "Accuracy"], Titles(chart));
        Assert.All(chart.Panels, p => Assert.Equal(["train", "validation"], Legend(p)));
    }

    [Fact]
    public void Create_OnlyTrainKeys_DrawsOnlyTrainLines()
    {
        var full = Histories.Tutorial();
        var history = new Dictionary<string, IReadOnlyList<double>>
        {
            ["loss"] = full["loss"], ["accuracy"] = full["accuracy"],
        };
        using Chart chart = HistoryPlot.Create(history);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 800, 600);

        Pixels.AssertChart(image, 800, 600, Theme.Train);
        Assert.True(Pixels.CountNear(image, Theme.Validation) < 20);
        Assert.All(chart.Panels, p => Assert.Equal(["train"], Legend(p)));
    }

    [Fact]
    public void Create_OnlyValidationKey_MakesAPanelForTheMetric()
    {
        var history = new Dictionary<string, IReadOnlyList<double>> { ["val_loss"] = [0.9, 0.7, 0.6] };
        using Chart chart = HistoryPlot.Create(history);
        Assert.Equal(["Loss"], Titles(chart));
        Assert.Equal(["validation"], Legend(chart.Panels[0]));
    }

    [Fact]
    public void Create_ExtraMetrics_GetPanelsOfTheirOwn()
    {
        var full = Histories.Tutorial(epochs: 60);
        var history = new Dictionary<string, IReadOnlyList<double>>
        {
            ["loss"] = full["loss"], ["val_loss"] = full["val_loss"],
            ["binary_accuracy"] = full["accuracy"], ["val_binary_accuracy"] = full["val_accuracy"],
            ["squared_hinge"] = full["loss"].Select(v => v * v).ToArray(),
        };
        using Chart chart = HistoryPlot.Create(history);
        using SKBitmap image = TestImages.SaveAndDecode(chart, chart.DefaultWidth, chart.DefaultHeight);

        Assert.Equal(["Loss", "Binary accuracy", "Squared hinge"], Titles(chart));
        Assert.Equal(3 * new HistoryPlotOptions().PanelHeight, chart.DefaultHeight);
        Pixels.AssertChart(image, chart.DefaultWidth, chart.DefaultHeight, Theme.Train, Theme.Validation);
    }

    [Fact]
    public void Create_NaNEpochs_AreGaps()
    {
        var history = Histories.Tutorial(epochs: 40);
        double[] valLoss = history["val_loss"].ToArray();
        valLoss[10] = double.NaN;
        valLoss[11] = double.NaN;
        valLoss[30] = double.NegativeInfinity;
        history["val_loss"] = valLoss;

        using Chart chart = HistoryPlot.Create(history);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 800, 600);

        Pixels.AssertChart(image, 800, 600, Theme.Train, Theme.Validation);
        AxisLimits loss = chart.Panels[0].Axes.GetLimits();
        Assert.True(double.IsFinite(loss.Bottom) && double.IsFinite(loss.Top));
    }

    [Fact]
    public void Create_CustomLabelsAndBounds_AreUsed()
    {
        var history = new Dictionary<string, IReadOnlyList<double>> { ["score"] = [3, 5, 4], ["val_score"] = [2, 4, 5] };
        var options = new HistoryPlotOptions
        {
            TrainLabel = "fit", ValidationLabel = "test",
            Bounds = new Dictionary<string, (double, double)> { ["score"] = (0, 10) },
        };
        using Chart chart = HistoryPlot.Create(history, options);
        Assert.Equal(["fit", "test"], Legend(chart.Panels[0]));
        AxisLimits limits = chart.Panels[0].Axes.GetLimits();
        Assert.True(limits.Bottom >= -0.6 && limits.Top <= 10.6, $"{limits}");
    }

    [Theory]
    [InlineData("accuracy", 0, 1)]
    [InlineData("binary_accuracy", 0, 1)]
    [InlineData("precision", 0, 1)]
    [InlineData("loss", 0, double.PositiveInfinity)]
    [InlineData("squared_hinge", 0, double.PositiveInfinity)]
    [InlineData("mse", 0, double.PositiveInfinity)]
    [InlineData("lr", double.NegativeInfinity, double.PositiveInfinity)]
    public void BoundsOf_GuessesFromTheNameAsDocumented(string name, double lower, double upper)
    {
        Assert.Equal((lower, upper), HistoryPlot.BoundsOf(name, new HistoryPlotOptions()));
    }

    [Fact]
    public void Create_BadOptions_ThrowNamingTheFieldAndValue()
    {
        var history = new Dictionary<string, IReadOnlyList<double>> { ["loss"] = [1.0, 0.5] };
        var padding = Assert.Throws<ArgumentException>(() =>
            HistoryPlot.Create(history, new HistoryPlotOptions { Padding = -0.1 }));
        Assert.Equal("options", padding.ParamName);
        Assert.Contains("`Padding`", padding.Message);
        Assert.Contains("-0.1", padding.Message);

        var height = Assert.Throws<ArgumentException>(() =>
            HistoryPlot.Create(history, new HistoryPlotOptions { PanelHeight = 20 }));
        Assert.Contains("got 20", height.Message);

        var bounds = Assert.Throws<ArgumentException>(() => HistoryPlot.Create(history, new HistoryPlotOptions
        {
            Bounds = new Dictionary<string, (double, double)> { ["loss"] = (1, 0) },
        }));
        Assert.Contains("[1, 0]", bounds.Message);
    }

    [Fact]
    public void Create_Empty_ThrowsNamingHistory()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            HistoryPlot.Create(new Dictionary<string, IReadOnlyList<double>>()));
        Assert.Equal("history", e.ParamName);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Create_EmptySeries_ThrowsNamingTheKey()
    {
        var history = new Dictionary<string, IReadOnlyList<double>> { ["loss"] = [1.0], ["val_loss"] = [] };
        var e = Assert.Throws<ArgumentException>(() => HistoryPlot.Create(history));
        Assert.Equal("history", e.ParamName);
        Assert.Contains("history['val_loss']", e.Message);
    }

    [Fact]
    public void Create_KeyThatIsOnlyThePrefix_Throws()
    {
        var history = new Dictionary<string, IReadOnlyList<double>> { ["val_"] = [1.0] };
        var e = Assert.Throws<ArgumentException>(() => HistoryPlot.Create(history));
        Assert.Contains("'val_'", e.Message);
    }

    [Fact]
    public void Create_NullSeries_ThrowsNamingTheKey()
    {
        var history = new Dictionary<string, IReadOnlyList<double>> { ["loss"] = null! };
        var e = Assert.Throws<ArgumentNullException>(() => HistoryPlot.Create(history));
        Assert.Contains("history['loss']", e.Message);
        Assert.Throws<ArgumentNullException>(() => HistoryPlot.Create(null!));
    }
}
