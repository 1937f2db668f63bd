namespace HingeSharp.Demo.Tests.Infrastructure;

/// <summary>Runs <c>hinge-demo</c> in-process through <see cref="DemoCli.Run(string[], CliEnvironment)"/>.</summary>
internal static class HingeDemo
{
    public static CliRun Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = DemoCli.Run(args, new CliEnvironment(output, error));
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
