using System.Diagnostics;
using System.Globalization;
using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tutorial;

/// <summary>Settings of the tutorial's Method 1; the defaults are the tutorial's.</summary>
/// <param name="Samples"><c>make_circles(n_samples=…)</c>.</param>
/// <param name="Noise"><c>make_circles(noise=…)</c>.</param>
/// <param name="RandomState"><c>make_circles(random_state=…)</c>.</param>
/// <param name="TrainSize">The first <c>TrainSize</c> samples train, the rest test.</param>
/// <param name="HiddenUnits">Width of the hidden ReLU layer.</param>
/// <param name="Epochs">Training epochs.</param>
/// <param name="BatchSize">Mini-batch size (Keras' default 32, which the tutorial leaves).</param>
/// <param name="LearningRate">SGD learning rate.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="Seed">Seed of the generator that initialises the weights and shuffles the batches (the tutorial
/// has none; Keras' runs differ from run to run).</param>
public sealed record SequentialDemoOptions(
    int Samples = 1000,
    double Noise = 0.1,
    int RandomState = 1,
    int TrainSize = 500,
    int HiddenUnits = 50,
    int Epochs = 200,
    int BatchSize = 32,
    double LearningRate = 0.01,
    double Momentum = 0.9,
    long Seed = 1);

/// <summary>What Method 1 produces.</summary>
/// <param name="TrainAccuracy">Accuracy on the training half (sign agreement, see <see cref="KerasMetric"/>).
/// </param>
/// <param name="TestAccuracy">Accuracy on the test half.</param>
/// <param name="TrainLoss">Hinge loss on the training half after training.</param>
/// <param name="TestLoss">Hinge loss on the test half after training.</param>
/// <param name="History">Per-epoch <c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c> (the
/// tutorial's plots).</param>
/// <param name="Seconds">Wall-clock time of <c>Fit</c>.</param>
public sealed record SequentialDemoResult(
    double TrainAccuracy,
    double TestAccuracy,
    double TrainLoss,
    double TestLoss,
    History History,
    double Seconds);

/// <summary>
/// The tutorial's Method 1, "hinge loss for a Sequential model", in C#:
/// <c>make_circles(1000, noise=0.1, random_state=1)</c> with labels 0 → −1, a 500/500 split,
/// <c>Dense(50, relu, he_uniform, input_dim=2) → Dense(1, tanh)</c>, <c>SGD(0.01, momentum=0.9)</c>, hinge loss,
/// 200 epochs of batch 32 with the test half as validation data; then train and test accuracy.
/// </summary>
/// <remarks>
/// The data are bit-identical to scikit-learn's. Accuracy here counts sign agreement; the tutorial's Keras run
/// reports binary accuracy at threshold 0.5, which never counts a −1 sample (see <see cref="KerasMetric"/>), so
/// its curves stay far below these.
/// </remarks>
public static class SequentialHingeDemo
{
    /// <summary>Runs Method 1.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the tutorial's.</param>
    /// <param name="log">Receives the tutorial's output line <c>Train: 0.xxx, Test: 0.xxx</c>; per-epoch lines
    /// too when <paramref name="verbose"/>.</param>
    /// <param name="verbose">Whether to log one line per epoch.</param>
    /// <param name="communicator">Train data-parallel over these MPI ranks (each rank trains on its shard of the
    /// training set; see <see cref="Sequential.Communicator"/>); null for one process.</param>
    /// <returns>Accuracies, losses, the history and the training time.</returns>
    public static SequentialDemoResult Run(SequentialDemoOptions? options = null, Action<string>? log = null,
        bool verbose = false, HingeSharp.Distributed.Communicator? communicator = null)
    {
        options ??= new SequentialDemoOptions();
        if (options.TrainSize < 1 || options.TrainSize >= options.Samples)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TrainSize,
                $"Expected `TrainSize` in [1, {options.Samples}), but got {options.TrainSize}.");
        }

        CirclesData data = MakeCircles.Generate(options.Samples, noise: options.Noise,
            randomState: options.RandomState);
        using var scope = torch.NewDisposeScope();
        (Tensor trainX, Tensor trainY) = data.Slice(0, options.TrainSize).ToTensors(signedLabels: true);
        (Tensor testX, Tensor testY) = data.Slice(options.TrainSize, data.Count - options.TrainSize)
            .ToTensors(signedLabels: true);

        using var generator = new Generator((ulong)options.Seed);
        using var model = new Sequential(generator) { Communicator = communicator };
        model.Add(new Dense(options.HiddenUnits, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"));
        model.Add(new Dense(1, activation: "tanh"));
        using var optimizer = new SGD(learningRate: options.LearningRate, momentum: options.Momentum);
        model.Compile("hinge", optimizer, "accuracy");
        if (log is not null)
        {
            model.Log = log;
        }

        var clock = Stopwatch.StartNew();
        History history = model.Fit(trainX, trainY, epochs: options.Epochs, batchSize: options.BatchSize,
            validationData: (testX, testY), verbose: verbose && log is not null ? 1 : 0);
        clock.Stop();

        IReadOnlyDictionary<string, double> train = model.Evaluate(trainX, trainY);
        IReadOnlyDictionary<string, double> test = model.Evaluate(testX, testY);
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"Train: {train["accuracy"]:F3}, Test: {test["accuracy"]:F3}"));
        return new SequentialDemoResult(train["accuracy"], test["accuracy"], train["loss"], test["loss"], history,
            clock.Elapsed.TotalSeconds);
    }
}
