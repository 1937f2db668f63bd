using HingeSharp.Plots.Tests.Support;
using SkiaSharp;

namespace HingeSharp.Plots.Tests;

public class ChartFontsTests
{
    [Fact]
    public void Choose_NoFontsInstalled_FallsBackToTheEmbeddedFont()
    {
        Assert.Equal(ChartFonts.EmbeddedName, ChartFonts.Choose([]));
        Assert.Equal(ChartFonts.EmbeddedName, ChartFonts.Choose(["DejaVu Serif", "Some Symbol Font"]));
    }

    [Fact]
    public void Choose_ASansFontInstalled_PrefersIt()
    {
        Assert.Equal("DejaVu Sans", ChartFonts.Choose(["Liberation Sans", "DejaVu Sans"]));
        Assert.Equal("Liberation Sans", ChartFonts.Choose(["Liberation Sans", "Foo"]));
    }

    [Fact]
    public void EmbeddedFont_HasEveryCharacterTheChartsWrite()
    {
        using SKTypeface typeface = ChartFonts.CreateEmbedded();
        using var font = new SKFont(typeface);
        const string text = "Binary hinge loss Accuracy Validation train step epoch count mean final class 0123456789"
            + " .,:;()[]%+-−=<>≤≥·∞√×µσ_ 'quoted' margin y·f(x) misclassified m < 0 inside 0 ≤ m < 1 outside m ≥ 1";
        Assert.True(font.ContainsGlyphs(text), "the embedded font lacks a glyph the charts use");
    }

    [Fact]
    public void EmbeddedFont_DrawsTheTitle()
    {
        ChartFonts.RegisterEmbedded();
        using (SKTypeface embedded = ChartFonts.CreateEmbedded())
        {
            // ScottPlot resolves the name to the embedded subset, not to a system fallback with the full glyph set.
            SKTypeface resolved = ScottPlot.Fonts.GetTypeface(ChartFonts.EmbeddedName, false, false);
            Assert.Equal(embedded.GlyphCount, resolved.GlyphCount);
            Assert.True(embedded.GlyphCount < 1000, $"{embedded.GlyphCount} glyphs: not the subset");
        }

        using Chart chart = MetricPlot.Create([0.5, 0.7, 0.6], new MetricPlotOptions { Title = "Embedded font" });
        chart.Panels[0].Font.Set(ChartFonts.EmbeddedName);
        using SKBitmap image = TestImages.SaveAndDecode(chart, 600, 400);

        // The band above the data area holds only the title: dark pixels there are its letters.
        int ink = Pixels.CountNearInRows(image, Theme.Ink, 0, 36, tolerance: 60);
        Assert.True(ink > 150, $"only {ink} title pixels: the embedded font drew no text");
    }
}
