namespace HingeSharp.Metrics;

/// <summary>
/// The small metric abstraction every HingeSharp metric shares (torchmetrics' <c>Metric</c>): state that
/// <c>Update</c> accumulates, <see cref="Compute"/> reads and <see cref="Reset"/> clears. Subclasses validate a batch
/// completely before touching their state, so a rejected update leaves the metric exactly as it was.
/// </summary>
/// <typeparam name="TResult">What <see cref="Compute"/> returns.</typeparam>
/// <remarks>
/// A metric instance is not thread-safe: update it from one thread at a time. To evaluate in parallel, give each
/// thread (or process) its own metric and combine them with <c>Merge</c> (docs/concurrency.md shows the pattern; a
/// fixed merge order gives bit-identical results). Across processes, save each shard with <c>SaveState</c> and
/// combine the files with <see cref="MetricState.Load(Stream)"/> and <see cref="MetricState.Merge"/>.
/// </remarks>
public abstract class Metric<TResult>
{
    /// <summary>How many updates (or forwards) were accepted since construction or the last <see cref="Reset"/>.</summary>
    public long UpdateCount { get; private set; }

    /// <summary>
    /// The metric over everything accumulated so far. Before any update it is NaN (torchmetrics also warns then);
    /// computing does not change the state.
    /// </summary>
    public abstract TResult Compute();

    /// <summary>Clears the accumulated state, as if the metric were new.</summary>
    public void Reset()
    {
        ResetState();
        UpdateCount = 0;
    }

    /// <summary>Clears the subclass's state.</summary>
    protected abstract void ResetState();

    /// <summary>Records that an update was accepted; call after the state was committed.</summary>
    protected void MarkUpdated() => UpdateCount++;

    /// <summary>Sets the update count when a saved state is restored.</summary>
    /// <param name="updateCount">The saved count, not negative.</param>
    internal void RestoreUpdateCount(long updateCount) => UpdateCount = updateCount;

    /// <summary>
    /// Checks, before a merge touches any state, that the merged counts fit in 64 bits: the element (row) count
    /// <paramref name="mine"/> + <paramref name="theirs"/> and the update count. A tampered or absurd state must give a
    /// clear error, not a negative count.
    /// </summary>
    /// <param name="mine">This metric's count.</param>
    /// <param name="theirs">The other metric's count.</param>
    /// <param name="other">The metric being merged.</param>
    /// <exception cref="HingeArgumentException">A sum of counts overflows.</exception>
    protected void CheckMergedCounts(long mine, long theirs, Metric<TResult> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (theirs > long.MaxValue - mine)
        {
            throw new HingeArgumentException(nameof(other),
                $"Cannot merge: the counts {mine} + {theirs} exceed the largest count a state holds " +
                $"({long.MaxValue}).");
        }

        if (other.UpdateCount > long.MaxValue - UpdateCount)
        {
            throw new HingeArgumentException(nameof(other),
                $"Cannot merge: the update counts {UpdateCount} + {other.UpdateCount} exceed {long.MaxValue}.");
        }
    }

    /// <summary>Adds another instance's update count (for merges).</summary>
    /// <param name="other">The merged metric.</param>
    protected void MarkMerged(Metric<TResult> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        UpdateCount += other.UpdateCount;
    }
}
