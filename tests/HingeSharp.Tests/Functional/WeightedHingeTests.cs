using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;
using HingeSharp.Tests.Reference;
using Xunit;

namespace HingeSharp.Tests.Functional;

/// <summary>The weighted functionals against the scalar reference, their properties, and their errors.</summary>
public sealed class WeightedHingeTests
{
    public static TheoryData<HingeInputKind, bool> Kinds => new()
    {
        { HingeInputKind.Auto, false }, { HingeInputKind.Auto, true }, { HingeInputKind.Logits, false },
        { HingeInputKind.Probabilities, true }, { HingeInputKind.Margins, false }, { HingeInputKind.Margins, true },
    };

    private static double[] PredsFor(Random rng, int n, HingeInputKind kind) =>
        kind == HingeInputKind.Probabilities || (kind == HingeInputKind.Auto && rng.Next(2) == 0)
            ? RandomData.Doubles(rng, n, 0, 1)
            : RandomData.Doubles(rng, n, -3, 3);

    [Theory, MemberData(nameof(Kinds))]
    public void WeightedBinary_AllTailLengths_MatchesScalarReference(HingeInputKind kind, bool squared)
    {
        var rng = new Random(42);
        foreach (var n in Enumerable.Range(0, 68).Concat([513, 1500]))
        {
            var preds = PredsFor(rng, n, kind);
            var target = RandomData.WithIgnored(rng, RandomData.Labels(rng, n, 2), -1);
            var weights = RandomData.Weights(rng, n);
            double[] classWeights = [0.5, 2.0];
            var elements = ScalarMargins.Binary(preds, target.Select(t => (double)t).ToArray(), squared, -1, kind);
            var expected = ScalarMargins.WeightedMean(elements.Select(e =>
                (e.Loss, weights[e.Index] * classWeights[e.Label])));
            var actual = HingeFunctional.BinaryHingeLoss<double, int>(preds, target, weights, squared, -1,
                inputKind: kind, classWeights: classWeights);
            Approx.Equal(expected, actual, Approx.Float64Relative, $"n={n}");
        }
    }

    [Fact]
    public void WeightedBinary_Float32Preds_MatchesScalarReferenceWithinFloat32()
    {
        var rng = new Random(7);
        var preds = RandomData.Doubles(rng, 777, -4, 4);
        var target = RandomData.Labels(rng, 777, 2);
        var weights = RandomData.Weights(rng, 777);
        var asFloat = preds.Select(p => (float)p).ToArray();
        var elements = ScalarMargins.Binary(asFloat.Select(p => (double)p).ToArray(),
            target.Select(t => (double)t).ToArray(), false, null, HingeInputKind.Auto);
        var expected = ScalarMargins.WeightedMean(elements.Select(e => (e.Loss, weights[e.Index])));
        Approx.Equal(expected, HingeFunctional.BinaryHingeLoss<float, int>(asFloat, target, weights), 1e-6);
    }

    [Fact]
    public void WeightedBinary_UnitWeights_EqualsUnweighted()
    {
        var rng = new Random(3);
        foreach (var n in new[] { 1, 31, 600 })
        {
            var preds = RandomData.Doubles(rng, n, -2, 2);
            var target = RandomData.WithIgnored(rng, RandomData.Labels(rng, n, 2), 255);
            var ones = Enumerable.Repeat(1.0, n).ToArray();
            Approx.Equal(HingeFunctional.BinaryHingeLoss<double, int>(preds, target, squared: true, ignoreIndex: 255),
                HingeFunctional.BinaryHingeLoss<double, int>(preds, target, ones, squared: true, ignoreIndex: 255),
                1e-13, $"n={n}");
        }
    }

    [Fact]
    public void WeightedBinary_ZeroWeights_EqualDroppingThoseElements()
    {
        var rng = new Random(5);
        var preds = RandomData.Doubles(rng, 200, -2, 2);
        var target = RandomData.Labels(rng, 200, 2);
        var weights = RandomData.Weights(rng, 200);
        var keep = Enumerable.Range(0, 200).Where(i => weights[i] != 0).ToArray();
        Assert.True(keep.Length < 200);
        Approx.Equal(
            HingeFunctional.BinaryHingeLoss<double, int>(keep.Select(i => preds[i]).ToArray(),
                keep.Select(i => target[i]).ToArray(), keep.Select(i => weights[i]).ToArray(),
                inputKind: HingeInputKind.Logits),
            HingeFunctional.BinaryHingeLoss<double, int>(preds, target, weights, inputKind: HingeInputKind.Logits),
            1e-13);
    }

    [Fact]
    public void WeightedBinary_AllWeightsZero_IsNaN()
    {
        Assert.True(double.IsNaN(HingeFunctional.BinaryHingeLoss<double, int>([0.2, 0.7], [0, 1], [0.0, 0.0])));
    }

