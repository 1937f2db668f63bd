using System.Text;
using System.Text.Json.Nodes;
using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Metrics;
using HingeSharp.Tests.Metrics;
using Xunit;

namespace HingeSharp.Tests.Reliability;

/// <summary>
/// Regression tests for the core-library items of issue 14 ("the defects an outsider found"): state holes (item 7),
/// auto-resolved shards that must merge (item 5), printing a vector result (item 9), the class-count limit (item 10).
/// Each test is named after the probe it answers.
/// </summary>
public sealed class OutsiderDefectTests
{
    private static MemoryStream Save(IHingeMetric metric) => MetricStateTests.Save(metric);

    /// <summary>A saved state as a JSON tree, to tamper with one field.</summary>
    private static JsonObject Json(IHingeMetric metric) =>
        JsonNode.Parse(Encoding.UTF8.GetString(Save(metric).ToArray()))!.AsObject();

    private static MemoryStream Stream(JsonObject json) => new(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static BinaryHingeLoss Probabilities(bool weighted = false)
    {
        var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Probabilities);
        if (weighted)
        {
            metric.Update<float, int>([0.25f, 0.75f, 0.5f], [0, 1, 1], [1.0, 2.0, 0.5]);
        }
        else
        {
            metric.Update<float, int>([0.25f, 0.75f, 0.5f], [0, 1, 1]);
        }

        return metric;
    }

    // Item 7: count overflow on merge.

    [Fact]
    public void Merge_TotalNearLongMaxWithItself_ThrowsClearErrorAndLeavesStateUntouched()
    {
        var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Margins);
        metric.SetState(new HingeState(1, long.MaxValue - 1));
        var copy = new BinaryHingeLoss(inputKind: HingeInputKind.Margins);
        copy.SetState(new HingeState(1, long.MaxValue - 1));
        var before = AtomicityTests.Snapshot(metric);

