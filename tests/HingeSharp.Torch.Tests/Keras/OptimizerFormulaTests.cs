using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace HingeSharp.Torch.Tests.Keras;

/// <summary>
/// RMSprop, Adagrad, AdamW, Nadam, clipping and schedules against Keras 3's update formulas written out in double
/// precision (keras/src/optimizers/*.py), on L(w) = Σ (w_i·x_i − t_i)².
/// </summary>
public sealed class OptimizerFormulaTests
{
    private static readonly double[] X = [0.5, -1.5, 2.0];
    private static readonly double[] T = [1.0, 0.25, -0.5];
    private static readonly double[] W0 = [0.3, -0.7, 0.1];

    [Theory]
    [InlineData(0.01, 0.9, 0.0, 1e-7, false)]
    [InlineData(0.02, 0.8, 0.5, 1e-3, false)]
    [InlineData(0.01, 0.9, 0.3, 1e-7, true)]
    public void RMSprop_FewSteps_MatchesKerasFormula(double lr, double rho, double momentum, double eps, bool centered)
    {
        using var optimizer = new RMSprop(lr, rho, momentum, eps, centered);
        double[] w = (double[])W0.Clone(), v = new double[3], m = new double[3], a = new double[3];

        float[] actual = Run(optimizer, steps: 6);

        for (int step = 0; step < 6; step++)
        {
            for (int i = 0; i < 3; i++)
            {
                double g = Gradient(w, i);
                v[i] = (rho * v[i]) + ((1 - rho) * g * g);
                a[i] = (rho * a[i]) + ((1 - rho) * g);
                double denominator = centered ? v[i] - (a[i] * a[i]) + eps : v[i] + eps;
                double increment = lr * g / Math.Sqrt(denominator);
                m[i] = (momentum * m[i]) + increment;
                w[i] -= momentum > 0 ? m[i] : increment;
            }
        }

        AssertClose(w, actual);
    }

    [Theory]
    [InlineData(0.01, 0.1, 1e-7)]
    [InlineData(0.5, 0.0, 1e-3)]
    public void Adagrad_FewSteps_MatchesKerasFormula(double lr, double initial, double eps)
    {
        using var optimizer = new Adagrad(lr, initial, eps);
        double[] w = (double[])W0.Clone(), acc = [initial, initial, initial];

        float[] actual = Run(optimizer, steps: 6);

        for (int step = 0; step < 6; step++)
        {
            for (int i = 0; i < 3; i++)
            {
                double g = Gradient(w, i);
                acc[i] += g * g;
                w[i] -= lr * g / Math.Sqrt(acc[i] + eps);
            }
        }

        AssertClose(w, actual);
    }

    [Theory]
    [InlineData(0.01, 0.004)]
    [InlineData(0.05, 0.1)]
    public void AdamW_FewSteps_MatchesKerasFormulaWithDecoupledDecay(double lr, double wd)
    {
        using var optimizer = new AdamW(lr, wd);
        double[] w = (double[])W0.Clone(), m = new double[3], v = new double[3];

        float[] actual = Run(optimizer, steps: 6);

        for (int t = 1; t <= 6; t++)
        {
            double alpha = lr * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
            double[] g = [Gradient(w, 0), Gradient(w, 1), Gradient(w, 2)];
            for (int i = 0; i < 3; i++)
            {
                w[i] -= w[i] * wd * lr;
                m[i] += (g[i] - m[i]) * 0.1;
                v[i] += ((g[i] * g[i]) - v[i]) * 0.001;
                w[i] -= alpha * m[i] / (Math.Sqrt(v[i]) + 1e-7);
            }
        }

        AssertClose(w, actual);
    }

    [Fact]
    public void Nadam_FewSteps_MatchesKerasFormula()
    {
        const double lr = 0.02, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        using var optimizer = new Nadam(lr);
        double[] w = (double[])W0.Clone(), m = new double[3], v = new double[3];
        double uProduct = 1.0;

        float[] actual = Run(optimizer, steps: 6);

        for (int iterations = 0; iterations < 6; iterations++)
        {
            double ut = b1 * (1 - (0.5 * Math.Pow(0.96, iterations + 1)));
            double ut1 = b1 * (1 - (0.5 * Math.Pow(0.96, iterations + 2)));
            uProduct *= ut;
            double uProductNext = uProduct * ut1;
            for (int i = 0; i < 3; i++)
            {
                double g = Gradient(w, i);
                m[i] += (g - m[i]) * (1 - b1);
                v[i] += ((g * g) - v[i]) * (1 - b2);
                double mHat = (ut1 * m[i] / (1 - uProductNext)) + ((1 - ut) * g / (1 - uProduct));
                double vHat = v[i] / (1 - Math.Pow(b2, iterations + 1));
                w[i] -= mHat * lr / (Math.Sqrt(vHat) + eps);
            }
        }

        AssertClose(w, actual);
    }

