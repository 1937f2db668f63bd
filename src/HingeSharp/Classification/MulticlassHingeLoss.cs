using System.Buffers;
using System.Numerics;
using HingeSharp.Functional;
using HingeSharp.Metrics;

namespace HingeSharp.Classification;

/// <summary>
/// Streaming multiclass hinge loss (torchmetrics' <c>MulticlassHingeLoss</c>): Crammer–Singer gives one scalar,
/// one-vs-all one value per class. Predictions are row-major <c>(N, C)</c> scores, or <c>(N, C, d1, …)</c> with a
/// shape.
/// </summary>
/// <remarks>
/// The softmax decision of <see cref="HingeInputKind.Auto"/> is made per update. State: per-mode double sums
/// (1 or C values) and an int64 row count. Not thread-safe; use one instance per thread and <see cref="Merge"/>.
/// </remarks>
/// <example><code>
/// var metric = new MulticlassHingeLoss(numClasses: 3, multiclassMode: MulticlassMode.OneVsAll);
/// metric.Update([0.25f, 0.20f, 0.55f, 0.55f, 0.05f, 0.40f, 0.10f, 0.30f, 0.60f, 0.90f, 0.05f, 0.05f], [0, 1, 2, 0]);
/// metric.Compute(); // [0.8750, 1.1250, 1.1000]
/// </code></example>
public sealed partial class MulticlassHingeLoss : Metric<HingeLossValue>, IHingeMetric
{
    private double[] _measures;

    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">C, larger than 1.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="multiclassMode">Crammer–Singer (default) or one-vs-all.</param>
    /// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
    /// <param name="validateArgs">Check the class count of every batch against <paramref name="numClasses"/>.
    /// Class indices are always checked.</param>
    /// <param name="inputKind">How to read predictions.</param>
    /// <param name="nonFinite">Whether NaN/±∞ scores throw (default) or propagate.</param>
    /// <exception cref="HingeArgumentException"><paramref name="numClasses"/> is smaller than 2.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is above
    /// <see cref="MaxNumClasses"/>.</exception>
    public MulticlassHingeLoss(int numClasses, bool squared = false,
        MulticlassMode multiclassMode = MulticlassMode.CrammerSinger, int? ignoreIndex = null,
        bool validateArgs = true, HingeInputKind inputKind = HingeInputKind.Auto,
        NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
    {
        MulticlassHinge.ValidateNumClasses(numClasses);
        CheckMaxClasses(numClasses, nameof(numClasses));
        BinaryHinge.ValidateOptions(inputKind, nonFinite);
        MulticlassHinge.ValidateMode(multiclassMode);

        NumClasses = numClasses;
        Squared = squared;
        MulticlassMode = multiclassMode;
        IgnoreIndex = ignoreIndex;
        ValidateArgs = validateArgs;
        InputKind = inputKind;
        NonFinite = nonFinite;
        _measures = new double[multiclassMode == MulticlassMode.CrammerSinger ? 1 : numClasses];
    }

    /// <summary>The most classes (or labels) a streaming metric takes: 2^24 = 16,777,216. Its state holds up to three
    /// doubles per class (128 MiB each at the limit); the functional losses have no such limit.</summary>
    public const int MaxNumClasses = 1 << 24;

    /// <summary>The number of classes C.</summary>
    public int NumClasses { get; }

    /// <summary>Rejects a class (label) count above <see cref="MaxNumClasses"/> before any state is allocated.</summary>
    internal static void CheckMaxClasses(int count, string paramName)
    {
        if (count > MaxNumClasses)
        {
            throw new ArgumentOutOfRangeException(paramName, count,
                $"`{paramName}` = {count} is above the limit of {MaxNumClasses} classes of a streaming metric " +
                "(its state holds doubles per class).");
        }
    }

    /// <summary>Whether the clamped loss is squared.</summary>
    public bool Squared { get; }

    /// <summary>Crammer–Singer or one-vs-all.</summary>
    public MulticlassMode MulticlassMode { get; }

    /// <summary>The target value whose rows are ignored, if any.</summary>
    public int? IgnoreIndex { get; }

    /// <summary>Whether each batch's class count is checked against <see cref="NumClasses"/>.</summary>
    public bool ValidateArgs { get; }

    /// <summary>How predictions are read.</summary>
    public HingeInputKind InputKind { get; }

    /// <summary>What non-finite scores do.</summary>
    public NonFiniteHandling NonFinite { get; }

    /// <summary>Loss sums: one value for Crammer–Singer, C for one-vs-all (a copy).</summary>
    public IReadOnlyList<double> Measures => _measures.ToArray();

    /// <summary>Number of rows that took part.</summary>
    public long Total { get; private set; }

    /// <summary>Accumulates a batch of row-major <c>(N, C)</c> scores. A rejected batch leaves the state untouched.</summary>
    /// <param name="preds">N·C scores.</param>
    /// <param name="target">N class indices.</param>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (UsesWeightedPath)
        {
            Update(preds, target, ReadOnlySpan<double>.Empty);
            return;
        }

        Commit(Batch(preds, target));
    }

