using System.Text.Json;

namespace HingeSharp.Cli.Tests.Infrastructure;

/// <summary>What one in-process <c>hinge</c> (or <c>hinge-demo</c>) run returned.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>The standard output parsed as one JSON document (fails the test if it is not exactly that).</summary>
    public JsonElement Json()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}: {Error}");
        var lines = Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        using var doc = JsonDocument.Parse(lines[0]);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts the bad-input contract: exit 2, nothing on stdout, one line on stderr; returns that line.</summary>
    public string BadInput()
    {
        Assert.True(ExitCode == CliRunner.BadInput, $"expected exit 2, got {ExitCode}; stderr: {Error}; stdout: {Out}");
        Assert.Equal(string.Empty, Out);
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        return lines[0];
    }

    /// <summary>The <c>value</c> of an eval JSON result as a list (NaN for null).</summary>
    public static double[] Values(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().Select(Number).ToArray(),
        _ => [Number(value)],
    };

    /// <summary>A JSON number, NaN for null.</summary>
    public static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();
}
