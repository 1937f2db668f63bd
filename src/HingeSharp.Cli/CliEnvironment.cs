using Spectre.Console;

namespace HingeSharp.Cli;

/// <summary>
/// Where a <c>hinge</c> run writes: standard output and error, and whether each is a terminal (tables and progress
/// bars) or redirected (plain lines). Tests pass string writers; <see cref="FromConsole"/> is the real process.
/// </summary>
/// <param name="Out">Standard output: results only.</param>
/// <param name="Error">Standard error: diagnostics and progress.</param>
/// <param name="OutIsTerminal">Standard output is an interactive terminal that understands ANSI.</param>
/// <param name="ErrorIsTerminal">Standard error is an interactive terminal that understands ANSI.</param>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error, bool OutIsTerminal = false,
    bool ErrorIsTerminal = false)
{
    /// <summary>The process console, with terminal detection from <see cref="Console"/> and Spectre.Console.</summary>
    public static CliEnvironment FromConsole()
    {
        var ansi = AnsiConsole.Profile.Capabilities.Ansi && AnsiConsole.Profile.Capabilities.Interactive;
        return new CliEnvironment(Console.Out, Console.Error,
            OutIsTerminal: ansi && !Console.IsOutputRedirected,
            ErrorIsTerminal: ansi && !Console.IsErrorRedirected);
    }

    /// <summary>A Spectre console writing to <see cref="Out"/> (only used when it is a terminal).</summary>
    internal IAnsiConsole OutConsole() => CreateConsole(Out, OutIsTerminal);

    /// <summary>A Spectre console writing to <see cref="Error"/> (progress bars).</summary>
    internal IAnsiConsole ErrorConsole() => CreateConsole(Error, ErrorIsTerminal);

    private static IAnsiConsole CreateConsole(TextWriter writer, bool terminal) => AnsiConsole.Create(
        new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
}
