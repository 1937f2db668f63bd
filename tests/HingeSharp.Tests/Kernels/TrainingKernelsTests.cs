using HingeSharp.Kernels;
using Xunit;

namespace HingeSharp.Tests.Kernels;

/// <summary>The fused training kernels against scalar reference loops (lengths that leave vector tails).</summary>
public sealed class TrainingKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(1000)]
    public void Adam_AnyLength_EqualsTheScalarFormula(int length)
    {
        var random = new Random(length);
        float[] w = Draw(random, length), g = Draw(random, length), m = Draw(random, length);
        float[] v = Draw(random, length).Select(Math.Abs).ToArray();
        float[] w2 = [.. w], m2 = [.. m], v2 = [.. v];

        OptimizerKernels.Adam(w, g, m, v, 0.9f, 0.999f, 0.01f, 1.5f, 1e-7f);

        for (int i = 0; i < length; i++)
        {
            double mi = (0.9 * m2[i]) + (0.1 * g[i]);
            double vi = (0.999 * v2[i]) + (0.001 * g[i] * g[i]);
            Assert.Equal(mi, m[i], 1e-6);
            Assert.Equal(vi, v[i], 1e-6);
            Assert.Equal(w2[i] - (0.01 * mi / ((Math.Sqrt(vi) * 1.5) + 1e-7)), w[i], 1e-5);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SgdMomentum_Length37_EqualsKerasFormula(bool nesterov)
    {
        var random = new Random(3);
        float[] w = Draw(random, 37), g = Draw(random, 37), velocity = Draw(random, 37);
        float[] w2 = [.. w], v2 = [.. velocity];

        OptimizerKernels.SgdMomentum(w, g, velocity, 0.01f, 0.9f, nesterov);

        for (int i = 0; i < 37; i++)
        {
            double v = (0.9 * v2[i]) - (0.01 * g[i]);
            Assert.Equal(v, velocity[i], 1e-6);
            Assert.Equal(nesterov ? w2[i] + (0.9 * v) - (0.01 * g[i]) : w2[i] + v, w[i], 1e-6);
        }
    }

    [Theory]
    [InlineData(2, 50)]
    [InlineData(20, 3)]
    public void DenseLayerKernels_TransposedLayout_EqualsRowMajorLayoutAndScalarReference(int inDim, int outDim)
    {
        const int rows = 5;
        var random = new Random(inDim * outDim);
        float[] x = Draw(random, rows * inDim), w = Draw(random, outDim * inDim), b = Draw(random, outDim);
        float[] dz = Draw(random, rows * outDim);
        float[] wt = new float[w.Length];
        for (int o = 0; o < outDim; o++)
        {
            for (int i = 0; i < inDim; i++)
            {
                wt[(i * outDim) + o] = w[(o * inDim) + i];
            }
        }

        float[] z = new float[rows * outDim], zt = new float[rows * outDim];
        DenseLayerKernels.Linear(x, rows, inDim, w, b, z, outDim);
        DenseLayerKernels.LinearTransposed(x, rows, inDim, wt, b, zt, outDim);
        float[] dw = new float[w.Length], dwt = new float[w.Length], db = new float[outDim], dbt = new float[outDim];
        DenseLayerKernels.WeightGradient(dz, rows, outDim, x, inDim, dw, db);
        DenseLayerKernels.WeightGradientTransposed(dz, rows, outDim, x, inDim, dwt, dbt);
        float[] dx = new float[rows * inDim], dxt = new float[rows * inDim];
        DenseLayerKernels.InputGradient(dz, rows, outDim, w, inDim, dx);
        DenseLayerKernels.InputGradientTransposed(dz, rows, outDim, wt, inDim, dxt);

        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outDim; o++)
            {
                double expected = b[o] + Enumerable.Range(0, inDim).Sum(i => (double)x[(r * inDim) + i] * w[(o * inDim) + i]);
                Assert.Equal(expected, z[(r * outDim) + o], 1e-5);
                Assert.Equal(expected, zt[(r * outDim) + o], 1e-5);
            }

            for (int i = 0; i < inDim; i++)
            {
                double expected = Enumerable.Range(0, outDim).Sum(o => (double)dz[(r * outDim) + o] * w[(o * inDim) + i]);
                Assert.Equal(expected, dx[(r * inDim) + i], 1e-5);
                Assert.Equal(expected, dxt[(r * inDim) + i], 1e-5);
            }
        }

        for (int o = 0; o < outDim; o++)
        {
            Assert.Equal(Enumerable.Range(0, rows).Sum(r => (double)dz[(r * outDim) + o]), db[o], 1e-5);
            Assert.Equal(db[o], dbt[o], 1e-5);
            for (int i = 0; i < inDim; i++)
            {
                double expected = Enumerable.Range(0, rows).Sum(r => (double)dz[(r * outDim) + o] * x[(r * inDim) + i]);
                Assert.Equal(expected, dw[(o * inDim) + i], 1e-5);
                Assert.Equal(expected, dwt[(i * outDim) + o], 1e-5);
            }
        }
    }

    [Fact]
    public void ActivationBackward_Relu37_PassesGradientOnlyWherePositive()
    {
        var random = new Random(9);
        float[] a = Draw(random, 37), g = Draw(random, 37);
        float[] expected = a.Zip(g, (ai, gi) => ai > 0 ? gi : 0f).ToArray();

        DenseLayerKernels.ActivationBackward(DenseActivation.Relu, a, g);

        Assert.Equal(expected, g);
    }

    private static float[] Draw(Random random, int length)
        => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
