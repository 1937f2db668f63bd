using System.Globalization;
using System.Text.Json;

namespace HingeSharp.Plots.Tests.Support;

/// <summary>Reads the golden fixtures (tests/fixtures, see its README) that give the plots real metric values.</summary>
internal static class Fixtures
{
    private static JsonElement Case(string file, string name)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory,
            "fixtures", file)));
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("name").GetString() == name)
            {
                return c.Clone();
            }
        }

        throw new InvalidOperationException($"{file}: no case named '{name}'");
    }

    private static double[] Data(JsonElement tensor) => tensor.GetProperty("data").EnumerateArray()
        .Select(v => v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : double.Parse(v.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture))
        .ToArray();

    /// <summary>The expected value of every <c>forward</c> op of a streaming case: one metric value per batch,
    /// exactly what the tutorial collects in <c>values</c> before <c>metric.plot(values)</c>.</summary>
    internal static double[][] ForwardValues(string name) => Case("streaming.json", name).GetProperty("ops")
        .EnumerateArray()
        .Where(op => op.GetProperty("op").GetString() == "forward")
        .Select(op => Data(op.GetProperty("expected")))
        .ToArray();

    /// <summary>Margins y·logit (y = 2·target − 1) of a binary_hinge.json logits case.</summary>
    internal static double[] BinaryMargins(string name)
    {
        JsonElement inputs = Case("binary_hinge.json", name).GetProperty("inputs");
        double[] preds = Data(inputs.GetProperty("preds"));
        double[] target = Data(inputs.GetProperty("target"));
        return preds.Select((p, i) => (2 * target[i] - 1) * p).ToArray();
    }
}
