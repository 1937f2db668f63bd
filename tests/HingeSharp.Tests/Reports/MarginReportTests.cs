using HingeSharp.Classification;
using HingeSharp.Reports;
using HingeSharp.Tests.Infrastructure;
using HingeSharp.Tests.Reference;
using Xunit;

namespace HingeSharp.Tests.Reports;

/// <summary>MarginReport against a direct computation from the scalar reference's margins, and its properties.</summary>
public sealed class MarginReportTests
{
    private static void AssertSummary(List<(double Margin, double Weight)> items, MarginSummary actual,
        MarginBinning binning, string what)
    {
        Assert.Equal(items.Count, actual.Count);
        Approx.Equal(items.Sum(x => x.Weight), actual.WeightSum, 1e-12, what + " weight");
        Approx.Equal(ScalarMargins.WeightedMean(items.Select(x => (Math.Max(0, 1 - x.Margin), x.Weight))),
            actual.Hinge, 1e-12, what + " hinge");
        Approx.Equal(ScalarMargins.WeightedMean(items.Select(x => (Math.Pow(Math.Max(0, 1 - x.Margin), 2), x.Weight))),
            actual.SquaredHinge, 1e-12, what + " squared");
        Approx.Equal(ScalarMargins.WeightedMean(items.Select(x => (x.Margin < 1 ? 1.0 : 0.0, x.Weight))),
            actual.InsideMarginShare, 1e-12, what + " inside");
        Approx.Equal(ScalarMargins.WeightedMean(items.Select(x => (x.Margin < 0 ? 1.0 : 0.0, x.Weight))),
            actual.MisclassifiedShare, 1e-12, what + " misclassified");
        Assert.Equal(items.Count(x => x.Margin < 1), actual.InsideMarginCount);
        Assert.Equal(items.Count(x => x.Margin < 0), actual.MisclassifiedCount);
        Approx.Equal(ScalarMargins.WeightedMean(items), actual.MeanMargin, 1e-12, what + " mean margin");
        var positive = items.Where(x => x.Weight > 0).ToList();
        Assert.Equal(positive.Min(x => x.Margin), actual.Min);
        Assert.Equal(positive.Max(x => x.Margin), actual.Max);
        var bins = actual.Histogram;
        Approx.Equal(positive.Sum(x => x.Weight), bins.Counts.Sum() + bins.Underflow + bins.Overflow, 1e-12);
        Assert.Equal(binning.Bins, bins.Counts.Count);
        foreach (var q in actual.Quantiles)
        {
            var exact = ScalarMargins.Quantile(items, q.Probability);
            Assert.True(q.ErrorBound <= Math.Max(binning.BinWidth, Math.Max(binning.Lower - actual.Min,
                actual.Max - binning.Upper)) + 1e-12, $"{what} q={q.Probability}: bound {q.ErrorBound}");
            Assert.True(Math.Abs(q.Value - exact) <= q.ErrorBound + 1e-12,
                $"{what} q={q.Probability}: estimate {q.Value:R}, exact {exact:R}, bound {q.ErrorBound:R}");
        }
    }

    [Theory]
    [InlineData(HingeInputKind.Auto, false)]
    [InlineData(HingeInputKind.Logits, true)]
    [InlineData(HingeInputKind.Margins, true)]
    public void Binary_Report_MatchesDirectComputation(HingeInputKind kind, bool weighted)
    {
        var rng = new Random(60);
        const int n = 3000;
        var preds = kind == HingeInputKind.Margins ? RandomData.Doubles(rng, n, -6, 6) : RandomData.Doubles(rng, n, -3, 3);
        var target = RandomData.WithIgnored(rng, RandomData.Labels(rng, n, 2), -1);
        var weights = weighted ? RandomData.Weights(rng, n) : null;
        var report = MarginReport.Binary(kind, ignoreIndex: -1);
        report.Update<double, int>(preds, target, weights);
        var result = report.Compute();
        var elements = ScalarMargins.Binary(preds, target.Select(t => (double)t).ToArray(), false, -1, kind);
        double W(Element e) => weights?[e.Index] ?? 1.0;
        AssertSummary(elements.Select(e => (e.Margin, W(e))).ToList(), result.Overall, report.Binning, "overall");
        for (var c = 0; c < 2; c++)
        {
            AssertSummary(elements.Where(e => e.Label == c).Select(e => (e.Margin, W(e))).ToList(), result.PerClass[c],
                report.Binning, $"class {c}");
        }

        Assert.Equal("binary", result.Task);
        Assert.Empty(result.ConfusedPairs);
    }

    [Fact]
    public void Binary_Report_Hinge_EqualsBinaryHingeLoss()
    {
        var rng = new Random(61);
        var preds = RandomData.Doubles(rng, 500, 0, 1);
        var target = RandomData.Labels(rng, 500, 2);
        var weights = RandomData.Weights(rng, 500);
        var report = MarginReport.Binary();
        report.Update<double, int>(preds, target, weights);
        var metric = new BinaryHingeLoss();
        metric.Update<double, int>(preds, target, weights);
        Approx.Equal(metric.Compute(), report.Compute().Overall.Hinge, 1e-12);
    }

