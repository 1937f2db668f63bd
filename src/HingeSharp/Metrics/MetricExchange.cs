using HingeSharp.Classification;

namespace HingeSharp.Metrics;

/// <summary><see cref="IMergeableMetric"/> for the three hinge metrics, through their saved-state document (exact:
/// doubles in shortest round-trip form).</summary>
internal static class MetricExchange
{
    internal static string Key(MetricStateDocument document) => document.SettingsKey;

    internal static byte[] Export(MetricStateDocument document)
    {
        using var stream = new MemoryStream();
        document.Write(stream);
        return stream.ToArray();
    }

    /// <summary>Recreates the exported metric, checking that its key equals <paramref name="expectedKey"/>.</summary>
    internal static IHingeMetric Import(ReadOnlySpan<byte> state, string expectedKey)
    {
        using var stream = new MemoryStream(state.ToArray(), writable: false);
        var document = MetricStateDocument.Read(stream);
        if (document.SettingsKey != expectedKey)
        {
            throw new MetricStateException(
                $"cannot merge a state of {document.SettingsKey} into {expectedKey}: the settings differ.", "metric");
        }

        return document.Create();
    }
}
