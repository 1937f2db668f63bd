using HingeSharp.Classification;
using HingeSharp.Metrics;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>MetricCollection, MetricTracker and ClasswiseWrapper: properties against the single metrics.</summary>
public sealed class MetricCollectionTests
{
    private static (float[] Preds, int[] Target) Binary(int n, int seed)
    {
        var rnd = new Random(seed);
        return (Enumerable.Range(0, n).Select(_ => rnd.NextSingle()).ToArray(),
            Enumerable.Range(0, n).Select(_ => rnd.Next(2)).ToArray());
    }

    private static MetricCollection Six() => new MetricCollection()
        .Add("hinge", new BinaryHingeLoss())
        .Add("accuracy", new BinaryAccuracy())
        .Add("precision", new BinaryPrecision())
        .Add("recall", new BinaryRecall())
        .Add("f1", new BinaryF1Score())
        .Add("confusion", new BinaryConfusionMatrix());

    [Fact]
    public void Collection_SixBinaryMetrics_OneComputeGroupEqualToSingleMetrics()
    {
        var (p, t) = Binary(1000, 1);
        var c = Six();
        c.Update<float, int>(p, t);
        Assert.Single(c.ComputeGroups);
        var values = c.Compute();
        var hinge = new BinaryHingeLoss();
        hinge.Update<float, int>(p, t);
        Assert.Equal(hinge.Compute(), values["hinge"].Value);
        Assert.Equal(HingeSharp.Functional.ClassificationFunctional.BinaryF1Score<float, int>(p, t), values["f1"].Value);
        Assert.Equal(HingeSharp.Functional.ClassificationFunctional.BinaryConfusionMatrix<float, int>(p, t).Values,
            values["confusion"].Values);
    }

    [Fact]
    public void Merge_OfTwoHalves_EqualsUpdateOnWhole()
    {
        var (p, t) = Binary(999, 2);
        var whole = Six();
        whole.Update<float, int>(p, t);
        var a = Six();
        var b = Six();
        a.Update<float, int>(p.AsSpan(0, 500), t.AsSpan(0, 500));
        b.Update<float, int>(p.AsSpan(500), t.AsSpan(500));
        a.Merge(b);
        foreach (var (name, value) in whole.Compute())
        {
            Assert.Equal(value.Values[0], a.Compute()[name].Values[0], 12);
        }
    }

    [Fact]
    public void SaveLoad_RoundTrips_AndBadStateLeavesCollectionUnchanged()
    {
        var (p, t) = Binary(300, 3);
        var c = Six();
        c.Update<float, int>(p, t);
        using var stream = new MemoryStream();
        c.SaveState(stream);
        var restored = Six();
        stream.Position = 0;
        restored.LoadState(stream);
        Assert.Equal(c.Compute()["f1"].Value, restored.Compute()["f1"].Value);
        Assert.Equal(c.Compute()["hinge"].Value, restored.Compute()["hinge"].Value);

        var other = new MetricCollection().Add("hinge", new BinaryHingeLoss()).Add("accuracy", new BinaryAccuracy(0.3));
        other.Update<float, int>(p, t);
        var before = other.Compute()["accuracy"].Value;
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        using var bad = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        Assert.ThrowsAny<Exception>(() => other.LoadState(bad));
        Assert.Equal(before, other.Compute()["accuracy"].Value);
    }

    [Fact]
    public void RejectedUpdate_LeavesEveryGroupedMetricUntouched()
    {
        var (p, t) = Binary(50, 4);
        var c = Six();
        c.Update<float, int>(p, t);
        var before = c.Compute();
        t[17] = 2;
        Assert.Throws<HingeArgumentException>(() => c.Update<float, int>(p, t));
        foreach (var (name, value) in c.Compute())
        {
            Assert.Equal(before[name].Values, value.Values);
        }
    }

    [Fact]
    public void HingeWeightedAfterGrouping_UpdatesOnItsOwn_AsTheSingleMetric()
    {
        var (p1, t1) = Binary(200, 5);
        var (p2, t2) = Binary(150, 6);
        var (p3, t3) = Binary(180, 7);
        var weights = Enumerable.Range(0, 150).Select(i => 0.5 + (i % 3)).ToArray();
        var hinge = new BinaryHingeLoss();
        var set = new MetricCollection().Add("hinge", hinge).Add("accuracy", new BinaryAccuracy());
        set.Update<float, int>(p1, t1);
        Assert.Equal([["hinge", "accuracy"]], set.ComputeGroups);

        // Weighted through its own reference after the collection formed its groups: the collection's next pass
        // must not commit an unweighted share into it.
        hinge.Update<float, int>(p2, t2, weights);
        set.Update<float, int>(p3, t3);

        var single = new BinaryHingeLoss();
        single.Update<float, int>(p1, t1);
        single.Update<float, int>(p2, t2, weights);
        single.Update<float, int>(p3, t3);
        Assert.Equal(single.Compute(), set.Compute()["hinge"].Value, 12);
        var accuracy = new BinaryAccuracy();
        accuracy.Update<float, int>(p1, t1);
        accuracy.Update<float, int>(p3, t3);
        Assert.Equal(accuracy.Compute(), set.Compute()["accuracy"].Value);
    }

