using System.Numerics;
using System.Text;
using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Cli.Eval;
using HingeSharp.Distributed;
using HingeSharp.Metrics;
using HingeSharp.Plots;

namespace HingeSharp.Cli.Report;

/// <summary>
/// What <c>hinge report</c> adds to the margins: the accuracy and the confusion matrix (torchmetrics 1.9 semantics,
/// the metrics of <c>hinge eval --metrics</c>), fed the same chunks. Binary: a prediction is positive when its
/// probability is above 0.5 (margins: when it is above 0); multiclass: the top-scoring class, and the accuracy is the
/// share of rows whose top class is the target (micro). The matrix (and its heatmap) is kept for at most
/// <see cref="MaxMatrixClasses"/> classes; above that the accuracy is counted here (top class = first maximum, NaN the
/// maximum, as torch's argmax and the core's counts), so that memory does not grow with the square of the class
/// count (the core's multiclass counts keep a C×C matrix).
/// </summary>
internal sealed class ReportClassification
{
    /// <summary>The largest class count that gets a confusion matrix and a heatmap.</summary>
    public const int MaxMatrixClasses = 50;

    /// <summary>File name of the heatmap written by <c>--out</c>.</summary>
    public const string HeatmapFile = "confusion-matrix.png";

    private readonly Func<MetricCollection> _create;
    private readonly int _largeClasses;
    private readonly int? _ignoreIndex;
    private long _correct;
    private long _kept;

    private ReportClassification(Func<MetricCollection> create, int largeClasses = 0, int? ignoreIndex = null)
    {
        _create = create;
        _largeClasses = largeClasses;
        _ignoreIndex = ignoreIndex;
        Collection = create();
    }

    /// <summary>The accuracy and (for small class counts) confusion-matrix metrics.</summary>
    public MetricCollection Collection { get; }

    /// <summary>The metrics for the resolved input kind; <paramref name="classes"/> is C, or 0 for binary.</summary>
    public static ReportClassification Create(EvalSettings s, HingeInputKind kind, int classes) =>
        classes > MaxMatrixClasses
            ? new(() => new MetricCollection(), classes, s.MetricIgnoreIndex)
            : new(() =>
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
                c.Add("confusion-matrix", new MulticlassConfusionMatrix(classes, s.MetricIgnoreIndex));
            }

            return c;
        });

    /// <summary>Feeds one chunk (after the report and the hinge metrics took it: the targets are valid).</summary>
    public void Update<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, IBinaryInteger<TTarget>
    {
        if (_largeClasses == 0)
        {
            Collection.Update(preds, target);
            return;
        }

        var c = _largeClasses;
        for (var r = 0; r < target.Length; r++)
        {
            var y = long.CreateTruncating(target[r]);
            if (_ignoreIndex is { } ignore && y == ignore)
            {
                continue;
            }

            _kept++;
            if (ArgMax(preds.Slice(r * c, c)) == y)
            {
                _correct++;
            }
        }
    }

    /// <summary>Adds every rank's counts (<c>--distributed</c>).</summary>
    public void Sync(Communicator comm)
    {
        if (_largeClasses == 0)
        {
            Collection.Sync(comm, _create);
            return;
        }

        _correct = comm.Allreduce(_correct, ReduceOperation.Sum);
        _kept = comm.Allreduce(_kept, ReduceOperation.Sum);
    }

    /// <summary>The accuracy and the confusion matrix (rows: true class, columns: predicted class; null above
    /// <see cref="MaxMatrixClasses"/> classes).</summary>
    public (double Accuracy, double[][]? Matrix) Compute()
    {
        if (_largeClasses > 0)
        {
            return (_kept == 0 ? double.NaN : (double)_correct / _kept, null);
        }

        var values = Collection.Compute();
        return (values["accuracy"].Value,
            values.TryGetValue("confusion-matrix", out var matrix) ? matrix.ToRows() : null);
    }

    /// <summary>The first index of the row maximum; a NaN is the maximum (torch's argmax).</summary>
    private static int ArgMax<T>(ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (best, index) = (row[0], 0);
        if (T.IsNaN(best))
        {
            return 0;
        }

        for (var j = 1; j < row.Length; j++)
        {
            if (T.IsNaN(row[j]))
            {
                return j;
            }

            if (row[j] > best)
            {
                (best, index) = (row[j], j);
            }
        }

        return index;
    }

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
}
