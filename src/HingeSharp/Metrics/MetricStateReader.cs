using System.Globalization;
using System.Text.Json;

namespace HingeSharp.Metrics;

/// <summary>
/// Parses and checks a saved metric state strictly: every field of the format must be present (only
/// <c>update_count</c> may be left out), of the right JSON type and in range; unknown or repeated fields are errors.
/// Nothing is returned until the whole document has been checked.
/// </summary>
internal static class MetricStateReader
{
    private static readonly string[] BinaryFields =
    [
        "format", "version", "metric", "squared", "ignore_index", "validate_args", "input_kind", "non_finite",
        "measures", "total", "update_count",
    ];

    private static readonly string[] MulticlassFields = [.. BinaryFields, "num_classes", "multiclass_mode"];

    internal static MetricStateDocument Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            // JsonException's own position suffix (" LineNumber: 0 | BytePositionInLine: 1.") is 0-based; drop it.
            var reason = ex.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = cut >= 0 ? reason[..cut] : reason;
            throw new MetricStateException(
                $"not valid JSON at line {line}, column {column}: {reason}", null, line, column, ex);
        }

        using (json)
        {
            return Read(json.RootElement);
        }
    }

    private static MetricStateDocument Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error($"a metric state is a JSON object, but the document holds {Describe(root)}.", null);
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!fields.TryAdd(property.Name, property.Value))
            {
                throw Error($"field `{property.Name}` appears more than once.", property.Name);
            }
        }

        var format = fields.TryGetValue("format", out var f) && f.ValueKind == JsonValueKind.String
            ? f.GetString()
            : null;
        if (format != MetricState.FormatName)
        {
            var got = fields.TryGetValue("format", out var g) ? Describe(g) : "missing";
            throw Error($"not a HingeSharp metric state: `format` is {got} (expected \"{MetricState.FormatName}\").",
                "format");
        }

        var version = Integer(fields, "version", 1, int.MaxValue);
        if (version != MetricState.FormatVersion)
        {
            throw Error($"`version` is {version}, but this HingeSharp reads metric states of version " +
                $"{MetricState.FormatVersion} only (a file from a newer HingeSharp?).", "version");
        }

        var metric = String(fields, "metric");
        if (metric is not (MetricStateDocument.BinaryName or MetricStateDocument.MulticlassName))
        {
            throw Error($"`metric` is \"{metric}\": expected \"{MetricStateDocument.BinaryName}\" or " +
                $"\"{MetricStateDocument.MulticlassName}\".", "metric");
        }

        var multiclass = metric == MetricStateDocument.MulticlassName;
        foreach (var name in fields.Keys)
        {
            if (!(multiclass ? MulticlassFields : BinaryFields).Contains(name))
            {
                throw Error($"unknown field `{name}` in a version 1 {metric} state.", name);
            }
        }

        var squared = Boolean(fields, "squared");
        var ignoreIndex = Required(fields, "ignore_index").ValueKind == JsonValueKind.Null
            ? (int?)null
            : (int)Integer(fields, "ignore_index", int.MinValue, int.MaxValue);
        var validateArgs = Boolean(fields, "validate_args");
        var inputKind = Choice(fields, "input_kind", Enum.GetValues<HingeInputKind>(), MetricStateDocument.Name);
        var nonFinite = Choice(fields, "non_finite", Enum.GetValues<NonFiniteHandling>(), MetricStateDocument.Name);
        int? numClasses = null;
        MulticlassMode? mode = null;
        if (multiclass)
        {
            numClasses = (int)Integer(fields, "num_classes", 2, int.MaxValue);
            mode = Choice(fields, "multiclass_mode", Enum.GetValues<MulticlassMode>(), MetricStateDocument.Name);
        }

        var measures = Measures(fields, mode == MulticlassMode.OneVsAll ? numClasses!.Value : 1, metric, mode);
        var total = Integer(fields, "total", 0, long.MaxValue);
        var updateCount = fields.ContainsKey("update_count") ? Integer(fields, "update_count", 0, long.MaxValue) : 0;
        if (total == 0 && measures.Any(m => m != 0))
        {
            throw Error("`measures` must all be 0 when `total` is 0 (no element was counted).", "measures");
        }

        return new MetricStateDocument(metric, squared, ignoreIndex, validateArgs, inputKind, nonFinite, numClasses,
            mode, measures, total, updateCount);
    }

    private static double[] Measures(Dictionary<string, JsonElement> fields, int count, string metric,
        MulticlassMode? mode)
    {
        var array = Required(fields, "measures");
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Error($"`measures` must be an array of numbers, but got {Describe(array)}.", "measures");
        }

        if (array.GetArrayLength() != count)
        {
            var what = mode is { } m ? $"a {metric} in {MetricStateDocument.Name(m)} mode" : $"a {metric}";
            throw Error($"`measures` must hold {count} value{(count == 1 ? "" : "s")} for {what}, but holds " +
                $"{array.GetArrayLength()}.", "measures");
        }

        var values = new double[count];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var field = $"measures[{i}]";
            values[i] = item.ValueKind switch
            {
                JsonValueKind.Number => ParseNumber(item, field),
                JsonValueKind.String => item.GetString() switch
                {
                    "NaN" => double.NaN,
                    "Infinity" => double.PositiveInfinity,
                    "-Infinity" => double.NegativeInfinity,
                    _ => throw Error($"`{field}` is {Describe(item)}: expected a JSON number, or \"NaN\", " +
                        "\"Infinity\" or \"-Infinity\".", field),
                },
                _ => throw Error($"`{field}` must be a number, but got {Describe(item)}.", field),
            };
            if (values[i] < 0)
            {
                throw Error($"`{field}` = {ThrowHelper.Format(values[i])} is negative, but hinge losses are never " +
                    "negative.", field);
            }

            i++;
        }

        return values;
    }

    private static double ParseNumber(JsonElement item, string field)
    {
        var text = item.GetRawText();
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw Error($"`{field}` = {text} is out of the range of a double.", field);
        }

        return value;
    }

    private static JsonElement Required(Dictionary<string, JsonElement> fields, string name) =>
        fields.TryGetValue(name, out var value) ? value : throw Error($"field `{name}` is missing.", name);

    private static long Integer(Dictionary<string, JsonElement> fields, string name, long min, long max)
    {
        var e = Required(fields, name);
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var value) || value < min || value > max)
        {
            var range = min == int.MinValue ? "a 32-bit integer"
                : max == long.MaxValue ? $"an integer ≥ {min}"
                : $"an integer from {min} to {max}";
            throw Error($"`{name}` must be {range}, but got {Describe(e)}.", name);
        }

        return value;
    }

    private static bool Boolean(Dictionary<string, JsonElement> fields, string name)
    {
        var e = Required(fields, name);
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"`{name}` must be true or false, but got {Describe(e)}.", name),
        };
    }

    private static string String(Dictionary<string, JsonElement> fields, string name)
    {
        var e = Required(fields, name);
        return e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw Error($"`{name}` must be a string, but got {Describe(e)}.", name);
    }

    private static T Choice<T>(Dictionary<string, JsonElement> fields, string name, T[] values, Func<T, string> spell)
    {
        var text = String(fields, name);
        foreach (var v in values)
        {
            if (spell(v) == text)
            {
                return v;
            }
        }

        throw Error($"`{name}` is \"{text}\": expected one of " +
            string.Join(", ", values.Select(v => $"\"{spell(v)}\"")) + ".", name);
    }

    /// <summary>A JSON value for a message: its text (shortened) and kind.</summary>
    private static string Describe(JsonElement e)
    {
        var text = e.GetRawText();
        if (text.Length > 40)
        {
            text = text[..37] + "...";
        }

        return e.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => $"an array {text}",
            JsonValueKind.String => $"the string {text}",
            JsonValueKind.Null => "null",
            _ => text,
        };
    }

    private static MetricStateException Error(string message, string? field) => new(message, field);
}
