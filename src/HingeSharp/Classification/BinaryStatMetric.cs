using System.Numerics;
using HingeSharp.Functional;
using HingeSharp.Kernels;
using HingeSharp.Metrics;

namespace HingeSharp.Classification;

/// <summary>The settings that decide a binary stat-score pass; metrics with equal settings share one pass in a
/// <see cref="MetricCollection"/>.</summary>
internal readonly record struct BinaryStatKey(double Threshold, int? IgnoreIndex, bool ValidateArgs,
    HingeInputKind InputKind, NonFiniteHandling NonFinite);

/// <summary>
/// A streaming binary classification metric (torchmetrics' <c>BinaryStatScores</c> family): its state is the stat
/// scores (tp, fp, tn, fn) of every accepted batch, and <see cref="Metric{TResult}.Compute"/> reduces them.
/// </summary>
/// <typeparam name="TResult">What the metric computes.</typeparam>
/// <remarks>Float predictions are probabilities or logits (<see cref="HingeInputKind.Auto"/>: decided per update over
/// the whole batch), positive above <see cref="Threshold"/>; integer predictions are 0/1 labels. With
/// <see cref="HingeInputKind.Margins"/> a margin above 0 is positive and targets may be ±1. A rejected update leaves
/// the state untouched. Not thread-safe; use one instance per thread and <see cref="Merge"/>.</remarks>
public abstract class BinaryStatMetric<TResult> : Metric<TResult>, ICollectableMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="threshold">Probability above which a prediction is positive, in [0, 1].</param>
    /// <param name="ignoreIndex">Targets equal to it take no part.</param>
    /// <param name="validateArgs">Check targets (0, 1 or the ignore index).</param>
    /// <param name="inputKind">How to read float predictions.</param>
    /// <param name="nonFinite">Whether NaN/±∞ predictions throw (default) or count as torch counts them.</param>
    protected BinaryStatMetric(double threshold, int? ignoreIndex, bool validateArgs, HingeInputKind inputKind,
        NonFiniteHandling nonFinite)
    {
        BinaryStats.ValidateThreshold(threshold);
        BinaryHinge.ValidateOptions(inputKind, nonFinite);
        Key = new BinaryStatKey(threshold, ignoreIndex, validateArgs, inputKind, nonFinite);
    }

    internal BinaryStatKey Key { get; }

    /// <summary>Probability threshold.</summary>
    public double Threshold => Key.Threshold;

    /// <summary>The ignored target value, if any.</summary>
    public int? IgnoreIndex => Key.IgnoreIndex;

    /// <summary>Whether targets are validated.</summary>
    public bool ValidateArgs => Key.ValidateArgs;

    /// <summary>How float predictions are read.</summary>
    public HingeInputKind InputKind => Key.InputKind;

    /// <summary>What non-finite predictions do.</summary>
    public NonFiniteHandling NonFinite => Key.NonFinite;

    /// <summary>The accumulated stat scores.</summary>
    public StatScores State { get; private set; }

    /// <summary>Whether the probabilities-or-logits decision looks at kept elements only (the confusion matrix) or
    /// at every element (the stat scores).</summary>
    internal virtual bool UsesConfusionRule => false;

    /// <summary>The name the metric is saved under.</summary>
    public string MetricName => GetType().Name;

    /// <summary>Accumulates a batch.</summary>
    /// <param name="preds">Predictions (any shape, flattened).</param>
    /// <param name="target">Targets, same length.</param>
    /// <exception cref="HingeArgumentException">See <see cref="ClassificationFunctional.BinaryAccuracy{TPred, TTarget}"/>.</exception>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> => Commit(Batch(preds, target));

    /// <summary>Accumulates a batch and returns the metric of that batch alone (torchmetrics' <c>forward</c>).</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    public TResult Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var batch = Batch(preds, target);
        Commit(batch);
        return Reduce(batch);
    }

    /// <summary>The metric over every accepted batch (torchmetrics' value of empty counts before any update).</summary>
    public override TResult Compute() => Reduce(State);

    /// <summary>Adds another metric's state, as if its batches had been given to this one.</summary>
    /// <param name="other">A metric of the same type and settings.</param>
    /// <exception cref="HingeArgumentException">Type or settings differ.</exception>
    public void Merge(BinaryStatMetric<TResult> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.GetType() != GetType() || other.Key != Key || !SameReduction(other))
        {
            throw new HingeArgumentException(nameof(other),
                $"Cannot merge {other.MetricName} into {MetricName}: the type or settings differ.");
        }

        State += other.State;
        MarkMerged(other);
    }

    /// <summary>Replaces the state (for restoring a saved metric).</summary>
    /// <param name="state">Counts, none negative.</param>
    /// <exception cref="HingeArgumentException">A negative count.</exception>
    public void SetState(StatScores state)
    {
        if (state.TruePositives < 0 || state.FalsePositives < 0 || state.TrueNegatives < 0 || state.FalseNegatives < 0)
        {
            ThrowHelper.ThrowArgument(nameof(state), $"Stat scores must not be negative, but got {state}.");
        }

        State = state;
    }

    /// <summary>Reduces stat scores to the metric's value.</summary>
    /// <param name="scores">The counts.</param>
    protected abstract TResult Reduce(StatScores scores);

    /// <summary>Whether the reduction settings (zero division, normalisation) equal another metric's.</summary>
    /// <param name="other">A metric of the same type.</param>
    protected virtual bool SameReduction(BinaryStatMetric<TResult> other) => true;

    /// <inheritdoc/>
    protected override void ResetState() => State = default;

    internal void Commit(StatScores batch)
    {
        State += batch;
        MarkUpdated();
    }

    /// <summary>Takes this metric's share of a fused pass.</summary>
    internal void CommitPass(in BinaryStatSums sums) => Commit(UsesConfusionRule ? sums.Confusion : sums.Scores);

    internal void RestoreUpdates(long updateCount) => RestoreUpdateCount(updateCount);

    private StatScores Batch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var sums = BinaryStats.Update(preds, target, hinge: false, squared: false, IgnoreIndex, ValidateArgs,
            InputKind, NonFinite, Threshold, KernelOptions.Default);
        return UsesConfusionRule ? sums.Confusion : sums.Scores;
    }

    void ICollectableMetric.UpdateBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target) =>
        Update(preds, target);

    MetricValue ICollectableMetric.ComputeMetricValue() => ToMetricValue(Compute());

    void ICollectableMetric.MergeFrom(ICollectableMetric other) =>
        Merge(other as BinaryStatMetric<TResult> ?? throw new HingeArgumentException(nameof(other),
            $"Cannot merge {other.GetType().Name} into {MetricName}."));

    /// <summary>Writes the settings and state as JSON (<c>hingesharp.classification-state</c>, version 1).</summary>
    /// <param name="stream">Receives UTF-8 JSON; not closed.</param>
    public void SaveState(Stream stream) => ClassificationState.Write(stream, this);

    /// <summary>Replaces the state (and update count) with a saved one of the same type and settings.</summary>
    /// <param name="stream">UTF-8 JSON; not closed.</param>
    /// <exception cref="MetricStateException">Not a valid state of this type and settings; the metric is then
    /// unchanged.</exception>
    public void LoadState(Stream stream) => ClassificationState.Read(stream, this);

    internal static MetricValue ToMetricValue(TResult value) => value switch
    {
        double d => MetricValue.Scalar(d),
        MetricValue v => v,
        _ => throw new InvalidOperationException($"Unexpected result type {typeof(TResult).Name}."),
    };

    /// <summary>The settings written with a saved state.</summary>
    internal virtual IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("threshold", Threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        new("ignore_index", IgnoreIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("input_kind", InputKind.ToString()),
    ];
}
