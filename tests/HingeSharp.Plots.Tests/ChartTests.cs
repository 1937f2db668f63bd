using System.Xml.Linq;
using HingeSharp.Plots.Tests.Support;
using ScottPlot;
using SkiaSharp;

namespace HingeSharp.Plots.Tests;

public sealed class ChartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hingesharp-plots-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Chart Sample() => MetricPlot.Create([0.9, 1.2, 0.7, 1.4, 1.1], MetricPlotOptions.BinaryHinge());

    private string[] FilesInFolder() => Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).ToArray()!;

    [Theory]
    [InlineData("chart.png")]
    [InlineData("chart.PNG")]
    public void Save_PngExtension_WritesADecodablePngOfTheGivenSize(string name)
    {
        using Chart chart = Sample();
        string path = Path.Combine(_folder, name);
        chart.Save(path, 640, 360);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        using SKBitmap image = SKBitmap.Decode(bytes);
        Pixels.AssertChart(image, 640, 360, Theme.Train);
        Assert.Equal([name], FilesInFolder());   // no temporary file left behind
    }

    [Theory]
    [InlineData("chart.svg")]
    [InlineData("chart.Svg")]
    public void Save_SvgExtension_WritesWellFormedSvg(string name)
    {
        using Chart chart = Sample();
        string path = Path.Combine(_folder, name);
        chart.Save(path, 640, 360);

        XDocument svg = XDocument.Load(path);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Equal("http://www.w3.org/2000/svg", svg.Root.Name.NamespaceName);
        Assert.Equal("640", svg.Root.Attribute("width")?.Value);
        Assert.Equal("360", svg.Root.Attribute("height")?.Value);
        Assert.True(svg.Descendants().Count() > 50, "the SVG holds hardly any elements");
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text");   // titles and ticks are text
        Assert.Contains(Theme.Train.ToHex()[..7], File.ReadAllText(path), StringComparison.OrdinalIgnoreCase);
        File.Copy(path, Path.Combine(TestImages.Folder, nameof(Save_SvgExtension_WritesWellFormedSvg) + ".svg"),
            overwrite: true);
    }

    [Fact]
    public void SaveSvg_ForAStackedHistory_IsWellFormedWithBothPanels()
    {
        using Chart chart = HistoryPlot.Create(Histories.Tutorial());
        string xml = chart.ToSvgXml(900, 680);
        XDocument svg = XDocument.Parse(xml);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        string[] texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToArray();
        Assert.Contains("Loss", texts);
        Assert.Contains("Accuracy", texts);
    }

    [Fact]
    public void SavePngAndSaveSvg_IgnoreTheExtension()
    {
        using Chart chart = Sample();
        string png = Path.Combine(_folder, "a.img");
        string svg = Path.Combine(_folder, "b.img");
        chart.SavePng(png, 320, 200);
        chart.SaveSvg(svg, 320, 200);
        using SKBitmap image = SKBitmap.Decode(png);
        Assert.Equal(320, image.Width);
        Assert.Equal("svg", XDocument.Load(svg).Root!.Name.LocalName);
    }

    [Fact]
    public void Save_DefaultSize_UsesDefaultWidthAndHeight()
    {
        using Chart chart = Sample();
        string path = Path.Combine(_folder, "default.png");
        chart.Save(path);
        using SKBitmap image = SKBitmap.Decode(path);
        Assert.Equal((chart.DefaultWidth, chart.DefaultHeight), (image.Width, image.Height));
    }

    [Fact]
    public void ToPngBytes_DecodesToTheSameImageAsSavePng()
    {
        using Chart chart = Sample();
        string path = Path.Combine(_folder, "same.png");
        chart.SavePng(path, 400, 300);
        using SKBitmap fromBytes = SKBitmap.Decode(chart.ToPngBytes(400, 300));
        using SKBitmap fromFile = SKBitmap.Decode(path);
        Assert.Equal(fromFile.Pixels, fromBytes.Pixels);
    }

    [Theory]
    [InlineData("chart.jpg", "'.jpg'")]
    [InlineData("chart", "no extension")]
    [InlineData("chart.png.bak", "'.bak'")]
    public void Save_UnsupportedExtension_ThrowsNamingPathAndExtension(string name, string got)
    {
        using Chart chart = Sample();
        string path = Path.Combine(_folder, name);
        var e = Assert.Throws<ArgumentException>(() => chart.Save(path, 400, 300));
        Assert.Equal("path", e.ParamName);
        Assert.Contains(got, e.Message);
        Assert.Contains(path, e.Message);
        Assert.Empty(FilesInFolder());
    }

    [Theory]
    [InlineData(0, 300, "width")]
    [InlineData(-5, 300, "width")]
    [InlineData(31, 300, "width")]
    [InlineData(400, 16385, "height")]
    [InlineData(400, 0, "height")]
    public void Save_BadSize_ThrowsNamingTheSideAndValue(int width, int height, string side)
    {
        using Chart chart = Sample();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            chart.Save(Path.Combine(_folder, "x.png"), width, height));
        Assert.Equal(side, e.ParamName);
        Assert.Contains($"got {(side == "width" ? width : height)}", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => chart.ToPngBytes(width, height));
        Assert.Throws<ArgumentOutOfRangeException>(() => chart.ToSvgXml(width, height));
        Assert.Empty(FilesInFolder());
    }

    [Fact]
    public void Save_MissingFolder_ThrowsNamingTheFolder()
    {
        using Chart chart = Sample();
        string missing = Path.Combine(_folder, "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => chart.Save(Path.Combine(missing, "x.png")));
        Assert.Contains(missing, e.Message);
    }

    [Theory]
    [InlineData("broken.png")]
    [InlineData("broken.svg")]
    public void Save_RenderFails_LeavesNoFileAndNoTemporary(string name)
    {
        using Chart chart = Sample();
        chart.Panels[0].Add.Plottable(new ThrowingPlottable());
        string path = Path.Combine(_folder, name);

        Assert.Throws<InvalidOperationException>(() => chart.Save(path, 400, 300));
        Assert.Empty(FilesInFolder());
    }

    [Fact]
    public void Save_RenderFails_KeepsThePreviousFileUnchanged()
    {
        string path = Path.Combine(_folder, "keep.png");
        using (Chart good = Sample())
        {
            good.Save(path, 400, 300);
        }

        byte[] before = File.ReadAllBytes(path);
        using Chart chart = Sample();
        chart.Panels[0].Add.Plottable(new ThrowingPlottable());
        Assert.Throws<InvalidOperationException>(() => chart.Save(path, 400, 300));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["keep.png"], FilesInFolder());
    }

    [Fact]
    public void Save_TargetIsAFolder_FailsAndRemovesTheTemporary()
    {
        using Chart chart = Sample();
        Directory.CreateDirectory(Path.Combine(_folder, "taken.png"));
        Assert.ThrowsAny<IOException>(() => chart.Save(Path.Combine(_folder, "taken.png"), 400, 300));
        Assert.Equal(["taken.png"], FilesInFolder());
    }

    /// <summary>A plottable whose rendering fails half-way through a save.</summary>
    private sealed class ThrowingPlottable : IPlottable
    {
        public bool IsVisible { get; set; } = true;

        public IAxes Axes { get; set; } = new Axes();

        public IEnumerable<LegendItem> LegendItems => [];

        public AxisLimits GetAxisLimits() => AxisLimits.NoLimits;

        public void Render(RenderPack rp) => throw new InvalidOperationException("render failed on purpose");
    }
}
