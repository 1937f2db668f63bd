using HingeSharp.Kernels;
using Xunit;

namespace HingeSharp.Tests.Kernels;

/// <summary>The linear SVM kernels against plain scalar loops, for every length 0..67 (all tails of 4 and 8) and one
/// long span; float rows are widened exactly, so float and double give identical results.</summary>
public sealed class DenseKernelsTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (var n in Enumerable.Range(0, 68).Append(1003))
        {
            data.Add(n);
        }

        return data;
    }

    private static (float[] X, double[] W) Data(int n)
    {
        var rng = new Random(42 + n);
        return (Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray(),
            Enumerable.Range(0, n + 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray());
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Dot_AnyLength_MatchesScalarLoop(int n)
    {
        var (x, w) = Data(n);
        var reference = 0.0;
        for (var i = 0; i < n; i++)
        {
            reference += x[i] * w[i];
        }

        var wide = x.Select(v => (double)v).ToArray();
        Assert.Equal(reference, DenseKernels.Dot(x, w), 1e-12 * Math.Max(1, Math.Abs(reference)) * Math.Sqrt(n + 1));
        Assert.Equal(DenseKernels.Dot(x, w), DenseKernels.Dot(wide, w));
        Assert.Equal(wide.Sum(v => v * v), DenseKernels.SquaredNorm(x), 1e-12 * (n + 1) * 4);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Axpy_AnyLength_MatchesScalarLoopAndLeavesTheRestAlone(int n)
    {
        var (x, w) = Data(n);
        var expected = (double[])w.Clone();
        for (var i = 0; i < n; i++)
        {
            expected[i] += -0.75 * x[i];
        }

        var single = (double[])w.Clone();
        DenseKernels.Axpy(-0.75, x, single);
        var wide = (double[])w.Clone();
        DenseKernels.Axpy(-0.75, x.Select(v => (double)v).ToArray(), wide);
        Assert.Equal(expected, single);
        Assert.Equal(expected, wide);
    }
}
