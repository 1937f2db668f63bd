namespace HingeSharp.Distributed;

/// <summary>How <see cref="Communicator.Allreduce(Span{double}, ReduceOperation)"/> combines the ranks' values,
/// element by element.</summary>
public enum ReduceOperation
{
    /// <summary>The sum over the ranks (<c>MPI_SUM</c>).</summary>
    Sum = 0,

    /// <summary>The largest value (<c>MPI_MAX</c>).</summary>
    Max = 1,

    /// <summary>The smallest value (<c>MPI_MIN</c>).</summary>
    Min = 2,
}
