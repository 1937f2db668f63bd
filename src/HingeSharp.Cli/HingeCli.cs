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
    /// <see cref="CliEnvironment.Error"/>.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="environment">Where to write.</param>
    /// <returns>0 on success, 2 on bad input (one line on standard error, nothing on standard output), 1 on an
    /// internal error.</returns>
    public static int Run(string[] args, CliEnvironment environment)
    {
        var code = RunCommand(args, environment);
        if (code != Success && DistributedRun.Active is { Size: > 1 } comm)
        {
            // A rank that failed ends the whole job (the others may wait in a collective): MPI_Abort.
            environment.Error.Flush();
            comm.Abort(code);
        }

        return code;
    }

    private static int RunCommand(string[] args, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        if (DemoTool.Handles(args))
        {
            return DemoTool.Forward(args, environment);
        }

        var root = CreateRootCommand(environment);
        if (UnknownCommand(root, args) is { } unknown)
        {
            environment.Error.WriteLine($"error: {unknown} (see 'hinge --help').");
            return BadInput;
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command;
            var name = command is RootCommand ? "hinge" : $"hinge {command.Name}";
            environment.Error.WriteLine(
                $"error: {ParseMessages.Humanize(OneLine(parsed.Errors[0].Message))} (see '{name} --help').");
            return BadInput;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = environment.Out,
                Error = environment.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (CliInputException e)
        {
            environment.Error.WriteLine($"error: {OneLine(e.Message)}");
            return BadInput;
        }
        catch (HingeArgumentException e)
        {
            environment.Error.WriteLine($"error: {OneLine(e.Message)}");
            return BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            environment.Error.WriteLine($"error: {OneLine(e.Message)}");
            return BadInput;
        }
        catch (OverflowException e)
        {
            // Sizes and counts come from the inputs (a .npy shape, a state's counts): one too large to compute with is
            // bad input, not an internal failure.
            environment.Error.WriteLine(
                $"error: a size or count in the input is too large to compute with ({OneLine(e.Message)})");
            return BadInput;
        }
        catch (NotSupportedException e) when (e.Message.Contains("seek", StringComparison.OrdinalIgnoreCase))
        {
            // A pipe or terminal given where a file is read more than once (Auto's two passes, row counting).
            environment.Error.WriteLine(
                $"error: an input is a pipe or stream that cannot be rewound ({OneLine(e.Message)}); save it to a " +
                "file first");
            return BadInput;
        }
#pragma warning disable CA1031 // The tool's last resort: one line and exit 1 instead of a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            environment.Error.WriteLine($"error: internal error ({e.GetType().Name}): {OneLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("HINGE_TRACE") is "1")
            {
                environment.Error.WriteLine(e.ToString());
            }

            return InternalError;
        }
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

    /// <summary>"unknown command 'evaluate' (did you mean 'eval'?)" when the first word names no command.</summary>
    private static string? UnknownCommand(RootCommand root, string[] args)
    {
        // Options, response files (@file) and directives ([suggest]) are the parser's to handle.
        if (args.Length == 0 || args[0].Length == 0 || args[0][0] is '-' or '@' or '[' ||
            root.Subcommands.Any(c => c.Name == args[0]))
        {
            return null;
        }

        var names = root.Subcommands.Select(c => c.Name).ToArray();
        var closest = ParseMessages.Closest(args[0], names);
        var hint = closest is null ? string.Empty : $" (did you mean '{closest}'?)";
        return $"unknown command '{ParseMessages.Printable(args[0])}'{hint}; the commands are {string.Join(", ", names)}";
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
}
