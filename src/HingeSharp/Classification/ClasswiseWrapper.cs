using System.Globalization;
using System.Numerics;
using HingeSharp.Metrics;

namespace HingeSharp.Classification;

/// <summary>
/// Per-class values of a multiclass metric, named by class label (torchmetrics' <c>ClasswiseWrapper</c>): the
/// wrapped metric is computed without averaging and each class's value is returned under
/// <c>{prefix}{label}</c>, where the prefix defaults to the metric's type name in lower case plus <c>_</c>
/// (<c>multiclassaccuracy_cat</c>). In a <see cref="MetricCollection"/> the entries appear one per class.
/// </summary>
/// <example><code>
/// var perClass = new ClasswiseWrapper(new MulticlassRecall(3, ClassificationAverage.None), ["cat", "dog", "bird"]);
/// perClass.Update(scores, labels);
/// perClass.ComputeClasswise()["multiclassrecall_dog"];
/// </code></example>
public sealed class ClasswiseWrapper : ICollectableMetric
{
    private readonly string[] _keys;

    /// <summary>Wraps a metric.</summary>
    /// <param name="metric">A multiclass accuracy, precision, recall or F1 with <see cref="ClassificationAverage.None"/>.</param>
    /// <param name="labels">One name per class (default: the class indices).</param>
    /// <param name="prefix">Put before every label (default: the metric's type name in lower case and <c>_</c>).</param>
    /// <exception cref="HingeArgumentException">The metric averages, or the label count is not C.</exception>
    public ClasswiseWrapper(MulticlassRatioMetric metric, IReadOnlyList<string>? labels = null, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (metric.Average != ClassificationAverage.None)
        {
            throw new HingeArgumentException(nameof(metric),
                $"ClasswiseWrapper needs per-class values: construct {metric.MetricName} with average None, not {metric.Average}.");
        }

        if (labels is not null && labels.Count != metric.NumClasses)
        {
            throw new HingeArgumentException(nameof(labels),
                $"Expected {metric.NumClasses} labels (one per class), but got {labels.Count}.");
        }

        Metric = metric;
        Labels = labels?.ToArray() ?? Enumerable.Range(0, metric.NumClasses)
            .Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var p = prefix ?? metric.MetricName.ToLowerInvariant() + "_";
        _keys = Labels.Select(l => p + l).ToArray();
    }

    /// <summary>The wrapped metric.</summary>
    public MulticlassRatioMetric Metric { get; }

    /// <summary>The class labels.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The wrapped metric's type name.</summary>
    public string MetricName => Metric.MetricName;

    /// <summary>Accepted updates.</summary>
    public long UpdateCount => Metric.UpdateCount;

    /// <summary>Accumulates a batch into the wrapped metric.</summary>
    /// <param name="preds">Scores or labels.</param>
    /// <param name="target">Class indices.</param>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> => Metric.Update(preds, target);

    /// <summary>Each class's value under its key.</summary>
    public IReadOnlyDictionary<string, double> ComputeClasswise()
    {
        var values = Metric.Compute().Values;
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < _keys.Length; i++)
        {
            result[_keys[i]] = values[i];
        }

        return result;
    }

    /// <summary>Clears the wrapped metric.</summary>
    public void Reset() => Metric.Reset();

    /// <inheritdoc/>
    public void SaveState(Stream stream) => Metric.SaveState(stream);

    /// <inheritdoc/>
    public void LoadState(Stream stream) => Metric.LoadState(stream);

    void ICollectableMetric.UpdateBatch<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target) =>
        Update(preds, target);

    MetricValue ICollectableMetric.ComputeMetricValue() => Metric.Compute();

    void ICollectableMetric.MergeFrom(ICollectableMetric other) =>
        Metric.Merge((other as ClasswiseWrapper)?.Metric ?? throw new HingeArgumentException(nameof(other),
            $"Cannot merge {other.GetType().Name} into a ClasswiseWrapper."));
}
