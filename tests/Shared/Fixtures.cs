using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Xunit;

// Shared by the test projects that read tests/fixtures (linked into each project; see its csproj).
namespace HingeSharp.Testing;

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

    public static string Api(this JsonElement c) => c.GetProperty("api").GetString()!;

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

    public static long[] Longs(JsonElement t) =>
        t.GetProperty("data").EnumerateArray().Select(x => (long)ParseDouble(x)).ToArray();

    public static bool IsFloat32(JsonElement t) => Dtype(t) == "float32";

    public static bool AllFinite(JsonElement t) => Doubles(t).All(double.IsFinite);

    /// <summary>Calls <paramref name="visitor"/> with the target typed as its fixture dtype.</summary>
    public static TResult WithTyped<TResult>(JsonElement t, ITargetVisitor<TResult> visitor)
    {
        var d = Doubles(t);
        return Dtype(t) switch
        {
            "int64" => visitor.Visit(d.Select(x => (long)x).ToArray()),
            "int32" => visitor.Visit(d.Select(x => (int)x).ToArray()),
            "int16" => visitor.Visit(d.Select(x => (short)x).ToArray()),
            "uint8" => visitor.Visit(d.Select(x => (byte)x).ToArray()),
            "bool" => visitor.Visit(d.Select(x => (byte)(x != 0 ? 1 : 0)).ToArray()),
            "float32" => visitor.Visit(d.Select(x => (float)x).ToArray()),
            "float64" => visitor.Visit(d),
            var other => throw new NotSupportedException($"target dtype {other}"),
        };
    }
}

internal interface ITargetVisitor<out TResult>
{
    TResult Visit<TTarget>(TTarget[] target)
        where TTarget : unmanaged, System.Numerics.INumberBase<TTarget>;
}