    [Theory]
    [InlineData(HingeInputKind.Auto, false)]
    [InlineData(HingeInputKind.Margins, true)]
    public void Multiclass_Report_MatchesDirectComputation(HingeInputKind kind, bool weighted)
    {
        var rng = new Random(62);
        const int n = 2000, c = 5;
        var preds = RandomData.Doubles(rng, n * c, -3, 3);
        var target = RandomData.WithIgnored(rng, RandomData.Labels(rng, n, c), -1);
        var weights = weighted ? RandomData.Weights(rng, n) : null;
        var report = MarginReport.Multiclass(c, kind, ignoreIndex: -1);
        report.Update<double, int>(preds, target, weights);
        var result = report.Compute(topPairs: 100);
        var rows = ScalarMargins.Multiclass(preds, target.Select(t => (double)t).ToArray(), c, false, -1, kind);
        double W(Row r) => weights?[r.Index] ?? 1.0;
        AssertSummary(rows.Select(r => (r.Margin, W(r))).ToList(), result.Overall, report.Binning, "overall");
        for (var k = 0; k < c; k++)
        {
            AssertSummary(rows.Where(r => r.Target == k).Select(r => (r.Margin, W(r))).ToList(), result.PerClass[k],
                report.Binning, $"class {k}");
        }

        var expectedPairs = rows.Where(r => r.Margin < 1).GroupBy(r => (r.Target, r.Rival)).ToDictionary(g => g.Key,
            g => (Mis: g.Count(r => r.Margin < 0), Inside: g.Count(), Hinge: g.Sum(r => W(r) * (1 - r.Margin))));
        Assert.Equal(expectedPairs.Count, result.ConfusedPairs.Count);
        foreach (var pair in result.ConfusedPairs)
        {
            var e = expectedPairs[(pair.TrueClass, pair.RivalClass)];
            Assert.Equal(e.Mis, pair.MisclassifiedCount);
            Assert.Equal(e.Inside, pair.InsideMarginCount);
            Approx.Equal(e.Hinge, pair.HingeSum, 1e-12);
        }

        var order = result.ConfusedPairs.Select(p => (p.MisclassifiedCount, p.InsideMarginCount)).ToList();
        Assert.Equal(order.OrderByDescending(p => p.MisclassifiedCount).ThenByDescending(p => p.InsideMarginCount),
            order);
        Assert.Equal(3, report.Compute(topPairs: 3).ConfusedPairs.Count);
        Approx.Equal(result.Overall.WeightSum * result.Overall.Hinge,
            result.ConfusedPairs.Sum(p => p.HingeSum), 1e-12, "pairs share the whole loss");
    }

    [Fact]
    public void Report_StreamedAndMerged_EqualOneUpdate()
    {
        var rng = new Random(63);
        const int n = 1500, c = 4;
        var preds = RandomData.Doubles(rng, n * c, -3, 3);
        var target = RandomData.Labels(rng, n, c);
        var weights = RandomData.Weights(rng, n);
        var whole = MarginReport.Multiclass(c, HingeInputKind.Logits);
        whole.Update<double, int>(preds, target, weights);
        var streamed = MarginReport.Multiclass(c, HingeInputKind.Logits);
        var merged = MarginReport.Multiclass(c, HingeInputKind.Logits);
        foreach (var (start, length) in RandomData.Pieces(rng, n, 6))
        {
            streamed.Update<double, int>(preds.AsSpan(start * c, length * c), target.AsSpan(start, length),
                weights.AsSpan(start, length));
            var part = MarginReport.Multiclass(c, HingeInputKind.Logits);
            part.Update<double, int>(preds.AsSpan(start * c, length * c), target.AsSpan(start, length),
                weights.AsSpan(start, length));
            merged.Merge(part);
        }

        foreach (var other in new[] { streamed, merged })
        {
            AssertSame(whole.Compute(topPairs: 50), other.Compute(topPairs: 50));
        }
    }

    private static void AssertSame(MarginReportResult a, MarginReportResult b)
    {
        foreach (var (x, y) in a.PerClass.Prepend(a.Overall).Zip(b.PerClass.Prepend(b.Overall)))
        {
            Assert.Equal((x.Count, x.InsideMarginCount, x.MisclassifiedCount, x.Min, x.Max),
                (y.Count, y.InsideMarginCount, y.MisclassifiedCount, y.Min, y.Max));
            Approx.Equal([x.WeightSum, x.Hinge, x.SquaredHinge, x.InsideMarginShare, x.MeanMargin],
                [y.WeightSum, y.Hinge, y.SquaredHinge, y.InsideMarginShare, y.MeanMargin], 1e-12);
            Approx.Equal(x.Histogram.Counts, y.Histogram.Counts, 1e-12);
            Approx.Equal(x.Quantiles.Select(q => q.Value).ToList(), y.Quantiles.Select(q => q.Value).ToList(), 1e-9);
        }

        Assert.Equal(a.ConfusedPairs.Select(p => (p.TrueClass, p.RivalClass, p.MisclassifiedCount)),
            b.ConfusedPairs.Select(p => (p.TrueClass, p.RivalClass, p.MisclassifiedCount)));
    }

