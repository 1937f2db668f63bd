using System.Numerics;
using HingeSharp.Classification;

namespace HingeSharp.Metrics;

/// <summary>
/// Per-epoch values of a collection (torchmetrics' <c>MetricTracker</c>): <see cref="Increment"/> starts an epoch
/// (closing the previous one), updates go to the current epoch, and <see cref="Best"/> finds the best epoch of a
/// scalar metric, higher or lower being better per metric (hinge losses: lower; classification metrics: higher).
/// </summary>
/// <example><code>
/// var tracker = new MetricTracker(new MetricCollection().Add("accuracy", new BinaryAccuracy()));
/// for (var epoch = 0; epoch &lt; 3; epoch++) { tracker.Increment(); tracker.Update(preds[epoch], target); }
/// var (value, bestEpoch) = tracker.Best("accuracy");
/// </code></example>
public sealed class MetricTracker
{
    private readonly List<IReadOnlyDictionary<string, MetricValue>> _closed = [];
    private readonly Dictionary<string, bool> _maximize;
    private bool _open;

    /// <summary>Tracks a collection.</summary>
    /// <param name="collection">The metrics (reset at every <see cref="Increment"/>).</param>
    /// <param name="maximize">Per name, whether higher is better; names left out take the metric's default.</param>
    public MetricTracker(MetricCollection collection, IReadOnlyDictionary<string, bool>? maximize = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        Collection = collection;
        _maximize = collection.Names.ToDictionary(n => n, n => maximize is not null && maximize.TryGetValue(n, out var m)
            ? m
            : HigherIsBetterByDefault(collection[n]));
    }

    /// <summary>Tracks one metric.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="metric">The metric.</param>
    /// <param name="maximize">Whether higher is better (default: the metric's).</param>
    public MetricTracker(string name, ICollectableMetric metric, bool? maximize = null)
        : this(new MetricCollection().Add(name, metric),
            maximize is { } m ? new Dictionary<string, bool> { [name] = m } : null)
    {
    }

    /// <summary>The tracked collection (the current epoch's state).</summary>
    public MetricCollection Collection { get; }

    /// <summary>Epochs started so far.</summary>
    public int Epochs => _closed.Count + (_open ? 1 : 0);

    /// <summary>Whether higher values of <paramref name="name"/> are better.</summary>
    /// <param name="name">A metric name.</param>
    public bool HigherIsBetter(string name) => _maximize.TryGetValue(name, out var m)
        ? m
        : throw new KeyNotFoundException($"The tracker has no metric named '{name}'.");

    /// <summary>Closes the current epoch (keeping its values) and starts a new one with reset metrics.</summary>
    public void Increment()
    {
        if (_open)
        {
            _closed.Add(Collection.Compute());
        }

        Collection.Reset();
        _open = true;
    }

    /// <summary>Updates the current epoch.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    /// <exception cref="InvalidOperationException">No epoch was started.</exception>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        EnsureOpen();
        Collection.Update(preds, target);
    }

    /// <summary>The current epoch's values.</summary>
    public IReadOnlyDictionary<string, MetricValue> Compute()
    {
        EnsureOpen();
        return Collection.Compute();
    }

    /// <summary>Every epoch's values, the current one last.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, MetricValue>> ComputeAll() =>
        _open ? [.. _closed, Collection.Compute()] : [.. _closed];

    /// <summary>The best value of a scalar metric over all epochs and its epoch (0-based; the first wins ties; NaN
    /// never wins).</summary>
    /// <param name="name">A scalar metric's name.</param>
    /// <exception cref="InvalidOperationException">No epoch, or no finite value.</exception>
    public (double Value, int Epoch) Best(string name)
    {
        var maximize = HigherIsBetter(name);
        var all = ComputeAll();
        var best = (Value: double.NaN, Epoch: -1);
        for (var e = 0; e < all.Count; e++)
        {
            var v = all[e][name].Value;
            if (!double.IsNaN(v) && (best.Epoch < 0 || (maximize ? v > best.Value : v < best.Value)))
            {
                best = (v, e);
            }
        }

        return best.Epoch >= 0
            ? best
            : throw new InvalidOperationException($"No epoch has a value for '{name}'.");
    }

    private void EnsureOpen()
    {
        if (!_open)
        {
            throw new InvalidOperationException("Call Increment() to start an epoch before updating or computing.");
        }
    }

    private static bool HigherIsBetterByDefault(ICollectableMetric metric) =>
        metric is not (BinaryHingeLoss or MulticlassHingeLoss);
}