    [Fact]
    public void RejectedByALaterMetricOnItsOwn_LeavesTheEarlierOnesAndTheGroupsUntouched()
    {
        var (p, t) = Binary(120, 8);
        var set = new MetricCollection()
            .Add("accuracy", new BinaryAccuracy())
            .Add("margins", new BinaryHingeLoss(inputKind: HingeInputKind.Margins, squared: true))
            .Add("probabilities", new BinaryHingeLoss(inputKind: HingeInputKind.Probabilities));
        set.Update<float, int>(p, t);
        Assert.Equal(3, set.ComputeGroups.Count);
        var before = set.Compute();

        // 2.5 is a margin (accepted by "margins" and by the accuracy's pass) but not a probability: "probabilities"
        // rejects the batch after "margins" took it.
        var bad = (float[])p.Clone();
        bad[33] = 2.5f;
        var expected = Assert.Throws<HingeArgumentException>(() =>
            new BinaryHingeLoss(inputKind: HingeInputKind.Probabilities).Update<float, int>(bad, t));
        var actual = Assert.Throws<HingeArgumentException>(() => set.Update<float, int>(bad, t));
        Assert.Equal(expected.Message, actual.Message);
        foreach (var (name, value) in set.Compute())
        {
            Assert.Equal(before[name].Values, value.Values);
        }

        Assert.Equal(1, set["margins"].UpdateCount);
        set.Update<float, int>(p, t);
        var margins = new BinaryHingeLoss(inputKind: HingeInputKind.Margins, squared: true);
        margins.Update<float, int>(p, t);
        margins.Update<float, int>(p, t);
        Assert.Equal(margins.Compute(), set.Compute()["margins"].Value, 12);
    }

    [Fact]
    public void Tracker_BestEpoch_FollowsHigherOrLowerIsBetter()
    {
        var tracker = new MetricTracker(new MetricCollection()
            .Add("hinge", new BinaryHingeLoss()).Add("accuracy", new BinaryAccuracy()));
        float[][] epochs = [[0.4f, 0.6f, 0.6f, 0.4f], [0.9f, 0.1f, 0.8f, 0.3f], [0.6f, 0.4f, 0.4f, 0.6f]];
        int[] target = [1, 0, 1, 0];
        foreach (var preds in epochs)
        {
            tracker.Increment();
            tracker.Update<float, int>(preds, target);
        }

        var all = tracker.ComputeAll();
        Assert.Equal(3, all.Count);
        Assert.Equal((1.0, 1), tracker.Best("accuracy"));
        var hinges = all.Select(e => e["hinge"].Value).ToArray();
        Assert.Equal((hinges.Min(), Array.IndexOf(hinges, hinges.Min())), tracker.Best("hinge"));
        Assert.False(tracker.HigherIsBetter("hinge"));
    }

    [Fact]
    public void Classwise_NamesPerClassValuesByLabel()
    {
        float[] scores = [0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f, 0.2f, 0.3f, 0.5f, 0.6f, 0.3f, 0.1f];
        int[] target = [0, 1, 1, 2];
        var wrapper = new ClasswiseWrapper(new MulticlassRecall(3, ClassificationAverage.None), ["cat", "dog", "bird"]);
        var collection = new MetricCollection().Add("recall", wrapper).Add("acc", new MulticlassAccuracy(3));
        collection.Update<float, int>(scores, target);
        var values = collection.Compute();
        var recall = HingeSharp.Functional.ClassificationFunctional.MulticlassRecall<float, int>(scores, target, 3,
            ClassificationAverage.None).Values;
        Assert.Equal(recall[0], values["multiclassrecall_cat"].Value);
        Assert.Equal(recall[1], values["multiclassrecall_dog"].Value);
        Assert.Equal(recall[2], values["multiclassrecall_bird"].Value);
        Assert.Single(collection.ComputeGroups);
    }

    [Fact]
    public void HingeLossCreate_Multilabel_BuildsMultilabelHingeLoss()
    {
        var metric = HingeLoss.Create("MultiLabel", 3);
        Assert.IsType<MultilabelHingeLoss>(metric);
    }
}
