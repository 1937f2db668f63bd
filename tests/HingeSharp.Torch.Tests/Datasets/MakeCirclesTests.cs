using System.Text.Json;
using HingeSharp.Torch.Datasets;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Datasets;

public sealed class MakeCirclesTests
{
    private const string File = "make_circles.json";

    public static TheoryData<string> Cases => Fixtures.Names(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generate_MatchesScikitLearnBitForBit(string name)
    {
        JsonElement c = Fixtures.Case(File, name);
        CirclesData data = Generate(c.GetProperty("args"));

        JsonElement[] rows = c.GetProperty("X").EnumerateArray().ToArray();
        int[] labels = c.GetProperty("y").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        Assert.Equal(rows.Length, data.Count);
        Assert.Equal(labels, data.Y);
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                double expected = Fixtures.Number(rows[i][j]);
                // Bit-exact: compare the IEEE bits, so -0.0 vs 0.0 or a 1-ulp difference fails.
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(data.X[i, j]),
                    $"X[{i},{j}]: expected {expected:R}, got {data.X[i, j]:R}");
            }
        }
    }

    [Fact]
    public void Generate_OddCount_PutsTheExtraPointOnTheInnerCircle()
    {
        CirclesData data = MakeCircles.Generate(11, shuffle: false);

        Assert.Equal(5, data.Y.Count(v => v == 0));
        Assert.Equal(6, data.Y.Count(v => v == 1));
        for (int i = 0; i < data.Count; i++)
        {
            double radius = Math.Sqrt((data.X[i, 0] * data.X[i, 0]) + (data.X[i, 1] * data.X[i, 1]));
            Assert.Equal(data.Y[i] == 0 ? 1.0 : 0.8, radius, 12);
        }
    }

    [Fact]
    public void Generate_SameSeedFromSharedGenerator_ContinuesTheStream()
    {
        // scikit-learn with a RandomState instance draws from it: two calls differ, a fresh instance repeats them.
        var a = new LegacyRandomState(5);
        CirclesData first = MakeCircles.Generate(4, 4, true, 0.1, a);
        CirclesData second = MakeCircles.Generate(4, 4, true, 0.1, a);
        CirclesData again = MakeCircles.Generate(4, 4, true, 0.1, new LegacyRandomState(5));

        Assert.NotEqual(first.X.Cast<double>(), second.X.Cast<double>());
        Assert.Equal(first.X.Cast<double>(), again.X.Cast<double>());
        Assert.Equal(first.X.Cast<double>(), MakeCircles.Generate(8, noise: 0.1, randomState: 5).X.Cast<double>());
    }

    [Theory]
    [InlineData(1.0, "factor")]
    [InlineData(-0.1, "factor")]
    [InlineData(double.NaN, "factor")]
    public void Generate_FactorOutsideUnitInterval_Throws(double factor, string param)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MakeCircles.Generate(10, factor: factor));
        Assert.Equal(param, e.ParamName);
        Assert.Contains("`factor`", e.Message);
        Assert.Contains(factor.ToString(System.Globalization.CultureInfo.CurrentCulture), e.Message);
    }

    [Fact]
    public void Generate_BadArguments_ThrowNamingTheArgument()
    {
        Assert.Equal("nSamples", Assert.Throws<ArgumentOutOfRangeException>(() => MakeCircles.Generate(0)).ParamName);
        Assert.Equal("noise", Assert.Throws<ArgumentOutOfRangeException>(
            () => MakeCircles.Generate(10, noise: -0.1)).ParamName);
        Assert.Equal("noise", Assert.Throws<ArgumentOutOfRangeException>(
            () => MakeCircles.Generate(10, noise: double.PositiveInfinity)).ParamName);
        Assert.Equal("randomState", Assert.Throws<ArgumentOutOfRangeException>(
            () => MakeCircles.Generate(10, randomState: -1)).ParamName);
        Assert.Equal("nSamplesOut", Assert.Throws<ArgumentOutOfRangeException>(
            () => MakeCircles.Generate(-1, 3)).ParamName);
        Assert.Equal("nSamplesIn", Assert.Throws<ArgumentOutOfRangeException>(
            () => MakeCircles.Generate(0, 0)).ParamName);
    }

    [Fact]
    public void SliceAndToTensors_TutorialSplit_KeepValuesAndSignLabels()
    {
        CirclesData data = MakeCircles.Generate(1000, noise: 0.1, randomState: 1);
        CirclesData test = data.Slice(500, 500);
        using var scope = NewDisposeScope();

        (Tensor x, Tensor y) = test.ToTensors(signedLabels: true, dtype: ScalarType.Float64);

        Assert.Equal([500L, 2L], x.shape);
        double[] xs = x.data<double>().ToArray();
        double[] ys = y.data<double>().ToArray();
        for (int i = 0; i < 500; i++)
        {
            Assert.Equal(data.X[500 + i, 0], xs[2 * i]);
            Assert.Equal(data.X[500 + i, 1], xs[(2 * i) + 1]);
            Assert.Equal(data.Y[500 + i] == 0 ? -1.0 : 1.0, ys[i]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(900, 101));
    }

    private static CirclesData Generate(JsonElement args)
    {
        bool shuffle = !args.TryGetProperty("shuffle", out JsonElement s) || s.GetBoolean();
        double? noise = args.TryGetProperty("noise", out JsonElement n) ? n.GetDouble() : null;
        int? seed = args.TryGetProperty("random_state", out JsonElement r) ? r.GetInt32() : null;
        double factor = args.TryGetProperty("factor", out JsonElement f) ? f.GetDouble() : 0.8;
        JsonElement samples = args.GetProperty("n_samples");
        return samples.ValueKind == JsonValueKind.Array
            ? MakeCircles.Generate(samples[0].GetInt32(), samples[1].GetInt32(), shuffle, noise, seed, factor)
            : MakeCircles.Generate(samples.GetInt32(), shuffle, noise, seed, factor);
    }
}
