using System.Runtime.Intrinsics;
using HingeSharp.Kernels;
using Xunit;

namespace HingeSharp.Tests.Kernels;

/// <summary>
/// The kernels' e^x (<see cref="VectorExp"/>) against <see cref="Math.Exp(double)"/> over the whole range (normal,
/// subnormal and overflowing results), its special values, and the same bits at 128, 256 and 512 bits.
/// </summary>
public sealed class VectorExpTests
{
    /// <summary>Distance in units in the last place of the float nearest the exact value.</summary>
    private static double FloatUlps(float actual, double exact)
    {
        var nearest = (float)exact;
        if (float.IsInfinity(nearest))
        {
            return float.IsPositiveInfinity(actual) ? 0 : double.PositiveInfinity;
        }

        var ulp = Math.Max(MathF.BitIncrement(Math.Abs(nearest)) - Math.Abs(nearest), float.Epsilon);
        return Math.Abs(actual - exact) / ulp;
    }

    private static double DoubleUlps(double actual, double exact)
    {
        if (double.IsInfinity(exact))
        {
            return double.IsPositiveInfinity(actual) ? 0 : double.PositiveInfinity;
        }

        var ulp = Math.Max(Math.BitIncrement(Math.Abs(exact)) - Math.Abs(exact), double.Epsilon);
        return Math.Abs(actual - exact) / ulp;
    }

    /// <summary>e^x of every element at 128, 256 and 512 bits.</summary>
    private static (float[] Narrow, float[] Mid, float[] Wide) AtEveryWidth(float[] x)
    {
        var (narrow, mid, wide) = (new float[x.Length], new float[x.Length], new float[x.Length]);
        for (var i = 0; i < x.Length; i += 16)
        {
            VectorExp.Exp(Vector512.LoadUnsafe(ref x[i])).StoreUnsafe(ref wide[i]);
            VectorExp.Exp(Vector256.LoadUnsafe(ref x[i])).StoreUnsafe(ref mid[i]);
            VectorExp.Exp(Vector256.LoadUnsafe(ref x[i + 8])).StoreUnsafe(ref mid[i + 8]);
            for (var k = 0; k < 16; k += 4)
            {
                VectorExp.Exp(Vector128.LoadUnsafe(ref x[i + k])).StoreUnsafe(ref narrow[i + k]);
            }
        }

        return (narrow, mid, wide);
    }

    private static (double[] Narrow, double[] Mid, double[] Wide) AtEveryWidth(double[] x)
    {
        var (narrow, mid, wide) = (new double[x.Length], new double[x.Length], new double[x.Length]);
        for (var i = 0; i < x.Length; i += 8)
        {
            VectorExp.Exp(Vector512.LoadUnsafe(ref x[i])).StoreUnsafe(ref wide[i]);
            VectorExp.Exp(Vector256.LoadUnsafe(ref x[i])).StoreUnsafe(ref mid[i]);
            VectorExp.Exp(Vector256.LoadUnsafe(ref x[i + 4])).StoreUnsafe(ref mid[i + 4]);
            for (var k = 0; k < 8; k += 2)
            {
                VectorExp.Exp(Vector128.LoadUnsafe(ref x[i + k])).StoreUnsafe(ref narrow[i + k]);
            }
        }

        return (narrow, mid, wide);
    }

    /// <summary>Every width the CPU runs natively gives the same bits (the kernels only run those widths; an emulated
    /// width may round its multiply-adds differently), and each is within two ulps.</summary>
    private static void Check<T>(T[] x, T[] narrow, T[] mid, T[] wide, Func<T, T, double> ulps)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var u = ulps(x[i], narrow[i]);
            Assert.True(u <= 2, $"exp({x[i]:R}) = {narrow[i]:R}: {u:F2} ulps");
            if (Vector256.IsHardwareAccelerated)
            {
                Assert.Equal(narrow[i], mid[i]);
            }

            if (Vector512.IsHardwareAccelerated)
            {
                Assert.Equal(narrow[i], wide[i]);
            }
        }
    }

    [Theory]
    [InlineData(-110d, 95d)]
    [InlineData(-1d, 1d)]
    [InlineData(-104d, -86d)]
    [InlineData(80d, 89d)]
    public void Float_WithinTwoUlpsOfTheExactValue(double low, double high)
    {
        var rnd = new Random(1);
        var x = new float[1 << 16];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)(low + ((high - low) * rnd.NextDouble()));
        }

        var (narrow, mid, wide) = AtEveryWidth(x);
        Check(x, narrow, mid, wide, (v, e) => FloatUlps(e, Math.Exp(v)));
    }

    [Theory]
    [InlineData(-750d, 712d)]
    [InlineData(-1d, 1d)]
    [InlineData(-746d, -700d)]
    [InlineData(700d, 710d)]
    public void Double_WithinTwoUlpsOfTheExactValue(double low, double high)
    {
        var rnd = new Random(2);
        var x = new double[1 << 16];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = low + ((high - low) * rnd.NextDouble());
        }

        // Math.Exp is itself within an ulp of e^x; two ulps from it leave room for both.
        var (narrow, mid, wide) = AtEveryWidth(x);
        Check(x, narrow, mid, wide, (v, e) => DoubleUlps(e, Math.Exp(v)));
    }

    [Theory]
    [InlineData(float.NaN, float.NaN)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity, 0f)]
    [InlineData(0f, 1f)]
    [InlineData(1f, 2.7182817f)]
    [InlineData(88.73f, float.PositiveInfinity)]
    [InlineData(-200f, 0f)]
    public void Float_SpecialValues(float x, float expected)
    {
        Assert.Equal(expected, VectorExp.Exp(Vector512.Create(x))[0]);
        Assert.Equal(expected, VectorExp.Exp(Vector256.Create(x))[0]);
        Assert.Equal(expected, VectorExp.Exp(Vector128.Create(x))[0]);
    }

    [Theory]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, 0d)]
    [InlineData(0d, 1d)]
    [InlineData(709.8d, double.PositiveInfinity)]
    [InlineData(-746d, 0d)]
    [InlineData(-745.1d, double.Epsilon)]
    public void Double_SpecialValues(double x, double expected)
    {
        Assert.Equal(expected, VectorExp.Exp(Vector512.Create(x))[0]);
        Assert.Equal(expected, VectorExp.Exp(Vector256.Create(x))[0]);
        Assert.Equal(expected, VectorExp.Exp(Vector128.Create(x))[0]);
    }
}
