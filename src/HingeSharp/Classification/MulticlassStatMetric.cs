using System.Numerics;
using HingeSharp.Functional;
using HingeSharp.Metrics;

namespace HingeSharp.Classification;

/// <summary>The settings that decide a multiclass counting pass; metrics with equal settings share one pass in a
/// <see cref="MetricCollection"/>.</summary>
internal readonly record struct MulticlassStatKey(int NumClasses, int TopK, int? IgnoreIndex);

/// <summary>
/// A streaming multiclass classification metric (torchmetrics' <c>MulticlassStatScores</c> family): its state is a
/// <see cref="MulticlassCounts"/> (the confusion matrix for top-1, per-class tp/fp/fn for top-k).
/// </summary>
/// <typeparam name="TResult">What the metric computes.</typeparam>
/// <remarks>Predictions are float scores <c>(N, C)</c> row-major (argmax, or the k best) or one class label per
/// target. A rejected update leaves the state untouched. Not thread-safe; use one instance per thread and
/// <see cref="Merge"/>.</remarks>
public abstract class MulticlassStatMetric<TResult> : Metric<TResult>, ICollectableMetric
{
    private readonly MulticlassCounts _counts;

    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">C, at least 2.</param>
    /// <param name="topK">How many of the best scores count as predicted.</param>
    /// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
    protected MulticlassStatMetric(int numClasses, int topK, int? ignoreIndex)
    {
        StatReduce.ValidateMulticlass(numClasses, ClassificationAverage.None, topK);
        Key = new MulticlassStatKey(numClasses, topK, ignoreIndex);
        _counts = new MulticlassCounts(numClasses, topK);
    }

    internal MulticlassStatKey Key { get; }

    /// <summary>C.</summary>
    public int NumClasses => Key.NumClasses;

    /// <summary>How many of the best scores count as predicted.</summary>
    public int TopK => Key.TopK;

    /// <summary>The ignored target value, if any.</summary>
    public int? IgnoreIndex => Key.IgnoreIndex;

    /// <summary>A copy of the accumulated counts.</summary>
    public MulticlassCounts State => _counts.Clone();

    /// <summary>The name the metric is saved under.</summary>
    public string MetricName => GetType().Name;

    /// <summary>Accumulates a batch.</summary>
    /// <param name="preds">Scores <c>(N, C)</c> row-major, or N class labels.</param>
    /// <param name="target">N class indices (or the ignore index).</param>
    /// <exception cref="HingeArgumentException">See <see cref="ClassificationFunctional.MulticlassAccuracy{TPred, TTarget}"/>.</exception>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Commit(MulticlassStats.Update(preds, target, NumClasses, TopK, IgnoreIndex));

