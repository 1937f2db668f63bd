using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace HingeSharp.Torch.Tests.Keras;

/// <summary>
/// Tiny problem: L(w) = Σ (w_i·x_i − t_i)², so g_i = 2·x_i·(w_i·x_i − t_i). Each optimizer is checked against the
/// Keras update written out in double precision (tolerance: float32 rounding over a few steps).
/// </summary>
public sealed class OptimizerTests
{
    private static readonly double[] X = [0.5, -1.5, 2.0];
    private static readonly double[] T = [1.0, 0.25, -0.5];
    private static readonly double[] W0 = [0.3, -0.7, 0.1];

    [Theory]
    [InlineData(0.05, 0.0, false)]
    [InlineData(0.05, 0.9, false)]
    [InlineData(0.02, 0.5, true)]
    public void SGD_FewSteps_MatchesKerasFormula(double lr, double momentum, bool nesterov)
    {
        using var optimizer = new SGD(lr, momentum, nesterov);
        double[] w = (double[])W0.Clone();
        double[] v = new double[3];

        float[] actual = Run(optimizer, steps: 6);

        for (int step = 0; step < 6; step++)
        {
            for (int i = 0; i < 3; i++)
            {
                double g = Gradient(w, i);
                v[i] = (momentum * v[i]) - (lr * g);
                w[i] += nesterov ? (momentum * v[i]) - (lr * g) : momentum > 0 ? v[i] : -lr * g;
            }
        }

        AssertClose(w, actual);
        Assert.Equal(6, optimizer.Iterations);
    }

    [Fact]
    public void SGD_ConstantLearningRate_EqualsTorchSgdWithMomentum()
    {
        using var keras = new SGD(0.05, momentum: 0.9);
        float[] kerasResult = Run(keras, steps: 8);

        using var scope = NewDisposeScope();
        var p = new Parameter(torch.tensor(W0, ScalarType.Float32));
        using var torchSgd = torch.optim.SGD([p], 0.05, momentum: 0.9);
        for (int step = 0; step < 8; step++)
        {
            torchSgd.zero_grad();
            Loss(p).backward();
            torchSgd.step();
        }

        float[] torchResult = p.data<float>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(torchResult[i], kerasResult[i], 1e-6f);
        }
    }

    [Theory]
    [InlineData(0.01, 0.9, 0.999, 1e-7)]
    [InlineData(0.1, 0.5, 0.9, 1e-3)]
    public void Adam_FewSteps_MatchesKerasFormula(double lr, double beta1, double beta2, double epsilon)
    {
        using var optimizer = new Adam(lr, beta1, beta2, epsilon);
        double[] w = (double[])W0.Clone();
        double[] m = new double[3];
        double[] v = new double[3];

        float[] actual = Run(optimizer, steps: 6);

        for (int t = 1; t <= 6; t++)
        {
            double alpha = lr * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t));
            for (int i = 0; i < 3; i++)
            {
                double g = Gradient(w, i);
                m[i] += (g - m[i]) * (1 - beta1);
                v[i] += ((g * g) - v[i]) * (1 - beta2);
                w[i] -= alpha * m[i] / (Math.Sqrt(v[i]) + epsilon);
            }
        }

        AssertClose(w, actual);
    }

    [Fact]
    public void Step_OtherParameters_ThrowsUntilReset()
    {
        using var optimizer = new SGD(0.1, 0.5);
        using var scope = NewDisposeScope();
        var a = new Parameter(torch.ones(3));
        var b = new Parameter(torch.ones(3));
        Loss(a).backward();
        optimizer.Step(new[] { a });

        Assert.Throws<ArgumentException>(() => optimizer.Step(new[] { b }));
        optimizer.Reset();
        Loss(b).backward();
        optimizer.Step(new[] { b });
        Assert.Equal(1, optimizer.Iterations);
    }

    [Fact]
    public void Constructors_BadArguments_ThrowNamingTheArgument()
    {
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new SGD(0)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new SGD(0.1, 1.0)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: 1.0)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: -1)).ParamName);
        Assert.Throws<ArgumentException>(() => KerasOptimizer.Get("adadelta"));
    }

    private static double Gradient(double[] w, int i) => 2 * X[i] * ((w[i] * X[i]) - T[i]);

    private static Tensor Loss(Tensor w)
        => w.mul(torch.tensor(X, ScalarType.Float32)).sub(torch.tensor(T, ScalarType.Float32)).square().sum();

    private static float[] Run(KerasOptimizer optimizer, int steps)
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(torch.tensor(W0, ScalarType.Float32));
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            p.grad = null;
            Loss(p).backward();
            optimizer.Step(new[] { p });
        }

        return p.data<float>().ToArray();
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])),
                $"w[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
