namespace HingeSharp.Svm;

/// <summary>
/// A saved linear model could not be loaded: the text is not JSON (a truncated file), not a HingeSharp linear model,
/// of another version, or a field is missing, mistyped or inconsistent. The message names the file (when loading from
/// a path), the field and, for JSON syntax errors, the line and column. Derives from <see cref="IOException"/>.
/// </summary>
public sealed class LinearModelException : IOException
{
    /// <summary>Creates the exception.</summary>
    public LinearModelException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public LinearModelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public LinearModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
