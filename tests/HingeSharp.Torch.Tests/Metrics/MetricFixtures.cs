using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>Loads the golden fixtures (tests/fixtures/*.json, copied next to the test assembly) as tensors.</summary>
internal static class MetricFixtures
{
    private static readonly ConcurrentDictionary<string, JsonDocument> Cache = new();

    public static IEnumerable<JsonElement> Cases(string file) => Cache.GetOrAdd(file, static f =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", f))))
        .RootElement.GetProperty("cases").EnumerateArray();

    public static JsonElement Case(string file, string name) =>
        Cases(file).First(c => c.GetProperty("name").GetString() == name);

    /// <summary>Every case name of a file crossed with every available device: one theory row each.</summary>
    public static TheoryData<string, string> OnDevices(string file, Func<JsonElement, bool>? filter = null)
    {
        var data = new TheoryData<string, string>();
        foreach (var device in TorchDevices.Available)
        {
            foreach (var c in Cases(file))
            {
                if (filter is null || filter(c))
                {
                    data.Add(device, c.GetProperty("name").GetString()!);
                }
            }
        }

        return data;
    }

    public static JsonElement? Opt(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v
            : null;

    public static double ParseDouble(JsonElement x) => x.ValueKind switch
    {
        JsonValueKind.String => double.Parse(x.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => x.GetDouble(),
    };

    public static double[] Doubles(JsonElement t) =>
        t.GetProperty("data").EnumerateArray().Select(ParseDouble).ToArray();

    public static string Dtype(JsonElement t) => t.GetProperty("dtype").GetString()!;

    public static bool IsFloat32(JsonElement t) => Dtype(t) == "float32";

    public static long[] Shape(JsonElement t) =>
        t.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();

    /// <summary>The fixture tensor as a TorchSharp tensor of its own dtype and shape, on <paramref
    /// name="device"/>.</summary>
    public static Tensor ToTensor(JsonElement t, string device)
    {
        var d = Doubles(t);
        using var flat = Dtype(t) switch
        {
            "float32" => torch.tensor(d.Select(x => (float)x).ToArray()),
            "float64" => torch.tensor(d),
            "int64" => torch.tensor(d.Select(x => (long)x).ToArray()),
            "int32" => torch.tensor(d.Select(x => (int)x).ToArray()),
            "int16" => torch.tensor(d.Select(x => (short)x).ToArray()),
            "uint8" => torch.tensor(d.Select(x => (byte)x).ToArray()),
            "bool" => torch.tensor(d.Select(x => x != 0).ToArray()),
            var other => throw new NotSupportedException($"fixture dtype {other}"),
        };
        using var shaped = flat.reshape(Shape(t));
        return shaped.to(new Device(device));
    }

    /// <summary>A tensor's values on the host, as doubles.</summary>
    public static double[] Values(Tensor t)
    {
        using var cpu = t.to_type(ScalarType.Float64).cpu();
        return cpu.data<double>().ToArray();
    }
}

/// <summary>The devices tests run on: the CPU always, CUDA when libtorch sees a GPU.</summary>
internal static class TorchDevices
{
    public static IReadOnlyList<string> Available { get; } = torch.cuda.is_available() ? ["cpu", "cuda"] : ["cpu"];
}

internal static class Approx
{
    /// <summary>Float32 computations against the oracle's float32 output.</summary>
    public const double Float32Relative = 2e-6;

    /// <summary>Double computations against the oracle's float64 output.</summary>
    public const double Float64Relative = 1e-12;

    public static void Equal(double expected, double actual, double relative, string? what = null)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual:R}");
            return;
        }

        if (double.IsInfinity(expected))
        {
            Assert.Equal(expected, actual);
            return;
        }

        var tolerance = relative * Math.Max(1.0, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} " +
            $"(|diff| {Math.Abs(expected - actual):E3} > {tolerance:E3})");
    }

    public static void Equal(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative,
        string? what = null)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: expected {expected.Count} values, got {actual.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            Equal(expected[i], actual[i], relative, $"{what}[{i}]");
        }
    }
}