        var ex = Assert.Throws<HingeArgumentException>(() => metric.Merge(copy));
        Assert.Equal("other", ex.ParamName);
        Assert.Contains("exceed the largest count", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, AtomicityTests.Snapshot(metric));
        Assert.True(metric.State.Total > 0);
    }

    [Fact]
    public void Merge_MulticlassAndMultilabelCountOverflow_Throws()
    {
        var a = new MulticlassHingeLoss(3, inputKind: HingeInputKind.Margins);
        a.SetState([1.0], long.MaxValue);
        var b = new MulticlassHingeLoss(3, inputKind: HingeInputKind.Margins);
        b.SetState([1.0], 1);
        Assert.Throws<HingeArgumentException>(() => MetricState.Merge(a, b));
        Assert.Equal(long.MaxValue, a.Total);

        var l = new MultilabelHingeLoss(2, inputKind: HingeInputKind.Margins);
        l.SetState([1.0, 0], [1.0, 0], [long.MaxValue, 0]);
        var r = new MultilabelHingeLoss(2, inputKind: HingeInputKind.Margins);
        r.SetState([1.0, 0], [1.0, 0], [1, 0]);
        Assert.Throws<HingeArgumentException>(() => MetricState.Merge(l, r));
        Assert.Equal(long.MaxValue, l.Totals[0]);
    }

    // Item 7: the plain and weighted parts are cross-checked.

    [Fact]
    public void Load_WeightedMeasuresAboveTwiceWeightSumForProbabilities_IsRejected()
    {
        var json = Json(Probabilities(weighted: true));
        json["weighted"]!["measures"] = new JsonArray(5000.0);
        var ex = Assert.Throws<MetricStateException>(() => MetricState.Load(Stream(json)));
        Assert.Equal("weighted.measures[0]", ex.Field);
        Assert.Contains("every loss lies in [0, 2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PlainMeasuresAboveTwiceTotalForProbabilities_IsRejected()
    {
        var json = Json(Probabilities());
        json["measures"] = new JsonArray(7.0); // 3 elements: at most 6
        var ex = Assert.Throws<MetricStateException>(() => MetricState.Load(Stream(json)));
        Assert.Equal("measures[0]", ex.Field);
    }

    [Fact]
    public void Load_WeightedTotalDifferentFromTotal_IsRejected()
    {
        var json = Json(Probabilities(weighted: true));
        json["weighted"]!["total"] = 2;
        var ex = Assert.Throws<MetricStateException>(() => MetricState.Load(Stream(json)));
        Assert.Equal("weighted.total", ex.Field);
    }

    [Fact]
    public void Load_WeightedSumWithoutWeights_IsRejected()
    {
        var json = Json(Probabilities(weighted: true));
        json["weighted"]!["weight_sum"] = 0;
        var ex = Assert.Throws<MetricStateException>(() => MetricState.Load(Stream(json)));
        Assert.Equal("weighted.measures[0]", ex.Field);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Load_NonFiniteSumWithNonFiniteThrow_IsRejected(string value)
    {
        var json = Json(Probabilities());
        json["measures"] = new JsonArray(value);
        var ex = Assert.Throws<MetricStateException>(() => MetricState.Load(Stream(json)));
        Assert.Equal("measures[0]", ex.Field);

        json["non_finite"] = "propagate";
        Assert.IsType<BinaryHingeLoss>(MetricState.Load(Stream(json)));
    }

    // Item 7: the API's setters validate exactly as the loader does.

    public static TheoryData<double, long> BadPlainStates => new()
    {
        { -1.0, 3 },              // negative sum
        { 0.5, 0 },               // positive sum with total 0
        { 6.5, 3 },               // above 2 per element
        { double.NaN, 3 },        // NaN with throw
        { double.PositiveInfinity, 3 },
    };

    [Theory, MemberData(nameof(BadPlainStates))]
    public void SetState_StateTheLoaderRejects_IsRejectedWithTheSameMessage(double sum, long total)
    {
        var metric = Probabilities();
        var before = AtomicityTests.Snapshot(metric);
        var api = Assert.Throws<HingeArgumentException>(() => metric.SetState(new HingeState(sum, total)));
        Assert.Equal(before, AtomicityTests.Snapshot(metric));

        var json = Json(Probabilities());
        json["measures"] = double.IsFinite(sum) ? new JsonArray(sum) : new JsonArray(sum > 0 ? "Infinity" : "NaN");
        json["total"] = total;
        var file = Assert.Throws<MetricStateException>(() => MetricState.Load(Stream(json)));
        Assert.Equal(file.Message, api.Message);
    }

    /// <summary>Property: over random (tampered) plain and weighted parts, the file loader and the API setter accept
    /// and reject the same states, with the same message.</summary>
    [Fact]
    public void SetStateAndLoader_RandomStates_AgreeOnEveryState()
    {
        var random = new Random(14);
        double[] specials = [0, -0.0, 1, 2, 3, -1, 1e300, double.NaN, double.PositiveInfinity, 0.5, 6, 12];
        var rejected = 0;
        for (var i = 0; i < 2000; i++)
        {
            double Pick() => random.Next(3) == 0 ? specials[random.Next(specials.Length)] : random.NextDouble() * 8;
            var (sum, total) = (Pick(), (long)random.Next(0, 4));
            var (wsum, wmeasure) = (Pick(), Pick());
            var squared = random.Next(2) == 0;
            var kind = (HingeInputKind)random.Next(4);
            var metric = new BinaryHingeLoss(squared, inputKind: kind);
            Exception? api = Record.Exception(() =>
                metric.SetState(new HingeState(sum, total), new WeightedHingeState(wmeasure, wsum, total)));

            var json = Json(new BinaryHingeLoss(squared, inputKind: kind) { TrackVariance = false });
            json["measures"] = new JsonArray(Node(sum));
            json["total"] = total;
            json["weighted"] = new JsonObject
            {
                ["measures"] = new JsonArray(Node(wmeasure)),
                ["weight_sum"] = Node(wsum),
                ["total"] = total,
            };
            Exception? file = Record.Exception(() => MetricState.Load(Stream(json)));
            Assert.True((api is null) == (file is null),
                $"sum {sum}, total {total}, weighted {wmeasure}/{wsum}, {kind}, squared {squared}: API " +
                $"{api?.Message ?? "accepts"}; file {file?.Message ?? "accepts"}");
            if (api is not null)
            {
                rejected++;
                Assert.Equal(file!.Message, api.Message);
            }
        }

        Assert.InRange(rejected, 100, 1900); // both outcomes were exercised
    }

    private static JsonValue Node(double x) => double.IsNaN(x) ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(x) ? JsonValue.Create("Infinity")
        : JsonValue.Create(x);

    // Item 5: shards resolved to different kinds under Auto merge, and equal torchmetrics' stream.

    [Fact]
    public void WithInputKind_AutoShardsResolvedDifferently_MergeToTheStreamOfBothUpdates()
    {
        float[] probs = [0.25f, 0.75f, 0.5f, 0.9f];
        int[] probsTarget = [0, 1, 1, 0];
        float[] logits = [-2.5f, 3f, 0.5f, 1.5f, -0.25f];
        int[] logitsTarget = [0, 1, 0, 1, 1];

        var a = new BinaryHingeLoss(inputKind: HingeInputKind.Probabilities);
        a.Update<float, int>(probs, probsTarget);
        var b = new BinaryHingeLoss(inputKind: HingeInputKind.Logits);
        b.Update<float, int>(logits, logitsTarget);
        var merged = MetricState.Load(Save(a.WithInputKind(HingeInputKind.Auto)));
        MetricState.Merge(merged, MetricState.Load(Save(b.WithInputKind(HingeInputKind.Auto))));

        var stream = new BinaryHingeLoss(); // torchmetrics: decides per update
        stream.Update<float, int>(probs, probsTarget);
        stream.Update<float, int>(logits, logitsTarget);
        Assert.Equal(AtomicityTests.Snapshot(stream), AtomicityTests.Snapshot(merged));
        Assert.Equal(HingeInputKind.Probabilities, a.InputKind); // the original is unchanged
    }

    [Fact]
    public void WithInputKind_MulticlassWeightedWithMoments_KeepsEveryPart()
    {
        var m = new MulticlassHingeLoss(3, inputKind: HingeInputKind.Logits) { TrackVariance = true };
        m.Update<float, int>([0.1f, 2f, -1f, 3f, 0f, 0.5f], [1, 0], [1.0, 2.0]);
        var copy = m.WithInputKind(HingeInputKind.Auto);
        Assert.Equal(HingeInputKind.Auto, copy.InputKind);
        Assert.Equal(AtomicityTests.Snapshot(m), AtomicityTests.Snapshot(copy));
        Assert.Equal(m.ComputeInterval(0.9), copy.ComputeInterval(0.9));
    }

    // Item 9: a vector result prints as a vector.

    [Fact]
    public void WriteLine_MultilabelAverageNoneResult_PrintsTheVector()
    {
        var metric = new MultilabelHingeLoss(3, average: MultilabelAverage.None);
        metric.Update<float, int>([0.2f, 0.8f, 0.4f, 0.9f, 0.1f, 0.6f], [0, 1, 1, 1, 0, 0]);
        var value = metric.Compute();
        using var writer = new StringWriter();
        writer.WriteLine(value); // the overload Console.WriteLine would pick
        Assert.Equal(value.ToString() + writer.NewLine, writer.ToString());
        Assert.StartsWith("[", value.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, value.Values.Count);
        Assert.Equal(value.ToString(), $"{value}");

        var ex = Assert.Throws<InvalidOperationException>(() => (double)value);
        Assert.DoesNotContain("one-vs-all", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteLine_MulticlassNotComputedYet_PrintsScalar()
    {
        var value = new MulticlassHingeLoss(3).Compute();
        using var writer = new StringWriter();
        writer.Write(value);
        Assert.Equal("NaN", writer.ToString());
        Assert.True(double.IsNaN((double)value));
    }

    // Item 10: a class count beyond the documented limit is an argument error, not an OutOfMemoryException.

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(MulticlassHingeLoss.MaxNumClasses + 1)]
    public void Constructor_NumClassesAboveLimit_ThrowsArgumentOutOfRangeNamingIt(int classes)
    {
        foreach (var mode in new[] { MulticlassMode.CrammerSinger, MulticlassMode.OneVsAll })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MulticlassHingeLoss(classes, multiclassMode: mode));
            Assert.Equal("numClasses", ex.ParamName);
            Assert.Contains(MulticlassHingeLoss.MaxNumClasses.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ex.Message, StringComparison.Ordinal);
        }

        var label = Assert.Throws<ArgumentOutOfRangeException>(() => new MultilabelHingeLoss(classes));
        Assert.Equal("numLabels", label.ParamName);
    }

    [Fact]
    public void Load_NumClassesAboveLimit_IsAStateError()
    {
        var json = Json(new MulticlassHingeLoss(3));
        json["num_classes"] = int.MaxValue;
        var ex = Assert.Throws<MetricStateException>(() => MetricState.Load(Stream(json)));
        Assert.Equal("num_classes", ex.Field);
    }
}
