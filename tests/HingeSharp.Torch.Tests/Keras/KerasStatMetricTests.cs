using HingeSharp.Functional;
using HingeSharp.Torch.Keras;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

/// <summary>Compile(…, "precision", "recall", "f1_score") reuses the core classification metrics: with a hinge loss
/// and ±1 labels, the epoch values equal ClassificationFunctional on the margins (positive above 0).</summary>
public sealed class KerasStatMetricTests
{
    [Fact]
    public void Evaluate_PrecisionRecallF1WithHinge_EqualCoreMetricsOnMargins()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, Tensor vx, Tensor vy) = SequentialTests.Circles();
        using var model = new Sequential(new TorchSharp.torch.Generator(5));
        model.Add(new Dense(8, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"));
        model.Add(new Dense(1, activation: "tanh"));
        model.Compile("hinge", "sgd", "precision", "recall", "f1_score");
        History history = model.Fit(x, y, epochs: 2, batchSize: 16, validationData: (vx, vy), verbose: 0);

        float[] margins = model.Predict(vx).data<float>().ToArray();
        float[] labels = vy.data<float>().ToArray();
        var evaluation = model.Evaluate(vx, vy, batchSize: 16);
        Assert.Equal(ClassificationFunctional.BinaryPrecision<float, float>(margins, labels,
            inputKind: HingeInputKind.Margins), evaluation["precision"], 12);
        Assert.Equal(ClassificationFunctional.BinaryRecall<float, float>(margins, labels,
            inputKind: HingeInputKind.Margins), evaluation["recall"], 12);
        Assert.Equal(ClassificationFunctional.BinaryF1Score<float, float>(margins, labels,
            inputKind: HingeInputKind.Margins), evaluation["f1_score"], 12);
        Assert.Equal(evaluation["f1_score"], history["val_f1_score"][^1], 12);
    }
}
