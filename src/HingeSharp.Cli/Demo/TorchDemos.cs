using HingeSharp.Cli.Output;
using HingeSharp.Plots;
using HingeSharp.Torch.Tutorial;

namespace HingeSharp.Cli.Demo;

/// <summary>The tutorial's Methods 1 and 2, which train networks with TorchSharp (HingeSharp.Torch).</summary>
internal static class TorchDemos
{
    /// <summary>The file Method 1's loss/accuracy history is written to.</summary>
    public const string HistoryFileName = "sequential_history.png";

    /// <summary>
    /// Method 1: Keras-style <c>Sequential</c> (Dense 50 relu → Dense 1 tanh, SGD 0.01 momentum 0.9, hinge loss,
    /// 200 epochs) on <c>make_circles(1000, noise=0.1, random_state=1)</c>; prints <c>Train: %.3f, Test: %.3f</c> and
    /// charts the history as the tutorial's two subplots.
    /// </summary>
    public static void Sequential(DemoReport report)
    {
        report.Title("Method 1: Sequential model with hinge loss on make_circles");
        var result = SequentialHingeDemo.Run(log: report.Line);
        using var chart = HistoryPlot.Create(result.History.Values);
        report.File(HistoryFileName, chart.ToPngBytes(chart.DefaultWidth, chart.DefaultHeight));
        report.Section("sequential", w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("trainAccuracy");
            w.WriteNumber(result.TrainAccuracy);
            w.WritePropertyName("testAccuracy");
            w.WriteNumber(result.TestAccuracy);
            w.WritePropertyName("seconds");
            w.WriteNumber(result.Seconds);
            w.WriteEndObject();
        });
    }
}
