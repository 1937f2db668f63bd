using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HingeSharp.Cli.Output;

/// <summary>Number and JSON formatting shared by the commands: invariant culture, full precision.</summary>
internal static class Formats
{
    /// <summary>A double with round-trip precision; <c>nan</c>, <c>inf</c>, <c>-inf</c> for non-finite values.</summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A loss: one number, or <c>[a, b, c]</c> per class.</summary>
    public static string Number(HingeLossValue value) => value.IsScalar
        ? Number(value.Value)
        : "[" + string.Join(", ", value.Values.Select(Number)) + "]";

    /// <summary>An integer in the invariant culture.</summary>
    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes a JSON number, or null for NaN/±∞ (which JSON cannot hold).</summary>
    public static void WriteNumber(this Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Writes a loss: a number for a scalar, an array for one-vs-all.</summary>
    public static void WriteLoss(this Utf8JsonWriter writer, HingeLossValue value)
    {
        if (value.IsScalar)
        {
            writer.WriteNumber(value.Value);
            return;
        }

        writer.WriteStartArray();
        foreach (var v in value.Values)
        {
            writer.WriteNumber(v);
        }

        writer.WriteEndArray();
    }

    /// <summary>Builds one JSON document as a string (compact, one line).</summary>
    public static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