    [Fact]
    public void Report_Json_RoundTripsAndWritesNaN()
    {
        var report = MarginReport.Multiclass(3);
        var empty = report.Compute();
        Assert.True(double.IsNaN(empty.Overall.Hinge));
        var emptyJson = empty.ToJson();
        Assert.Contains("\"hinge\": \"NaN\"", emptyJson);
        Assert.Equal(emptyJson, MarginReportResult.FromJson(emptyJson).ToJson());
        report.Update<float, long>([0.7f, 0.2f, 0.1f, 0.3f, 0.3f, 0.4f, 0.1f, 0.8f, 0.1f], [0, 1, 1]);
        var json = report.Compute().ToJson();
        var back = MarginReportResult.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(report.Compute().ToJson(indented: false), back.ToJson(indented: false));
        Assert.DoesNotContain("\n", back.ToJson(indented: false));
        Assert.Equal(3, back.PerClass.Count);
        Assert.Contains("\"confusedPairs\"", json);
        Assert.Contains("\"counts\"", json);
    }

    [Fact]
    public void Report_RawMarginsOutsideTheRange_GoToUnderAndOverflowWithWiderBounds()
    {
        var report = MarginReport.Binary(HingeInputKind.Margins, binning: new MarginBinning(-1, 1, 20));
        report.Update<double, int>([5.0, -7.0, 0.5, 0.25], [1, 1, 1, 0]);
        var overall = report.Compute().Overall;
        Assert.Equal(1, overall.Histogram.Overflow);
        Assert.Equal(1, overall.Histogram.Underflow);
        Assert.Equal(-7, overall.Min);
        Assert.Equal(5, overall.Max);
        var items = new List<(double, double)> { (5, 1), (-7, 1), (0.5, 1), (-0.25, 1) };
        foreach (var q in overall.Quantiles)
        {
            Assert.True(Math.Abs(q.Value - ScalarMargins.Quantile(items, q.Probability)) <= q.ErrorBound + 1e-12);
        }
    }

    [Fact]
    public void Report_RejectedUpdate_LeavesItUntouched_AndSettingsMustMatchToMerge()
    {
        var report = MarginReport.Binary();
        report.Update<double, int>([0.2, 0.9], [0, 1]);
        var before = report.Compute().ToJson();
        var weight = Assert.Throws<HingeArgumentException>(() =>
            report.Update<double, int>([0.2, 0.9, 0.4], [0, 1, 1], [1.0, 1.0, -2.0]));
        Assert.Equal(("sampleWeight", 2L), (weight.ParamName, weight.Index));
        Assert.Throws<HingeArgumentException>(() => report.Update<double, int>([0.2, double.NaN], [0, 1]));
        Assert.Throws<HingeArgumentException>(() => report.Update<double, int>([0.2, 0.3], [0, 3]));
        Assert.Equal(before, report.Compute().ToJson());
        Assert.Throws<ArgumentException>(() => report.Merge(MarginReport.Binary(HingeInputKind.Logits)));
        Assert.Throws<ArgumentException>(() => report.Merge(MarginReport.Multiclass(2)));
        Assert.Equal("binning", Assert.Throws<HingeArgumentException>(() =>
            MarginReport.Binary(binning: new MarginBinning(1, 1, 10))).ParamName);
        report.Reset();
        Assert.Equal(0, report.Compute().Overall.Count);
    }

    [Fact]
    public void Multiclass_ShapedUpdate_EqualsClassLastRows()
    {
        var rng = new Random(64);
        var preds = RandomData.Doubles(rng, 2 * 3 * 4, -2, 2);
        var target = RandomData.Labels(rng, 8, 3);
        var moved = new double[preds.Length];
        for (var s = 0; s < 2; s++)
        {
            for (var k = 0; k < 3; k++)
            {
                for (var p = 0; p < 4; p++)
                {
                    moved[(s * 4 + p) * 3 + k] = preds[(s * 3 + k) * 4 + p];
                }
            }
        }

        var shaped = MarginReport.Multiclass(3);
        shaped.Update<double, int>(preds, [2, 3, 4], target, [2, 4]);
        var flat = MarginReport.Multiclass(3);
        flat.Update<double, int>(moved, target);
        Assert.Equal(flat.Compute().ToJson(), shaped.Compute().ToJson());
    }
}