    [Fact]
    public void ClipNormAndClipValue_SgdStep_ClipLikeKeras()
    {
        using var byNorm = new SGD(0.1) { ClipNorm = 0.5 };
        using var byValue = new SGD(0.1) { ClipValue = 0.3 };
        using var byGlobal = new SGD(0.1) { GlobalClipNorm = 0.5 };
        double[] g = [Gradient(W0, 0), Gradient(W0, 1), Gradient(W0, 2)];
        double norm = Math.Sqrt(g.Sum(x => x * x));

        float[] clippedNorm = Run(byNorm, steps: 1);
        float[] clippedValue = Run(byValue, steps: 1);
        float[] clippedGlobal = Run(byGlobal, steps: 1);

        // one parameter tensor: per-variable and global norms coincide
        AssertClose(W0.Select((w, i) => w - (0.1 * g[i] * 0.5 / Math.Max(norm, 0.5))).ToArray(), clippedNorm);
        AssertClose(W0.Select((w, i) => w - (0.1 * g[i] * 0.5 / Math.Max(norm, 0.5))).ToArray(), clippedGlobal);
        AssertClose(W0.Select((w, i) => w - (0.1 * Math.Clamp(g[i], -0.3, 0.3))).ToArray(), clippedValue);
        Assert.Throws<ArgumentException>(() => new SGD { ClipNorm = 1.0, ClipValue = 1.0 });
    }

    [Fact]
    public void Schedules_Values_MatchKerasFormulas()
    {
        var exponential = new ExponentialDecay(0.1, decaySteps: 10, decayRate: 0.5);
        var staircase = new ExponentialDecay(0.1, decaySteps: 10, decayRate: 0.5, staircase: true);
        var piecewise = new PiecewiseConstantDecay([5, 10], [1.0, 0.5, 0.1]);
        var cosine = new CosineDecay(0.1, decaySteps: 20, alpha: 0.1);
        var warm = new CosineDecay(0.0 + 1e-3, decaySteps: 20, warmupTarget: 0.1, warmupSteps: 5);

        Assert.Equal(0.1 * Math.Pow(0.5, 1.5), exponential.Compute(15), 15);
        Assert.Equal(0.1 * 0.5, staircase.Compute(15), 15);
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.1], new long[] { 0, 5, 6, 10, 11 }.Select(piecewise.Compute));
        Assert.Equal(0.1 * ((0.9 * 0.5 * (1 + Math.Cos(Math.PI * 7 / 20))) + 0.1), cosine.Compute(7), 15);
        Assert.Equal(0.1 * 0.1, cosine.Compute(100), 15);
        Assert.Equal(1e-3 + ((0.1 - 1e-3) * 2 / 5), warm.Compute(2), 15);
        Assert.Equal(0.1 * 0.5 * (1 + Math.Cos(Math.PI * 3 / 20)), warm.Compute(8), 15);
    }

    [Fact]
    public void Schedule_DrivesSgdStepsFromIterationZero()
    {
        var schedule = new ExponentialDecay(0.1, decaySteps: 1, decayRate: 0.5);
        using var optimizer = new SGD { Schedule = schedule };
        double[] w = (double[])W0.Clone();

        float[] actual = Run(optimizer, steps: 4);

        for (int step = 0; step < 4; step++)
        {
            double lr = schedule.Compute(step);
            double[] g = [Gradient(w, 0), Gradient(w, 1), Gradient(w, 2)];
            for (int i = 0; i < 3; i++)
            {
                w[i] -= lr * g[i];
            }
        }

        AssertClose(w, actual);
        Assert.Equal(schedule.Compute(4), optimizer.LearningRate);
        Assert.Throws<InvalidOperationException>(() => optimizer.LearningRate = 0.5);
    }

    [Fact]
    public void Get_KerasNames_GiveKerasDefaults()
    {
        using var rms = (RMSprop)KerasOptimizer.Get("rmsprop");
        using var adagrad = (Adagrad)KerasOptimizer.Get("adagrad");
        using var adamw = (AdamW)KerasOptimizer.Get("AdamW");
        using var nadam = (Nadam)KerasOptimizer.Get("nadam");

        Assert.Equal((0.001, 0.9, 0.0, 1e-7), (rms.LearningRate, rms.Rho, rms.Momentum, rms.Epsilon));
        Assert.Equal((0.001, 0.1, 1e-7), (adagrad.LearningRate, adagrad.InitialAccumulatorValue, adagrad.Epsilon));
        Assert.Equal((0.001, 0.004, 0.9, 0.999, 1e-7),
            (adamw.LearningRate, adamw.WeightDecay!.Value, adamw.Beta1, adamw.Beta2, adamw.Epsilon));
        Assert.Equal((0.001, 0.9, 0.999, 1e-7), (nadam.LearningRate, nadam.Beta1, nadam.Beta2, nadam.Epsilon));
    }

    private static double Gradient(double[] w, int i) => 2 * X[i] * ((w[i] * X[i]) - T[i]);

    private static float[] Run(KerasOptimizer optimizer, int steps)
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(torch.tensor(W0, ScalarType.Float32));
        Tensor x = torch.tensor(X, ScalarType.Float32), t = torch.tensor(T, ScalarType.Float32);
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            p.grad = null;
            p.mul(x).sub(t).square().sum().backward();
            optimizer.Step(new[] { p });
        }

        return p.data<float>().ToArray();
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5 * Math.Max(1, Math.Abs(expected[i])),
                $"w[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
