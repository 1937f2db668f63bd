using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace HingeSharp.Cli.Tests.Infrastructure;

/// <summary>Loads the golden fixtures (tests/fixtures/*.json, copied next to the test assembly).</summary>
internal static class Fixtures
{
    private static readonly ConcurrentDictionary<string, JsonDocument> Cache = new();

    public static JsonElement Root(string file) => Cache.GetOrAdd(file, static f =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", f)))).RootElement;

    public static IEnumerable<JsonElement> Cases(string file) => Root(file).GetProperty("cases").EnumerateArray();

    public static TheoryData<string> Names(string file, Func<JsonElement, bool>? filter = null)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases(file))
        {
            if (filter is null || filter(c))
            {
                data.Add(c.GetProperty("name").GetString()!);
            }
        }

        return data;
    }

    public static JsonElement Case(string file, string name) =>
        Cases(file).First(c => c.GetProperty("name").GetString() == name);

    public static JsonElement? Opt(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v
            : null;
}

/// <summary>Reads the fixtures' tensor objects: <c>{"dtype", "shape", "data"}</c>.</summary>
internal static class Tensor
{
    public static string Dtype(JsonElement t) => t.GetProperty("dtype").GetString()!;

    public static int[] Shape(JsonElement t) =>
        t.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();

    public static double ParseDouble(JsonElement x) => x.ValueKind switch
    {
        JsonValueKind.String => double.Parse(x.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => x.GetDouble(),
    };

    public static double[] Doubles(JsonElement t) =>
        t.GetProperty("data").EnumerateArray().Select(ParseDouble).ToArray();

    public static float[] Floats(JsonElement t) => Doubles(t).Select(d => (float)d).ToArray();

    public static long[] Longs(JsonElement t) => Doubles(t).Select(d => (long)d).ToArray();
}
