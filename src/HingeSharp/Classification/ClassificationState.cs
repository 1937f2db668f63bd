using System.Text.Json;
using HingeSharp.Metrics;

namespace HingeSharp.Classification;

/// <summary>
/// Saved states of the classification metrics (<c>hingesharp.classification-state</c>, version 1): the metric's
/// type, its settings as strings, the update count, the raw counts and the row total. Written with
/// <see cref="Utf8JsonWriter"/> and read with <see cref="JsonDocument"/> (no reflection, so Native AOT keeps it).
/// </summary>
internal static class ClassificationState
{
    private const string Format = "hingesharp.classification-state";

    internal static void Write<T>(Stream stream, BinaryStatMetric<T> metric)
    {
        var s = metric.State;
        Write(stream, metric.MetricName, metric.Settings(), metric.UpdateCount,
            [s.TruePositives, s.FalsePositives, s.TrueNegatives, s.FalseNegatives], s.Total);
    }

    internal static void Write<T>(Stream stream, MulticlassStatMetric<T> metric) =>
        Write(stream, metric.MetricName, metric.Settings(), metric.UpdateCount, metric.RawCounts, metric.Total);

    internal static void Read<T>(Stream stream, BinaryStatMetric<T> metric)
    {
        var (counts, _, updates) = Read(stream, metric.MetricName, metric.Settings(), 4);
        metric.SetState(new StatScores(counts[0], counts[1], counts[2], counts[3]));
        metric.RestoreUpdates(updates);
    }

    internal static void Read<T>(Stream stream, MulticlassStatMetric<T> metric)
    {
        var (counts, total, updates) = Read(stream, metric.MetricName, metric.Settings(), metric.RawCounts.Length);
        metric.Restore(counts, total, updates);
    }

    private static void Write(Stream stream, string name, IEnumerable<KeyValuePair<string, string?>> settings,
        long updates, ReadOnlySpan<long> counts, long total)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteNumber("version", 1);
        w.WriteString("metric", name);
        w.WriteStartObject("settings");
        foreach (var (key, value) in settings)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteNumber("update_count", updates);
        w.WriteNumber("total", total);
        w.WriteStartArray("counts");
        foreach (var c in counts)
        {
            w.WriteNumberValue(c);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static (long[] Counts, long Total, long Updates) Read(Stream stream, string name,
        IEnumerable<KeyValuePair<string, string?>> settings, int length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw new MetricStateException($"Not a JSON document: {ex.Message}", null, ex.LineNumber,
                ex.BytePositionInLine);
        }

        using (document)
        {
            var root = document.RootElement;
            Expect(root, "format", Format);
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number ||
                version.GetInt32() != 1)
            {
                throw new MetricStateException("Expected `version` 1.", "version");
            }

            Expect(root, "metric", name);
            var saved = root.TryGetProperty("settings", out var s) && s.ValueKind == JsonValueKind.Object
                ? s
                : throw new MetricStateException("Missing `settings`.", "settings");
            foreach (var (key, value) in settings)
            {
                var got = saved.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (got != value)
                {
                    throw new MetricStateException(
                        $"The saved `{key}` = {got ?? "null"} differs from this metric's {value ?? "null"}.",
                        "settings." + key);
                }
            }

            var counts = root.TryGetProperty("counts", out var c) && c.ValueKind == JsonValueKind.Array
                ? c.EnumerateArray().Select(x => x.TryGetInt64(out var n) && n >= 0
                    ? n
                    : throw new MetricStateException($"`counts` holds {x.GetRawText()}: expected a count.", "counts"))
                    .ToArray()
                : throw new MetricStateException("Missing `counts`.", "counts");
            if (counts.Length != length)
            {
                throw new MetricStateException($"Expected {length} counts, but got {counts.Length}.", "counts");
            }

            return (counts, Count(root, "total"), Count(root, "update_count"));
        }
    }

    private static long Count(JsonElement root, string field) =>
        root.TryGetProperty(field, out var v) && v.TryGetInt64(out var n) && n >= 0
            ? n
            : throw new MetricStateException($"`{field}` must be a count (an integer ≥ 0).", field);

    private static void Expect(JsonElement root, string field, string value)
    {
        var got = root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (got != value)
        {
            throw new MetricStateException($"Expected `{field}` \"{value}\", but got {got ?? "nothing"}.", field);
        }
    }
}
