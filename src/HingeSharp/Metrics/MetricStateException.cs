namespace HingeSharp.Metrics;

/// <summary>
/// A saved metric state could not be loaded: the text is not JSON, is not a HingeSharp metric state, has an unknown
/// version, or a field is missing, of the wrong type, out of range or inconsistent with the metric it is loaded into.
/// The message names the file (when loading from a path), the field and, for JSON syntax errors, the line and column.
/// It derives from <see cref="IOException"/> (as <see cref="InvalidDataException"/>, which is sealed, would be), so
/// code that handles failed file reads handles bad state files too.
/// </summary>
public sealed class MetricStateException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="field">The JSON field at fault (<c>"measures[1]"</c>, <c>"version"</c>, …), if any.</param>
    /// <param name="line">1-based line of a JSON syntax error, if any.</param>
    /// <param name="column">1-based byte column of a JSON syntax error, if any.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MetricStateException(string message, string? field, long? line = null, long? column = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Field = field;
        Line = line;
        Column = column;
    }

    /// <summary>Creates the exception.</summary>
    public MetricStateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public MetricStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public MetricStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The JSON field at fault (<c>"measures[1]"</c>, <c>"version"</c>, …), or null.</summary>
    public string? Field { get; }

    /// <summary>1-based line of a JSON syntax error, or null.</summary>
    public long? Line { get; }

    /// <summary>1-based byte position in the line of a JSON syntax error, or null.</summary>
    public long? Column { get; }

    /// <summary>The file being loaded, when loading from a path; null for streams.</summary>
    public string? FilePath { get; private init; }

    /// <summary>The same error, with the file's path put in front of the message.</summary>
    internal MetricStateException WithPath(string path) =>
        new($"{path}: {Message}", Field, Line, Column, InnerException) { FilePath = path };
}
