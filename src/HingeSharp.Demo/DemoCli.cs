using System.CommandLine;
using HingeSharp.Cli;
using HingeSharp.Cli.Commands;
using HingeSharp.Demo.Commands;

namespace HingeSharp.Demo;

/// <summary>
/// The <c>hinge-demo</c> tool's entry point: <c>demo</c> (the tutorial's five methods) and <c>bench</c> (the kernel
/// sweep beside torchmetrics' ops in libtorch). The slim <c>hinge</c> forwards <c>hinge demo …</c> and
/// <c>hinge bench --torch|--recipes …</c> here unchanged.
/// </summary>
public static class DemoCli
{
    /// <summary>Runs a command line against the process console.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args) => Run(args, CliEnvironment.FromConsole());

    /// <summary>Runs a command line, writing results to <see cref="CliEnvironment.Out"/> and diagnostics to
    /// <see cref="CliEnvironment.Error"/>.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="environment">Where to write.</param>
    /// <returns>0 on success, 2 on bad input (one line on standard error, nothing on standard output), 1 on an
    /// internal error.</returns>
    public static int Run(string[] args, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        return CliRunner.Run("hinge-demo", CreateRootCommand(environment), args, environment);
    }

    /// <summary>Builds the root command with every subcommand.</summary>
    /// <param name="environment">Where the commands write.</param>
    internal static RootCommand CreateRootCommand(CliEnvironment environment) =>
        new("hinge-demo: the tutorial's hinge-loss methods in C# (TorchSharp) and the benchmarks against libtorch.")
        {
            BenchCommand.Create(environment),
            DemoCommand.Create(environment),
        };
}
