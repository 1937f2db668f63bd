using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

/// <summary>Tests that draw from torch's default generator run alone: another test drawing from it concurrently would
/// change their numbers.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Torch default generator (serial)";
}

/// <summary>Multi-class training, save/load/resume, Fit options and reproducibility.</summary>
[Collection(DefaultGeneratorGroup.Name)]
public sealed class TrainingFeatureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hinge-keras-").FullName;

    [Fact]
    public void Fit_SparseCrossentropyRmsprop_ReachesNinetyPercentOnBlobs()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(300, seed: 1);
        using var model = Mlp(seed: 1, "softmax");
        model.Compile("sparse_categorical_crossentropy", new RMSprop(learningRate: 0.01), "sparse_categorical_accuracy");

        History history = model.Fit(x, y, epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 0);

        Assert.True(model.Evaluate(x, y)["sparse_categorical_accuracy"] >= 0.9);
        Assert.True(history["val_sparse_categorical_accuracy"][^1] >= 0.9);
    }

    [Fact]
    public void Fit_CategoricalHingeOnClassIndicesAdamW_ReachesNinetyPercentOnBlobs()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(300, seed: 2);
        using var model = Mlp(seed: 2, activation: null);
        model.Compile("categorical_hinge", new AdamW(learningRate: 0.01), "sparse_categorical_accuracy");

        model.Fit(x, y, epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 0);

        Assert.True(model.Evaluate(x, y)["sparse_categorical_accuracy"] >= 0.9);
    }

    [Fact]
    public void Fit_ValidationSplit_HoldsOutTheLastFractionBeforeShuffling()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(101, seed: 3);
        using var model = Mlp(seed: 3, "softmax");
        model.Compile("sparse_categorical_crossentropy", new Adagrad(learningRate: 0.01), "accuracy");

        History history = model.Fit(x, y, epochs: 2, batchSize: 16, validationSplit: 0.2, verbose: 0);

        long splitAt = (long)Math.Floor(101 * 0.8);   // Keras: int(floor(N · (1 − split)))
        IReadOnlyDictionary<string, double> last = model.Evaluate(x.narrow(0, splitAt, 101 - splitAt),
            y.narrow(0, splitAt, 101 - splitAt), batchSize: 16);
        Assert.Equal(last["loss"], history["val_loss"][^1]);
        Assert.Equal(last["accuracy"], history["val_accuracy"][^1]);
    }

    [Fact]
    public void SaveLoadResume_EqualsUninterruptedTraining()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(120, seed: 4);
        string path = Path.Combine(_dir, "model.hsk");
        using var straight = Mlp(seed: 4, "softmax", dropout: true);
        straight.Compile("sparse_categorical_crossentropy", new RMSprop(learningRate: 0.01), "sparse_categorical_accuracy");
        straight.Fit(x, y, epochs: 6, batchSize: 16, validationSplit: 0.2, verbose: 0);

        using (var first = Mlp(seed: 4, "softmax", dropout: true))
        {
            first.Compile("sparse_categorical_crossentropy", new RMSprop(learningRate: 0.01), "sparse_categorical_accuracy");
            first.Fit(x, y, epochs: 3, batchSize: 16, validationSplit: 0.2, verbose: 0);
            first.Save(path);
        }

        using Sequential resumed = Sequential.Load(path);
        History history = resumed.Fit(x, y, epochs: 6, batchSize: 16, validationSplit: 0.2, verbose: 0,
            initialEpoch: 3);

        Assert.Equal([3, 4, 5], history.Epochs);
        Assert.Equal(6, resumed.Optimizer!.Iterations / 6);   // 96 training samples → 6 batches per epoch
        IReadOnlyList<Tensor> a = straight.GetWeights(), b = resumed.GetWeights();
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.True(a[i].sub(b[i]).abs().max().item<float>() <= 1e-6f, $"weight {i} differs");
        }
    }

    [Fact]
    public void SaveLoadResume_WithTorchDefaultGenerator_EqualsUninterruptedTraining()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(80, seed: 14);
        string path = Path.Combine(_dir, "default.hsk");
        Sequential Create()
        {
            torch.manual_seed(14);
            var model = new Sequential([new Input(2), new Dense(8, activation: "relu"), new Dropout(0.3), new Dense(3)]);
            model.Compile("categorical_hinge", new AdamW(learningRate: 0.01), "sparse_categorical_accuracy");
            return model;
        }

        using var straight = Create();
        straight.Fit(x, y, epochs: 6, batchSize: 16, validationSplit: 0.2, verbose: 0);
        using (var first = Create())
        {
            first.Fit(x, y, epochs: 3, batchSize: 16, validationSplit: 0.2, verbose: 0);
            first.Save(path);
        }

        torch.rand(5);   // whatever happens in between, Load restores the saved generator state
        using Sequential resumed = Sequential.Load(path);
        resumed.Fit(x, y, epochs: 6, batchSize: 16, validationSplit: 0.2, verbose: 0, initialEpoch: 3);

        Assert.Equal(straight.GetWeights().SelectMany(w => w.data<float>().ToArray()),
            resumed.GetWeights().SelectMany(w => w.data<float>().ToArray()));
        Assert.Equal(straight.Evaluate(x, y)["sparse_categorical_accuracy"],
            resumed.Evaluate(x, y)["sparse_categorical_accuracy"]);
    }

    [Fact]
    public void Load_TruncatedOrForeignFile_ThrowsInvalidData()
    {
        using var scope = NewDisposeScope();
        string path = Path.Combine(_dir, "m.hsk"), cut = Path.Combine(_dir, "cut.hsk"), foreign = Path.Combine(_dir, "f.txt");
        using var model = Mlp(seed: 5, "softmax");
        model.Compile("sparse_categorical_crossentropy", new Adam(), "accuracy");
        model.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(cut, bytes[..(bytes.Length - 10)]);
        File.WriteAllText(foreign, "epoch,loss\n0,1.0\n");

        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Sequential.Load(cut)).Message);
        Assert.Contains("not a HingeSharp model file",
            Assert.Throws<InvalidDataException>(() => Sequential.Load(foreign)).Message);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp-*"));
    }

    [Fact]
    public void SaveWeightsLoadWeights_RoundTripsEveryWeight()
    {
        using var scope = NewDisposeScope();
        string path = Path.Combine(_dir, "w.hsk");
        using var source = Mlp(seed: 6, "softmax", batchNorm: true);
        using var target = Mlp(seed: 7, "softmax", batchNorm: true);
        source.SaveWeights(path);

        target.LoadWeights(path);

        foreach ((Tensor a, Tensor b) in source.Module.state_dict().Values.Zip(target.Module.state_dict().Values))
        {
            Assert.True(a.eq(b).all().item<bool>());
        }
    }

    [Fact]
    public void ModelCheckpoint_SaveBestOnly_KeepsTheBestEpoch()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(90, seed: 8);
        string path = Path.Combine(_dir, "best.hsk");
        using var model = Mlp(seed: 8, "softmax");
        model.Compile("sparse_categorical_crossentropy", new SGD(0.05), "accuracy");
        var checkpoint = new ModelCheckpoint(path, monitor: "val_loss", saveBestOnly: true);

        History history = model.Fit(x, y, epochs: 5, validationSplit: 0.2, verbose: 0, callbacks: [checkpoint]);
        using Sequential best = Sequential.Load(path);

        Assert.Equal(history["val_loss"].Min(), checkpoint.Best);
        int bestEpoch = history["val_loss"].ToList().IndexOf(checkpoint.Best);
        Assert.Equal(bestEpoch + 1, best.CompletedEpochs);
    }

    [Fact]
    public void Fit_OneSeedWithDropout_IsBitReproducibleWhateverTheDefaultGenerator()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(100, seed: 9);
        float[] Train()
        {
            torch.rand(17);   // disturb torch's default generator between runs
            using var model = Mlp(seed: 9, "softmax", dropout: true);
            model.Compile("sparse_categorical_crossentropy", new Nadam(0.01), "accuracy");
            model.Fit(x, y, epochs: 3, batchSize: 10, verbose: 0);
            return model.GetWeights().SelectMany(w => w.data<float>().ToArray()).ToArray();
        }

        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void Fit_StreamOfBatches_EqualsTensorFitWithoutShuffling()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(64, seed: 10);
        using var a = Mlp(seed: 10, "softmax");
        using var b = Mlp(seed: 10, "softmax");
        a.Compile("sparse_categorical_crossentropy", new RMSprop(learningRate: 0.01), "accuracy");
        b.Compile("sparse_categorical_crossentropy", new RMSprop(learningRate: 0.01), "accuracy");
        var batches = Enumerable.Range(0, 4).Select(i => (x.narrow(0, i * 16, 16), y.narrow(0, i * 16, 16))).ToList();

        History fromTensors = a.Fit(x, y, epochs: 2, batchSize: 16, shuffle: false, verbose: 0);
        History fromStream = b.Fit(batches, epochs: 2, verbose: 0);

        Assert.Equal(fromTensors["loss"], fromStream["loss"]);
        Assert.Equal(a.GetWeights().SelectMany(w => w.data<float>().ToArray()),
            b.GetWeights().SelectMany(w => w.data<float>().ToArray()));
        History endless = b.Fit(Forever(batches), epochs: 4, stepsPerEpoch: 3, verbose: 0, initialEpoch: 2);
        Assert.Equal([2, 3], endless.Epochs);
        Assert.Equal(2 * 4 + 2 * 3, b.Optimizer!.Iterations);
        var lines = new List<string>();
        b.Log = lines.Add;
        History dry = b.Fit(batches, epochs: 9, stepsPerEpoch: 3, verbose: 0, initialEpoch: 4);
        // 4 batches: epoch 4 takes 3, epoch 5 gets 1 and runs dry; as in Keras it ends and training stops
        Assert.Equal([4, 5], dry.Epochs);
        Assert.Contains("ran out of data", Assert.Single(lines));
    }

    [Fact]
    public void Fit_TorchSharpDataLoader_EqualsTensorFitWithoutShuffling()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(48, seed: 13);
        using var a = Mlp(seed: 13, "softmax");
        using var b = Mlp(seed: 13, "softmax");
        a.Compile("sparse_categorical_crossentropy", new Adagrad(learningRate: 0.01), "accuracy");
        b.Compile("sparse_categorical_crossentropy", new Adagrad(learningRate: 0.01), "accuracy");
        using var dataset = new PairDataset(x, y);
        using var loader = new TorchSharp.Modules.DataLoader(dataset, 16, shuffle: false, disposeDataset: false);

        History fromTensors = a.Fit(x, y, epochs: 2, batchSize: 16, shuffle: false, verbose: 0);
        History fromLoader = b.Fit(loader, epochs: 2, verbose: 0);

        Assert.Equal(fromTensors["loss"], fromLoader["loss"]);
        Assert.Equal(a.GetWeights().SelectMany(w => w.data<float>().ToArray()),
            b.GetWeights().SelectMany(w => w.data<float>().ToArray()));
    }

    [Fact]
    public void Fit_ClassWeight_EqualsTheSampleWeightsItStandsFor()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(60, seed: 11);
        using var a = Mlp(seed: 11, "softmax");
        using var b = Mlp(seed: 11, "softmax");
        a.Compile("sparse_categorical_crossentropy", new SGD(0.05), "accuracy");
        b.Compile("sparse_categorical_crossentropy", new SGD(0.05), "accuracy");
        Tensor weights = y.eq(2).to(ScalarType.Float32).mul(2).add(1);   // class 2 → 3, others → 1

        History byClass = a.Fit(x, y, epochs: 2, verbose: 0, classWeight: new Dictionary<int, double> { [2] = 3.0 });
        History bySample = b.Fit(x, y, epochs: 2, verbose: 0, sampleWeight: weights);

        Assert.Equal(bySample["loss"], byClass["loss"]);
        Assert.Equal(bySample["accuracy"], byClass["accuracy"]);
    }

    [Fact]
    public void Evaluate_SampleWeights_GiveKerasSumOverBatchSize()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(30, seed: 12);
        using var model = Mlp(seed: 12, "softmax");
        model.Compile("sparse_categorical_crossentropy", new SGD(0.05));
        Tensor w = torch.linspace(0, 2, 30);
        Tensor perSample = KerasLoss.SparseCategoricalCrossentropy().PerSample(y, model.Predict(x));

        double expected = perSample.mul(w).sum().item<float>() / 30;

        Assert.Equal(expected, model.Evaluate(x, y, batchSize: 30, sampleWeight: w)["loss"], 1e-6);
    }

    [Fact]
    public void Fit_BadOptions_ThrowNamingTheArgument()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(4, seed: 15);
        using var model = Mlp(seed: 15, "softmax");
        model.Compile("sparse_categorical_crossentropy", new RMSprop(learningRate: 0.01));

        // Keras' rule: ⌊4·(1 − 0.8)⌋ = 0 training samples left
        Assert.Equal("validationSplit", Assert.Throws<ArgumentException>(
            () => model.Fit(x, y, validationSplit: 0.8, verbose: 0)).ParamName);
        Assert.Equal("validationSplit", Assert.Throws<ArgumentOutOfRangeException>(
            () => model.Fit(x, y, validationSplit: 1.0, verbose: 0)).ParamName);
        Assert.Equal("classWeight", Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0,
            sampleWeight: torch.ones(4), classWeight: new Dictionary<int, double> { [0] = 2 })).ParamName);
        Assert.Equal("epochs", Assert.Throws<ArgumentOutOfRangeException>(
            () => model.Fit(x, y, epochs: 3, verbose: 0, initialEpoch: 3)).ParamName);
        Assert.Equal("sampleWeight", Assert.Throws<ArgumentException>(
            () => model.Fit(x, y, verbose: 0, sampleWeight: torch.ones(3))).ParamName);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sequential Mlp(int seed, string? activation, bool dropout = false, bool batchNorm = false)
    {
        var layers = new List<Layer> { new Input(2), new Dense(16, activation: "relu") };
        if (batchNorm)
        {
            layers.Add(new BatchNormalization());
        }

        if (dropout)
        {
            layers.Add(new Dropout(0.2));
        }

        layers.Add(new Dense(3, activation: activation));
        return new Sequential(layers, new Generator((ulong)seed));
    }

    private sealed class PairDataset(Tensor x, Tensor y) : torch.utils.data.Dataset
    {
        public override long Count => x.shape[0];

        public override Dictionary<string, Tensor> GetTensor(long index)
            => new() { ["data"] = x[index], ["label"] = y[index] };
    }

    private static IEnumerable<(Tensor, Tensor)> Forever(List<(Tensor, Tensor)> batches)
    {
        while (true)
        {
            foreach ((Tensor, Tensor) batch in batches)
            {
                yield return batch;
            }
        }
    }
}
