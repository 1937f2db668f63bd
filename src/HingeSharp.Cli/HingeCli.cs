using System.CommandLine;
using HingeSharp.Cli.Commands;
using HingeSharp.Cli.Forwarding;

namespace HingeSharp.Cli;

/// <summary>
/// The <c>hinge</c> tool's entry point. <see cref="Run(string[], CliEnvironment)"/> runs one command line in-process
/// with any output writers (tests use it); <see cref="Run(string[])"/> is the process entry point.
/// </summary>
public static class HingeCli
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = CliRunner.Success;

    /// <summary>Exit code of an unexpected internal failure.</summary>
    public const int InternalError = CliRunner.InternalError;

    /// <summary>Exit code of bad input: a bad command line, or a missing, malformed or inconsistent file.</summary>
    public const int BadInput = CliRunner.BadInput;

    /// <summary>Runs a command line against the process console.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args) => Run(args, CliEnvironment.FromConsole());

    /// <summary>Runs a command line, writing results to <see cref="CliEnvironment.Out"/> and diagnostics to
    /// <see cref="CliEnvironment.Error"/>: the command lines of <c>hinge-demo</c> (<c>demo …</c>,
    /// <c>bench --torch|--recipes …</c>) are forwarded to it; every other one runs here through
    /// <see cref="CliRunner.Run"/>, the error handling both tools share.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="environment">Where to write.</param>
    /// <returns>0 on success, 2 on bad input (one line on standard error, nothing on standard output), 1 on an
    /// internal error; a forwarded command line's exit code.</returns>
    public static int Run(string[] args, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        return DemoTool.Handles(args)
            ? DemoTool.Forward(args, environment)
            : CliRunner.Run("hinge", CreateRootCommand(environment), args, environment);
    }

    /// <summary>Builds the root command with every subcommand.</summary>
    /// <param name="environment">Where the commands write.</param>
    internal static RootCommand CreateRootCommand(CliEnvironment environment) =>
        new("hinge: hinge losses and metrics with torchmetrics 1.9 semantics on prediction files.")
        {
            BenchCommand.Create(environment),
            DemoTool.CreateCommand(),
            EvalCommand.Create(environment),
            MergeCommand.Create(environment),
            ReportCommand.Create(environment),
            SvmCommand.Create(environment),
        };
}
