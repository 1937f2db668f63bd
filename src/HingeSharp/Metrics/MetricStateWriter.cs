using System.Text.Json;

namespace HingeSharp.Metrics;

/// <summary>
/// Writes a <see cref="MetricStateDocument"/> as indented UTF-8 JSON, fields in the documented order. Doubles are
/// written in shortest round-trip form (exact); NaN and ±∞ as the strings "NaN", "Infinity", "-Infinity".
/// </summary>
internal static class MetricStateWriter
{
    internal static void Write(MetricStateDocument d, Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("format", MetricState.FormatName);
        writer.WriteNumber("version", MetricState.FormatVersion);
        writer.WriteString("metric", d.Metric);
        if (d.Metric == MetricStateDocument.MulticlassName)
        {
            writer.WriteNumber("num_classes", d.Classes!.Value);
            writer.WriteString("multiclass_mode", MetricStateDocument.Name(d.Mode!.Value));
        }
        else if (d.Metric == MetricStateDocument.MultilabelName)
        {
            writer.WriteNumber("num_labels", d.Classes!.Value);
            writer.WriteString("average", MetricStateDocument.Name(d.Average!.Value));
        }

        writer.WriteBoolean("squared", d.Squared);
        if (d.IgnoreIndex is { } ii)
        {
            writer.WriteNumber("ignore_index", ii);
        }
        else
        {
            writer.WriteNull("ignore_index");
        }

        writer.WriteBoolean("validate_args", d.ValidateArgs);
        writer.WriteString("input_kind", MetricStateDocument.Name(d.InputKind));
        writer.WriteString("non_finite", MetricStateDocument.Name(d.NonFinite));
        if (d.Labels is { } labels)
        {
            WriteArray(writer, "label_weights", d.ClassWeights);
            WriteArray(writer, "weighted_measures", labels.WeightedMeasures);
            WriteArray(writer, "weight_sums", labels.WeightSums);
            writer.WriteNumber("weight_exponent", labels.Exponent);
            writer.WriteStartArray("totals");
            foreach (var n in labels.Totals)
            {
                writer.WriteNumberValue(n);
            }

            writer.WriteEndArray();
        }
        else
        {
            WriteArray(writer, "class_weights", d.ClassWeights);
            writer.WriteBoolean("track_variance", d.TrackVariance);
            WriteArray(writer, "measures", d.Measures);
            writer.WriteNumber("total", d.Total);
            WriteWeighted(writer, d.Weighted);
            WriteMoments(writer, d.Moments);
        }

        writer.WriteNumber("update_count", d.UpdateCount);
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteWeighted(Utf8JsonWriter writer, WeightedPart? weighted)
    {
        if (weighted is null)
        {
            writer.WriteNull("weighted");
            return;
        }

        writer.WriteStartObject("weighted");
        WriteArray(writer, "measures", weighted.Measures);
        writer.WritePropertyName("weight_sum");
        WriteDouble(writer, weighted.WeightSum);
        if (weighted.Total is { } total)
        {
            writer.WriteNumber("total", total);
        }

        writer.WriteNumber("weight_exponent", weighted.Exponent);

        writer.WriteEndObject();
    }

    private static void WriteMoments(Utf8JsonWriter writer, Statistics.LossMoments? moments)
    {
        if (moments is not { } m)
        {
            writer.WriteNull("moments");
            return;
        }

        writer.WriteStartObject("moments");
        writer.WriteNumber("count", m.Count);
        foreach (var (name, value) in new[]
                 {
                     ("weight_sum", m.WeightSum), ("weight_squared_sum", m.WeightSquaredSum), ("mean", m.Mean),
                     ("m2", m.M2),
                 })
        {
            writer.WritePropertyName(name);
            WriteDouble(writer, value);
        }

        writer.WriteNumber("weight_exponent", m.WeightExponent);
        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, double[]? values)
    {
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            WriteDouble(writer, v);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// A finite double as its shortest round-trip text (what <see cref="Utf8JsonWriter"/> writes, as
    /// <c>double.ToString("R")</c>: parsing it gives back the same bits, −0 included); NaN and ±∞, which JSON numbers
    /// cannot hold, as the strings "NaN", "Infinity" and "-Infinity".
    /// </summary>
    internal static void WriteDouble(Utf8JsonWriter writer, double v)
    {
        if (double.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteStringValue(ThrowHelper.Format(v));
        }
    }
}
