using HingeSharp.Classification;
using HingeSharp.Metrics;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>
/// A <see cref="MetricCollection"/> whose <see cref="MulticlassHingeLoss"/> joins the top-1 multiclass group (one fused
/// read): its values against the same metrics updated one by one, streaming against one batch, merge against
/// concatenation, group membership, and rejected batches.
/// </summary>
public sealed class MulticlassCollectionTests
{
    private static (float[] Preds, int[] Target) Scores(int rows, int c, int seed, int? ignoreIndex = null,
        bool logits = false)
    {
        var rnd = new Random(seed);
        var preds = Enumerable.Range(0, rows * c)
            .Select(_ => logits ? (rnd.NextSingle() - 0.5f) * 6 : rnd.NextSingle()).ToArray();
        var target = Enumerable.Range(0, rows)
            .Select(_ => ignoreIndex is { } ii && rnd.Next(7) == 0 ? ii : rnd.Next(c)).ToArray();
        for (var r = 1; r < rows; r += 5)
        {
            // Ties: the first index of the maximum is the prediction.
            preds[(r * c) + rnd.Next(c)] = preds[(r * c) + target[r] % c];
        }

        return (preds, target);
    }

    private static MetricCollection Set(int c, MulticlassMode mode = MulticlassMode.CrammerSinger,
        bool squared = false, int? ignoreIndex = null, NonFiniteHandling nonFinite = NonFiniteHandling.Throw) =>
        new MetricCollection()
            .Add("hinge", new MulticlassHingeLoss(c, squared, mode, ignoreIndex, nonFinite: nonFinite))
            .Add("accuracy", new MulticlassAccuracy(c, ClassificationAverage.Micro, ignoreIndex: ignoreIndex))
            .Add("precision", new MulticlassPrecision(c, ignoreIndex: ignoreIndex))
            .Add("recall", new MulticlassRecall(c, ClassificationAverage.Weighted, ignoreIndex: ignoreIndex))
            .Add("f1", new MulticlassF1Score(c, ClassificationAverage.None, ignoreIndex: ignoreIndex))
            .Add("confusion", new MulticlassConfusionMatrix(c, ignoreIndex));

    /// <summary>The same metrics, each updated on its own (the separate passes).</summary>
    private static Dictionary<string, MetricValue> OneByOne(MetricCollection set, float[] preds, int[] target)
    {
        var result = new Dictionary<string, MetricValue>();
        foreach (var name in set.Names)
        {
            var single = Fresh(set[name]);
            single.UpdateBatch<float, int>(preds, target);
            result[name] = single.ComputeMetricValue();
        }

        return result;
    }

    private static ICollectableMetric Fresh(ICollectableMetric metric) => metric switch
    {
        MulticlassHingeLoss h => new MulticlassHingeLoss(h.NumClasses, h.Squared, h.MulticlassMode, h.IgnoreIndex,
            nonFinite: h.NonFinite),
        MulticlassAccuracy a => new MulticlassAccuracy(a.NumClasses, a.Average, a.TopK, a.IgnoreIndex),
        MulticlassPrecision p => new MulticlassPrecision(p.NumClasses, p.Average, p.TopK, p.IgnoreIndex),
        MulticlassRecall r => new MulticlassRecall(r.NumClasses, r.Average, r.TopK, r.IgnoreIndex),
        MulticlassF1Score f => new MulticlassF1Score(f.NumClasses, f.Average, f.TopK, f.IgnoreIndex),
        MulticlassConfusionMatrix m => new MulticlassConfusionMatrix(m.NumClasses, m.IgnoreIndex, m.Normalize),
        _ => throw new ArgumentException(metric.GetType().Name),
    };

    private static void Close(MetricValue expected, MetricValue actual, string what)
    {
        Assert.Equal(expected.Values.Count, actual.Values.Count);
        for (var i = 0; i < expected.Values.Count; i++)
        {
            var e = expected.Values[i];
            var a = actual.Values[i];
            Assert.True(e.Equals(a) || Math.Abs(e - a) <= 1e-12 * Math.Abs(e),
                $"{what}[{i}]: expected {e:R}, got {a:R}");
        }
    }

