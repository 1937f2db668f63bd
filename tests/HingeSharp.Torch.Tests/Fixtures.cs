using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests;

/// <summary>Reads the golden fixtures in tests/fixtures (copied next to the test assembly).</summary>
internal static class Fixtures
{
    private static readonly ConcurrentDictionary<string, JsonDocument> Documents = new();

    public static IEnumerable<JsonElement> Cases(string file)
        => Documents.GetOrAdd(file, f => JsonDocument.Parse(File.ReadAllText(
            Path.Combine(AppContext.BaseDirectory, "fixtures", f)))).RootElement.GetProperty("cases").EnumerateArray();

    public static JsonElement Case(string file, string name)
        => Cases(file).Single(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> Names(string file, Func<JsonElement, bool>? where = null)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in Cases(file).Where(c => where?.Invoke(c) ?? true))
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    public static long[] Shape(JsonElement spec) => spec.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();

    public static string DType(JsonElement spec) => spec.GetProperty("dtype").GetString()!;

    public static double[] Doubles(JsonElement spec) => spec.GetProperty("data").EnumerateArray().Select(Number).ToArray();

    public static string[] Strings(JsonElement spec)
        => spec.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>The fixture tensor on <paramref name="device"/>; floating tensors optionally widened/narrowed.</summary>
    public static Tensor ToTensor(JsonElement spec, Device device, ScalarType? floatingAs = null,
        bool requiresGrad = false)
    {
        long[] shape = Shape(spec);
        string dtype = DType(spec);
        Tensor cpuTensor = dtype switch
        {
            "float32" or "float64" => tensor(Doubles(spec), ScalarType.Float64)
                .to(floatingAs ?? (dtype == "float32" ? ScalarType.Float32 : ScalarType.Float64)),
            "bool" => tensor(spec.GetProperty("data").EnumerateArray().Select(e => e.GetBoolean()).ToArray()),
            "int64" => tensor(Longs(spec)),
            "int32" => tensor(Longs(spec)).to(ScalarType.Int32),
            "int16" => tensor(Longs(spec)).to(ScalarType.Int16),
            "uint8" => tensor(Longs(spec)).to(ScalarType.Byte),
            _ => throw new NotSupportedException($"fixture dtype {dtype}"),
        };
        Tensor result = cpuTensor.reshape(shape).to(device);
        return requiresGrad ? result.requires_grad_(true) : result;
    }

    public static long[] Longs(JsonElement spec) => spec.GetProperty("data").EnumerateArray().Select(e => e.GetInt64()).ToArray();

    public static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => double.Parse(e.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => e.GetDouble(),
    };

    public static bool Has(this JsonElement e, string property) => e.TryGetProperty(property, out JsonElement v)
        && v.ValueKind != JsonValueKind.Null;
}

/// <summary>The devices the tests run on: the CPU, and CUDA when libtorch reports it available.</summary>
internal static class TestDevices
{
    public static IReadOnlyList<Device> All { get; } = Discover();

    private static List<Device> Discover()
    {
        var devices = new List<Device> { CPU };
        if (cuda.is_available())
        {
            devices.Add(CUDA);
        }

        return devices;
    }
}

/// <summary>Element-wise comparison with |actual − expected| ≤ atol + rtol·|expected|; NaN and ±∞ must match.</summary>
internal static class Close
{
    public static void Equal(double[] expected, Tensor actual, double rtol, double atol, string what)
    {
        double[] values = Values(actual);
        Equal(expected, values, rtol, atol, what);
    }

    public static void Equal(double[] expected, double[] actual, double rtol, double atol, string what)
    {
        Assert.True(expected.Length == actual.Length,
            $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            double a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a)
                : double.IsInfinity(e) ? e == a
                : Math.Abs(a - e) <= atol + (rtol * Math.Abs(e));
            Assert.True(ok, $"{what}[{i}]: expected {e:R}, got {a:R} (rtol {rtol}, atol {atol})");
        }
    }

    public static double[] Values(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().cpu().to(ScalarType.Float64).contiguous().data<double>().ToArray();
    }
}
