using System.Text;
using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Metrics;
using HingeSharp.Reports;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Reliability;

/// <summary>
/// Issue 14 item 8: a weighted mean must not depend on the weights' scale. Equal weights of any positive finite scale
/// give the unit-weight value; multiplying the weights by 2^k changes nothing (bit for bit); by any c, only rounding;
/// merged states of mixed scales equal the concatenation; the interval stays finite.
/// </summary>
public sealed class WeightScaleTests
{
    public static TheoryData<double> Scales => new()
    {
        1e308, double.MaxValue, 1e200, 1e-200, 1e-300, 1e-320, double.Epsilon, 2.2250738585072014e-308, 3.7,
    };

    private static (double[] Preds, int[] Target, double[] Weights) Data(int seed, int n, int classes = 2)
    {
        var rng = new Random(seed);
        var preds = new double[n * (classes == 2 ? 1 : classes)];
        for (var i = 0; i < preds.Length; i++)
        {
            preds[i] = rng.NextDouble() * 6 - 3;
        }

        var target = new int[n];
        var weights = new double[n];
        for (var i = 0; i < n; i++)
        {
            target[i] = rng.Next(classes);
            weights[i] = 0.25 + rng.NextDouble() * 1.5;
        }

        return (preds, target, weights);
    }

    private static double[] Scaled(double[] weights, double factor) => [.. weights.Select(w => w * factor)];

    private static double[] Filled(int n, double value) => Enumerable.Repeat(value, n).ToArray();

