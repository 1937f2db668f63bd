using System.Globalization;
using System.Text.Json;

namespace HingeSharp.Torch.Tests.Support;

/// <summary>Reads tests/fixtures/*.json (copied next to the test assembly): cases by name, tensors as doubles.</summary>
internal static class GoldenFixture
{
    private static readonly Dictionary<string, JsonDocument> Cache = [];
    private static readonly Lock Gate = new();

    public static TheoryData<string> Names(string file)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in Cases(file))
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    public static JsonElement Case(string file, string name)
        => Cases(file).Single(c => c.GetProperty("name").GetString() == name);

    public static double Parse(JsonElement value) => value.ValueKind == JsonValueKind.Number
        ? value.GetDouble()
        : double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A fixture tensor: (shape, row-major values).</summary>
    public static (long[] Shape, double[] Data) Tensor(JsonElement tensor)
    {
        long[] shape = tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        double[] data = tensor.GetProperty("data").EnumerateArray().Select(Parse).ToArray();
        return (shape, data);
    }

    private static JsonElement.ArrayEnumerator Cases(string file)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(file, out JsonDocument? doc))
            {
                string path = Path.Combine(AppContext.BaseDirectory, "fixtures", file);
                doc = JsonDocument.Parse(File.ReadAllText(path));
                Cache[file] = doc;
            }

            return doc.RootElement.GetProperty("cases").EnumerateArray();
        }
    }
}
