using System.Globalization;
using System.Text.Json;

namespace HingeSharp.Metrics;

/// <summary>What a double field may hold.</summary>
internal enum Rule
{
    /// <summary>A loss sum or mean: ≥ 0, or NaN / +∞ (possible with non-finite predictions propagated).</summary>
    Loss,

    /// <summary>A weight sum: ≥ 0 or +∞, never NaN (weights are checked finite and non-negative).</summary>
    Weight,
}

/// <summary>
/// The fields of one JSON object of a saved state, with typed, range-checked access. Every error is a
/// <see cref="MetricStateException"/> naming the field by its path (<c>weighted.measures[1]</c>).
/// </summary>
internal sealed class StateFields
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private readonly string _prefix;

    public StateFields(JsonElement obj, string prefix)
    {
        _prefix = prefix;
        foreach (var property in obj.EnumerateObject())
        {
            if (!_fields.TryAdd(property.Name, property.Value))
            {
                throw Error($"field `{prefix}{property.Name}` appears more than once.", prefix + property.Name);
            }
        }
    }

    public bool Has(string name) => _fields.ContainsKey(name);

    public bool IsNull(string name) => Raw(name).ValueKind == JsonValueKind.Null;

    public JsonElement Raw(string name) => _fields.TryGetValue(name, out var value)
        ? value
        : throw Error($"field `{_prefix}{name}` is missing.", _prefix + name);

    public void OnlyKnown(string[] allowed, string where)
    {
        foreach (var name in _fields.Keys.Where(n => !allowed.Contains(n)))
        {
            throw Error($"unknown field `{_prefix}{name}` in {where}.", _prefix + name);
        }
    }

    public StateFields Object(string name)
    {
        var e = Raw(name);
        return e.ValueKind == JsonValueKind.Object
            ? new StateFields(e, $"{_prefix}{name}.")
            : throw Error($"`{_prefix}{name}` must be an object or null, but got {Describe(e)}.", _prefix + name);
    }

    public long Integer(string name, long min, long max)
    {
        var e = Raw(name);
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var value) || value < min || value > max)
        {
            var range = min == int.MinValue ? "a 32-bit integer"
                : max == long.MaxValue ? $"an integer ≥ {min}"
                : $"an integer from {min} to {max}";
            throw Error($"`{_prefix}{name}` must be {range}, but got {Describe(e)}.", _prefix + name);
        }

        return value;
    }

    public bool Boolean(string name)
    {
        var e = Raw(name);
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"`{_prefix}{name}` must be true or false, but got {Describe(e)}.", _prefix + name),
        };
    }

    public string String(string name)
    {
        var e = Raw(name);
        return e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw Error($"`{_prefix}{name}` must be a string, but got {Describe(e)}.", _prefix + name);
    }

    public T Choice<T>(string name, T[] values, Func<T, string> spell)
    {
        var text = String(name);
        foreach (var v in values)
        {
            if (spell(v) == text)
            {
                return v;
            }
        }

        throw Error($"`{_prefix}{name}` is \"{text}\": expected one of " +
            string.Join(", ", values.Select(v => $"\"{spell(v)}\"")) + ".", _prefix + name);
    }

    public double Double(string name, Rule rule) => Value(Raw(name), _prefix + name, rule);

    /// <summary>An array of exactly <paramref name="count"/> doubles.</summary>
    public double[] Doubles(string name, int count, string what, Rule rule)
    {
        var array = Array(name, count, what);
        var values = new double[count];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i] = Value(item, $"{_prefix}{name}[{i}]", rule);
            i++;
        }

        return values;
    }

    /// <summary>An array of exactly <paramref name="count"/> integers ≥ 0.</summary>
    public long[] Integers(string name, int count, string what)
    {
        var array = Array(name, count, what);
        var values = new long[count];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out values[i]) || values[i] < 0)
            {
                throw Error($"`{_prefix}{name}[{i}]` must be an integer ≥ 0, but got {Describe(item)}.",
                    $"{_prefix}{name}[{i}]");
            }

            i++;
        }

        return values;
    }

    /// <summary>Absent or null for none, else exactly <paramref name="count"/> finite weights ≥ 0.</summary>
    public double[]? Weights(string name, int count)
    {
        if (!Has(name) || IsNull(name))
        {
            return null;
        }

        var values = Doubles(name, count, $"{count} classes", Rule.Weight);
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw Error($"`{_prefix}{name}[{i}]` = {ThrowHelper.Format(values[i])} is not a finite weight.",
                    $"{_prefix}{name}[{i}]");
            }
        }

        return values;
    }

    private JsonElement Array(string name, int count, string what)
    {
        var array = Raw(name);
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Error($"`{_prefix}{name}` must be an array of numbers, but got {Describe(array)}.", _prefix + name);
        }

        if (array.GetArrayLength() != count)
        {
            throw Error($"`{_prefix}{name}` must hold {count} value{(count == 1 ? "" : "s")} for {what}, but holds " +
                $"{array.GetArrayLength()}.", _prefix + name);
        }

        return array;
    }

    private static double Value(JsonElement item, string field, Rule rule)
    {
        var value = item.ValueKind switch
        {
            JsonValueKind.Number => ParseNumber(item, field),
            JsonValueKind.String => item.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                _ => throw Error($"`{field}` is {Describe(item)}: expected a JSON number, or \"NaN\", \"Infinity\" " +
                    "or \"-Infinity\".", field),
            },
            _ => throw Error($"`{field}` must be a number, but got {Describe(item)}.", field),
        };
        if (value < 0)
        {
            var what = rule == Rule.Loss ? "hinge losses are" : "weights are";
            throw Error($"`{field}` = {ThrowHelper.Format(value)} is negative, but {what} never negative.", field);
        }

        if (rule == Rule.Weight && double.IsNaN(value))
        {
            throw Error($"`{field}` is NaN, but weight sums are numbers ≥ 0.", field);
        }

        return value;
    }

    private static double ParseNumber(JsonElement item, string field)
    {
        var text = item.GetRawText();
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(value)
            ? value
            : throw Error($"`{field}` = {text} is out of the range of a double.", field);
    }

    /// <summary>A JSON value for a message: its text (shortened) and kind.</summary>
    public static string Describe(JsonElement e)
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

    public static MetricStateException Error(string message, string? field) => new(message, field);
}
