using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using HingeSharp.Torch.Keras;

namespace KerasUsers;

/// <summary>
/// Compile test for the names: exactly the usings a TorchSharp user writes plus <c>HingeSharp.Torch.Keras</c>, no
/// aliases in this file, in a namespace outside HingeSharp (so no enclosing namespace helps name lookup). The names
/// TorchSharp.Modules also defines (Sequential, Dropout, Flatten, SGD, Adam, AdamW, Adagrad) bind to the Keras types
/// through the global aliases HingeSharp.Torch's props give the project; this file compiling is the first check,
/// the tests check what the names bound to and run the training surface with them.
/// </summary>
public sealed class UsualUsingsCompileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hinge-names-").FullName;

    [Fact]
    public void KerasNames_UnderTorchSharpUsings_BindToTheKerasTypes()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        using var model = new Sequential([new Input(2), new Dense(8, activation: "relu"), new Dropout(0.1),
            new BatchNormalization(), new Flatten(), new Dense(3), new Activation("softmax")], generator);
        KerasOptimizer[] optimizers =
        [
            new RMSprop(learningRate: 0.01), new Nadam(), new SGD(learningRate: 0.01), new Adam(),
            new AdamW(learningRate: 0.01), new Adagrad(learningRate: 0.01),
        ];
        model.Compile("sparse_categorical_crossentropy", optimizers[0], "sparse_categorical_accuracy");
        Tensor x = randn([12, 2], generator: generator);
        Tensor y = arange(12, dtype: ScalarType.Int64).remainder(3);

        History history = model.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0);

        Assert.Equal(["RMSprop", "Nadam", "SGD", "Adam", "AdamW", "Adagrad"], optimizers.Select(o => o.Name));
        Assert.Equal("HingeSharp.Torch.Keras", typeof(Sequential).Namespace);
        Assert.Equal("HingeSharp.Torch.Keras", typeof(Dropout).Namespace);
        Assert.Equal("HingeSharp.Torch.Keras", typeof(Flatten).Namespace);
        Assert.All([typeof(SGD), typeof(Adam), typeof(AdamW), typeof(Adagrad)],
            t => Assert.True(t.IsSubclassOf(typeof(KerasOptimizer)), t.FullName));
        Assert.Single(history["loss"]);
        // TorchSharp's own modules stay reachable: through torch.nn's factories (this file's usings) or full names.
        using TorchSharp.Modules.Sequential torchStack = nn.Sequential(nn.Linear(2, 3), nn.ReLU());
        Assert.Equal(2, torchStack.children().Count());
        foreach (KerasOptimizer optimizer in optimizers)
        {
            optimizer.Dispose();
        }
    }

    [Fact]
    public void HeldOutSurface_BareNames_TrainBlobsToNinetyPercentWithBothLosses()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = ThreeBlobs(300, seed: 21);
        Assert.Equal(ScalarType.Int64, y.dtype);
        Assert.Equal([300L], y.shape);

        using var softmax = NewModel(seed: 1, "softmax");
        softmax.Compile("sparse_categorical_crossentropy", new RMSprop(learningRate: 0.01),
            "sparse_categorical_accuracy");
        History history = softmax.Fit(x, y, epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 0);

        using var margins = NewModel(seed: 2, activation: null);
        margins.Compile("categorical_hinge", new AdamW(learningRate: 0.01), "sparse_categorical_accuracy");
        margins.Fit(x, y, epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 0);

        Assert.Equal(20, history["val_sparse_categorical_accuracy"].Count);
        Assert.True(softmax.Evaluate(x, y)["sparse_categorical_accuracy"] >= 0.9);
        Assert.True(margins.Evaluate(x, y)["sparse_categorical_accuracy"] >= 0.9);
    }

    [Fact]
    public void HeldOutSurface_BareNames_SaveLoadResumeEqualsUninterrupted()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = ThreeBlobs(120, seed: 22);
        string path = Path.Combine(_dir, "model.hsk");
        using var straight = NewModel(seed: 5, "softmax", dropout: true);
        straight.Compile("sparse_categorical_crossentropy", new Adagrad(learningRate: 0.01),
            "sparse_categorical_accuracy");
        straight.Fit(x, y, epochs: 6, batchSize: 16, validationSplit: 0.2, verbose: 0);
        using (var first = NewModel(seed: 5, "softmax", dropout: true))
        {
            first.Compile("sparse_categorical_crossentropy", new Adagrad(learningRate: 0.01),
                "sparse_categorical_accuracy");
            first.Fit(x, y, epochs: 3, batchSize: 16, validationSplit: 0.2, verbose: 0);
            first.Save(path);
        }

        using Sequential resumed = Sequential.Load(path);
        History history = resumed.Fit(x, y, epochs: 6, batchSize: 16, validationSplit: 0.2, verbose: 0,
            initialEpoch: 3);

        Assert.Equal([3, 4, 5], history.Epochs);
        Assert.Equal(straight.Evaluate(x, y)["sparse_categorical_accuracy"],
            resumed.Evaluate(x, y)["sparse_categorical_accuracy"]);
        IReadOnlyList<Tensor> a = straight.GetWeights(), b = resumed.GetWeights();
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.True(a[i].sub(b[i]).abs().max().item<float>() <= 1e-6f, $"weight {i} differs");
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sequential NewModel(int seed, string? activation, bool dropout = false)
    {
        var model = new Sequential(new Generator((ulong)seed));
        model.Add(new Input(2));
        model.Add(new Dense(16, activation: "relu"));
        if (dropout)
        {
            model.Add(new Dropout(0.2));
        }

        model.Add(new Dense(3, activation: activation));
        return model;
    }

    /// <summary>Three Gaussian blobs in 2-D (class c centred on a corner of a triangle), int64 labels (N,).</summary>
    private static (Tensor X, Tensor Y) ThreeBlobs(int n, int seed)
    {
        using var generator = new Generator((ulong)seed);
        Tensor y = arange(n, dtype: ScalarType.Int64).remainder(3);
        Tensor centers = tensor(new float[,] { { -3, 0 }, { 3, 0 }, { 0, 4 } });
        return (centers.index_select(0, y).add(randn([n, 2], generator: generator).mul(0.8)), y);
    }
}
