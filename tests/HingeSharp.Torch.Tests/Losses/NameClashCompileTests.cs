using HingeSharp;
using HingeSharp.Classification;
using HingeSharp.Torch;
using HingeSharp.Torch.Keras;
using HingeSharp.Torch.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetricUsers;

/// <summary>
/// Compile test: the core metrics' namespace next to the torch loss modules', the Keras namespace and TorchSharp's
/// usual usings, no aliases in this file. <c>BinaryHingeLoss</c>, <c>MulticlassHingeLoss</c> and <c>HingeLoss</c>
/// name the core metrics (the loss modules are <c>…Module</c>), so this file compiles; the test checks the values
/// agree where both define one.
/// </summary>
public sealed class NameClashCompileTests
{
    [Fact]
    public void BinaryHingeLoss_WithTorchLossesImported_IsTheCoreMetricAndAgreesWithTheModule()
    {
        using var scope = NewDisposeScope();
        float[] margins = [0.5f, -1.5f, 2f, 0.1f];
        long[] labels = [1, 0, 1, 0];
        var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Margins);
        metric.Update<float, long>(margins, labels);
        using BinaryHingeLossModule module = HingeNN.BinaryHingeLoss();
        using HingeLossModule keras = HingeNN.HingeLoss();
        using MulticlassHingeLossModule crammerSinger = HingeNN.MulticlassHingeLoss();

        double fromModule = module.call(tensor(margins), tensor(labels)).item<float>();

        Assert.Equal("HingeSharp.Classification", typeof(BinaryHingeLoss).Namespace);
        Assert.Equal("HingeSharp.Classification", typeof(MulticlassHingeLoss).Namespace);
        Assert.Equal("HingeSharp.Classification", typeof(HingeLoss).Namespace);
        Assert.Equal(metric.Compute(), fromModule, 6);
        Assert.Equal(fromModule, keras.call(tensor(margins), tensor(new float[] { 1, -1, 1, -1 })).item<float>(), 6);
        Assert.False(crammerSinger.Squared);
    }
}
