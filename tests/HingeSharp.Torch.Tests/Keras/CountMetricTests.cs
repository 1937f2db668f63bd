using HingeSharp.Classification;
using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

/// <summary>Keras-side <c>precision</c>, <c>recall</c> and <c>f1_score</c>: per epoch in History (validation too)
/// and in Evaluate, equal to the core torchmetrics-semantics metrics on Predict's output; counts over the whole set
/// (batch size does not matter); weighted counts; persistence of the names.</summary>
public sealed class CountMetricTests : IDisposable
{
    private const double Tolerance = 1e-12;
    private readonly string _dir = Directory.CreateTempSubdirectory("hinge-counts-").FullName;

    public static TheoryData<string> BinaryLosses => ["hinge", "binary_crossentropy", "binary_crossentropy:from_logits"];

    [Theory]
    [MemberData(nameof(BinaryLosses))]
    public void Fit_BinaryCountMetrics_EqualTheCoreMetricsOnPredictions(string loss)
    {
        using var scope = NewDisposeScope();
        bool margins = loss == "hinge";
        (Tensor x, Tensor y) = MakeCircles.Generate(200, noise: 0.15, randomState: 3).ToTensors(signedLabels: margins);
        using var model = new Sequential([new Input(2), new Dense(12, activation: "relu"),
            new Dense(1, activation: loss switch { "hinge" => "tanh", "binary_crossentropy" => "sigmoid", _ => null })],
            new Generator(4));
        model.Compile(loss, new Adam(learningRate: 0.01), "precision", "recall", "f1_score");

        History history = model.Fit(x, y, epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0);
        IReadOnlyDictionary<string, double> result = model.Evaluate(x, y, batchSize: 13);

        float[] predictions = model.Predict(x).data<float>().ToArray();
        float[] labels = y.reshape(-1).data<float>().ToArray();
        HingeInputKind kind = loss switch
        {
            "hinge" => HingeInputKind.Margins,
            "binary_crossentropy" => HingeInputKind.Probabilities,
            _ => HingeInputKind.Logits,
        };
        var precision = new BinaryPrecision(inputKind: kind);
        var recall = new BinaryRecall(inputKind: kind);
        var f1 = new BinaryF1Score(inputKind: kind);
        precision.Update<float, float>(predictions, labels);
        recall.Update<float, float>(predictions, labels);
        f1.Update<float, float>(predictions, labels);

        double threshold = kind == HingeInputKind.Probabilities ? 0.5 : 0.0;
        Assert.Contains(predictions, p => p > threshold);    // both classes predicted: no 0/0 shortcut
        Assert.Contains(predictions, p => p <= threshold);
        Assert.Equal(precision.Compute(), result["precision"], Tolerance);
        Assert.Equal(recall.Compute(), result["recall"], Tolerance);
        Assert.Equal(f1.Compute(), result["f1_score"], Tolerance);
        foreach (string key in new[] { "precision", "recall", "f1_score", "val_precision", "val_recall", "val_f1_score" })
        {
            Assert.Equal(3, history[key].Count);
        }

        // The validation value is the held-out quarter's counts, as Evaluate gives them.
        IReadOnlyDictionary<string, double> held = model.Evaluate(x.narrow(0, 150, 50), y.narrow(0, 150, 50));
        Assert.Equal(held["f1_score"], history["val_f1_score"][^1], Tolerance);
        Assert.Equal(f1.Compute(), model.Metrics[2].Compute(y, model.Predict(x)), Tolerance);
    }

    [Theory]
    [InlineData(ClassificationAverage.Micro)]
    [InlineData(ClassificationAverage.Macro)]
    [InlineData(ClassificationAverage.Weighted)]
    [InlineData(ClassificationAverage.None)]
    public void Evaluate_MulticlassAverages_EqualTheCoreMulticlassMetrics(ClassificationAverage average)
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(150, seed: 31, spread: 1.6);
        using var model = new Sequential([new Input(2), new Dense(3, activation: "softmax")], new Generator(6));
        model.Compile(KerasLoss.Get("sparse_categorical_crossentropy"), new RMSprop(learningRate: 0.01),
            [KerasMetric.Precision(average), KerasMetric.Recall(average), KerasMetric.F1Score(average)]);
        model.Fit(x, y, epochs: 2, batchSize: 32, verbose: 0);

        IReadOnlyDictionary<string, double> result = model.Evaluate(x, y, batchSize: 17);

