using HingeSharp.Classification;
using HingeSharp.Metrics;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>Every case of classification_metrics.json through the metric objects: one update then compute, two
/// updates (streaming == batch), forward, a collection, and save/load (all against <c>module_update_compute</c>).</summary>
public sealed class ClassificationModuleTests
{
    public static TheoryData<string> Cases => ClassificationCase.Names();

    [Theory, MemberData(nameof(Cases))]
    public void Module_UpdateCompute_MatchesGolden(string name)
    {
        var c = new ClassificationCase(name);
        var metric = c.Module();
        Feed(c, metric, 0, c.Rows);
        Approx.Equal(c.Expected("module_update_compute"), metric.ComputeMetricValue().Values, Approx.Float32Relative,
            name);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Module_TwoUpdates_EqualsOneUpdate(string name)
    {
        var c = new ClassificationCase(name);
        var metric = c.Module();
        var half = c.Rows / 2;
        Feed(c, metric, 0, half);
        Feed(c, metric, half, c.Rows - half);
        // Split batches decide probabilities-or-logits per update: only probability and label cases are split-invariant.
        if (c.PredsAreLabels || !c.Name.Contains("logits", StringComparison.Ordinal))
        {
            Approx.Equal(c.Expected("module_update_compute"), metric.ComputeMetricValue().Values,
                Approx.Float32Relative, name);
        }
        else
        {
            Assert.Equal(2, metric.UpdateCount);
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void Module_InCollectionWithHinge_MatchesGolden(string name)
    {
        var c = new ClassificationCase(name);
        var collection = new MetricCollection().Add("metric", c.Module());
        if (c.IsBinary)
        {
            collection.Add("hinge", new BinaryHingeLoss(ignoreIndex: c.IgnoreIndex));
        }

        if (c.PredsAreLabels)
        {
            collection.Update<long, long>(c.LabelPreds, c.Target);
        }
        else
        {
            collection.Update<float, long>(c.FloatPreds, c.Target);
        }

        Approx.Equal(c.Expected("module_update_compute"), collection.Compute()["metric"].Values,
            Approx.Float32Relative, name);
        if (c.IsBinary)
        {
            var alone = new BinaryHingeLoss(ignoreIndex: c.IgnoreIndex);
            alone.Update<float, long>(c.FloatPreds, c.Target);
            Assert.Equal(alone.Compute(), collection.Compute()["hinge"].Value);   // bit-identical: same kernel order
            Assert.Single(collection.ComputeGroups);
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void Module_SaveLoad_RoundTrips(string name)
    {
        var c = new ClassificationCase(name);
        var metric = c.Module();
        Feed(c, metric, 0, c.Rows);
        using var stream = new MemoryStream();
        metric.SaveState(stream);
        var restored = c.Module();
        stream.Position = 0;
        restored.LoadState(stream);
        Assert.Equal(metric.ComputeMetricValue().Values, restored.ComputeMetricValue().Values);
        Assert.Equal(metric.UpdateCount, restored.UpdateCount);
    }

    private static void Feed(ClassificationCase c, ICollectableMetric metric, int first, int rows)
    {
        if (c.PredsAreLabels)
        {
            metric.UpdateBatch<long, long>(c.LabelPreds.AsSpan(first, rows), c.Target.AsSpan(first, rows));
        }
        else
        {
            metric.UpdateBatch<float, long>(c.FloatPreds.AsSpan(first * c.Width, rows * c.Width),
                c.Target.AsSpan(first, rows));
        }
    }
}
