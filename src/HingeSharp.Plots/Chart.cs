using ScottPlot;
using SkiaSharp;

namespace HingeSharp.Plots;

/// <summary>
/// A rendered-on-demand figure: one or more ScottPlot panels stacked top to bottom, saved as PNG or SVG.
/// Made by <see cref="MetricPlot"/>, <see cref="HistoryPlot"/> and <see cref="MarginHistogram"/>; the panels stay
/// reachable through <see cref="Panels"/> for further styling with the ScottPlot API.
/// </summary>
/// <remarks>Saving writes a temporary file in the target folder and renames it over the target, so a failed save
/// leaves neither a partial image nor a changed previous file.</remarks>
public sealed class Chart : IDisposable
{
    private readonly Plot[] _panels;

    internal Chart(Plot[] panels, int defaultWidth, int defaultHeight)
    {
        _panels = panels;
        DefaultWidth = defaultWidth;
        DefaultHeight = defaultHeight;
        foreach (Plot plot in panels)
        {
            // Equal axis sizes line the data areas of stacked panels up.
            plot.Axes.Left.MinimumSize = 72;
            plot.Axes.Right.MinimumSize = 26;   // room for labels of reference lines
            plot.Font.Set(ChartFonts.Name);     // again, now that every plottable is there
        }
    }

    /// <summary>The ScottPlot panels, top to bottom (one for a metric plot or histogram).</summary>
    public IReadOnlyList<Plot> Panels => _panels;

    /// <summary>Width in pixels used by <see cref="Save(string)"/>.</summary>
    public int DefaultWidth { get; }

    /// <summary>Height in pixels used by <see cref="Save(string)"/>.</summary>
    public int DefaultHeight { get; }

    /// <summary>Saves at <see cref="DefaultWidth"/> × <see cref="DefaultHeight"/>; the format follows the extension.</summary>
    /// <inheritdoc cref="Save(string, int, int)" path="/exception"/>
    public void Save(string path) => Save(path, DefaultWidth, DefaultHeight);

    /// <summary>Saves as PNG (<c>.png</c>) or SVG (<c>.svg</c>), chosen by the extension of <paramref name="path"/>
    /// (case-insensitive).</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or has another extension.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A side is outside [32, 16384] pixels.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public void Save(string path, int width, int height)
    {
        ImageFormat format = FormatOf(path);
        if (format == ImageFormat.Png)
        {
            SavePng(path, width, height);
        }
        else
        {
            SaveSvg(path, width, height);
        }
    }

    /// <summary>Saves as PNG whatever the extension of <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A side is outside [32, 16384] pixels.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public void SavePng(string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Guard.ImageSize(width, height);
        AtomicFile.Write(path, stream => WritePng(stream, width, height));
    }

    /// <summary>Saves as SVG whatever the extension of <paramref name="path"/>.</summary>
    /// <inheritdoc cref="SavePng(string, int, int)" path="/exception"/>
    public void SaveSvg(string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Guard.ImageSize(width, height);
        AtomicFile.Write(path, stream => WriteSvg(stream, width, height));
    }

    /// <summary>The PNG image as bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is outside [32, 16384] pixels.</exception>
    public byte[] ToPngBytes(int width, int height)
    {
        Guard.ImageSize(width, height);
        using var stream = new MemoryStream();
        WritePng(stream, width, height);
        return stream.ToArray();
    }

    /// <summary>The SVG document as text.</summary>
    /// <inheritdoc cref="ToPngBytes(int, int)" path="/exception"/>
    public string ToSvgXml(int width, int height)
    {
        Guard.ImageSize(width, height);
        using var stream = new MemoryStream();
        WriteSvg(stream, width, height);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Disposes the ScottPlot panels.</summary>
    public void Dispose()
    {
        foreach (Plot plot in _panels)
        {
            plot.Dispose();
        }
    }

    /// <summary>PNG or SVG from the extension of <paramref name="path"/>.</summary>
    internal static ImageFormat FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string ext = Path.GetExtension(path);
        if (ext.Equals(".png", StringComparison.OrdinalIgnoreCase))
        {
            return ImageFormat.Png;
        }

        if (ext.Equals(".svg", StringComparison.OrdinalIgnoreCase))
        {
            return ImageFormat.Svg;
        }

        string got = ext.Length == 0 ? "no extension" : $"'{ext}'";
        throw new ArgumentException(
            $"Expected argument `path` to end in .png or .svg, but got {got} in '{path}'", nameof(path));
    }

    private void WritePng(Stream stream, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using SKSurface surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException($"SkiaSharp could not allocate a {width}x{height} surface");
        Render(surface.Canvas, width, height);
        surface.Flush();
        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        data.SaveTo(stream);
    }

    private void WriteSvg(Stream stream, int width, int height)
    {
        // The SVG document is completed when the canvas is disposed.
        using (SKCanvas canvas = SKSvgCanvas.Create(SKRect.Create(width, height), stream))
        {
            Render(canvas, width, height);
        }

        stream.Flush();
    }

    private void Render(SKCanvas canvas, int width, int height)
    {
        canvas.Clear(SKColors.White);
        float top = 0;
        for (int i = 0; i < _panels.Length; i++)
        {
            float bottom = i == _panels.Length - 1 ? height : MathF.Round(height * (i + 1f) / _panels.Length);
            // A panel fills its whole canvas with its background: clip it to its own row.
            canvas.Save();
            canvas.ClipRect(new SKRect(0, top, width, bottom));
            _panels[i].Render(canvas, new PixelRect(0, width, bottom, top));
            canvas.Restore();
            top = bottom;
        }
    }
}
