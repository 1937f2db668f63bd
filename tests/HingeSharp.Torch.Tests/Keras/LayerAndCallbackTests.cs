using System.Globalization;
using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

/// <summary>BatchNormalization, Activation, Input, regularizers, Summary, and the training callbacks.</summary>
public sealed class LayerAndCallbackTests
{
    [Fact]
    public void BatchNormalization_TrainAndInference_FollowKerasFormulas()
    {
        using var scope = NewDisposeScope();
        using var model = new Sequential([new Input(3), new BatchNormalization(momentum: 0.9, epsilon: 1e-3)]);
        model.Compile("mse", new SGD(1e-9));
        Tensor x = torch.tensor(new float[,] { { 1, 2, 3 }, { 3, 0, -1 }, { 2, 7, 5 }, { 0, 1, 1 } });
        float[] column = [1, 3, 2, 0];
        double mean = column.Average(), variance = column.Select(v => (v - mean) * (v - mean)).Average();   // biased

        Tensor training = model.Module.call(x);   // training mode: batch statistics
        double trained = (column[0] - mean) / Math.Sqrt(variance + 1e-3);
        Assert.Equal(trained, training[0, 0].item<float>(), 1e-5);
        double movingMean = 0.1 * mean, movingVariance = (0.9 * 1.0) + (0.1 * variance);

        Tensor inference = model.Predict(x);   // inference: moving statistics
        Assert.Equal((column[0] - movingMean) / Math.Sqrt(movingVariance + 1e-3), inference[0, 0].item<float>(), 1e-5);
        Assert.Equal(6, model.CountTrainableParams());
        Assert.Equal(6, model.CountNonTrainableParams());
        Assert.EndsWith("Total params: 12\nTrainable params: 6\nNon-trainable params: 6",
            model.Summary().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ActivationAndInput_BuildAtOnceAndApplyTheFunction()
    {
        using var scope = NewDisposeScope();
        using var model = new Sequential([new Input(4), new Activation("softmax")]);
        Tensor x = torch.randn(5, 4);

        Assert.True(model.IsBuilt);
        Assert.True(model.Predict(x).allclose(x.softmax(-1)));
        Assert.Throws<ArgumentException>(() => new Activation("nope"));
    }

    [Fact]
    public void DenseL2Regularizer_AddsL2TimesSumOfSquaredKernelToTheLoss()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        using var plain = new Sequential([new Dense(2, inputDim: 3)], generator);
        using var generator2 = new Generator(1);
        using var regularized = new Sequential([new Dense(2, inputDim: 3, kernelRegularizer: new L2(0.05))],
            generator2);
        plain.Compile("mse", new SGD());
        regularized.Compile("mse", new SGD());
        Tensor x = torch.randn(6, 3), y = torch.randn(6, 2);
        double penalty = 0.05 * regularized.Parameters[0].square().sum().item<float>();

        Assert.Equal(plain.Evaluate(x, y)["loss"] + penalty, regularized.Evaluate(x, y)["loss"], 1e-6);
    }

    [Fact]
    public void ReduceLROnPlateau_AfterPatienceWithoutImprovement_MultipliesTheRate()
    {
        var values = new[] { 1.0, 0.5, 0.6, 0.7, 0.4, 0.45, 0.5 };
        using var optimizer = new SGD(0.1);
        var callback = new ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 2);
        var rates = Drive(callback, optimizer, values);

        // improvements at epochs 0, 1, 4; two non-improving epochs (2, 3) → halve after epoch 3, again after 6
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05], rates);
        Assert.Equal(0.025, optimizer.LearningRate, 15);
    }

    [Fact]
    public void LearningRateScheduler_SetsTheRateAtEachEpochStart()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(30, seed: 2);
        using var model = new Sequential([new Dense(3, inputDim: 2)]);
        model.Compile("sparse_categorical_crossentropy:from_logits", new SGD(0.1));

        History history = model.Fit(x, y, epochs: 3, verbose: 0,
            callbacks: [new LearningRateScheduler((epoch, lr) => epoch == 0 ? lr : lr / 2)]);

        Assert.Equal([0.1, 0.05, 0.025], history["learning_rate"]);
    }

    [Fact]
    public void CsvLoggerAndTerminateOnNaN_WriteRowsAndStopAtTheFirstNaN()
    {
        using var scope = NewDisposeScope();
        string path = Path.Combine(Path.GetTempPath(), $"hinge-csv-{Guid.NewGuid():N}.csv");
        (Tensor x, Tensor y) = Blobs.Make(40, seed: 3);
        using var model = new Sequential([new Dense(3, inputDim: 2)]);
        model.Compile("sparse_categorical_crossentropy:from_logits", new SGD(0.1), "accuracy");
        try
        {
            History history = model.Fit(x, y, epochs: 2, batchSize: 10, verbose: 0, callbacks: [new CSVLogger(path)]);
            string[] lines = File.ReadAllLines(path);
            Assert.Equal("epoch,accuracy,loss", lines[0]);
            Assert.Equal($"1,{history["accuracy"][1].ToString("R", CultureInfo.InvariantCulture)},"
                + history["loss"][1].ToString("R", CultureInfo.InvariantCulture), lines[2]);

            var nan = new TerminateOnNaN();
            Tensor bad = x.clone();
            bad[25, 0] = torch.tensor(float.NaN);
            History stopped = model.Fit(bad, y, epochs: 3, batchSize: 10, shuffle: false, verbose: 0, callbacks: [nan]);
            Assert.Equal(2, nan.StoppedBatch);
            Assert.Single(stopped.Epochs);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ProgressBar_OnATerminal_RedrawsOneBarPerBatchWithTheRunningMeanLoss()
    {
        var lines = new List<string>();
        using var terminal = new StringWriter();
        var bar = new ProgressBar(lines.Add, terminal) { Steps = 4 };

        Assert.True(bar.NeedsBatchLogs);
        bar.OnEpochBegin(0);
        bar.OnBatchEnd(0, 1.0);
        bar.OnBatchEnd(1, 0.5);
        bar.OnEpochEnd(0, new Dictionary<string, double> { ["loss"] = 0.75 });

        string[] redraws = terminal.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("1/4 [======>.", redraws[0]);   // 30·1/4 = 7 cells
        Assert.EndsWith("loss: 1.0000", redraws[0]);
        Assert.StartsWith("2/4 [==============>", redraws[1]);
        Assert.EndsWith("loss: 0.7500", redraws[1]);
        Assert.Equal("Epoch 1/0", lines[0]);
        Assert.StartsWith($"4/4 [{new string('=', 30)}]", lines[1]);
        Assert.False(new ProgressBar(lines.Add, null).NeedsBatchLogs);
    }

    private static List<double> Drive(Callback callback, KerasOptimizer optimizer, double[] values)
    {
        using var model = new Sequential([new Dense(1, inputDim: 1)]);
        model.Compile("mse", optimizer);
        var setModel = typeof(Callback).GetProperty(nameof(Callback.Model))!;
        setModel.SetValue(callback, model);
        callback.OnTrainBegin();
        var rates = new List<double>();
        for (int epoch = 0; epoch < values.Length; epoch++)
        {
            var logs = new Dictionary<string, double> { ["val_loss"] = values[epoch] };
            callback.OnEpochEnd(epoch, logs);
            rates.Add(logs["learning_rate"]);
        }

        return rates;
    }
}
