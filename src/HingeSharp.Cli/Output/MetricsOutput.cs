using System.Text.Json;

namespace HingeSharp.Cli.Output;

/// <summary>Writes classification metric values: JSON numbers, arrays (per class) and arrays of rows (confusion
/// matrices; counts as integers), or the same shapes as text.</summary>
internal static class MetricsOutput
{
    /// <summary>Writes <c>"metrics": {name: value, …}</c>.</summary>
    public static void Write(Utf8JsonWriter w, IReadOnlyList<KeyValuePair<string, MetricValue>> metrics)
    {
        w.WriteStartObject("metrics");
        foreach (var (name, value) in metrics)
        {
            w.WritePropertyName(name);
            switch (value.Kind)
            {
                case MetricValueKind.Scalar:
                    w.WriteNumber(value.Value);
                    break;
                case MetricValueKind.Vector:
                    w.WriteStartArray();
                    foreach (var x in value.Values)
                    {
                        w.WriteNumber(x);
                    }

                    w.WriteEndArray();
                    break;
                default:
                    w.WriteStartArray();
                    foreach (var row in value.ToRows())
                    {
                        w.WriteStartArray();
                        foreach (var x in row)
                        {
                            w.WriteNumber(x);
                        }

                        w.WriteEndArray();
                    }

                    w.WriteEndArray();
                    break;
            }
        }

        w.WriteEndObject();
    }

    /// <summary>A value as text: <c>0.5</c>, <c>[0.5, 1]</c> or <c>[[3, 1], [0, 4]]</c>.</summary>
    public static string Text(MetricValue value) => value.Kind switch
    {
        MetricValueKind.Scalar => Formats.Number(value.Value),
        MetricValueKind.Vector => "[" + string.Join(", ", value.Values.Select(Formats.Number)) + "]",
        _ => "[" + string.Join(", ", value.ToRows().Select(r => "[" + string.Join(", ", r.Select(Formats.Number)) + "]")) + "]",
    };
}
