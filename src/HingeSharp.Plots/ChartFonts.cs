using ScottPlot;
using SkiaSharp;

namespace HingeSharp.Plots;

/// <summary>
/// Picks the font of every chart: the first usual sans-serif family installed, else a subset of DejaVu Sans embedded
/// in this assembly (Fonts/LICENSE-DejaVu.txt), so that text still shows on a machine with no fonts at all (SkiaSharp's
/// Linux.NoDependencies native reads /usr/share/fonts itself, without fontconfig; with none there, text would vanish).
/// </summary>
internal static class ChartFonts
{
    /// <summary>Family name under which the embedded font is registered with ScottPlot.</summary>
    internal const string EmbeddedName = "HingeSharp Sans";

    private const string Resource = "HingeSharp.Plots.Fonts.DejaVuSans-Subset.ttf";

    private static readonly string[] SansFonts =
        ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans", "Open Sans", "Segoe UI"];

    private static readonly Lazy<SKData> EmbeddedData = new(LoadResource);

    private static readonly Lazy<string> Chosen = new(() => Choose(SKFontManager.Default.FontFamilies));

    private static readonly object RegisterLock = new();

    private static bool _registered;

    /// <summary>The family every chart uses, chosen once per process.</summary>
    internal static string Name => Chosen.Value;

    /// <summary>The first of the usual sans-serif families in <paramref name="installed"/>; otherwise registers the
    /// embedded font with ScottPlot and returns <see cref="EmbeddedName"/>.</summary>
    internal static string Choose(IEnumerable<string> installed)
    {
        var families = new HashSet<string>(installed, StringComparer.Ordinal);
        string? found = SansFonts.FirstOrDefault(families.Contains);
        if (found is not null)
        {
            return found;
        }

        RegisterEmbedded();
        return EmbeddedName;
    }

    /// <summary>Makes <see cref="EmbeddedName"/> known to ScottPlot's font lookup (once per process).</summary>
    internal static void RegisterEmbedded()
    {
        lock (RegisterLock)
        {
            if (!_registered)
            {
                Fonts.FontResolvers.Insert(0, new EmbeddedResolver());
                _registered = true;
            }
        }
    }

    /// <summary>A new typeface of the embedded font.</summary>
    internal static SKTypeface CreateEmbedded() => SKTypeface.FromData(EmbeddedData.Value)
        ?? throw new InvalidOperationException($"the embedded font {Resource} does not load");

    private static SKData LoadResource()
    {
        using Stream stream = typeof(ChartFonts).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"the resource {Resource} is missing from the assembly");
        return SKData.Create(stream);
    }

    /// <summary>Answers ScottPlot's lookups of <see cref="EmbeddedName"/>; other names go to the next resolver.
    /// </summary>
    private sealed class EmbeddedResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            fontName == EmbeddedName ? CreateEmbedded() : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == EmbeddedName ? CreateEmbedded() : null;
    }
}
