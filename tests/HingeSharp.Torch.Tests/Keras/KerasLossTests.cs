using System.Text.Json;
using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

public sealed class KerasLossTests
{
    private const string File = "keras_formulas.json";

    public static TheoryData<string> Cases => Fixtures.Names(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Call_Float64_MatchesKerasFormulaGolden(string name)
    {
        JsonElement c = Fixtures.Case(File, name);
        KerasLoss loss = KerasLoss.Get(c.GetProperty("api").GetString()!.Split('.')[^1]);
        using var scope = NewDisposeScope();
        Tensor yTrue = Fixtures.ToTensor(c.GetProperty("inputs").GetProperty("y_true"), CPU);
        Tensor yPred = Fixtures.ToTensor(c.GetProperty("inputs").GetProperty("y_pred"), CPU);
        double[] perSampleExpected = Fixtures.Doubles(c.GetProperty("expected_per_sample"));
        double expected = Fixtures.Doubles(c.GetProperty("expected"))[0];

        double value = loss.Call(yTrue, yPred).item<double>();
        double[] perSample = loss.PerSample(loss.PrepareTargets(yTrue), yPred).data<double>().ToArray();

        Assert.Equal(expected, value, 1e-12);
        Assert.Equal(perSampleExpected.Length, perSample.Length);
        for (int i = 0; i < perSample.Length; i++)
        {
            Assert.Equal(perSampleExpected[i], perSample[i], 1e-12);
        }
    }

    [Fact]
    public void Hinge_Gradient_IsMinusYOverNInsideTheMarginAndPassesAtTheKink()
    {
        // d/dŷ mean(max(1 − y·ŷ, 0)) = −y/N where 1 − y·ŷ ≥ 0 (TensorFlow's maximum passes the gradient at 0).
        using var scope = NewDisposeScope();
        double[] y = [1, -1, 1, -1];
        double[] p = [0.5, 2.0, 1.0, -0.25];
        Tensor pred = torch.tensor(p, [4, 1], ScalarType.Float64).requires_grad_();
        KerasLoss.Hinge.Call(torch.tensor(y, [4, 1], ScalarType.Float64), pred).backward();

        double[] grad = pred.grad!.data<double>().ToArray();
        for (int i = 0; i < 4; i++)
        {
            double expected = 1 - (y[i] * p[i]) >= 0 ? -y[i] / 4 : 0.0;
            Assert.Equal(expected, grad[i]);
        }
    }

    [Fact]
    public void FromModule_HingeEmbeddingLoss_CalledInTorchOrder()
    {
        using var scope = NewDisposeScope();
        using var module = nn.HingeEmbeddingLoss(margin: 1.0);
        KerasLoss loss = KerasLoss.FromModule(module, isMarginBased: true);
        double[] x = [0.3, -0.2, 1.5, 0.9];
        double[] y = [1, -1, -1, 1];

        double value = loss.Call(torch.tensor(y, ScalarType.Float64), torch.tensor(x, ScalarType.Float64))
            .item<double>();

        // (y == 1) → x; (y == −1) → max(0, margin − x)
        double expected = x.Zip(y, (xi, yi) => yi == 1 ? xi : Math.Max(0, 1 - xi)).Average();
        Assert.Equal(expected, value, 1e-15);
        Assert.True(loss.IsMarginBased);
        Assert.Throws<NotSupportedException>(() => loss.PerSample(torch.ones(2), torch.ones(2)));
    }

    [Fact]
    public void Get_UnknownName_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => KerasLoss.Get("hing"));
        Assert.Contains("`hing`", e.Message);
    }
}
