using HingeSharp.Classification;
using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras;
using HingeSharp.Torch.Metrics;
using TorchSharp;
using Xunit;

namespace HingeSharp.Torch.Tests;

/// <summary>The README's TorchSharp quick start, run as written.</summary>
[Collection(HingeSharp.Torch.Tests.Keras.DefaultGeneratorGroup.Name)]
public sealed class ReadmeTorchQuickStartTests
{
    [Fact]
    public void QuickStart_Method1_SequentialOnMakeCircles_ReachesTutorialAccuracy()
    {
        using var scope = torch.NewDisposeScope();

        // README: Method 1
        var data = MakeCircles.Generate(1000, noise: 0.1, randomState: 1);        // bit-identical to scikit-learn
        var (trainX, trainY) = data.Slice(0, 500).ToTensors(signedLabels: true);  // labels 0 → −1
        var (testX, testY) = data.Slice(500, 500).ToTensors(signedLabels: true);
        using var model = new Sequential(new torch.Generator(1));
        model.Add(new Dense(50, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"));
        model.Add(new Dense(1, activation: "tanh"));
        model.Compile("hinge", new SGD(learningRate: 0.01, momentum: 0.9), "accuracy");
        var history = model.Fit(trainX, trainY, epochs: 200, validationData: (testX, testY));
        var testAccuracy = model.Evaluate(testX, testY)["accuracy"];

        Assert.Equal(200, history.Values["val_accuracy"].Count);
        Assert.Equal(history.Values["val_accuracy"][^1], testAccuracy, 12);
        Assert.True(testAccuracy >= 0.80, $"test accuracy {testAccuracy}");
    }

    [Fact]
    public void QuickStart_MultiClass_BothLossesLearnAndResumeEqualsOneRun()
    {
        using var scope = torch.NewDisposeScope();
        string file = Path.Combine(Path.GetTempPath(), $"readme-svm-{Guid.NewGuid():N}.model");

        // README: multi-class
        var labels = torch.arange(300, dtype: torch.int64).remainder(3);           // int64 (N,), no one-hot needed
        var centers = torch.tensor(new float[,] { { -3, 0 }, { 3, 0 }, { 0, 4 } });
        var points = centers.index_select(0, labels).add(torch.randn([300, 2], generator: new torch.Generator(7)).mul(0.8));
        using var softmax = new Sequential([new Input(2), new Dense(16, activation: "relu"),
            new Dense(3, activation: "softmax")], new torch.Generator(1));
        softmax.Compile("sparse_categorical_crossentropy", new RMSprop(learningRate: 0.01), "sparse_categorical_accuracy");
        softmax.Fit(points, labels, epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 0);
        using var svm = new Sequential([new Input(2), new Dense(16, activation: "relu"), new Dense(3)], new torch.Generator(1));
        svm.Compile("categorical_hinge", new AdamW(learningRate: 0.01), "sparse_categorical_accuracy");
        svm.Fit(points, labels, epochs: 3, batchSize: 32, validationSplit: 0.2, verbose: 0);
        svm.Save(file);
        using var resumed = Sequential.Load(file);
        resumed.Fit(points, labels, epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 0, initialEpoch: 3);
        var accuracy = resumed.Evaluate(points, labels)["sparse_categorical_accuracy"];

        File.Delete(file);
        using var oneRun = new Sequential([new Input(2), new Dense(16, activation: "relu"), new Dense(3)],
            new torch.Generator(1));
        oneRun.Compile("categorical_hinge", new AdamW(learningRate: 0.01), "sparse_categorical_accuracy");
        oneRun.Fit(points, labels, epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 0);
        Assert.True(softmax.Evaluate(points, labels)["sparse_categorical_accuracy"] >= 0.9);
        Assert.True(accuracy >= 0.9, $"accuracy {accuracy}");
        Assert.Equal(oneRun.GetWeights().SelectMany(w => w.data<float>().ToArray()),
            resumed.GetWeights().SelectMany(w => w.data<float>().ToArray()));
    }

    [Fact]
    public void QuickStart_HingeEmbeddingLoss_BackwardMatchesFormula()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(42);

        // README: Method 2, Example 1
        var input = torch.randn(3, 5, requires_grad: true);
        var target = torch.randn(3, 5);
        var output = HingeNN.HingeEmbeddingLoss().call(input, target);   // margin 1.0, as PyTorch
        output.backward();

        // (y != 1)·max(0, 1 − x) + (y != −1)·x, averaged: randn targets take both terms.
        var x = input.detach().data<float>().ToArray();
        var expected = x.Select(v => Math.Max(0, 1 - v) + v).Average();
        Assert.Equal(expected, output.item<float>(), 5);
        Assert.NotNull(input.grad);
    }

    [Fact]
    public void QuickStart_MetricOnTensors_EqualsMetricOnArrays()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(42);

        // README: metrics on tensors
        var metric = new BinaryHingeLoss();
        var preds = torch.rand(10);
        var target = torch.randint(2, 10);
        metric.Update(preds, target);

        var arrays = new BinaryHingeLoss();
        arrays.Update<float, long>(preds.data<float>().ToArray(), target.data<long>().ToArray());
        Assert.Equal(arrays.Compute(), metric.Compute(), 12);
    }
}
