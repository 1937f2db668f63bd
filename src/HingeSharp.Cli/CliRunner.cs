using System.CommandLine;

namespace HingeSharp.Cli;

/// <summary>
/// Runs one command line of a HingeSharp tool (<c>hinge</c>, and <c>hinge-demo</c>, which compiles this file too):
/// parses it, invokes the command and maps failures to exit codes with one line on standard error.
/// </summary>
internal static class CliRunner
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code of an unexpected internal failure.</summary>
    public const int InternalError = 1;

    /// <summary>Exit code of bad input: a bad command line, or a missing, malformed or inconsistent file.</summary>
    public const int BadInput = 2;

    /// <summary>Parses and invokes <paramref name="args"/> against <paramref name="root"/>.</summary>
    /// <param name="tool">The tool's command name, for the <c>see 'hinge --help'</c> hint.</param>
    /// <param name="root">The root command with every subcommand.</param>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="environment">Where to write.</param>
    /// <returns>0 on success, 2 on bad input (one line on standard error, nothing on standard output), 1 on an
    /// internal error.</returns>
    public static int Run(string tool, RootCommand root, string[] args, CliEnvironment environment)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command;
            var name = command is RootCommand ? tool : $"{tool} {command.Name}";
            environment.Error.WriteLine($"error: {OneLine(parsed.Errors[0].Message)} (see '{name} --help').");
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
#pragma warning disable CA1031 // The tool's last resort: one line and exit 1 instead of a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            environment.Error.WriteLine($"error: internal error ({e.GetType().Name}): {OneLine(e.Message)}");
            return InternalError;
        }
    }

    /// <summary>A message on one line: runs of whitespace and line breaks become one space.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
}
