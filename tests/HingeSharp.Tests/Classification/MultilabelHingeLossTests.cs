using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;
using HingeSharp.Tests.Reference;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>MultilabelHingeLoss (functional and metric) against a direct per-element computation.</summary>
public sealed class MultilabelHingeLossTests
{
    /// <summary>Direct computation: per label Σ w·h / Σ w (times the label weight), then the average.</summary>
    private static double[] Reference(double[] preds, int[] target, int labels, MultilabelAverage average,
        bool squared, int? ignoreIndex, HingeInputKind kind, double[]? weights, double[]? labelWeights)
    {
        var elements = ScalarMargins.Binary(preds, target.Select(t => (double)t).ToArray(), squared, ignoreIndex, kind);
        double W(Element e) => weights is null ? 1.0 : weights[e.Index / labels];
        double Lw(int l) => labelWeights is null ? 1.0 : labelWeights[l];
        var perLabel = Enumerable.Range(0, labels).Select(l =>
        {
            var mine = elements.Where(e => e.Index % labels == l).ToList();
            var den = mine.Sum(W);
            return (Value: den == 0 ? double.NaN : Lw(l) * mine.Sum(e => W(e) * e.Loss) / den, Weight: den);
        }).ToArray();
        return average switch
        {
            MultilabelAverage.None => perLabel.Select(p => p.Value).ToArray(),
            MultilabelAverage.Macro =>
                [perLabel.Where(p => p.Weight != 0).Select(p => p.Value).DefaultIfEmpty(double.NaN).Average()],
            _ => [elements.Sum(e => W(e) * Lw(e.Index % labels) * e.Loss) / elements.Sum(W)],
        };
    }

    public static TheoryData<MultilabelAverage, bool, HingeInputKind> Settings()
    {
        var data = new TheoryData<MultilabelAverage, bool, HingeInputKind>();
        foreach (var average in Enum.GetValues<MultilabelAverage>())
        {
            foreach (var squared in new[] { false, true })
            {
                foreach (var kind in new[] { HingeInputKind.Auto, HingeInputKind.Logits, HingeInputKind.Margins })
                {
                    data.Add(average, squared, kind);
                }
            }
        }

        return data;
    }

    [Theory, MemberData(nameof(Settings))]
    public void Functional_WithIgnoreAndWeights_MatchesDirectComputation(MultilabelAverage average, bool squared,
        HingeInputKind kind)
    {
        var rng = new Random(40);
        foreach (var (n, labels) in new[] { (1, 2), (7, 3), (50, 4), (300, 6) })
        {
            var preds = kind == HingeInputKind.Auto && n % 2 == 1
                ? RandomData.Doubles(rng, n * labels, 0, 1)
                : RandomData.Doubles(rng, n * labels, -3, 3);
            var target = RandomData.WithIgnored(rng, RandomData.Labels(rng, n * labels, 2), -1);
            var weights = RandomData.Weights(rng, n);
            var labelWeights = RandomData.Doubles(rng, labels, 0, 2);
            var expected = Reference(preds, target, labels, average, squared, -1, kind, weights, labelWeights);
            var actual = HingeFunctional.MultilabelHingeLoss<double, int>(preds, target, labels, average, squared,
                -1, inputKind: kind, sampleWeight: weights, labelWeights: labelWeights);
            Approx.Equal(expected, actual.Values, Approx.Float64Relative, $"n={n}, L={labels}");
            var plain = HingeFunctional.MultilabelHingeLoss<double, int>(preds, target, labels, average, squared,
                -1, inputKind: kind);
            Approx.Equal(Reference(preds, target, labels, average, squared, -1, kind, null, null), plain.Values,
                Approx.Float64Relative, $"unweighted n={n}, L={labels}");
        }
    }

    [Fact]
    public void Functional_Float32_MatchesDirectComputationWithinFloat32()
    {
        var rng = new Random(41);
        var preds = RandomData.Doubles(rng, 400 * 5, -4, 4).Select(x => (float)x).ToArray();
        var target = RandomData.Labels(rng, 400 * 5, 2);
        var expected = Reference(preds.Select(x => (double)x).ToArray(), target, 5, MultilabelAverage.None, false,
            null, HingeInputKind.Auto, null, null);
        Approx.Equal(expected, HingeFunctional.MultilabelHingeLoss<float, int>(preds, target, 5,
            MultilabelAverage.None).Values, 1e-6);
    }

    [Fact]
    public void Micro_Unweighted_EqualsBinaryHingeOnTheFlatBatch()
    {
        var rng = new Random(42);
        var preds = RandomData.Doubles(rng, 64 * 3, 0, 1);
        var target = RandomData.Labels(rng, 64 * 3, 2);
        Approx.Equal(HingeFunctional.BinaryHingeLoss<double, int>(preds, target),
            HingeFunctional.MultilabelHingeLoss<double, int>(preds, target, 3, MultilabelAverage.Micro).Value, 1e-13);
    }

    [Fact]
    public void Macro_LabelWithNothingKept_IsLeftOutOfTheMean()
    {
        double[] preds = [0.9, 0.3, 0.2, 0.6];
        int[] target = [1, -1, 0, -1];
        var none = HingeFunctional.MultilabelHingeLoss<double, int>(preds, target, 2, MultilabelAverage.None,
            ignoreIndex: -1);
        Assert.True(double.IsNaN(none.Values[1]));
        Approx.Equal(none.Values[0], HingeFunctional.MultilabelHingeLoss<double, int>(preds, target, 2,
            ignoreIndex: -1).Value, 1e-15);
    }

