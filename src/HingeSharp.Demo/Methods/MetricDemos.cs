using HingeSharp.Classification;
using HingeSharp.Cli.Output;
using HingeSharp.Functional;
using HingeSharp.Plots;

namespace HingeSharp.Demo.Methods;

/// <summary>The tutorial's Methods 3, 4 and 5: torchmetrics' hinge metrics, reproduced with the HingeSharp core.</summary>
internal static class MetricDemos
{
    /// <summary>The file Method 5's plot is written to.</summary>
    public const string PlotFileName = "binary_hinge_10_batches.png";

    /// <summary>
    /// Method 3: <c>HingeLoss(task="binary")</c> on preds <c>[0.5, 0.7, 0.1]</c> and target <c>[0, 1, 1]</c>;
    /// the notebook shows <c>tensor(0.9000)</c>.
    /// </summary>
    public static void Binary(DemoReport report)
    {
        var hinge = HingeLoss.Create("binary");
        var value = hinge.Forward<float, long>([0.5f, 0.7f, 0.1f], [0, 1, 1]);
        report.Title("Method 3: HingeLoss(task=\"binary\")");
        report.Line($"tensor({value})");
        report.Section("binary", w => w.WriteLoss(value));
    }

    /// <summary>
    /// Method 4: <c>multiclass_hinge_loss</c> on the tutorial's 4×3 scores and target <c>[0, 1, 2, 0]</c>:
    /// Crammer–Singer, squared, and one-vs-all.
    /// </summary>
    public static void Multiclass(DemoReport report)
    {
        float[] preds =
        [
            0.25f, 0.20f, 0.55f,
            0.55f, 0.05f, 0.40f,
            0.10f, 0.30f, 0.60f,
            0.90f, 0.05f, 0.05f,
        ];
        long[] target = [0, 1, 2, 0];
        var crammerSinger = HingeFunctional.MulticlassHingeLoss<float, long>(preds, target, numClasses: 3);
        var squared = HingeFunctional.MulticlassHingeLoss<float, long>(preds, target, numClasses: 3, squared: true);
        var oneVsAll = HingeFunctional.MulticlassHingeLoss<float, long>(preds, target, numClasses: 3,
            multiclassMode: MulticlassMode.OneVsAll);
        report.Title("Method 4: multiclass_hinge_loss");
        report.Line($" MultiClass HingeLoss: tensor({crammerSinger})");
        report.Line();
        report.Line($" MultiClass Squared HingeLoss: tensor({squared})");
        report.Line();
        report.Line($" One vs All Mode HingeLoss: tensor({oneVsAll})");
        report.Section("multiclass", w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("crammerSinger");
            w.WriteLoss(crammerSinger);
            w.WritePropertyName("squared");
            w.WriteLoss(squared);
            w.WritePropertyName("oneVsAll");
            w.WriteLoss(oneVsAll);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Method 5: <c>BinaryHingeLoss</c> forward over 10 batches of <c>rand(10)</c> / <c>randint(2, (10,))</c> drawn
    /// as PyTorch draws them after <c>torch.manual_seed(seed)</c>, charted with <see cref="MetricPlot"/> on a y-range
    /// derived from the data within the metric's bounds [0, 2].
    /// </summary>
    public static void Plot(DemoReport report, ulong seed = 42)
    {
        var values = BatchValues(seed, out var total);
        report.Title("Method 5: BinaryHingeLoss over 10 batches");
        for (var i = 0; i < values.Length; i++)
        {
            report.Line($"batch {i}: tensor({values[i].ToString("F4", System.Globalization.CultureInfo.InvariantCulture)})");
        }

        report.Line($"compute(): tensor({total.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)})");
        using var chart = MetricPlot.Create(values, MetricPlotOptions.BinaryHinge() with
        {
            Title = $"BinaryHingeLoss over 10 batches (torch.manual_seed({seed}))",
        });
        report.File(PlotFileName, chart.ToPngBytes(chart.DefaultWidth, chart.DefaultHeight));
        report.Section("plot", w =>
        {
            w.WriteStartObject();
            w.WriteNumber("seed", seed);
            w.WriteStartArray("values");
            foreach (var v in values)
            {
                w.WriteNumber(v);
            }

            w.WriteEndArray();
            w.WritePropertyName("compute");
            w.WriteNumber(total);
            w.WriteEndObject();
        });
    }

    /// <summary>The ten batch values of Method 5 and the metric over all of them.</summary>
    internal static double[] BatchValues(ulong seed, out double total)
    {
        var random = new TorchCpuRandom(seed);
        var metric = new BinaryHingeLoss();
        var values = new double[10];
        for (var i = 0; i < values.Length; i++)
        {
            var preds = random.Rand(10);
            var target = random.RandInt(2, 10);
            values[i] = metric.Forward<float, long>(preds, target);
        }

        total = metric.Compute();
        return values;
    }
}