        float[] scores = model.Predict(x).data<float>().ToArray();
        long[] classes = y.data<long>().ToArray();
        var core = new (string Name, MulticlassStatMetric<HingeSharp.MetricValue> Metric)[]
        {
            ("precision", new MulticlassPrecision(3, average)), ("recall", new MulticlassRecall(3, average)),
            ("f1_score", new MulticlassF1Score(3, average)),
        };
        Assert.Equal(3, scores.Chunk(3).Select(row => Array.IndexOf(row, row.Max())).Distinct().Count());
        foreach ((string name, var metric) in core)
        {
            metric.Update<float, long>(scores, classes);
            HingeSharp.MetricValue expected = metric.Compute();
            string key = average == ClassificationAverage.Macro ? name
                : $"{name}_{average.ToString().ToLowerInvariant()}";
            if (average == ClassificationAverage.None)
            {
                for (int k = 0; k < 3; k++)
                {
                    Assert.Equal(expected.Values[k], result[$"{key}_{k}"], Tolerance);
                }
            }
            else
            {
                Assert.Equal(expected.Value, result[key], Tolerance);
            }
        }
    }

    [Fact]
    public void Evaluate_CountMetrics_DoNotDependOnTheBatchSizeOrTheTargetForm()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(97, seed: 32, spread: 2.0);
        using var model = new Sequential([new Input(2), new Dense(3)], new Generator(7));
        model.Compile("categorical_hinge", new AdamW(learningRate: 0.01), "precision", "recall", "f1_score");

        IReadOnlyDictionary<string, double> whole = model.Evaluate(x, y, batchSize: 97);
        IReadOnlyDictionary<string, double> small = model.Evaluate(x, y, batchSize: 5);
        IReadOnlyDictionary<string, double> oneHot = model.Evaluate(x,
            nn.functional.one_hot(y, 3).to(ScalarType.Float32), batchSize: 11);

        foreach (string key in new[] { "precision", "recall", "f1_score" })
        {
            Assert.Equal(whole[key], small[key], 1e-12);
            Assert.Equal(whole[key], oneHot[key], 1e-12);
        }
    }

    [Fact]
    public void Evaluate_SampleWeights_WeighTheCountsAsAScalarReference()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(60, seed: 33, spread: 2.0);
        Tensor w = linspace(0.2, 2.0, 60);
        using var model = new Sequential([new Input(2), new Dense(3, activation: "softmax")], new Generator(8));
        model.Compile(KerasLoss.Get("sparse_categorical_crossentropy"), new SGD(learningRate: 0.01),
            [KerasMetric.Precision(ClassificationAverage.Weighted), KerasMetric.F1Score(ClassificationAverage.Micro)]);

        IReadOnlyDictionary<string, double> result = model.Evaluate(x, y, batchSize: 16, sampleWeight: w);

        float[] scores = model.Predict(x).data<float>().ToArray();
        long[] classes = y.data<long>().ToArray();
        double[] weights = w.to(ScalarType.Float64).data<double>().ToArray();
        double[] tp = new double[3], fp = new double[3], fn = new double[3];
        for (int i = 0; i < classes.Length; i++)
        {
            int predicted = 0;
            for (int k = 1; k < 3; k++)
            {
                predicted = scores[(i * 3) + k] > scores[(i * 3) + predicted] ? k : predicted;
            }

            if (predicted == classes[i])
            {
                tp[predicted] += weights[i];
            }
            else
            {
                fp[predicted] += weights[i];
                fn[classes[i]] += weights[i];
            }
        }

        double weighted = 0, support = 0;
        for (int k = 0; k < 3; k++)
        {
            double p = tp[k] + fp[k] == 0 ? 0 : tp[k] / (tp[k] + fp[k]);
            weighted += p * (tp[k] + fn[k]);
            support += tp[k] + fn[k];
        }

        double microF1 = 2 * tp.Sum() / ((2 * tp.Sum()) + fp.Sum() + fn.Sum());
        Assert.Equal(weighted / support, result["precision_weighted"], 1e-9);
        Assert.Equal(microF1, result["f1_score_micro"], 1e-9);
    }

    [Fact]
    public void SaveLoad_CountMetricNames_SurviveAndKeepTheirAverage()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(45, seed: 34);
        string path = Path.Combine(_dir, "counts.hsk");
        using (var model = new Sequential([new Input(2), new Dense(3)], new Generator(9)))
        {
            model.Compile(KerasLoss.Get("categorical_hinge"), new Adagrad(learningRate: 0.01),
                [KerasMetric.F1Score(ClassificationAverage.Weighted), KerasMetric.Recall()]);
            model.Save(path);
        }

        using Sequential loaded = Sequential.Load(path);
        IReadOnlyDictionary<string, double> result = loaded.Evaluate(x, y);
        var core = new MulticlassF1Score(3, ClassificationAverage.Weighted);
        core.Update<float, long>(loaded.Predict(x).data<float>().ToArray(), y.data<long>().ToArray());

        Assert.Equal(["f1_score_weighted", "recall"], loaded.Metrics.Select(m => m.Name));
        Assert.Equal(core.Compute().Value, result["f1_score_weighted"], Tolerance);
    }

    [Fact]
    public void Get_UnknownAverageSuffix_ThrowsNamingTheMetric()
    {
        var error = Assert.Throws<ArgumentException>(
            () => KerasMetric.Get("f1_score_samples", KerasLoss.Get("hinge"), 1));
        Assert.Equal("name", error.ParamName);
        Assert.Contains("f1_score_samples", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
