namespace HingeSharp.Distributed;

/// <summary>Ranks that should agree do not (different metric types or settings, different flags): thrown on every
/// rank alike, so that no rank is left waiting in a collective.</summary>
public sealed class DistributedMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public DistributedMismatchException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What differs, naming the ranks.</param>
    public DistributedMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What differs.</param>
    /// <param name="innerException">The cause.</param>
    public DistributedMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
