using System.Text.Json;

namespace HingeSharp.Cli.Tests.Infrastructure;

/// <summary>Runs <c>hinge</c> in-process through <see cref="HingeCli.Run(string[], CliEnvironment)"/>.</summary>
internal static class Hinge
{
    public static CliRun Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = HingeCli.Run(args, new CliEnvironment(output, error));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The <c>value</c> of an eval JSON result as a list (NaN for null).</summary>
    public static double[] Values(JsonElement value) => CliRun.Values(value);

    public static double Number(JsonElement e) => CliRun.Number(e);
}
