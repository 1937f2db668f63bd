using System.Numerics;
using HingeSharp.Classification;
using HingeSharp.Distributed;
using HingeSharp.Metrics;

namespace HingeSharp.Cli.Eval;

/// <summary>
/// What <c>hinge eval --metrics …</c> asks for besides the hinge: accuracy, precision, recall, F1 and the confusion
/// matrix with torchmetrics 1.9 semantics, fed the same chunks as the hinge (one counting pass for all of them).
/// </summary>
internal sealed class ClassificationRequest
{
    /// <summary>The names <c>--metrics</c> accepts, in output order.</summary>
    public static readonly string[] Known = ["hinge", "accuracy", "precision", "recall", "f1", "confusion-matrix"];

    private ClassificationRequest(string[] names, ClassificationAverage average, double threshold, int topK)
    {
        Names = names;
        Average = average;
        Threshold = threshold;
        TopK = topK;
    }

    /// <summary>The requested names, in <see cref="Known"/> order.</summary>
    public IReadOnlyList<string> Names { get; }

    public ClassificationAverage Average { get; }

    public double Threshold { get; }

    public int TopK { get; }

    /// <summary>The metrics, once the input kind and C are known.</summary>
    public MetricCollection? Collection { get; private set; }

    private Func<MetricCollection>? _createEmpty;

    /// <summary>Parses the options; throws a one-line error for unknown names or bad values.</summary>
    public static ClassificationRequest Parse(string metrics, string average, double threshold, int topK)
    {
        var names = metrics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).ToArray();
        var unknown = names.FirstOrDefault(n => !Known.Contains(n));
        if (unknown is not null || names.Length == 0)
        {
            throw new CliInputException(
                $"--metrics: unknown metric '{unknown ?? metrics}'; expected a comma-separated list of {string.Join(", ", Known)}");
        }

        if (!(threshold >= 0 && threshold <= 1))
        {
            throw new CliInputException($"--threshold must lie in [0, 1], got {Output.Formats.Number(threshold)}");
        }

        if (topK < 1)
        {
            throw new CliInputException($"--top-k must be at least 1, got {topK}");
        }

        ClassificationAverage parsed;
        try
        {
            parsed = ClassificationNames.ParseAverage(average);
        }
        catch (HingeArgumentException e)
        {
            throw new CliInputException($"--average: {e.Reason}");
        }

        return new ClassificationRequest([.. Known.Where(names.Contains)], parsed, threshold, topK);
    }

    /// <summary>Builds the metrics for the resolved input kind and C (0 for binary) and returns their sink.</summary>
    public IChunkSink CreateSink(EvalSettings s, HingeInputKind kind, int classes)
    {
        if (classes > 0 && TopK > classes)
        {
            throw new CliInputException($"--top-k must be at most the number of classes ({classes}), got {TopK}");
        }

        MetricCollection Create()
        {
            var c = new MetricCollection();
            foreach (var name in Names.Where(n => n != "hinge"))
            {
                c.Add(name, classes == 0 ? Binary(name, s, kind) : Multiclass(name, s, classes));
            }

            return c;
        }

        var sink = new Sink(Create(), Create);
        (Collection, _createEmpty) = (sink.Collection, Create);
        return sink;
    }

    /// <summary>Keeps the metrics of the sink the run kept (Auto makes one per input kind).</summary>
    public void Keep(IChunkSink sink)
    {
        var kept = (Sink)sink;
        (Collection, _createEmpty) = (kept.Collection, kept.CreateEmpty);
    }

    /// <summary>Distributed runs: every rank's counts merged in rank order (the kept input kind is the same on every
    /// rank: Auto is decided over all of them).</summary>
    public void Sync(Communicator comm)
    {
        if (Collection is { } collection && _createEmpty is { } create)
        {
            collection.Sync(comm, create);
        }
    }

    /// <summary>The results in output order, the hinge first when asked for (its JSON key for the confusion matrix
    /// is <c>confusionMatrix</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, MetricValue>> Results(HingeLossValue hinge)
    {
        var computed = Collection?.Compute() ?? new Dictionary<string, MetricValue>();
        var result = new List<KeyValuePair<string, MetricValue>>();
        foreach (var name in Names)
        {
            if (name == "hinge")
            {
                result.Add(new("hinge", hinge.IsScalar ? MetricValue.Scalar(hinge.Value) : MetricValue.Vector([.. hinge.Values])));
            }
            else
            {
                result.Add(new(name == "confusion-matrix" ? "confusionMatrix" : name, computed[name]));
            }
        }

        return result;
    }

    private ICollectableMetric Binary(string name, EvalSettings s, HingeInputKind kind) => name switch
    {
        "accuracy" => new BinaryAccuracy(Threshold, s.MetricIgnoreIndex, true, kind, s.NonFinite),
        "precision" => new BinaryPrecision(Threshold, s.MetricIgnoreIndex, true, kind, s.NonFinite),
        "recall" => new BinaryRecall(Threshold, s.MetricIgnoreIndex, true, kind, s.NonFinite),
        "f1" => new BinaryF1Score(Threshold, s.MetricIgnoreIndex, true, kind, s.NonFinite),
        _ => new BinaryConfusionMatrix(Threshold, s.MetricIgnoreIndex, true, kind, s.NonFinite),
    };

    private ICollectableMetric Multiclass(string name, EvalSettings s, int classes) => name switch
    {
        "accuracy" => new MulticlassAccuracy(classes, Average, TopK, s.MetricIgnoreIndex),
        "precision" => new MulticlassPrecision(classes, Average, TopK, s.MetricIgnoreIndex),
        "recall" => new MulticlassRecall(classes, Average, TopK, s.MetricIgnoreIndex),
        "f1" => new MulticlassF1Score(classes, Average, TopK, s.MetricIgnoreIndex),
        _ => new MulticlassConfusionMatrix(classes, s.MetricIgnoreIndex),
    };

    private sealed class Sink(MetricCollection collection, Func<MetricCollection> createEmpty) : IChunkSink
    {
        public MetricCollection Collection => collection;

        public Func<MetricCollection> CreateEmpty => createEmpty;

        public void Update<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
            ReadOnlySpan<double> sampleWeight)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TTarget : unmanaged, IBinaryInteger<TTarget> => collection.Update(preds, target);
    }
}

/// <summary>Feeds two sinks the same chunk (the hinge, then the classification metrics).</summary>
internal sealed class TeeSink(IChunkSink first, IChunkSink second) : IChunkSink
{
    public IChunkSink First => first;

    public IChunkSink Second => second;

    public void Update<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, IBinaryInteger<TTarget>
    {
        first.Update(preds, target, sampleWeight);
        second.Update(preds, target, sampleWeight);
    }
}
