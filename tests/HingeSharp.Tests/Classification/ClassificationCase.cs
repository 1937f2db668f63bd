using Xunit;
using System.Text.Json;
using HingeSharp.Functional;

namespace HingeSharp.Tests.Classification;

/// <summary>One case of classification_metrics.json: its arguments, inputs and expected values.</summary>
internal sealed class ClassificationCase
{
    public const string File = "classification_metrics.json";

    public ClassificationCase(string name)
    {
        Case = Fixtures.Case(File, name);
        Name = name;
        var api = Case.Api();
        Metric = api[(api.LastIndexOf('.') + 1)..];
        IsBinary = Metric.StartsWith("binary_", StringComparison.Ordinal);
        var args = Case.GetProperty("args");
        Threshold = args.Opt("threshold")?.GetDouble() ?? 0.5;
        IgnoreIndex = args.Opt("ignore_index")?.GetInt32();
        NumClasses = args.Opt("num_classes")?.GetInt32() ?? 2;
        TopK = args.Opt("top_k")?.GetInt32() ?? 1;
        Average = ClassificationNames.ParseAverage(args.Opt("average")?.GetString() ?? (IsBinary ? "none" : "macro"));
        Normalize = ClassificationNames.ParseNormalize(args.Opt("normalize")?.GetString());
        var inputs = Case.GetProperty("inputs");
        Preds = inputs.GetProperty("preds");
        Target = Tensor.Longs(inputs.GetProperty("target"));
        PredsAreLabels = Tensor.Dtype(Preds) == "int64";
    }

    public JsonElement Case { get; }
    public string Name { get; }

    /// <summary>binary_accuracy, multiclass_f1_score, …</summary>
    public string Metric { get; }
    public bool IsBinary { get; }
    public double Threshold { get; }
    public int? IgnoreIndex { get; }
    public int NumClasses { get; }
    public int TopK { get; }
    public ClassificationAverage Average { get; }
    public ConfusionMatrixNormalization Normalize { get; }
    public JsonElement Preds { get; }
    public long[] Target { get; }
    public bool PredsAreLabels { get; }

    public float[] FloatPreds => Tensor.Floats(Preds);
    public double[] DoublePreds => Tensor.Doubles(Preds);
    public long[] LabelPreds => Tensor.Longs(Preds);

    public IReadOnlyList<double> Expected(string field) => Tensor.Doubles(Case.GetProperty(field));

    public static TheoryData<string> Names() => Fixtures.Names(File);

    /// <summary>A fresh module (metric object) for the case.</summary>
    public HingeSharp.Classification.ICollectableMetric Module() => Metric switch
    {
        "binary_accuracy" => new HingeSharp.Classification.BinaryAccuracy(Threshold, IgnoreIndex),
        "binary_precision" => new HingeSharp.Classification.BinaryPrecision(Threshold, IgnoreIndex),
        "binary_recall" => new HingeSharp.Classification.BinaryRecall(Threshold, IgnoreIndex),
        "binary_f1_score" => new HingeSharp.Classification.BinaryF1Score(Threshold, IgnoreIndex),
        "binary_confusion_matrix" => new HingeSharp.Classification.BinaryConfusionMatrix(Threshold, IgnoreIndex,
            normalize: Normalize),
        "multiclass_accuracy" => new HingeSharp.Classification.MulticlassAccuracy(NumClasses, Average, TopK, IgnoreIndex),
        "multiclass_precision" => new HingeSharp.Classification.MulticlassPrecision(NumClasses, Average, TopK, IgnoreIndex),
        "multiclass_recall" => new HingeSharp.Classification.MulticlassRecall(NumClasses, Average, TopK, IgnoreIndex),
        "multiclass_f1_score" => new HingeSharp.Classification.MulticlassF1Score(NumClasses, Average, TopK, IgnoreIndex),
        "multiclass_confusion_matrix" => new HingeSharp.Classification.MulticlassConfusionMatrix(NumClasses,
            IgnoreIndex, Normalize),
        _ => throw new NotSupportedException(Metric),
    };

    /// <summary>Rows of the case (N).</summary>
    public int Rows => Target.Length;

    /// <summary>Predictions per row: C for multiclass scores, else 1.</summary>
    public int Width => !IsBinary && !PredsAreLabels ? NumClasses : 1;

    /// <summary>The functional result for preds of type <typeparamref name="T"/>.</summary>
    public IReadOnlyList<double> Functional<T>(T[] preds)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        ReadOnlySpan<T> p = preds;
        ReadOnlySpan<long> t = Target;
        return Metric switch
        {
            "binary_accuracy" => [ClassificationFunctional.BinaryAccuracy(p, t, Threshold, IgnoreIndex)],
            "binary_precision" => [ClassificationFunctional.BinaryPrecision(p, t, Threshold, IgnoreIndex)],
            "binary_recall" => [ClassificationFunctional.BinaryRecall(p, t, Threshold, IgnoreIndex)],
            "binary_f1_score" => [ClassificationFunctional.BinaryF1Score(p, t, Threshold, IgnoreIndex)],
            "binary_confusion_matrix" => ClassificationFunctional.BinaryConfusionMatrix(p, t, Threshold, IgnoreIndex,
                normalize: Normalize).Values,
            "multiclass_accuracy" => ClassificationFunctional.MulticlassAccuracy(p, t, NumClasses, Average, TopK,
                IgnoreIndex).Values,
            "multiclass_precision" => ClassificationFunctional.MulticlassPrecision(p, t, NumClasses, Average, TopK,
                IgnoreIndex).Values,
            "multiclass_recall" => ClassificationFunctional.MulticlassRecall(p, t, NumClasses, Average, TopK,
                IgnoreIndex).Values,
            "multiclass_f1_score" => ClassificationFunctional.MulticlassF1Score(p, t, NumClasses, Average, TopK,
                IgnoreIndex).Values,
            "multiclass_confusion_matrix" => ClassificationFunctional.MulticlassConfusionMatrix(p, t, NumClasses,
                IgnoreIndex, Normalize).Values,
            _ => throw new NotSupportedException(Metric),
        };
    }
}
