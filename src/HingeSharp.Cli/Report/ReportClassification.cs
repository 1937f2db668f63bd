using System.Numerics;
using System.Text;
using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Cli.Eval;
using HingeSharp.Metrics;
using HingeSharp.Plots;

namespace HingeSharp.Cli.Report;

/// <summary>
/// What <c>hinge report</c> adds to the margins: the accuracy and the confusion matrix (torchmetrics 1.9 semantics,
/// the metrics of <c>hinge eval --metrics</c>), fed the same chunks. Binary: a prediction is positive when its
/// probability is above 0.5 (margins: when it is above 0); multiclass: the top-scoring class, and the accuracy is the
/// share of rows whose top class is the target (micro). The matrix (and its heatmap) is kept for at most
/// <see cref="MaxMatrixClasses"/> classes, so that memory does not grow with the square of the class count.
/// </summary>
internal sealed class ReportClassification
{
    /// <summary>The largest class count that gets a confusion matrix and a heatmap.</summary>
    public const int MaxMatrixClasses = 50;

    /// <summary>File name of the heatmap written by <c>--out</c>.</summary>
    public const string HeatmapFile = "confusion-matrix.png";

    private readonly Func<MetricCollection> _create;

    private ReportClassification(Func<MetricCollection> create)
    {
        _create = create;
        Collection = create();
    }

    /// <summary>The accuracy and (for small class counts) confusion-matrix metrics.</summary>
    public MetricCollection Collection { get; }

    /// <summary>The metrics for the resolved input kind; <paramref name="classes"/> is C, or 0 for binary.</summary>
    public static ReportClassification Create(EvalSettings s, HingeInputKind kind, int classes) =>
        new(() =>
        {
            var c = new MetricCollection();
            if (classes == 0)
            {
                c.Add("accuracy", new BinaryAccuracy(0.5, s.MetricIgnoreIndex, true, kind, s.NonFinite));
                c.Add("confusion-matrix", new BinaryConfusionMatrix(0.5, s.MetricIgnoreIndex, true, kind, s.NonFinite));
            }
            else
            {
                c.Add("accuracy", new MulticlassAccuracy(classes, ClassificationAverage.Micro, 1, s.MetricIgnoreIndex));
                if (classes <= MaxMatrixClasses)
                {
                    c.Add("confusion-matrix", new MulticlassConfusionMatrix(classes, s.MetricIgnoreIndex));
                }
            }

            return c;
        });

    /// <summary>Feeds one chunk.</summary>
    public void Update<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, IBinaryInteger<TTarget> => Collection.Update(preds, target);

    /// <summary>The accuracy and the confusion matrix (rows: true class, columns: predicted class; null above
    /// <see cref="MaxMatrixClasses"/> classes).</summary>
    public (double Accuracy, double[][]? Matrix) Compute()
    {
        var values = Collection.Compute();
        return (values["accuracy"].Value,
            values.TryGetValue("confusion-matrix", out var matrix) ? matrix.ToRows() : null);
    }

    /// <summary>The collection as a mergeable metric, for <c>--distributed</c> runs (its state is the collection's
    /// saved state).</summary>
    public IMergeableMetric AsMergeable() => new Mergeable(this);

    /// <summary>The heatmap of a confusion matrix as PNG bytes.</summary>
    public static byte[] HeatmapPng(double[][] matrix)
    {
        using var chart = ConfusionMatrixPlot.Create(matrix);
        return chart.ToPngBytes(chart.DefaultWidth, chart.DefaultHeight);
    }

    /// <summary>The report's JSON with <c>"accuracy"</c> and (when kept) <c>"confusionMatrix"</c> added at the
    /// end, the keys of <c>hinge eval --metrics</c>.</summary>
    public static string AddToJson(string reportJson, double accuracy, double[][]? matrix)
    {
        using var document = JsonDocument.Parse(reportJson);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            writer.WriteNumber("accuracy", accuracy);
            if (matrix is not null)
            {
                writer.WriteStartArray("confusionMatrix");
                foreach (var row in matrix)
                {
                    writer.WriteStartArray();
                    foreach (var v in row)
                    {
                        writer.WriteNumberValue(v);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private sealed class Mergeable(ReportClassification owner) : IMergeableMetric
    {
        public string StateKey => "hinge report classification(" + string.Join(", ", owner.Collection.Names) + ")";

        public long UpdateCount => 0;

        public byte[] ExportState()
        {
            using var stream = new MemoryStream();
            owner.Collection.SaveState(stream);
            return stream.ToArray();
        }

        public void MergeState(ReadOnlySpan<byte> state)
        {
            var other = owner._create();
            other.LoadState(new MemoryStream(state.ToArray(), writable: false));
            owner.Collection.Merge(other);
        }

        public void Reset() => owner.Collection.Reset();
    }
}
