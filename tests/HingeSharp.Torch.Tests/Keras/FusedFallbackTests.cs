using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras;
using HingeSharp.Torch.Keras.Fused;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

/// <summary>The fused path is taken only where it gives what autograd gives: the Keras features it does not
/// implement send training back to autograd (same results as with the fused path switched off), the ones it
/// honours (schedules, learning-rate callbacks, validation split, Input) agree with autograd to float rounding,
/// and its saved optimizer state resumes like autograd's.</summary>
public sealed class FusedFallbackTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hinge-fused-").FullName;

    public static TheoryData<string> OptimizersOutside => new()
    {
        "adamw", "nadam", "rmsprop", "adagrad", "clipnorm", "clipvalue", "global_clipnorm", "weight_decay",
    };

    public static TheoryData<string> LayersOutside => new()
    {
        "batch_normalization", "activation", "kernel_regularizer", "bias_regularizer", "dropout",
    };

    public static TheoryData<string> FitFeaturesOutside => new()
    {
        "sample_weight", "class_weight", "adamw", "clipnorm", "weight_decay", "kernel_regularizer", "batch_logs",
        "count_metrics",
    };

    public static TheoryData<string> FitFeaturesInside => new()
    {
        "exponential_decay", "reduce_lr_on_plateau", "learning_rate_scheduler", "validation_split", "input_layer",
    };

    [Theory]
    [MemberData(nameof(OptimizersOutside))]
    public void TryCreate_OptimizerOrOptionOutsideTheFusedPath_ReturnsNull(string optimizer)
    {
        using var model = Model(3);
        model.Compile("hinge", MakeOptimizer(optimizer), "accuracy");

        Assert.Null(FusedTrainer.TryCreate(model, 32, forTraining: true));
        using FusedTrainer? inference = FusedTrainer.TryCreate(model, 32, forTraining: false);
        Assert.NotNull(inference);   // Evaluate and Predict do not involve the optimizer
    }

    [Theory]
    [InlineData("precision")]
    [InlineData("recall")]
    [InlineData("f1_score")]
    public void TryCreate_CountBasedMetric_ReturnsNull(string metric)
    {
        using var model = Model(3);
        model.Compile("hinge", MakeOptimizer("sgd"), "accuracy", metric);

        Assert.Null(FusedTrainer.TryCreate(model, 32, forTraining: true));
        Assert.Null(FusedTrainer.TryCreate(model, 32, forTraining: false));
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void TryCreate_PlainSgdOrAdam_ReturnsATrainer(string optimizer)
    {
        using var model = Model(3);
        model.Compile("hinge", MakeOptimizer(optimizer), "accuracy");

        using FusedTrainer? trainer = FusedTrainer.TryCreate(model, 32, forTraining: true);
        Assert.NotNull(trainer);
    }

    [Theory]
    [MemberData(nameof(LayersOutside))]
    public void TryCreate_LayerOutsideTheFusedPath_ReturnsNull(string layer)
    {
        using var model = Model(3, layer);
        model.Compile("hinge", new SGD(0.01), "accuracy");

        Assert.Null(FusedTrainer.TryCreate(model, 32, forTraining: true));
        Assert.Null(FusedTrainer.TryCreate(model, 32, forTraining: false));
    }

    [Fact]
    public void TryCreateForFit_WeightsClassIndicesOrBatchCallbacks_ReturnsNull()
    {
        using var scope = NewDisposeScope();
        using var model = Model(3);
        model.Compile("hinge", new Adam(0.01), "accuracy");
        Tensor x = rand(8, 2), y = rand(8, 1).sign();
        var plain = new PreparedBatch(x, y, y, null);
        using (FusedTrainer? trainer = FusedTrainer.TryCreateForFit(model, 8, plain, null))
        {
            Assert.NotNull(trainer);
        }

        Assert.Null(FusedTrainer.TryCreateForFit(model, 8, plain with { Weights = ones(8) }, null));
        Assert.Null(FusedTrainer.TryCreateForFit(model, 8, plain,
            [new LambdaCallback(onBatchEnd: (_, _) => { })]));
        using FusedTrainer? withNaN = FusedTrainer.TryCreateForFit(model, 8, plain, [new TerminateOnNaN()]);
        Assert.NotNull(withNaN);

        using var multi = new Sequential(new Generator(3));
        multi.Add(new Dense(3, inputDim: 2));
        multi.Compile("hinge", new Adam(0.01), "hinge");
        Tensor indices = tensor(new long[] { 0, 1, 2, 1, 0, 2, 1, 0 });
        var classIndices = new PreparedBatch(x, indices,
            multi.Loss!.PrepareClassIndices(indices, 3), null);
        Assert.Null(FusedTrainer.TryCreateForFit(multi, 8, classIndices, null));
    }

    [Theory]
    [MemberData(nameof(FitFeaturesOutside))]
    public void Fit_FeatureOutsideTheFusedPath_GivesExactlyTheAutogradResult(string feature)
    {
        using var scope = NewDisposeScope();
        long before = FusedTrainer.EpochsTrained;
        (History fused, float[] fusedWeights) = TrainWith(feature, fusedPath: true);
        Assert.Equal(before, FusedTrainer.EpochsTrained);
        (History autograd, float[] autogradWeights) = TrainWith(feature, fusedPath: false);

        Assert.Equal(autogradWeights, fusedWeights);
        Assert.Equal(autograd.Values.Keys, fused.Values.Keys);
        foreach ((string key, IReadOnlyList<double> values) in autograd.Values)
        {
            Assert.Equal(values, fused[key]);
        }
    }

    [Theory]
    [MemberData(nameof(FitFeaturesInside))]
    public void Fit_FeatureTheFusedPathHonours_AgreesWithAutogradToFloatRounding(string feature)
    {
        using var scope = NewDisposeScope();
        using (var probe = Model(7, feature == "input_layer" ? "input" : null))
        {
            probe.Compile("squared_hinge", MakeOptimizer(feature == "exponential_decay" ? "adam_decay" : "sgd"),
                "accuracy");
            using FusedTrainer? trainer = FusedTrainer.TryCreate(probe, 32, forTraining: true);
            Assert.NotNull(trainer);
        }

        long before = FusedTrainer.EpochsTrained;
        (History fused, float[] fusedWeights) = TrainWith(feature, fusedPath: true);
        Assert.Equal(before + 4, FusedTrainer.EpochsTrained);
        (History autograd, float[] autogradWeights) = TrainWith(feature, fusedPath: false);
        Assert.Equal(before + 4, FusedTrainer.EpochsTrained);

        for (int i = 0; i < autogradWeights.Length; i++)
        {
            Assert.True(Math.Abs(autogradWeights[i] - fusedWeights[i]) <= 1e-4 * (1 + Math.Abs(autogradWeights[i])),
                $"weight {i}: autograd {autogradWeights[i]}, fused {fusedWeights[i]}");
        }

        Assert.Equal(autograd.Values.Keys.Order(), fused.Values.Keys.Order());
        foreach ((string key, IReadOnlyList<double> values) in autograd.Values)
        {
            for (int e = 0; e < values.Count; e++)
            {
                Assert.True(Math.Abs(values[e] - fused[key][e]) <= 1e-4 * (1 + Math.Abs(values[e])),
                    $"{key}[{e}]: autograd {values[e]}, fused {fused[key][e]}");
            }
        }
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd_momentum")]
    public void SaveLoadResume_FusedPath_EqualsUninterruptedRunAndSavesAutogradsOptimizerState(string optimizer)
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Circles();
        string path = Path.Combine(_dir, optimizer + ".hsk");
        using var straight = Model(21);
        straight.Compile("hinge", MakeOptimizer(optimizer), "accuracy");
        straight.Fit(x, y, epochs: 6, batchSize: 16, validationSplit: 0.25, verbose: 0);

        using (var first = Model(21))
        {
            first.Compile("hinge", MakeOptimizer(optimizer), "accuracy");
            first.Fit(x, y, epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0);
            first.Save(path);
        }

        using (Sequential saved = Sequential.Load(path))
        using (var reference = Model(21))
        {
            reference.Compile("hinge", MakeOptimizer(optimizer), "accuracy");
            bool previous = FusedTrainer.Enabled;
            FusedTrainer.Enabled = false;
            try
            {
                reference.Fit(x, y, epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0);
            }
            finally
            {
                FusedTrainer.Enabled = previous;
            }

            Assert.Equal(reference.Optimizer!.Iterations, saved.Optimizer!.Iterations);
            Assert.Equal(reference.Optimizer.Slots.Count, saved.Optimizer.Slots.Count);
            AssertClose(reference.Optimizer.Slots.SelectMany(s => s).ToArray(),
                saved.Optimizer.Slots.SelectMany(s => s).ToArray(), 1e-4, "optimizer slot");
            AssertClose([.. reference.Parameters], [.. saved.Parameters], 1e-4, "weight");
        }

        using Sequential resumed = Sequential.Load(path);
        long before = FusedTrainer.EpochsTrained;
        History history = resumed.Fit(x, y, epochs: 6, batchSize: 16, validationSplit: 0.25, verbose: 0,
            initialEpoch: 3);

        Assert.Equal([3, 4, 5], history.Epochs);
        Assert.Equal(before + 3, FusedTrainer.EpochsTrained);
        Assert.Equal(straight.Optimizer!.Iterations, resumed.Optimizer!.Iterations);
        AssertClose(straight.Optimizer.Slots.SelectMany(s => s).ToArray(),
            resumed.Optimizer.Slots.SelectMany(s => s).ToArray(), 1e-6, "optimizer slot");
        AssertClose([.. straight.Parameters], [.. resumed.Parameters], 1e-6, "weight");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (History History, float[] Weights) TrainWith(string feature, bool fusedPath)
    {
        bool previous = FusedTrainer.Enabled;
        FusedTrainer.Enabled = fusedPath;
        try
        {
            (Tensor x, Tensor y) = Circles();
            using var model = Model(7, feature switch
            {
                "kernel_regularizer" => "kernel_regularizer",
                "input_layer" => "input",
                _ => null,
            });
            string optimizer = feature switch
            {
                "adamw" or "clipnorm" or "weight_decay" => feature,
                "exponential_decay" => "adam_decay",
                _ => "sgd_momentum",
            };
            string[] metrics = feature == "count_metrics"
                ? ["accuracy", "hinge", "precision", "recall", "f1_score"]
                : ["accuracy", "hinge"];
            model.Compile("squared_hinge", MakeOptimizer(optimizer), metrics);
            var callbacks = new List<Callback>();
            Tensor? sampleWeight = null;
            Dictionary<int, double>? classWeight = null;
            double split = 0.0;
            switch (feature)
            {
                case "sample_weight":
                    sampleWeight = linspace(0.5, 1.5, x.shape[0]);
                    break;
                case "class_weight":
                    classWeight = new() { [1] = 2.0 };
                    break;
                case "batch_logs":
                    callbacks.Add(new LambdaCallback(onBatchEnd: (_, _) => { }));
                    break;
                case "reduce_lr_on_plateau":
                    callbacks.Add(new ReduceLROnPlateau("loss", factor: 0.5, patience: 0, minDelta: 10.0));
                    break;
                case "learning_rate_scheduler":
                    callbacks.Add(new LearningRateScheduler((epoch, lr) => epoch == 0 ? lr : lr * 0.7));
                    break;
                case "validation_split":
                    split = 0.2;
                    break;
            }

            History history = model.Fit(x, y, epochs: 4, batchSize: 16, verbose: 0, callbacks: callbacks,
                validationSplit: split, sampleWeight: sampleWeight, classWeight: classWeight);
            float[] weights = model.Parameters.SelectMany(p => p.data<float>().ToArray()).ToArray();
            model.Optimizer!.Dispose();
            return (history, weights);
        }
        finally
        {
            FusedTrainer.Enabled = previous;
        }
    }

    private static KerasOptimizer MakeOptimizer(string name) => name switch
    {
        "sgd" => new SGD(0.05),
        "sgd_momentum" => new SGD(0.02, momentum: 0.9),
        "adam" => new Adam(0.01),
        "adam_decay" => new Adam(0.01) { Schedule = new ExponentialDecay(0.01, decaySteps: 5, decayRate: 0.8) },
        "adamw" => new AdamW(0.01),
        "nadam" => new Nadam(0.01),
        "rmsprop" => new RMSprop(0.01),
        "adagrad" => new Adagrad(0.05),
        "clipnorm" => new SGD(0.02, momentum: 0.9) { ClipNorm = 0.05 },
        "clipvalue" => new SGD(0.02) { ClipValue = 0.01 },
        "global_clipnorm" => new Adam(0.01) { GlobalClipNorm = 0.1 },
        "weight_decay" => new SGD(0.02, momentum: 0.9) { WeightDecay = 0.05 },
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private static Sequential Model(ulong seed, string? extra = null)
    {
        var model = new Sequential(new Generator(seed));
        if (extra == "input")
        {
            model.Add(new Input(2));
        }

        model.Add(new Dense(10, inputDim: extra == "input" ? null : 2, activation: "relu",
            kernelRegularizer: extra == "kernel_regularizer" ? new L2(0.01) : null,
            biasRegularizer: extra == "bias_regularizer" ? new L2(0.01) : null));
        switch (extra)
        {
            case "batch_normalization":
                model.Add(new BatchNormalization());
                break;
            case "activation":
                model.Add(new Activation("relu"));
                break;
            case "dropout":
                model.Add(new Dropout(0.1));
                break;
        }

        model.Add(new Dense(1, activation: "tanh"));
        model.Build([2]);
        return model;
    }

    private static (Tensor X, Tensor Y) Circles()
    {
        CirclesData data = MakeCircles.Generate(160, noise: 0.1, randomState: 5);
        return data.ToTensors(signedLabels: true);
    }

    private static void AssertClose(Tensor[] expected, Tensor[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float[] e = expected[i].data<float>().ToArray(), a = actual[i].data<float>().ToArray();
            Assert.Equal(e.Length, a.Length);
            for (int k = 0; k < e.Length; k++)
            {
                Assert.True(Math.Abs(e[k] - a[k]) <= tolerance * (1 + Math.Abs(e[k])),
                    $"{what} {i}[{k}]: expected {e[k]}, got {a[k]}");
            }
        }
    }
}
