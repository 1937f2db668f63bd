using HingeSharp.Cli.Output;
using HingeSharp.Plots;
using HingeSharp.Torch.Tutorial;
using TorchSharp;

namespace HingeSharp.Demo.Methods;

/// <summary>The tutorial's Methods 1 and 2, which train networks with TorchSharp (HingeSharp.Torch).</summary>
internal static class TorchDemos
{
    /// <summary>The file Method 1's loss/accuracy history is written to.</summary>
    public const string HistoryFileName = "sequential_history.png";

    /// <summary>
    /// Sets libtorch's intra-op threads. The demo networks are tiny (batches of 32–64, layers of 50–2352 units): one
    /// thread runs them fastest, and on a busy machine more OpenMP threads spin against each other (Method 1 took
    /// 17 s with 2 threads and 0.8 s with 1 on a loaded 2-core machine, with identical results).
    /// </summary>
    /// <param name="threads">Threads, at least 1.</param>
    public static void SetThreads(int threads) => torch.set_num_threads(threads);

    /// <summary>The ranks Method 1 trains over (data-parallel); a single process by default.</summary>
    public static HingeSharp.Distributed.Communicator Communicator { get; set; } =
        HingeSharp.Distributed.Communicator.SingleProcess;

    /// <summary>
    /// Method 1: Keras-style <c>Sequential</c> (Dense 50 relu → Dense 1 tanh, SGD 0.01 momentum 0.9, hinge loss,
    /// 200 epochs) on <c>make_circles(1000, noise=0.1, random_state=1)</c>; prints <c>Train: %.3f, Test: %.3f</c> and
    /// charts the history as the tutorial's two subplots.
    /// </summary>
    public static void Sequential(DemoReport report)
    {
        report.Title("Method 1: Sequential model with hinge loss on make_circles");
        var result = SequentialHingeDemo.Run(log: report.Line, communicator: Communicator);
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

    /// <summary>
    /// Method 2: Example 1, <c>HingeEmbeddingLoss</c> on <c>randn(3, 5)</c> input and target with
    /// <c>backward()</c>; Example 2, the tutorial's MLP trained with Adam on <c>FakeData(15000, (3, 28, 28))</c>,
    /// printing <c>Loss after mini-batch %5d: %.3f</c> every 10 mini-batches.
    /// </summary>
    public static void Embedding(DemoReport report)
    {
        report.Title("Method 2: HingeEmbeddingLoss");
        report.Line("Example 1: HingeEmbeddingLoss with backward()");
        var example = EmbeddingHingeDemo.RunExample(log: report.Line);
        report.Line();
        report.Line("Example 2: HingeEmbeddingLoss with an MLP on FakeData");
        var result = EmbeddingHingeDemo.Run(log: report.Line);
        report.Section("embedding", w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("exampleOutput");
            w.WriteNumber(example.Output);
            w.WritePropertyName("finalLoss");
            w.WriteNumber(result.FinalLoss);
            w.WritePropertyName("seconds");
            w.WriteNumber(result.Seconds);
            w.WriteEndObject();
        });
    }
}