    private static void SameValues(IReadOnlyDictionary<string, MetricValue> expected,
        IReadOnlyDictionary<string, MetricValue> actual, string what)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in expected)
        {
            Close(value, actual[name], $"{what} {name}");
        }
    }

    public static TheoryData<int, MulticlassMode, bool, int?> Settings => new()
    {
        { 2, MulticlassMode.CrammerSinger, false, null },
        { 3, MulticlassMode.OneVsAll, true, -1 },
        { 10, MulticlassMode.CrammerSinger, false, null },
        { 10, MulticlassMode.CrammerSinger, true, 4 },
        { 10, MulticlassMode.OneVsAll, false, -100 },
        { 17, MulticlassMode.CrammerSinger, true, -1 },
        { 64, MulticlassMode.OneVsAll, false, null },
    };

    [Theory, MemberData(nameof(Settings))]
    public void Collection_HingeJoinsTheGroup_ValuesEqualTheSingleMetrics(int c, MulticlassMode mode, bool squared,
        int? ignoreIndex)
    {
        foreach (var logits in new[] { false, true })
        {
            var (preds, target) = Scores(997, c, c + (logits ? 100 : 0), ignoreIndex, logits);
            var set = Set(c, mode, squared, ignoreIndex);
            Assert.Equal([["hinge", "accuracy", "precision", "recall", "f1", "confusion"]], set.ComputeGroups);
            set.Update<float, int>(preds, target);
            SameValues(OneByOne(set, preds, target), set.Compute(), $"C={c} {mode} logits={logits}");
        }
    }

    [Theory, MemberData(nameof(Settings))]
    public void Streaming_EqualsOneBatch(int c, MulticlassMode mode, bool squared, int? ignoreIndex)
    {
        var (preds, target) = Scores(1500, c, 3 * c, ignoreIndex);
        var whole = Set(c, mode, squared, ignoreIndex);
        whole.Update<float, int>(preds, target);
        var streamed = Set(c, mode, squared, ignoreIndex);
        var rnd = new Random(c);
        for (var r = 0; r < target.Length;)
        {
            var n = Math.Min(1 + rnd.Next(300), target.Length - r);
            streamed.Update<float, int>(preds.AsSpan(r * c, n * c), target.AsSpan(r, n));
            r += n;
        }

        SameValues(whole.Compute(), streamed.Compute(), $"C={c} {mode}");
        var counts = (MulticlassConfusionMatrix)streamed["confusion"];
        Assert.Equal(((MulticlassConfusionMatrix)whole["confusion"]).State.Raw.ToArray(), counts.State.Raw.ToArray());
    }

    [Theory, MemberData(nameof(Settings))]
    public void Merge_OfTwoHalves_EqualsConcatenation(int c, MulticlassMode mode, bool squared, int? ignoreIndex)
    {
        var (preds, target) = Scores(801, c, 5 * c, ignoreIndex);
        var whole = Set(c, mode, squared, ignoreIndex);
        whole.Update<float, int>(preds, target);
        var a = Set(c, mode, squared, ignoreIndex);
        var b = Set(c, mode, squared, ignoreIndex);
        a.Update<float, int>(preds.AsSpan(0, 400 * c), target.AsSpan(0, 400));
        b.Update<float, int>(preds.AsSpan(400 * c), target.AsSpan(400));
        a.Merge(b);
        SameValues(whole.Compute(), a.Compute(), $"C={c} {mode}");
    }

    [Fact]
    public void LargeBatch_ThreadedFusedPass_EqualsSingleMetrics()
    {
        const int C = 10;
        var (preds, target) = Scores(120_000, C, 77, -1);
        var set = Set(C, ignoreIndex: -1);
        set.Update<float, int>(preds, target);
        SameValues(OneByOne(set, preds, target), set.Compute(), "threaded");
    }

    [Fact]
    public void DoublePredsAndLongTargets_EqualSingleMetrics()
    {
        const int C = 7;
        var (scores, labels) = Scores(333, C, 8);
        var preds = scores.Select(x => (double)x).ToArray();
        var target = labels.Select(y => (long)y).ToArray();
        var set = Set(C);
        set.Update<double, long>(preds, target);
        var hinge = new MulticlassHingeLoss(C);
        hinge.Update<double, long>(preds, target);
        var confusion = new MulticlassConfusionMatrix(C);
        confusion.Update<double, long>(preds, target);
        Assert.Equal(hinge.Compute().Value, set.Compute()["hinge"].Value, 12);
        Assert.Equal(confusion.Compute().Values, set.Compute()["confusion"].Values);
    }

    [Fact]
    public void ComputeGroups_HingeJoinsOnlyAMatchingTopOneGroup()
    {
        var other = new MetricCollection()
            .Add("hinge", new MulticlassHingeLoss(5, ignoreIndex: 0))
            .Add("accuracy", new MulticlassAccuracy(5))
            .Add("top2", new MulticlassAccuracy(5, topK: 2, ignoreIndex: 0))
            .Add("hinge4", new MulticlassHingeLoss(5, ignoreIndex: 4))
            .Add("weighted", new MulticlassHingeLoss(5) { ClassWeights = [1, 2, 1, 1, 1] })
            .Add("recall", new MulticlassRecall(5, ignoreIndex: 0))
            .Add("hinge2", new MulticlassHingeLoss(5, multiclassMode: MulticlassMode.OneVsAll, ignoreIndex: 0));

        // The first hinge joins the top-1 group of its ignore index; a second one with the same settings, a hinge of
        // an ignore index no group has, a weighted one and top-k groups stay apart.
        Assert.Equal(
            [["accuracy"], ["top2"], ["hinge4"], ["weighted"], ["hinge", "recall"], ["hinge2"]],
            other.ComputeGroups);
        var (preds, target) = Scores(200, 5, 9);
        other.Update<float, int>(preds, target);
        var alone = new MulticlassHingeLoss(5, multiclassMode: MulticlassMode.OneVsAll, ignoreIndex: 0);
        alone.Update<float, int>(preds, target);
        Assert.Equal(alone.Compute().Values, other.Compute()["hinge2"].Values);
        var weighted = new MulticlassHingeLoss(5) { ClassWeights = [1, 2, 1, 1, 1] };
        weighted.Update<float, int>(preds, target);
        Assert.Equal(weighted.Compute().Value, other.Compute()["weighted"].Value);
    }

    [Fact]
    public void RejectedBatch_LeavesEveryMetricUntouched_WithTheSeparateMetricsErrors()
    {
        const int C = 10;
        var (preds, target) = Scores(120, C, 11);
        var set = Set(C);
        set.Update<float, int>(preds, target);
        var before = set.Compute();

        // An invalid class index: the counting metric's error, as before the fusion.
        var badTarget = (int[])target.Clone();
        badTarget[77] = C;
        var expected = Assert.Throws<HingeArgumentException>(() =>
            new MulticlassAccuracy(C).Update<float, int>(preds, badTarget));
        var actual = Assert.Throws<HingeArgumentException>(() => set.Update<float, int>(preds, badTarget));
        Assert.Equal(expected.Message, actual.Message);
        SameValues(before, set.Compute(), "invalid target");

        // A NaN score: the hinge's error (the counts alone accept it, torch's argmax); nothing is committed.
        var badPreds = (float[])preds.Clone();
        badPreds[(40 * C) + 3] = float.NaN;
        expected = Assert.Throws<HingeArgumentException>(() =>
            new MulticlassHingeLoss(C).Update<float, int>(badPreds, target));
        actual = Assert.Throws<HingeArgumentException>(() => set.Update<float, int>(badPreds, target));
        Assert.Equal(expected.Message, actual.Message);
        SameValues(before, set.Compute(), "NaN score");

        // Labels instead of scores, and a Crammer–Singer batch without a kept row.
        Assert.Throws<HingeArgumentException>(() => set.Update<float, int>(new float[120], target));
        Assert.Throws<HingeArgumentException>(() => set.Update<float, int>([], []));
        SameValues(before, set.Compute(), "labels, empty");
    }

    [Fact]
    public void NaNScores_UnderPropagate_CountTorchArgmaxAndPropagateTheHinge()
    {
        const int C = 10;
        var (preds, target) = Scores(300, C, 12);
        preds[(10 * C) + 4] = float.NaN;                     // row 10 predicts class 4
        preds.AsSpan(20 * C, C).Fill(float.NegativeInfinity);   // row 20 predicts class 0
        var set = Set(C, nonFinite: NonFiniteHandling.Propagate);
        set.Update<float, int>(preds, target);
        var values = set.Compute();
        Assert.True(double.IsNaN(values["hinge"].Value));
        var confusion = new MulticlassConfusionMatrix(C);
        confusion.Update<float, int>(preds, target);
        Assert.Equal(confusion.Compute().Values, values["confusion"].Values);
    }
}
