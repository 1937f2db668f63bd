namespace HingeSharp.Metrics;

/// <summary>
/// A metric whose state can leave the process as bytes and be merged into another instance: the hook that moving
/// state between processes needs (HingeSharp.Distributed's <c>Sync</c> gathers every rank's
/// <see cref="ExportState"/> and merges them in rank order, as torchmetrics gathers its state tensors). Knows
/// nothing about how the bytes travel.
/// </summary>
/// <example><code>
/// var bytes = shard.ExportState();          // send anywhere
/// if (whole.StateKey == shard.StateKey) whole.MergeState(bytes);
/// </code></example>
public interface IMergeableMetric
{
    /// <summary>
    /// The metric's type and the settings that decide what its state means, as text: two metrics can merge exactly
    /// when their keys are equal (e.g. <c>BinaryHingeLoss(squared = false, ignore_index = null, …)</c>).
    /// </summary>
    string StateKey { get; }

    /// <summary>How many updates were accepted (merges add the counts).</summary>
    long UpdateCount { get; }

    /// <summary>The settings and the whole state (update count included), exactly: merging the bytes into an empty
    /// metric with the same key restores the state bit for bit.</summary>
    /// <returns>The state's bytes (their layout is internal and may change between versions).</returns>
    byte[] ExportState();

    /// <summary>Adds a state exported by a metric with the same <see cref="StateKey"/>, as <c>Merge</c> does. A state
    /// that does not fit (another key, damaged bytes) throws and leaves this metric unchanged.</summary>
    /// <param name="state">Bytes from <see cref="ExportState"/>.</param>
    /// <exception cref="MetricStateException">The bytes are not a state of this metric type and settings.</exception>
    void MergeState(ReadOnlySpan<byte> state);

    /// <summary>Clears the state.</summary>
    void Reset();
}