    [Theory]
    [InlineData(MultilabelAverage.Macro)]
    [InlineData(MultilabelAverage.Micro)]
    [InlineData(MultilabelAverage.None)]
    public void Metric_StreamedAndMerged_EqualOneCallOnConcatenation(MultilabelAverage average)
    {
        var rng = new Random(43);
        const int n = 400, labels = 5;
        var preds = RandomData.Doubles(rng, n * labels, -3, 3);
        var target = RandomData.WithIgnored(rng, RandomData.Labels(rng, n * labels, 2), 9);
        var weights = RandomData.Weights(rng, n);
        MultilabelHingeLoss New() => new(labels, average, squared: true, ignoreIndex: 9,
            inputKind: HingeInputKind.Logits) { LabelWeights = [1, 2, 3, 0.5, 0] };
        var streamed = New();
        var merged = New();
        foreach (var (start, length) in RandomData.Pieces(rng, n, 6))
        {
            var p = preds.AsSpan(start * labels, length * labels);
            var t = target.AsSpan(start * labels, length * labels);
            streamed.Update<double, int>(p, t, weights.AsSpan(start, length));
            var part = New();
            part.Update<double, int>(p, t, weights.AsSpan(start, length));
            merged.Merge(part);
        }

        var whole = HingeFunctional.MultilabelHingeLoss<double, int>(preds, target, labels, average, true, 9,
            inputKind: HingeInputKind.Logits, sampleWeight: weights, labelWeights: [1, 2, 3, 0.5, 0]);
        Approx.Equal(whole.Values, streamed.Compute().Values, 1e-13, "streamed");
        Approx.Equal(whole.Values, merged.Compute().Values, 1e-13, "merged");
        Assert.Equal(streamed.Totals, merged.Totals);
    }

    [Fact]
    public void Metric_AutoDecision_IsMadePerUpdate()
    {
        double[] probabilities = [0.9, 0.2, 0.4, 0.7];
        double[] logits = [2.0, -1.0, 0.5, 3.0];
        int[] target = [1, 0, 0, 1];
        var metric = new MultilabelHingeLoss(2, MultilabelAverage.Micro);
        metric.Update<double, int>(probabilities, target);
        metric.Update<double, int>(logits, target);
        var elements = ScalarMargins.Binary(probabilities, [1, 0, 0, 1], false, null, HingeInputKind.Auto)
            .Concat(ScalarMargins.Binary(logits, [1, 0, 0, 1], false, null, HingeInputKind.Auto));
        Approx.Equal(elements.Average(e => e.Loss), metric.Compute().Value, 1e-15);
    }

    [Fact]
    public void Metric_RejectedUpdateAndReset_BehaveAsDocumented()
    {
        var metric = new MultilabelHingeLoss(2);
        metric.Update<double, int>([0.9, 0.2], [1, 0]);
        var before = metric.Compute();
        var ex = Assert.Throws<HingeArgumentException>(() => metric.Update<double, int>([0.9, 0.2, 0.4, 0.1],
            [1, 0, 2, 0]));
        Assert.Equal(2, ex.Index);
        Assert.Equal(before, metric.Compute());
        metric.Reset();
        Assert.True(double.IsNaN(metric.Compute().Value));
    }

    [Fact]
    public void Metric_SetState_RoundTrips()
    {
        var metric = new MultilabelHingeLoss(3, MultilabelAverage.None);
        metric.Update<double, int>([0.9, 0.2, 0.4, 0.1, 0.8, 0.3], [1, 0, 1, 0, 1, 0], [2.0, 0.5]);
        var copy = new MultilabelHingeLoss(3, MultilabelAverage.None);
        copy.SetState(metric.WeightedMeasures.ToArray(), metric.WeightSums.ToArray(), metric.Totals.ToArray());
        Assert.Equal(metric.Compute(), copy.Compute());
    }

    [Fact]
    public void Errors_NameTheArgumentValueAndIndex()
    {
        Assert.Equal("numLabels", Assert.Throws<HingeArgumentException>(() => new MultilabelHingeLoss(1)).ParamName);
        Assert.Equal("preds", Assert.Throws<HingeArgumentException>(() =>
            HingeFunctional.MultilabelHingeLoss<double, int>([0.1, 0.2, 0.3], [0, 1, 0], 2)).ParamName);
        var weight = Assert.Throws<HingeArgumentException>(() =>
            HingeFunctional.MultilabelHingeLoss<double, int>([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1], 2,
                sampleWeight: [1.0, -3.0]));
        Assert.Equal(("sampleWeight", 1L), (weight.ParamName, weight.Index));
        Assert.Contains("`sampleWeight[1]` = -3", weight.Message);
        var labelWeights = Assert.Throws<HingeArgumentException>(() =>
            new MultilabelHingeLoss(2) { LabelWeights = [1, 2, 3] });
        Assert.Equal("labelWeights", labelWeights.ParamName);
        var shape = Assert.Throws<HingeArgumentException>(() => ((IHingeMetric)new MultilabelHingeLoss(2))
            .Update<double, int>([0.1, 0.2, 0.3, 0.4], [2, 2], [0, 1, 0, 1], [4]));
        Assert.Equal("target", shape.ParamName);
    }
}