    /// <summary>Accumulates a batch of <c>(N, C, d1, …)</c> scores with <c>(N, d1, …)</c> targets.</summary>
    /// <param name="preds">Scores in row-major order of <paramref name="predsShape"/>.</param>
    /// <param name="predsShape">Shape of <paramref name="preds"/>.</param>
    /// <param name="target">Class indices in row-major order of <paramref name="targetShape"/>.</param>
    /// <param name="targetShape">Shape of <paramref name="target"/>.</param>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (UsesWeightedPath)
        {
            Update(preds, predsShape, target, targetShape, ReadOnlySpan<double>.Empty);
            return;
        }

        Commit(ShapedBatch(preds, predsShape, target, targetShape));
    }

    /// <summary>Accumulates a batch and returns the loss of that batch alone (torchmetrics' <c>forward</c>).</summary>
    /// <param name="preds">N·C scores.</param>
    /// <param name="target">N class indices.</param>
    public HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (UsesWeightedPath)
        {
            return Forward(preds, target, ReadOnlySpan<double>.Empty);
        }

        var batch = Batch(preds, target);
        Commit(batch);
        return MulticlassHinge.Compute(batch.Measures, batch.Total, MulticlassMode);
    }

    /// <summary>Accumulates a shaped batch and returns the loss of that batch alone.</summary>
    /// <param name="preds">Scores in row-major order of <paramref name="predsShape"/>.</param>
    /// <param name="predsShape">Shape of <paramref name="preds"/>.</param>
    /// <param name="target">Class indices in row-major order of <paramref name="targetShape"/>.</param>
    /// <param name="targetShape">Shape of <paramref name="target"/>.</param>
    public HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (UsesWeightedPath)
        {
            return Forward(preds, predsShape, target, targetShape, ReadOnlySpan<double>.Empty);
        }

        var batch = ShapedBatch(preds, predsShape, target, targetShape);
        Commit(batch);
        return MulticlassHinge.Compute(batch.Measures, batch.Total, MulticlassMode);
    }

    /// <summary>The loss over everything accumulated (NaN, or NaN per class, before any kept row).</summary>
    public override HingeLossValue Compute() => _extras is null
        ? MulticlassHinge.Compute(_measures, Total, MulticlassMode)
        : ComputeWeighted(_extras);

    /// <summary>Adds another metric's state, as if its batches had been given to this one.</summary>
    /// <param name="other">A metric with the same settings.</param>
    /// <exception cref="HingeArgumentException">The state-defining settings (classes, mode, squared, ignore index,
    /// input kind, class weights, variance tracking) differ.</exception>
    public void Merge(MulticlassHingeLoss other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.NumClasses != NumClasses || other.MulticlassMode != MulticlassMode || other.Squared != Squared ||
            other.IgnoreIndex != IgnoreIndex || other.InputKind != InputKind)
        {
            throw new HingeArgumentException(nameof(other),
                $"Cannot merge {other.Describe()} into {Describe()}: the settings differ.");
        }

        CheckMergedCounts(Total, other.Total, other);
        MergeWeighted(other);
        for (var i = 0; i < _measures.Length; i++)
        {
            _measures[i] += other._measures[i];
        }

        Total += other.Total;
        MarkMerged(other);
    }

    /// <summary>Replaces the state (for restoring a saved metric).</summary>
    /// <param name="measures">1 value for Crammer–Singer, C for one-vs-all.</param>
    /// <param name="total">Rows counted, not negative.</param>
    /// <exception cref="HingeArgumentException">The number of sums is wrong, or the state breaks a rule of a saved state
    /// (docs/state-format.md: total ≥ 0, sums ≥ 0 and 0 when the total is, at most 2 (squared: 4) per row unless the
    /// input kind is margins, no NaN/±∞ with <see cref="NonFiniteHandling.Throw"/>); the metric is unchanged.</exception>
    public void SetState(ReadOnlySpan<double> measures, long total)
    {
        if (measures.Length != _measures.Length)
        {
            ThrowHelper.ThrowArgument(nameof(measures),
                $"`measures` has {measures.Length} value(s) but this metric keeps {_measures.Length}.");
        }

        if (total < 0)
        {
            ThrowHelper.ThrowArgument(nameof(total), $"`total` = {total} must not be negative.");
        }

        StateRules.ThrowIfAny(StateRules.CheckSums(RuleSettings, measures, total, [], null, null, null),
            nameof(measures), "weightedMeasures", "moments");
        _measures = measures.ToArray();
        Total = total;
        _extras = null;
    }

    /// <summary>The settings the state rules depend on (docs/state-format.md, "What a state must satisfy").</summary>
    internal StateRules.Settings RuleSettings => new(Squared, InputKind, NonFinite, _classWeights is not null);

    /// <summary>The metric and its state-defining settings, as messages show it.</summary>
    internal string Describe() =>
        $"MulticlassHingeLoss(numClasses: {NumClasses}, mode: {MulticlassMode}, squared: " +
        $"{(Squared ? "true" : "false")}, ignoreIndex: {ThrowHelper.Format(IgnoreIndex)}, inputKind: {InputKind})";

    /// <inheritdoc/>
    protected override void ResetState()
    {
        Array.Clear(_measures);
        Total = 0;
        _extras = null;
    }

    private MulticlassBatch Batch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var batch = MulticlassHinge.Update(preds, target, NumClasses, Squared, MulticlassMode, IgnoreIndex,
            ValidateArgs, InputKind, NonFinite, requireNumClasses: true);
        return batch;
    }

    private MulticlassBatch ShapedBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        // The state has NumClasses entries, so a batch of another class count is rejected even without validation.
        MulticlassHinge.ValidateShapes(preds.Length, predsShape, target.Length, targetShape, NumClasses,
            validateArgs: true);
        var rented = MulticlassHinge.MoveClassLast(preds, predsShape, out var moved);
        try
        {
            return Batch(moved, target);
        }
        catch (HingeArgumentException ex) when (rented is not null && ex.ParamName == "preds" && ex.Index is not null)
        {
            throw MulticlassHinge.InCallerLayout(ex, predsShape);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<TPred>.Shared.Return(rented);
            }
        }
    }

    private void Commit(MulticlassBatch batch)
    {
        for (var i = 0; i < _measures.Length; i++)
        {
            _measures[i] += batch.Measures[i];
        }

        Total += batch.Total;
        MarkUpdated();
    }

    HingeLossValue IHingeMetric.ComputeValue() => Compute();
}
