using System.Runtime.CompilerServices;
using SkiaSharp;

namespace HingeSharp.Plots.Tests.Support;

/// <summary>ScottPlot's SaveTestImage habit: every rendered chart is also kept under bin/…/test-images/ to look at.
/// </summary>
internal static class TestImages
{
    internal static string Folder { get; } = Directory.CreateDirectory(
        Path.Combine(AppContext.BaseDirectory, "test-images")).FullName;

    /// <summary>Saves <paramref name="chart"/> as test-images/&lt;caller&gt;.png and returns the decoded image.</summary>
    internal static SKBitmap SaveAndDecode(Chart chart, int width, int height, [CallerMemberName] string name = "")
    {
        string path = Path.Combine(Folder, name + ".png");
        chart.Save(path, width, height);
        return SKBitmap.Decode(path) ?? throw new InvalidOperationException($"{path} does not decode as an image");
    }
}
