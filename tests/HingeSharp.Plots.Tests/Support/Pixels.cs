using SkiaSharp;

namespace HingeSharp.Plots.Tests.Support;

/// <summary>Measures of a decoded image that tell a drawn chart from a blank or broken one.</summary>
internal static class Pixels
{
    internal static int DistinctColours(SKBitmap image) => image.Pixels.Distinct().Count();

    /// <summary>Standard deviation of the luma over all pixels (0 for a single-colour image).</summary>
    internal static double LumaStdDev(SKBitmap image)
    {
        double sum = 0, sumSq = 0;
        foreach (SKColor c in image.Pixels)
        {
            double y = (0.299 * c.Red) + (0.587 * c.Green) + (0.114 * c.Blue);
            sum += y;
            sumSq += y * y;
        }

        double n = image.Pixels.Length;
        double mean = sum / n;
        return Math.Sqrt(Math.Max(0, (sumSq / n) - (mean * mean)));
    }

    /// <summary>Pixels within <paramref name="tolerance"/> per channel of <paramref name="colour"/>.</summary>
    internal static int CountNear(SKBitmap image, ScottPlot.Color colour, int tolerance = 12) =>
        image.Pixels.Count(p => Math.Abs(p.Red - colour.R) <= tolerance
            && Math.Abs(p.Green - colour.G) <= tolerance
            && Math.Abs(p.Blue - colour.B) <= tolerance);

    /// <summary>Pixels near <paramref name="colour"/> inside the rows [top, bottom).</summary>
    internal static int CountNearInRows(SKBitmap image, ScottPlot.Color colour, int top, int bottom,
        int tolerance = 12)
    {
        int count = 0;
        for (int y = top; y < bottom; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                SKColor p = image.GetPixel(x, y);
                if (Math.Abs(p.Red - colour.R) <= tolerance && Math.Abs(p.Green - colour.G) <= tolerance
                    && Math.Abs(p.Blue - colour.B) <= tolerance)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Asserts the image size and that it shows a chart: varied pixels, many colours, and a good number
    /// of pixels in each of the <paramref name="seriesColours"/>.</summary>
    internal static void AssertChart(SKBitmap image, int width, int height, params ScottPlot.Color[] seriesColours)
    {
        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.True(LumaStdDev(image) > 5, $"image looks blank: luma std-dev {LumaStdDev(image):F2}");
        Assert.True(DistinctColours(image) >= 16, $"image has only {DistinctColours(image)} colours");
        foreach (ScottPlot.Color colour in seriesColours)
        {
            int n = CountNear(image, colour);
            Assert.True(n >= 100, $"only {n} pixels of series colour {colour.ToHex()}");
        }
    }
}
