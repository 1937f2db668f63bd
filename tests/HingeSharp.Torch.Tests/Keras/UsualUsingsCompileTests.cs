using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using HingeSharp.Torch.Keras;

namespace KerasUsers;

/// <summary>
/// Compile test: exactly the usings a TorchSharp user writes plus <c>HingeSharp.Torch.Keras</c>, no aliases, in a
/// namespace outside HingeSharp (so no enclosing namespace helps name lookup). It compiling is the test; running
/// it checks the names bound to the Keras types.
/// </summary>
public sealed class UsualUsingsCompileTests
{
    [Fact]
    public void KerasNames_UnderTorchSharpUsings_BindWithoutAliases()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        using var model = Models.Sequential([new Input(2), new Dense(8, activation: "relu"), Layers.Dropout(0.1),
            new BatchNormalization(), new Dense(3), new Activation("softmax")], generator);
        KerasOptimizer[] optimizers =
        [
            new RMSprop(learningRate: 0.01), new Nadam(), Optimizers.SGD(0.01), Optimizers.Adam(),
            Optimizers.AdamW(learningRate: 0.01), Optimizers.Adagrad(learningRate: 0.01),
        ];
        model.Compile("sparse_categorical_crossentropy", optimizers[0], "sparse_categorical_accuracy");
        Tensor x = randn([12, 2], generator: generator);
        Tensor y = arange(12, dtype: ScalarType.Int64).remainder(3);

        History history = model.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0);
        KerasLoss loss = KerasLoss.SparseCategoricalCrossentropy(fromLogits: false);

        Assert.Equal(["RMSprop", "Nadam", "SGD", "Adam", "AdamW", "Adagrad"], optimizers.Select(o => o.Name));
        Assert.Equal("sparse_categorical_crossentropy", loss.Name);
        Assert.Single(history["loss"]);
        Assert.IsType<HingeSharp.Torch.Keras.Sequential>(model);
        foreach (KerasOptimizer optimizer in optimizers)
        {
            optimizer.Dispose();
        }
    }
}
