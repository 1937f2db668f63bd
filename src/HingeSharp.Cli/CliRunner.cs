using System.CommandLine;

namespace HingeSharp.Cli;

/// <summary>
/// Runs one command line of a HingeSharp tool — <c>hinge</c> (<see cref="HingeCli"/>) and <c>hinge-demo</c>, which
/// compiles this file too — the one place where a command line is parsed, invoked and its failures turned into exit
/// codes with one line on standard error: unknown commands (with the nearest name), parse errors in words (no .NET
/// type names), bad input, unreadable files, sizes too large to compute with, pipes that cannot be rewound, and any
/// other exception as an internal error (<c>HINGE_TRACE=1</c> adds the stack trace). A failing rank of a
/// <c>--distributed</c> run ends the whole MPI job.
/// </summary>
internal static class CliRunner
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code of an unexpected internal failure.</summary>
    public const int InternalError = 1;

    /// <summary>Exit code of bad input: a bad command line, or a missing, malformed or inconsistent file.</summary>
    public const int BadInput = 2;

    /// <summary>Parses and invokes <paramref name="args"/> against <paramref name="root"/>; when the run fails on one
    /// rank of a distributed job (<see cref="DistributedRun.Active"/>), aborts the job (the other ranks may be waiting
    /// in a collective).</summary>
    /// <param name="tool">The tool's command name, for the <c>see 'hinge --help'</c> hint.</param>
    /// <param name="root">The root command with every subcommand.</param>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="environment">Where to write.</param>
    /// <returns>0 on success, 2 on bad input (one line on standard error, nothing on standard output), 1 on an
    /// internal error.</returns>
    public static int Run(string tool, RootCommand root, string[] args, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var code = RunCommand(tool, root, args, environment);
        if (code != Success && DistributedRun.Active is { Size: > 1 } comm)
        {
            environment.Error.Flush();
            comm.Abort(code);
        }

        return code;
    }

    private static int RunCommand(string tool, RootCommand root, string[] args, CliEnvironment environment)
    {
        if (UnknownCommand(root, args) is { } unknown)
        {
            environment.Error.WriteLine($"error: {unknown} (see '{tool} --help').");
            return BadInput;
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command;
            var name = command is RootCommand ? tool : $"{tool} {command.Name}";
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
        catch (Exception e) when (e is CliInputException or HingeArgumentException or IOException
            or UnauthorizedAccessException)
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

    /// <summary>A message on one line: runs of whitespace and line breaks become one space.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
}
