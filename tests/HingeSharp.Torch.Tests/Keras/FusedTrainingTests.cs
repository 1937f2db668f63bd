using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras;
using HingeSharp.Torch.Keras.Fused;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

/// <summary>The fused path of Sequential against the autograd path: same initial weights, same data, same
/// shuffles; weights, history, evaluation and predictions agree to float rounding.</summary>
public sealed class FusedTrainingTests
{
    public static TheoryData<string, string, string, int> Configurations => new()
    {
        { "hinge", "sgd-momentum", "relu", 32 },
        { "hinge", "sgd", "tanh", 17 },
        { "squared_hinge", "nesterov", "sigmoid", 32 },
        { "hinge", "adam", "relu", 50 },
        { "squared_hinge", "adam", "linear", 32 },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Fit_FusedAndAutograd_GiveTheSameWeightsAndHistory(string loss, string optimizer, string activation,
        int batchSize)
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, Tensor vx, Tensor vy) = Circles(signed: loss == "hinge");

        (History fused, float[][] fusedWeights, IReadOnlyDictionary<string, double> fusedEval, float[] fusedPred) =
            Train(fusedPath: true, loss, optimizer, activation, batchSize, x, y, vx, vy);
        (History tensor, float[][] tensorWeights, IReadOnlyDictionary<string, double> tensorEval, float[] tensorPred) =
            Train(fusedPath: false, loss, optimizer, activation, batchSize, x, y, vx, vy);

        Assert.Equal(tensor.Values.Keys, fused.Values.Keys);
        foreach ((string key, IReadOnlyList<double> values) in tensor.Values)
        {
            for (int e = 0; e < values.Count; e++)
            {
                Assert.True(Math.Abs(values[e] - fused[key][e]) <= 1e-4,
                    $"{key}[{e}]: autograd {values[e]}, fused {fused[key][e]}");
            }
        }

        for (int p = 0; p < tensorWeights.Length; p++)
        {
            for (int i = 0; i < tensorWeights[p].Length; i++)
            {
                Assert.True(Math.Abs(tensorWeights[p][i] - fusedWeights[p][i]) <= 1e-4 * (1 + Math.Abs(tensorWeights[p][i])),
                    $"parameter {p}[{i}]: autograd {tensorWeights[p][i]}, fused {fusedWeights[p][i]}");
            }
        }

        Assert.Equal(tensorEval["loss"], fusedEval["loss"], 1e-5);
        Assert.Equal(tensorEval["accuracy"], fusedEval["accuracy"], 1e-2);
        Assert.Equal(tensorPred.Length, fusedPred.Length);
        for (int i = 0; i < tensorPred.Length; i++)
        {
            Assert.Equal(tensorPred[i], fusedPred[i], 1e-4);
        }
    }

    [Fact]
    public void Fit_DropoutLayer_TakesTheAutogradPathAndTrains()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, _, _) = Circles(signed: true);
        using var model = new Sequential(new Generator(5));
        model.Add(new Dense(8, inputDim: 2, activation: "relu"));
        model.Add(new Dropout(0.1));
        model.Add(new Dense(1, activation: "tanh"));
        model.Compile("hinge", new SGD(0.01, momentum: 0.9), "accuracy");

        Assert.Null(FusedTrainer.TryCreate(model, 32, forTraining: true));
        History history = model.Fit(x, y, epochs: 2, verbose: 0);
        Assert.Equal(2, history["loss"].Count);
    }

    [Fact]
    public void Fit_ContinuedAcrossCalls_EqualsOneLongerFit()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, _, _) = Circles(signed: true);
        using var once = Model(5, "relu");
        once.Compile("hinge", new Adam(0.01), "accuracy");
        using var twice = Model(5, "relu");
        twice.Compile("hinge", new Adam(0.01), "accuracy");

        once.Fit(x, y, epochs: 4, verbose: 0);
        twice.Fit(x, y, epochs: 2, verbose: 0);
        twice.Fit(x, y, epochs: 2, verbose: 0);

        Assert.Equal(once.Optimizer!.Iterations, twice.Optimizer!.Iterations);
        for (int p = 0; p < once.Parameters.Count; p++)
        {
            Assert.Equal(once.Parameters[p].data<float>().ToArray(), twice.Parameters[p].data<float>().ToArray());
        }
    }

    private static (History, float[][], IReadOnlyDictionary<string, double>, float[]) Train(bool fusedPath,
        string loss, string optimizer, string activation, int batchSize, Tensor x, Tensor y, Tensor vx, Tensor vy)
    {
        bool previous = FusedTrainer.Enabled;
        FusedTrainer.Enabled = fusedPath;
        try
        {
            using var model = Model(11, activation);
            KerasOptimizer opt = optimizer switch
            {
                "sgd" => new SGD(0.05),
                "sgd-momentum" => new SGD(0.01, momentum: 0.9),
                "nesterov" => new SGD(0.01, momentum: 0.9, nesterov: true),
                _ => new Adam(0.005),
            };
            model.Compile(loss, opt, "accuracy", "hinge");
            Assert.Equal(fusedPath, FusedTrainer.TryCreate(model, batchSize, forTraining: true) is { } t && Dispose(t));
            long before = FusedTrainer.EpochsTrained;
            History history = model.Fit(x, y, epochs: 4, batchSize: batchSize, validationData: (vx, vy), verbose: 0);
            Assert.Equal(before + (fusedPath ? 4 : 0), FusedTrainer.EpochsTrained);
            float[][] weights = model.Parameters.Select(p => p.data<float>().ToArray()).ToArray();
            IReadOnlyDictionary<string, double> evaluation = model.Evaluate(vx, vy, batchSize: 64);
            float[] prediction = model.Predict(vx, batchSize: 64).data<float>().ToArray();
            opt.Dispose();
            return (history, weights, evaluation, prediction);
        }
        finally
        {
            FusedTrainer.Enabled = previous;
        }
    }

    private static bool Dispose(FusedTrainer d)
    {
        d.Dispose();
        return true;
    }

    private static Sequential Model(ulong seed, string activation)
    {
        var model = new Sequential(new Generator(seed));
        model.Add(new Dense(12, inputDim: 2, activation: activation, kernelInitializer: "he_uniform"));
        model.Add(new Dense(6, activation: "relu"));
        model.Add(new Dense(1, activation: "tanh"));
        return model;
    }

    private static (Tensor X, Tensor Y, Tensor VX, Tensor VY) Circles(bool signed)
    {
        CirclesData data = MakeCircles.Generate(300, noise: 0.1, randomState: 3);
        (Tensor x, Tensor y) = data.Slice(0, 200).ToTensors(signedLabels: signed);
        (Tensor vx, Tensor vy) = data.Slice(200, 100).ToTensors(signedLabels: signed);
        return (x, y, vx, vy);
    }
}