    private static BinaryHingeLoss Binary(double[] preds, int[] target, double[] weights)
    {
        var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Logits) { TrackVariance = true };
        metric.Update<double, int>(preds, target, weights);
        return metric;
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public void Issue14_Item8_EqualWeightsOfAnyScale_GiveTheUnitWeightValueAndInterval(double scale)
    {
        var (preds, target, _) = Data(1, 500);
        var unit = Binary(preds, target, Filled(500, 1));
        var scaled = Binary(preds, target, Filled(500, scale));
        Approx.Equal(unit.Compute(), scaled.Compute(), 4e-16);
        var (u, s) = (unit.ComputeInterval(), scaled.ComputeInterval());
        Assert.True(double.IsFinite(s.Lower) && double.IsFinite(s.Upper), $"interval ({s.Lower}, {s.Upper})");
        Approx.Equal(u.Lower, s.Lower, 1e-14);
        Approx.Equal(u.Upper, s.Upper, 1e-14);
        Approx.Equal(u.EffectiveCount, s.EffectiveCount, 1e-13);
        Approx.Equal(unit.Compute(), HingeFunctional.BinaryHingeLoss<double, int>(preds, target, Filled(500, scale),
            inputKind: HingeInputKind.Logits), 4e-16);
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public void Issue14_Item8_MulticlassAndMultilabelWithEqualWeightsOfAnyScale_GiveTheUnitWeightValue(double scale)
    {
        var (preds, target, _) = Data(2, 300, classes: 4);
        foreach (var mode in new[] { MulticlassMode.CrammerSinger, MulticlassMode.OneVsAll })
        {
            var unit = new MulticlassHingeLoss(4, multiclassMode: mode, inputKind: HingeInputKind.Margins);
            unit.Update<double, int>(preds, target, Filled(300, 1));
            var scaled = new MulticlassHingeLoss(4, multiclassMode: mode, inputKind: HingeInputKind.Margins);
            scaled.Update<double, int>(preds, target, Filled(300, scale));
            Approx.Equal(unit.Compute().Values, scaled.Compute().Values, 1e-14);
        }

        var labels = target.SelectMany(t => new[] { t & 1, (t >> 1) & 1, 1 - (t & 1), 0 }).ToArray();
        var micro = new MultilabelHingeLoss(4, MultilabelAverage.Micro, inputKind: HingeInputKind.Margins);
        micro.Update<double, int>(preds, labels, Filled(300, 1));
        var microScaled = new MultilabelHingeLoss(4, MultilabelAverage.Micro, inputKind: HingeInputKind.Margins);
        microScaled.Update<double, int>(preds, labels, Filled(300, scale));
        Approx.Equal(micro.Compute().Value, microScaled.Compute().Value, 1e-14);
    }

    [Theory]
    [InlineData(-1000)]
    [InlineData(-500)]
    [InlineData(700)]
    [InlineData(1000)]
    public void Issue14_Item8_WeightsTimesPowerOfTwo_GiveBitIdenticalValues(int k)
    {
        var (preds, target, weights) = Data(3, 400, classes: 3);
        var shifted = weights.Select(w => Math.ScaleB(w, k)).ToArray();
        var multiclass = new MulticlassHingeLoss(3, inputKind: HingeInputKind.Margins);
        multiclass.Update<double, int>(preds, target, weights);
        var multiclassShifted = new MulticlassHingeLoss(3, inputKind: HingeInputKind.Margins);
        multiclassShifted.Update<double, int>(preds, target, shifted);
        Assert.Equal(multiclass.Compute().Value, multiclassShifted.Compute().Value);

        var binaryPreds = preds.AsSpan(0, 400).ToArray();
        var binaryTarget = target.Select(t => t & 1).ToArray();
        Assert.Equal(Binary(binaryPreds, binaryTarget, weights).Compute(),
            Binary(binaryPreds, binaryTarget, shifted).Compute());
        Assert.Equal(Binary(binaryPreds, binaryTarget, weights).ComputeInterval(),
            Binary(binaryPreds, binaryTarget, shifted).ComputeInterval());

        var report = MarginReport.Binary(HingeInputKind.Margins);
        report.Update<double, int>(binaryPreds, binaryTarget, weights);
        var reportShifted = MarginReport.Binary(HingeInputKind.Margins);
        reportShifted.Update<double, int>(binaryPreds, binaryTarget, shifted);
        Assert.Equal(report.Compute().Overall.Hinge, reportShifted.Compute().Overall.Hinge);
        Assert.Equal(report.Compute().Overall.SquaredHinge, reportShifted.Compute().Overall.SquaredHinge);
    }

    [Theory]
    [InlineData(11, 1e250)]
    [InlineData(12, 3.3e-280)]
    [InlineData(13, 7.1e-310)]
    [InlineData(14, 0.0123)]
    public void Issue14_Item8_WeightsTimesAnyConstant_ChangeOnlyRounding(int seed, double c)
    {
        var (preds, target, weights) = Data(seed, 600);
        var expected = Binary(preds, target, weights).Compute();
        Approx.Equal(expected, Binary(preds, target, Scaled(weights, c)).Compute(), 1e-13);
        var report = MarginReport.Binary(HingeInputKind.Logits);
        report.Update<double, int>(preds, target, Scaled(weights, c));
        Approx.Equal(expected, report.Compute().Overall.Hinge, 1e-13);
    }

    [Fact]
    public void Issue14_Item8_MergeOfPartsWithMixedScales_EqualsOneStreamAndTheConcatenation()
    {
        var (preds, target, weights) = Data(5, 900);
        int[] shifts = [-60, 0, 45];   // spans 2^105: no weight underflows next to the largest
        var all = new double[900];
        var merged = new BinaryHingeLoss(inputKind: HingeInputKind.Logits) { TrackVariance = true };
        var streamed = new BinaryHingeLoss(inputKind: HingeInputKind.Logits) { TrackVariance = true };
        var report = MarginReport.Binary(HingeInputKind.Logits);
        var reportMerged = MarginReport.Binary(HingeInputKind.Logits);
        for (var p = 0; p < 3; p++)
        {
            var range = new Range(p * 300, (p + 1) * 300);
            var part = weights[range].Select(w => Math.ScaleB(w, shifts[p])).ToArray();
            part.CopyTo(all, p * 300);
            var shard = Binary(preds[range], target[range], part);
            merged.MergeState(shard.ExportState());
            streamed.Update<double, int>(preds[range], target[range], part);
            var reportShard = MarginReport.Binary(HingeInputKind.Logits);
            reportShard.Update<double, int>(preds[range], target[range], part);
            reportMerged.MergeState(reportShard.ExportState());
            report.Update<double, int>(preds[range], target[range], part);
        }

        var whole = Binary(preds, target, all);
        Approx.Equal(whole.Compute(), merged.Compute(), 1e-14);
        Approx.Equal(whole.Compute(), streamed.Compute(), 1e-14);
        Approx.Equal(whole.ComputeInterval().Upper, merged.ComputeInterval().Upper, 1e-13);
        Approx.Equal(whole.Compute(), report.Compute().Overall.Hinge, 1e-13);
        Approx.Equal(whole.Compute(), reportMerged.Compute().Overall.Hinge, 1e-13);
        Approx.Equal(whole.WeightedState.TotalWeight, merged.WeightedState.TotalWeight, 1e-14);
    }

    [Fact]
    public void Issue14_Item8_MergeOfHugeAndTinyWeightedParts_IsTheHugePartsValue()
    {
        var (preds, target, weights) = Data(6, 400);
        var huge = Binary(preds[..200], target[..200], Scaled(weights[..200], 1e300));
        var tiny = Binary(preds[200..], target[200..], Scaled(weights[200..], 1e-300));
        var expected = huge.Compute();
        tiny.Merge(huge);
        Approx.Equal(expected, tiny.Compute(), 1e-15);
        Assert.True(double.IsFinite(tiny.ComputeInterval().Lower));
    }

    [Fact]
    public void Issue14_Item8_SaveLoad_KeepsTheExponentAndTheValue()
    {
        var (preds, target, weights) = Data(7, 300, classes: 3);
        var multiclass = new MulticlassHingeLoss(3, inputKind: HingeInputKind.Margins) { TrackVariance = true };
        multiclass.Update<double, int>(preds, target, Scaled(weights, 1e300));
        var binary = Binary(preds[..300], [.. target.Select(t => t & 1)], Scaled(weights, 1e-315));
        var labels = new MultilabelHingeLoss(3, MultilabelAverage.Macro, inputKind: HingeInputKind.Margins);
        labels.Update<double, int>(preds, [.. preds.Select(p => p > 0.5 ? 1 : 0)], Scaled(weights, 1e307));
        foreach (IHingeMetric metric in new IHingeMetric[] { multiclass, binary, labels })
        {
            using var stream = new MemoryStream();
            MetricState.Save(metric, stream);
            var json = Encoding.UTF8.GetString(stream.ToArray());
            Assert.Contains("\"weight_exponent\"", json, StringComparison.Ordinal);
            Assert.Equal(MetricState.FormatVersion, JsonDocument.Parse(json).RootElement.GetProperty("version").GetInt32());
            stream.Position = 0;
            var loaded = MetricState.Load(stream);
            Assert.Equal(metric.ComputeValue().Values, loaded.ComputeValue().Values);
        }

        Assert.NotEqual(0, multiclass.WeightExponent);
        Assert.True(double.IsPositiveInfinity(multiclass.WeightSum) || multiclass.WeightSum > 1e302);
    }

    [Fact]
    public void Issue14_Item8_VersionOneFileWithoutExponent_LoadsAsExponentZero()
    {
        const string v1 = """
            {"format": "hingesharp.metric-state", "version": 1, "metric": "BinaryHingeLoss", "squared": false,
             "ignore_index": null, "validate_args": true, "input_kind": "logits", "non_finite": "throw",
             "class_weights": null, "track_variance": false, "measures": [3], "total": 4,
             "weighted": {"measures": [6], "weight_sum": 8, "total": 4}, "moments": null, "update_count": 1}
            """;
        var metric = (BinaryHingeLoss)MetricState.Load(new MemoryStream(Encoding.UTF8.GetBytes(v1)));
        Assert.Equal(0, metric.WeightedState.WeightExponent);
        Assert.Equal(0.75, metric.Compute());
        var withExponent = v1.Replace("\"version\": 1", "\"version\": 2", StringComparison.Ordinal)
            .Replace("\"total\": 4}", "\"total\": 4, \"weight_exponent\": -900}", StringComparison.Ordinal);
        var shifted = (BinaryHingeLoss)MetricState.Load(new MemoryStream(Encoding.UTF8.GetBytes(withExponent)));
        Assert.Equal(-900, shifted.WeightedState.WeightExponent);
        Assert.Equal(0.75, shifted.Compute());
        Assert.Equal(Math.ScaleB(8.0, -900), shifted.WeightedState.TotalWeight);
    }

    [Theory]
    [InlineData(1, "-900", "weight_exponent")]   // a version 1 state has no exponent
    [InlineData(2, "5000", "weighted.weight_exponent")]
    [InlineData(2, "-1075", "weighted.weight_exponent")]
    public void Issue14_Item8_StateWithABadExponent_IsRejectedNamingTheField(int version, string exponent,
        string field)
    {
        var json = $$"""
            {"format": "hingesharp.metric-state", "version": {{version}}, "metric": "BinaryHingeLoss",
             "squared": false, "ignore_index": null, "validate_args": true, "input_kind": "logits",
             "non_finite": "throw", "class_weights": null, "track_variance": false, "measures": [3], "total": 4,
             "weighted": {"measures": [6], "weight_sum": 8, "total": 4, "weight_exponent": {{exponent}}},
             "moments": null, "update_count": 1}
            """;
        var error = Assert.Throws<MetricStateException>(
            () => MetricState.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(field.Split('.')[^1], error.Message, StringComparison.Ordinal);
        if (version == 2)
        {
            Assert.Contains(exponent, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Issue14_Item8_SetStateWithAnImpossibleExponent_ThrowsAndKeepsTheState()
    {
        var metric = new BinaryHingeLoss();
        metric.Update<double, int>([0.2, 0.7], [0, 1], [1e300, 1e300]);
        var before = metric.WeightedState;
        var error = Assert.Throws<HingeArgumentException>(() => metric.SetState(new HingeState(1, 2),
            new WeightedHingeState(1, 2, 2, 4000)));
        Assert.Contains("4000", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, metric.WeightedState);
        var multiclass = new MulticlassHingeLoss(3);
        Assert.Throws<HingeArgumentException>(() => multiclass.SetState([1.0], 2, [1.0], 2, null, -2000));
        var labels = new MultilabelHingeLoss(2);
        Assert.Throws<HingeArgumentException>(() => labels.SetState([1.0, 1], [2.0, 2], [2, 2], 1024));
    }

    [Fact]
    public void Issue14_Item8_ReportWithHugeWeights_GivesFiniteMeansAndWeightsInTheirOwnUnits()
    {
        var (preds, target, weights) = Data(8, 200, classes: 3);
        var unit = MarginReport.Multiclass(3, HingeInputKind.Margins);
        unit.Update<double, int>(preds, target, weights);
        var huge = MarginReport.Multiclass(3, HingeInputKind.Margins);
        huge.Update<double, int>(preds, target, Scaled(weights, Math.ScaleB(1.0, 1000)));
        var (a, b) = (unit.Compute(), huge.Compute());
        Assert.Equal(a.Overall.Hinge, b.Overall.Hinge);
        Assert.Equal(a.Overall.MeanMargin, b.Overall.MeanMargin);
        Assert.Equal(Math.ScaleB(a.Overall.WeightSum, 1000), b.Overall.WeightSum);
        Assert.Equal(a.ConfusedPairs.Select(p => Math.ScaleB(p.HingeSum, 1000)), b.ConfusedPairs.Select(p => p.HingeSum));
        var restored = MarginReport.Multiclass(3, HingeInputKind.Margins);
        restored.MergeState(huge.ExportState());
        Assert.Equal(b.Overall.Hinge, restored.Compute().Overall.Hinge);
    }

    [Fact]
    public void Issue14_Item8_ReportBatchOfLargerWeightsRejected_LeavesTheStateAsItWas()
    {
        var report = MarginReport.Binary(HingeInputKind.Margins);
        report.Update<double, int>([0.5, -0.2, 1.5], [1, 0, 1], [1e-300, 2e-300, 3e-300]);
        var before = report.ExportState();
        Assert.Throws<HingeArgumentException>(() =>
            report.Update<double, int>([0.5, double.NaN], [1, 0], [1e300, 1e300]));
        Assert.Equal(before, report.ExportState());
    }

    [Fact]
    public void Issue14_Item8_RandomScales_ValueAndIntervalStayTheUnscaledOnes()
    {
        var rng = new Random(2026);
        for (var trial = 0; trial < 200; trial++)
        {
            var n = rng.Next(2, 80);
            var (preds, target, weights) = Data(100 + trial, n);
            var k = rng.Next(-1000, 1000);
            var c = Math.ScaleB(1 + rng.NextDouble(), Math.Clamp(k, -1020, 1020));
            var expected = Binary(preds, target, weights);
            var shifted = Binary(preds, target, weights.Select(w => Math.ScaleB(w, k)).ToArray());
            var scaled = Binary(preds, target, Scaled(weights, c));
            if (weights.All(w => double.IsNormal(Math.ScaleB(w, k)) && Math.ScaleB(w, k) <= double.MaxValue))
            {
                Assert.Equal(expected.Compute(), shifted.Compute());
            }

            if (weights.All(w => double.IsNormal(w * c)))
            {
                Approx.Equal(expected.Compute(), scaled.Compute(), 1e-13);
                Approx.Equal(expected.ComputeInterval().Upper, scaled.ComputeInterval().Upper, 1e-12);
            }
        }
    }
}