    /// <summary>Accumulates a batch and returns the metric of that batch alone.</summary>
    /// <param name="preds">Scores or labels.</param>
    /// <param name="target">Class indices.</param>
    public TResult Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var batch = MulticlassStats.Update(preds, target, NumClasses, TopK, IgnoreIndex);
        Commit(batch);
        return Reduce(batch);
    }

    /// <summary>The metric over every accepted batch.</summary>
    public override TResult Compute() => Reduce(_counts);

    /// <summary>Adds another metric's state.</summary>
    /// <param name="other">A metric of the same type and settings.</param>
    /// <exception cref="HingeArgumentException">Type or settings differ.</exception>
    public void Merge(MulticlassStatMetric<TResult> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.GetType() != GetType() || other.Key != Key || !SameReduction(other))
        {
            throw new HingeArgumentException(nameof(other),
                $"Cannot merge {other.MetricName} into {MetricName}: the type or settings differ.");
        }

        _counts.Add(other._counts);
        MarkMerged(other);
    }

    /// <summary>Replaces the state (for restoring a saved metric).</summary>
    /// <param name="state">Counts with the same C and top-k.</param>
    /// <exception cref="HingeArgumentException">C or top-k differ.</exception>
    public void SetState(MulticlassCounts state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!_counts.IsCompatible(state))
        {
            throw new HingeArgumentException(nameof(state),
                $"Expected counts for {NumClasses} classes (top_k {TopK}), but got {state.NumClasses} (top_k {state.TopK}).");
        }

        _counts.Set(state.Raw, state.Total);
    }

    /// <summary>Reduces counts to the metric's value.</summary>
    /// <param name="counts">The counts.</param>
    protected abstract TResult Reduce(MulticlassCounts counts);

    /// <summary>Whether the reduction settings equal another metric's.</summary>
    /// <param name="other">A metric of the same type.</param>
    protected virtual bool SameReduction(MulticlassStatMetric<TResult> other) => true;

    /// <inheritdoc/>
    protected override void ResetState() => _counts.Clear();

    internal void Commit(MulticlassCounts batch)
    {
        _counts.Add(batch);
        MarkUpdated();
    }

    internal ReadOnlySpan<long> RawCounts => _counts.Raw;

    internal long Total => _counts.Total;

    internal void Restore(ReadOnlySpan<long> raw, long total, long updateCount)
    {
        _counts.Set(raw, total);
        RestoreUpdateCount(updateCount);
    }

    void ICollectableMetric.UpdateBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target) =>
        Update(preds, target);

    MetricValue ICollectableMetric.ComputeMetricValue() => BinaryStatMetric<TResult>.ToMetricValue(Compute());

    void ICollectableMetric.MergeFrom(ICollectableMetric other) =>
        Merge(other as MulticlassStatMetric<TResult> ?? throw new HingeArgumentException(nameof(other),
            $"Cannot merge {other.GetType().Name} into {MetricName}."));

    /// <summary>Writes the settings and state as JSON (<c>hingesharp.classification-state</c>, version 1).</summary>
    /// <param name="stream">Receives UTF-8 JSON; not closed.</param>
    public void SaveState(Stream stream) => ClassificationState.Write(stream, this);

    /// <summary>Replaces the state (and update count) with a saved one of the same type and settings.</summary>
    /// <param name="stream">UTF-8 JSON; not closed.</param>
    /// <exception cref="MetricStateException">Not a valid state of this type and settings; the metric is then
    /// unchanged.</exception>
    public void LoadState(Stream stream) => ClassificationState.Read(stream, this);

    /// <summary>The settings written with a saved state.</summary>
    internal virtual IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("num_classes", NumClasses.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("top_k", TopK.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("ignore_index", IgnoreIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>A multiclass accuracy, precision, recall or F1 metric: counts, an average and a zero-division value.</summary>
public abstract class MulticlassRatioMetric : MulticlassStatMetric<MetricValue>
{
    private readonly StatKind _kind;

    private protected MulticlassRatioMetric(StatKind kind, int numClasses, ClassificationAverage average, int topK,
        int? ignoreIndex, double zeroDivision)
        : base(numClasses, topK, ignoreIndex)
    {
        StatReduce.ValidateMulticlass(numClasses, average, topK);
        BinaryStats.ValidateZeroDivision(zeroDivision);
        _kind = kind;
        Average = average;
        ZeroDivision = zeroDivision;
    }

    /// <summary>How per-class values are reduced.</summary>
    public ClassificationAverage Average { get; }

    /// <summary>The value of 0/0 (0 or 1).</summary>
    public double ZeroDivision { get; }

    /// <inheritdoc/>
    protected override MetricValue Reduce(MulticlassCounts counts) =>
        StatReduce.Multiclass(counts, _kind, Average, ZeroDivision);

    /// <inheritdoc/>
    protected override bool SameReduction(MulticlassStatMetric<MetricValue> other) =>
        other is MulticlassRatioMetric r && r.Average == Average && r.ZeroDivision.Equals(ZeroDivision);

    internal override IEnumerable<KeyValuePair<string, string?>> Settings() => base.Settings()
        .Append(new("average", ClassificationNames.Name(Average)))
        .Append(new("zero_division", ZeroDivision.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}
