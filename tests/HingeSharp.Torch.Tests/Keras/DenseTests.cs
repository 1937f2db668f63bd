using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

public sealed class DenseTests
{
    [Fact]
    public void Build_TutorialModel_HasKerasShapesAndParameterCount()
    {
        using var model = new Sequential(
        [
            new Dense(50, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"),
            new Dense(1, activation: "tanh"),
        ]);

        Assert.Equal(50 * 2 + 50 + 50 + 1, model.CountParams());
        Assert.Equal([1L], model.OutputShape);
        Assert.Equal(["dense", "dense_1"], model.Layers.Select(l => l.Name));
        Assert.Equal([[50L, 2L], [50L], [1L, 50L], [1L]], model.Parameters.Select(p => p.shape));
        using var scope = NewDisposeScope();
        Tensor y = model.Predict(torch.ones(7, 2));
        Assert.Equal([7L, 1L], y.shape);
        Assert.Contains("dense_1 (Dense)", model.Summary());
    }

    [Theory]
    [InlineData("he_uniform", 2, 50)]
    [InlineData("he_uniform", 400, 300)]
    [InlineData("glorot_uniform", 400, 300)]
    [InlineData("lecun_uniform", 100, 3)]
    public void Build_UniformInitializer_FillsTheKerasRange(string initializer, int fanIn, int units)
    {
        using var generator = new Generator(5);
        using var model = new Sequential([new Dense(units, inputDim: fanIn, kernelInitializer: initializer)],
            generator);
        double limit = initializer switch
        {
            "he_uniform" => Math.Sqrt(6.0 / fanIn),
            "glorot_uniform" => Math.Sqrt(6.0 / (fanIn + units)),
            _ => Math.Sqrt(3.0 / fanIn),
        };

        float[] kernel = model.Parameters[0].data<float>().ToArray();
        float[] bias = model.Parameters[1].data<float>().ToArray();

        Assert.All(kernel, w => Assert.InRange(Math.Abs(w), 0.0, limit));
        // Spread: a uniform sample of this size reaches 90% of the limit and is centred.
        Assert.True(kernel.Max(Math.Abs) > 0.9 * limit, $"max |w| {kernel.Max(Math.Abs)} vs limit {limit}");
        Assert.InRange(kernel.Average(w => (double)w), -0.2 * limit, 0.2 * limit);
        Assert.All(bias, b => Assert.Equal(0f, b));
        Assert.Equal(limit, Initializers.UniformLimit(initializer, fanIn, units), 15);
    }

    [Theory]
    [InlineData("he_normal", 2.0)]
    [InlineData("glorot_normal", 1.0)]
    [InlineData("lecun_normal", 1.0)]
    public void Build_TruncatedNormalInitializer_StaysWithinTwoSigma(string initializer, double scale)
    {
        const int fanIn = 300, units = 200;
        using var generator = new Generator(9);
        using var model = new Sequential([new Dense(units, inputDim: fanIn, kernelInitializer: initializer)],
            generator);
        double fan = initializer == "glorot_normal" ? (fanIn + units) / 2.0 : fanIn;
        double std = Math.Sqrt(scale / fan) / 0.87962566103423978;

        float[] kernel = model.Parameters[0].data<float>().ToArray();

        Assert.All(kernel, w => Assert.InRange(Math.Abs(w), 0.0, 2.0 * std));
        // Keras' correction makes the truncated sample's standard deviation √(scale / fan).
        double sd = Math.Sqrt(kernel.Average(w => (double)w * w));
        Assert.InRange(sd, 0.97 * Math.Sqrt(scale / fan), 1.03 * Math.Sqrt(scale / fan));
    }

    [Fact]
    public void Build_SameGeneratorSeed_GivesTheSameWeights()
    {
        // Regression: TorchSharp 0.107's nn.init.uniform_ ignores its generator argument.
        float[] Weights(ulong seed)
        {
            using var generator = new Generator(seed);
            using var model = new Sequential([new Dense(20, inputDim: 3, kernelInitializer: "he_uniform"),
                new Dense(4, kernelInitializer: "glorot_normal")], generator);
            return model.Parameters.SelectMany(p => p.data<float>().ToArray()).ToArray();
        }

        Assert.Equal(Weights(17), Weights(17));
        Assert.NotEqual(Weights(17), Weights(18));
    }

    [Fact]
    public void Flatten_ThenDense_BuildsFromImageShape()
    {
        using var model = new Sequential([new Flatten([3, 4, 5]), new Dense(6), new Dropout(0.5), new Dense(1)]);

        Assert.Equal([60L], model.Parameters[0].shape[1..]);
        using var scope = NewDisposeScope();
        Assert.Equal([2L, 1L], model.Predict(torch.ones(2, 3, 4, 5)).shape);
    }

    [Fact]
    public void Constructors_BadArguments_ThrowNamingTheArgument()
    {
        Assert.Equal("units", Assert.Throws<ArgumentOutOfRangeException>(() => new Dense(0)).ParamName);
        Assert.Equal("activation", Assert.Throws<ArgumentException>(() => new Dense(1, "relux")).ParamName);
        Assert.Equal("kernelInitializer", Assert.Throws<ArgumentException>(
            () => new Dense(1, kernelInitializer: "he")).ParamName);
        Assert.Equal("inputDim", Assert.Throws<ArgumentOutOfRangeException>(
            () => new Dense(1, inputDim: 0)).ParamName);
        Assert.Equal("rate", Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.0)).ParamName);
        using var model = new Sequential([new Dense(2, inputDim: 3)]);
        var e = Assert.Throws<ArgumentException>(() => model.Build(4));
        Assert.Contains("[3]", e.Message);
    }
}
