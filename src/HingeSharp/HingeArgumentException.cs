namespace HingeSharp;

/// <summary>
/// Bad input to a hinge loss or metric. <see cref="ArgumentException.ParamName"/> names the argument
/// (<c>preds</c>, <c>target</c>, …); <see cref="Index"/> gives the flat element (or row) index of the first offending
/// value when there is one, so callers reading files can translate it into a line or a row.
/// </summary>
public sealed class HingeArgumentException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="paramName">The argument at fault.</param>
    /// <param name="message">What is wrong, naming the value and where it is.</param>
    /// <param name="index">Flat index of the offending element, or <see langword="null"/>.</param>
    public HingeArgumentException(string paramName, string message, long? index = null)
        : base(message, paramName)
    {
        Index = index;
    }

    /// <summary>Creates the exception without an argument name.</summary>
    public HingeArgumentException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public HingeArgumentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public HingeArgumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Flat index (element, or row for multiclass targets) of the first offending value, if any.</summary>
    public long? Index { get; }

    /// <summary>The message without the " (Parameter 'x')" suffix that <see cref="ArgumentException"/> appends.</summary>
    public string Reason => base.Message.Replace($" (Parameter '{ParamName}')", string.Empty, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string Message => Reason;
}
