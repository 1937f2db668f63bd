namespace HingeSharp.Cli;

/// <summary>
/// Bad input to a <c>hinge</c> command (a missing or malformed file, rows that do not match, an invalid value):
/// reported as one line on standard error, exit code 2, nothing on standard output.
/// </summary>
public sealed class CliInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The whole line, naming the file and the place (line/row/column) where there is one.</param>
    public CliInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">The whole line.</param>
    /// <param name="innerException">The cause.</param>
    public CliInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public CliInputException()
    {
    }

    /// <summary>A bad input about a file: <c>FILE: PLACE: what</c>, the place left out when null.</summary>
    /// <param name="file">The file as the user named it.</param>
    /// <param name="place">Where in the file, e.g. <c>line 14, column 2</c>, or null.</param>
    /// <param name="what">What is wrong.</param>
    internal static CliInputException InFile(string file, string? place, string what) =>
        new(place is null ? $"{file}: {what}" : $"{file}: {place}: {what}");
}
