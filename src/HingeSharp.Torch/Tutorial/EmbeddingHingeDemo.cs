using System.Diagnostics;
using System.Globalization;
using HingeSharp.Torch.Datasets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tutorial;

/// <summary>Settings of the tutorial's Method 2, Example 2; the defaults are the tutorial's.</summary>
/// <param name="Size"><c>FakeData(size=…)</c>.</param>
/// <param name="Channels">Image channels (the tutorial's 3).</param>
/// <param name="Height">Image height (28).</param>
/// <param name="Width">Image width (28).</param>
/// <param name="Epochs">Training epochs (5).</param>
/// <param name="BatchSize">Mini-batch size (64).</param>
/// <param name="LearningRate">Adam learning rate (1e-4).</param>
/// <param name="Margin"><c>HingeEmbeddingLoss</c> margin (PyTorch's default 1.0, passed explicitly).</param>
/// <param name="NumWorkers">DataLoader worker threads (the tutorial's 4).</param>
/// <param name="Seed">The tutorial's <c>torch.manual_seed(42)</c>: seeds torch's global generator (the MLP's
/// default initialisation), the data set and the shuffle.</param>
/// <param name="ReportEvery">Report every this many mini-batches (10).</param>
/// <param name="Fused">Train with the fused dense path (the data set generated once, batches gathered from it in
/// the loader's order, explicit forward and backward, PyTorch's Adam in one pass over the parameters) instead of
/// TorchSharp's <c>DataLoader</c>, autograd and <c>torch.optim.Adam</c>; both give the same losses to float
/// rounding.</param>
public sealed record EmbeddingDemoOptions(
    int Size = 15000,
    int Channels = 3,
    int Height = 28,
    int Width = 28,
    int Epochs = 5,
    int BatchSize = 64,
    double LearningRate = 1e-4,
    double Margin = 1.0,
    int NumWorkers = 4,
    long Seed = 42,
    int ReportEvery = 10,
    bool Fused = true);

/// <summary>One progress line of Method 2: <c>Loss after mini-batch %5d: %.3f</c>.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="MiniBatch">The printed mini-batch number (<c>i + 1</c>).</param>
/// <param name="Value">The printed value: the loss summed since the previous report, divided by 500.</param>
public sealed record EmbeddingReport(int Epoch, int MiniBatch, double Value);

/// <summary>What Method 2 produces.</summary>
/// <param name="Reports">Every progress line's numbers, in order.</param>
/// <param name="EpochMeanLoss">Mean mini-batch loss of each epoch.</param>
/// <param name="FinalLoss">Mean mini-batch loss of the last epoch.</param>
/// <param name="Batches">Mini-batches trained in total.</param>
/// <param name="Seconds">Wall-clock time of the training loop.</param>
public sealed record EmbeddingDemoResult(
    IReadOnlyList<EmbeddingReport> Reports,
    IReadOnlyList<double> EpochMeanLoss,
    double FinalLoss,
    long Batches,
    double Seconds);

/// <summary>The tutorial's Method 2, Example 1: <c>HingeEmbeddingLoss</c> on random tensors.</summary>
/// <param name="Input">The (3, 5) input, row-major.</param>
/// <param name="Target">The (3, 5) <c>randn</c> target, row-major (not ±1: both hinge terms apply).</param>
/// <param name="Output">The mean loss.</param>
/// <param name="Gradient">d output / d input, (3, 5) row-major.</param>
public sealed record EmbeddingExampleResult(float[] Input, float[] Target, float Output, float[] Gradient);

