using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

public sealed class SequentialTests
{
    private const int BatchSize = 32;

    [Fact]
    public void Fit_WithValidation_ReturnsKerasKeysOneValuePerEpoch()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, Tensor vx, Tensor vy) = Circles();
        using var model = Model(seed: 1);

        History history = model.Fit(x, y, epochs: 4, batchSize: BatchSize, validationData: (vx, vy), verbose: 0);

        Assert.Equal(["loss", "accuracy", "val_loss", "val_accuracy"], history.Values.Keys);
        Assert.All(history.Values.Values, values => Assert.Equal(4, values.Count));
        Assert.Equal([0, 1, 2, 3], history.Epochs);
        Assert.Throws<KeyNotFoundException>(() => history["acc"]);
    }

    [Fact]
    public void Fit_ValidationValuesOfLastEpoch_EqualEvaluateOnValidationData()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, Tensor vx, Tensor vy) = Circles();
        using var model = Model(seed: 2);

        History history = model.Fit(x, y, epochs: 3, batchSize: BatchSize, validationData: (vx, vy), verbose: 0);
        IReadOnlyDictionary<string, double> evaluation = model.Evaluate(vx, vy, batchSize: BatchSize);

        Assert.Equal(evaluation["loss"], history["val_loss"][^1]);
        Assert.Equal(evaluation["accuracy"], history["val_accuracy"][^1]);
    }

    [Fact]
    public void Fit_EpochLoss_IsTheBatchSizeWeightedMeanOfBatchLosses()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, _, _) = Circles();
        using var model = Model(seed: 3);
        var batchLosses = new List<double>();

        History history = model.Fit(x, y, epochs: 1, batchSize: BatchSize, verbose: 0,
            callbacks: [new LambdaCallback(onBatchEnd: (_, loss) => batchLosses.Add(loss))]);

        long n = x.shape[0];
        Assert.Equal((int)((n + BatchSize - 1) / BatchSize), batchLosses.Count);
        double weighted = batchLosses.Select((loss, b) => loss * Math.Min(BatchSize, n - (b * BatchSize))).Sum() / n;
        Assert.Equal(weighted, history["loss"][0], 1e-6);
    }

    [Fact]
    public void Evaluate_AccuracyWithHinge_EqualsScalarSignAgreementCount()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, Tensor vx, Tensor vy) = Circles();
        using var model = Model(seed: 4);
        model.Fit(x, y, epochs: 3, verbose: 0);

        float[] predictions = model.Predict(vx).data<float>().ToArray();
        float[] labels = vy.data<float>().ToArray();
        int agree = predictions.Zip(labels, (p, t) => (p > 0) == (t > 0) ? 1 : 0).Sum();

        Assert.Equal((double)agree / labels.Length, model.Evaluate(vx, vy)["accuracy"], 1e-12);
    }

    [Fact]
    public void Evaluate_BinaryAccuracyWithSignedLabels_NeverCountsANegativeSampleLikeKeras()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, Tensor vx, Tensor vy) = Circles();
        using var model = Model(seed: 5, metric: "binary_accuracy");
        model.Fit(x, y, epochs: 3, verbose: 0);

        float[] predictions = model.Predict(vx).data<float>().ToArray();
        float[] labels = vy.data<float>().ToArray();
        // Keras: y_true == (y_pred > 0.5 ? 1 : 0); a −1 label never equals 0 or 1.
        int keras = predictions.Zip(labels, (p, t) => t == (p > 0.5f ? 1f : 0f) ? 1 : 0).Sum();
        double value = model.Evaluate(vx, vy)["binary_accuracy"];

        Assert.Equal((double)keras / labels.Length, value, 1e-12);
        Assert.True(value <= labels.Count(t => t > 0) / (double)labels.Length);
    }

    [Fact]
    public void Evaluate_AccuracyWithCrossEntropy_IsThresholdHalfOnZeroOneLabels()
    {
        using var scope = NewDisposeScope();
        CirclesData data = MakeCircles.Generate(120, noise: 0.1, randomState: 3);
        (Tensor x, Tensor y) = data.ToTensors();
        using var generator = new Generator(6);
        using var model = new Sequential([new Dense(8, "relu", inputDim: 2), new Dense(1, "sigmoid")], generator);
        model.Compile("binary_crossentropy", "adam", "accuracy");
        model.Fit(x, y, epochs: 2, verbose: 0);

        float[] predictions = model.Predict(x).data<float>().ToArray();
        int right = predictions.Zip(data.Y, (p, t) => (p > 0.5f ? 1 : 0) == t ? 1 : 0).Sum();

        Assert.Equal((double)right / data.Count, model.Evaluate(x, y)["accuracy"], 1e-12);
    }

    [Fact]
    public void Evaluate_CategoricalHingeAccuracy_EqualsScalarArgmaxCount()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        Tensor x = torch.randn([90, 4], generator: generator);
        long[] classes = Enumerable.Range(0, 90).Select(i => (long)(i % 3)).ToArray();
        Tensor y = nn.functional.one_hot(torch.tensor(classes), 3).to(ScalarType.Float32);
        using var model = new Sequential([new Dense(3, inputDim: 4)], generator);
        model.Compile("categorical_hinge", new SGD(0.1), "accuracy");
        model.Fit(x, y, epochs: 2, verbose: 0);

        float[] p = model.Predict(x).data<float>().ToArray();
        int right = classes.Select((c, i) => ArgMax(p.AsSpan(i * 3, 3)) == c ? 1 : 0).Sum();

        Assert.Equal((double)right / 90, model.Evaluate(x, y)["accuracy"], 1e-12);
    }

    [Fact]
    public void Fit_SameSeed_SameHistoryAndWeights()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, Tensor vx, Tensor vy) = Circles();
        (History History, float[] Weights) Train()
        {
            using var model = Model(seed: 8);
            History h = model.Fit(x, y, epochs: 3, validationData: (vx, vy), verbose: 0);
            return (h, model.Parameters.SelectMany(w => w.data<float>().ToArray()).ToArray());
        }

        (History first, float[] w1) = Train();
        (History second, float[] w2) = Train();

        Assert.Equal(w1, w2);
        foreach (string key in first.Values.Keys)
        {
            Assert.Equal(first[key], second[key]);
        }
    }

    [Fact]
    public void Fit_VerboseTwo_LogsOneKerasStyleLinePerEpoch()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, _, _) = Circles();
        using var model = Model(seed: 9);
        var lines = new List<string>();
        model.Log = lines.Add;

        History history = model.Fit(x, y, epochs: 3, verbose: 2);

        Assert.Equal(3, lines.Count);
        Assert.StartsWith("Epoch 2/3 - ", lines[1]);
        string loss = history["loss"][1].ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($" - loss: {loss}", lines[1]);
    }

    [Fact]
    public void Fit_VerboseOneWithoutTerminal_LogsEpochHeaderAndFinishedBarPerEpoch()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, _, _) = Circles();
        using var model = Model(seed: 9);
        var lines = new List<string>();
        model.Log = lines.Add;

        History history = model.Fit(x, y, epochs: 2, batchSize: BatchSize, verbose: 1);

        long steps = (x.shape[0] + BatchSize - 1) / BatchSize;
        Assert.Equal(4, lines.Count);
        Assert.Equal("Epoch 2/2", lines[2]);
        Assert.StartsWith($"{steps}/{steps} [{new string('=', 30)}] - ", lines[3]);
        string loss = history["loss"][1].ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($" - loss: {loss}", lines[3]);
    }

    [Fact]
    public void Add_AfterBuild_BuildsTheNewLayerAndKeepsEarlierWeights()
    {
        using var model = new Sequential([new Dense(4, inputDim: 2)]);
        float[] before = model.Parameters[0].data<float>().ToArray();

        model.Add(new Dense(1));

        Assert.Equal(4, model.Parameters.Count);
        Assert.Equal(before, model.Parameters[0].data<float>().ToArray());
        Assert.Equal([1L], model.OutputShape);
    }

    [Fact]
    public void FitAndEvaluate_BadUse_ThrowsClearly()
    {
        using var scope = NewDisposeScope();
        using var uncompiled = new Sequential([new Dense(1, inputDim: 2)]);
        Assert.Throws<InvalidOperationException>(() => uncompiled.Fit(torch.ones(4, 2), torch.ones(4)));

        using var model = Model(seed: 10);
        var shape = Assert.Throws<ArgumentException>(() => model.Fit(torch.ones(4, 3), torch.ones(4), verbose: 0));
        Assert.Contains("[4, 3]", shape.Message);
        var count = Assert.Throws<ArgumentException>(() => model.Evaluate(torch.ones(4, 2), torch.ones(5)));
        Assert.Equal("y", count.ParamName);
        Assert.Throws<ArgumentException>(() => model.Compile("hinge", new SGD(), "accuracyy"));
    }

    internal static (Tensor X, Tensor Y, Tensor ValX, Tensor ValY) Circles()
    {
        CirclesData data = MakeCircles.Generate(200, noise: 0.1, randomState: 1);
        (Tensor x, Tensor y) = data.Slice(0, 140).ToTensors(signedLabels: true);
        (Tensor vx, Tensor vy) = data.Slice(140, 60).ToTensors(signedLabels: true);
        return (x, y, vx, vy);
    }

    internal static Sequential Model(ulong seed, string metric = "accuracy")
    {
        var model = new Sequential(new Generator(seed));
        model.Add(new Dense(8, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"));
        model.Add(new Dense(1, activation: "tanh"));
        model.Compile("hinge", "sgd", metric);
        return model;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