    [Fact]
    public void WeightedBinary_IgnoredElementsWeight_IsNeitherUsedNorChecked()
    {
        double[] preds = [0.2, 0.9, 0.4];
        int[] target = [0, -1, 1];
        var withBad = HingeFunctional.BinaryHingeLoss<double, int>(preds, target, [2.0, double.NaN, 1.0],
            ignoreIndex: -1);
        var withOther = HingeFunctional.BinaryHingeLoss<double, int>(preds, target, [2.0, -5.0, 1.0],
            ignoreIndex: -1);
        var expected = ScalarMargins.WeightedMean([(1.2, 2.0), (0.6, 1.0)]);
        Approx.Equal(expected, withBad, 1e-15);
        Approx.Equal(expected, withOther, 1e-15);
    }

    [Theory]
    [InlineData(-1.0, "-1")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void WeightedBinary_BadWeight_ThrowsNamingValueAndIndex(double bad, string spelled)
    {
        var ex = Assert.Throws<HingeArgumentException>(() =>
            HingeFunctional.BinaryHingeLoss<double, int>([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1], [1.0, 1.0, bad, 1.0]));
        Assert.Equal("sampleWeight", ex.ParamName);
        Assert.Equal(2, ex.Index);
        Assert.Contains($"`sampleWeight[2]` = {spelled}", ex.Message);
    }

    [Fact]
    public void Weighted_WrongWeightCount_Throws()
    {
        var ex = Assert.Throws<HingeArgumentException>(() =>
            HingeFunctional.BinaryHingeLoss<double, int>([0.1, 0.2], [0, 1], [1.0, 1.0, 1.0]));
        Assert.Equal("sampleWeight", ex.ParamName);
        Assert.Contains("3 values", ex.Message);
        var mc = Assert.Throws<HingeArgumentException>(() =>
            HingeFunctional.MulticlassHingeLoss<double, int>([0.1, 0.9, 0.5, 0.5], [0, 1], 2, [1.0]));
        Assert.Equal("sampleWeight", mc.ParamName);
    }

    [Theory]
    [InlineData(new[] { 1.0 }, null)]
    [InlineData(new[] { 1.0, -2.0 }, 1)]
    [InlineData(new[] { double.NaN, 1.0 }, 0)]
    public void Weighted_BadClassWeights_Throw(double[] classWeights, int? index)
    {
        var ex = Assert.Throws<HingeArgumentException>(() =>
            HingeFunctional.BinaryHingeLoss<double, int>([0.1, 0.2], [0, 1], [], classWeights: classWeights));
        Assert.Equal("classWeights", ex.ParamName);
        Assert.Equal(index, ex.Index);
    }

    [Theory]
    [InlineData(HingeInputKind.Auto, false)]
    [InlineData(HingeInputKind.Auto, true)]
    [InlineData(HingeInputKind.Logits, false)]
    [InlineData(HingeInputKind.Margins, true)]
    public void WeightedCrammerSinger_MatchesScalarReference(HingeInputKind kind, bool squared)
    {
        var rng = new Random(11);
        foreach (var (n, c) in new[] { (1, 2), (17, 3), (64, 5), (300, 10) })
        {
            var preds = kind == HingeInputKind.Auto && n % 2 == 1
                ? RandomData.Doubles(rng, n * c, 0, 1)
                : RandomData.Doubles(rng, n * c, -3, 3);
            var target = RandomData.Labels(rng, n, c);
            target[0] = 0;
            var ignored = RandomData.WithIgnored(rng, target, -100);
            ignored[0] = target[0];
            var weights = RandomData.Weights(rng, n);
            weights[0] = 1;
            var classWeights = RandomData.Doubles(rng, c, 0.5, 2);
            var rows = ScalarMargins.Multiclass(preds, ignored.Select(t => (double)t).ToArray(), c, squared, -100, kind);
            var expected = ScalarMargins.WeightedMean(rows.Select(r =>
                (r.Loss, weights[r.Index] * classWeights[r.Target])));
            var actual = HingeFunctional.MulticlassHingeLoss<double, int>(preds, ignored, c, weights, squared,
                ignoreIndex: -100, inputKind: kind, classWeights: classWeights);
            Approx.Equal(expected, actual.Value, Approx.Float64Relative, $"n={n}, C={c}");
        }
    }

    [Fact]
    public void WeightedCrammerSinger_ClassWeights_EqualSampleWeightsOfTrueClass()
    {
        var rng = new Random(12);
        var preds = RandomData.Doubles(rng, 50 * 4, -2, 2);
        var target = RandomData.Labels(rng, 50, 4);
        double[] classWeights = [1, 2, 0.5, 3];
        var folded = target.Select(t => classWeights[t]).ToArray();
        Approx.Equal(
            HingeFunctional.MulticlassHingeLoss<double, int>(preds, target, 4, folded).Value,
            HingeFunctional.MulticlassHingeLoss<double, int>(preds, target, 4, [], classWeights: classWeights).Value,
            1e-14);
    }

    [Fact]
    public void WeightedOneVsAll_MatchesScalarReference()
    {
        var rng = new Random(13);
        const int n = 120, c = 4;
        var preds = RandomData.Doubles(rng, n * c, -3, 3);
        var target = RandomData.WithIgnored(rng, RandomData.Labels(rng, n, c), 4);
        var weights = RandomData.Weights(rng, n);
        double[] classWeights = [1, 0, 2.5, 0.75];
        var rows = ScalarMargins.Multiclass(preds, target.Select(t => (double)t).ToArray(), c, true, 4,
            HingeInputKind.Auto);
        var expected = Enumerable.Range(0, c).Select(k => classWeights[k] *
            ScalarMargins.WeightedMean(rows.Select(r => (ScalarMargins.OneVsAll(r, k, true), weights[r.Index])))).ToArray();
        var actual = HingeFunctional.MulticlassHingeLoss<double, int>(preds, target, c, weights, squared: true,
            MulticlassMode.OneVsAll, ignoreIndex: 4, classWeights: classWeights);
        Approx.Equal(expected, actual.Values, Approx.Float64Relative);
    }

    [Fact]
    public void WeightedMulticlass_UnitWeights_EqualUnweighted()
    {
        var rng = new Random(14);
        var preds = RandomData.Doubles(rng, 90 * 3, -3, 3);
        var target = RandomData.Labels(rng, 90, 3);
        var ones = Enumerable.Repeat(1.0, 90).ToArray();
        foreach (var mode in new[] { MulticlassMode.CrammerSinger, MulticlassMode.OneVsAll })
        {
            Approx.Equal(HingeFunctional.MulticlassHingeLoss<double, int>(preds, target, 3, multiclassMode: mode).Values,
                HingeFunctional.MulticlassHingeLoss<double, int>(preds, target, 3, ones, multiclassMode: mode).Values,
                1e-14, mode.ToString());
        }
    }

    [Fact]
    public void WeightedMulticlass_Shaped_EqualsFlatOnClassLastRows()
    {
        var rng = new Random(15);
        const int n = 3, c = 4, d = 5;
        var preds = RandomData.Doubles(rng, n * c * d, -2, 2);
        var target = RandomData.Labels(rng, n * d, c);
        var weights = RandomData.Weights(rng, n * d);
        var moved = new double[preds.Length];
        for (var s = 0; s < n; s++)
        {
            for (var k = 0; k < c; k++)
            {
                for (var p = 0; p < d; p++)
                {
                    moved[(s * d + p) * c + k] = preds[(s * c + k) * d + p];
                }
            }
        }

        Approx.Equal(HingeFunctional.MulticlassHingeLoss<double, int>(moved, target, c, weights).Value,
            HingeFunctional.MulticlassHingeLoss<double, int>(preds, [n, c, d], target, [n, d], c, weights).Value,
            1e-15);
    }

    [Fact]
    public void WeightedCrammerSinger_AllRowsIgnored_ThrowsAsUnweighted()
    {
        var ex = Assert.Throws<HingeArgumentException>(() =>
            HingeFunctional.MulticlassHingeLoss<double, int>([0.1, 0.9, 0.5, 0.5], [-1, -1], 2, [1.0, 1.0],
                ignoreIndex: -1));
        Assert.Equal("target", ex.ParamName);
    }

    [Fact]
    public void WeightedWrapper_BinaryAndMulticlass_EqualTheDirectFunctionals()
    {
        var rng = new Random(16);
        var preds = RandomData.Doubles(rng, 40, 0, 1);
        var target = RandomData.Labels(rng, 40, 2);
        var weights = RandomData.Weights(rng, 40);
        Assert.Equal(HingeFunctional.BinaryHingeLoss<double, int>(preds, target, weights),
            HingeFunctional.HingeLoss<double, int>(preds, target, weights, "binary").Value);
        var mc = HingeFunctional.HingeLoss<double, int>(preds, target.Take(10).ToArray(), weights.Take(10).ToArray(),
            "multiclass", numClasses: 4, multiclassMode: "one-vs-all");
        Assert.Equal(HingeFunctional.MulticlassHingeLoss<double, int>(preds, target.Take(10).ToArray(), 4,
            weights.Take(10).ToArray(), multiclassMode: MulticlassMode.OneVsAll).Values, mc.Values);
    }
}