/// <summary>
/// The tutorial's Method 2, "HingeEmbeddingLoss", in C#: Example 1 (loss and gradient on <c>randn</c> tensors)
/// and Example 2 (an MLP trained on <see cref="FakeData"/> through TorchSharp's <c>DataLoader</c>).
/// </summary>
/// <remarks>
/// Example 2 is the tutorial's loop: <c>Flatten → Linear(2352, 64) → ReLU → Linear(64, 32) → ReLU →
/// Linear(32, 1) → Tanh</c>, <c>HingeEmbeddingLoss(margin=1.0)</c>, <c>torch.optim.Adam(lr=1e-4)</c> (PyTorch's
/// Adam, as the tutorial uses), batches of 64 shuffled, targets 0 → −1 as float <c>(N, 1)</c>, and every 10th
/// mini-batch (i % 10 == 0, so the first report covers one batch and the others ten) the line
/// <c>Loss after mini-batch %5d: %.3f</c> of the accumulated loss divided by 500, exactly as the tutorial prints
/// it. The loss is accumulated on the device and read only when a line is due.
/// </remarks>
public static class EmbeddingHingeDemo
{
    /// <summary>Runs Example 1.</summary>
    /// <param name="seed">Seed of the generator for <c>randn</c>.</param>
    /// <param name="log">Receives <c>output: …</c> and the gradient rows.</param>
    /// <returns>Input, target, loss and gradient.</returns>
    public static EmbeddingExampleResult RunExample(long seed = 42, Action<string>? log = null)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        Tensor input = torch.randn([3, 5], generator: generator).requires_grad_();
        Tensor target = torch.randn([3, 5], generator: generator);
        using var hingeLoss = nn.HingeEmbeddingLoss(margin: 1.0);
        Tensor output = hingeLoss.call(input, target);
        output.backward();
        float value = output.item<float>();
        float[] gradient = input.grad!.data<float>().ToArray();
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"output:  {value:F4}"));
        log?.Invoke("input.grad:");
        for (int row = 0; row < 3; row++)
        {
            log?.Invoke("  " + string.Join("  ", gradient.Skip(row * 5).Take(5)
                .Select(g => g.ToString("F4", CultureInfo.InvariantCulture).PadLeft(7))));
        }

        return new EmbeddingExampleResult(input.detach().data<float>().ToArray(), target.data<float>().ToArray(),
            value, gradient);
    }

    /// <summary>Runs Example 2.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the tutorial's.</param>
    /// <param name="log">Receives the tutorial's lines (<c>Starting an Iteration n</c>, the mini-batch reports,
    /// <c>Training process has finished</c>).</param>
    /// <returns>The reports, per-epoch mean losses and timing.</returns>
    public static EmbeddingDemoResult Run(EmbeddingDemoOptions? options = null, Action<string>? log = null)
    {
        options ??= new EmbeddingDemoOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReportEvery, 1, nameof(options));
        torch.manual_seed(options.Seed);
        using var dataset = new FakeData(options.Size, [options.Channels, options.Height, options.Width],
            numClasses: 2, seed: options.Seed);
        using var loader = dataset.CreateLoader(options.BatchSize, shuffle: true, seed: (int)options.Seed,
            numWorkers: options.NumWorkers);
        long features = (long)options.Channels * options.Height * options.Width;
        using var mlp = nn.Sequential(
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(features, 64)),
            ("relu1", nn.ReLU()),
            ("fc2", nn.Linear(64, 32)),
            ("relu2", nn.ReLU()),
            ("fc3", nn.Linear(32, 1)),
            ("tanh", nn.Tanh()));
        if (options.Fused)
        {
            return EmbeddingFusedLoop.Run(options, dataset, mlp, log);
        }

        using var lossFunction = nn.HingeEmbeddingLoss(margin: options.Margin);
        using var optimizer = torch.optim.Adam(mlp.parameters(), lr: options.LearningRate);

        var reports = new List<EmbeddingReport>();
        var epochMeans = new List<double>();
        long batches = 0;
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Starting an Iteration {epoch + 1}"));
            log?.Invoke(string.Empty);
            using var epochScope = torch.NewDisposeScope();
            Tensor currentLoss = torch.zeros([], ScalarType.Float64);
            Tensor epochLoss = torch.zeros([], ScalarType.Float64);
            int i = 0;
            foreach (Dictionary<string, Tensor> batch in loader)
            {
                using var stepScope = torch.NewDisposeScope();
                Tensor inputs = batch["data"];
                Tensor labels = batch["label"];
                Tensor targets = torch.where(labels.eq(0), -1L, labels)
                    .to(ScalarType.Float32).reshape(labels.shape[0], 1);
                optimizer.zero_grad();
                Tensor outputs = mlp.call(inputs);
                Tensor loss = lossFunction.call(outputs, targets);
                loss.backward();
                optimizer.step();
                currentLoss.add_(loss.detach());
                epochLoss.add_(loss.detach());
                if (i % options.ReportEvery == 0)
                {
                    double value = currentLoss.item<double>() / 500;
                    reports.Add(new EmbeddingReport(epoch + 1, i + 1, value));
                    log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                        $"Loss after mini-batch {i + 1,5}: {value:F3}"));
                    currentLoss.zero_();
                }

                i++;
            }

            batches += i;
            epochMeans.Add(epochLoss.item<double>() / i);
        }

        clock.Stop();
        log?.Invoke("Training process has finished");
        return new EmbeddingDemoResult(reports, epochMeans, epochMeans[^1], batches, clock.Elapsed.TotalSeconds);
    }
}
