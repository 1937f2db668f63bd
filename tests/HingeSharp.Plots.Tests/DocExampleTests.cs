using SkiaSharp;

namespace HingeSharp.Plots.Tests;

/// <summary>Runs the &lt;example&gt; blocks of the XML docs, as torchmetrics runs its doctests.</summary>
public sealed class DocExampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hingesharp-docs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string At(string name) => Path.Combine(_folder, name);

    [Fact]
    public void MetricPlot_Example_SavesAPng()
    {
        double[] values = [0.92, 1.07, 0.88, 1.21, 0.97];   // BinaryHingeLoss over 5 batches
        using Chart chart = MetricPlot.Create(values, MetricPlotOptions.BinaryHinge());
        chart.Save(At("binary_hinge.png"));

        using SKBitmap image = SKBitmap.Decode(At("binary_hinge.png"));
        Assert.Equal((800, 500), (image.Width, image.Height));
    }

    [Fact]
    public void MarginBins_Example_DerivesTheRegionsAndDraws()
    {
        var bins = new MarginBins([-1, -0.5, 0, 0.5, 1, 1.5, 2], [3, 9, 20, 41, 60, 12]);
        using Chart chart = MarginHistogram.Create(bins);   // regions derived: 12 | 61 | 72
        Assert.Equal(new MarginRegionCounts(3 + 9, 20 + 41, 60 + 12), bins.Regions);
        chart.Save(At("binned.png"));
        Assert.True(new FileInfo(At("binned.png")).Length > 0);
    }

    [Fact]
    public void MetricPlotOptions_Example_ChangesOneField()
    {
        var options = MetricPlotOptions.BinaryHinge() with { Title = "10 batches" };
        Assert.Equal("10 batches", options.Title);
        Assert.Equal((0.0, 2.0), (options.LowerBound, options.UpperBound));
    }

    [Fact]
    public void HistoryPlot_Example_SavesTwoPanels()
    {
        var history = new Dictionary<string, IReadOnlyList<double>>
        {
            ["loss"] = [0.9, 0.6, 0.5], ["val_loss"] = [0.95, 0.7, 0.62],
            ["accuracy"] = [0.55, 0.71, 0.78], ["val_accuracy"] = [0.5, 0.66, 0.74],
        };
        using Chart chart = HistoryPlot.Create(history);
        chart.Save(At("history.png"));

        Assert.Equal(2, chart.Panels.Count);
        using SKBitmap image = SKBitmap.Decode(At("history.png"));
        Assert.Equal((chart.DefaultWidth, chart.DefaultHeight), (image.Width, image.Height));
    }

    [Fact]
    public void MarginHistogram_Example_SavesAnSvg()
    {
        double[] margins = [-0.4, 0.2, 0.7, 1.3, 2.1, 1.8];
        using Chart chart = MarginHistogram.Create(margins);
        chart.Save(At("margins.svg"));

        Assert.Equal("svg", System.Xml.Linq.XDocument.Load(At("margins.svg")).Root!.Name.LocalName);
    }
}
