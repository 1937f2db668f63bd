using HingeSharp.Classification;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Reliability;

/// <summary>
/// A rejected Update / Forward / Merge / SetState / LoadState leaves a metric exactly as it was: sums (bit for bit),
/// count and UpdateCount; and the metric goes on to give the same results as a twin that never saw the bad call.
/// Every metric row of docs/errors.md and every errors.json error case that reaches an update, on the binary or
/// multiclass metric it applies to, through Update and through Forward.
/// </summary>
public sealed class AtomicityTests
{
    public static TheoryData<string, bool> MatrixRows()
    {
        var data = new TheoryData<string, bool>();
        foreach (var row in ErrorMatrix.Rows.Values.Where(r => r.Feed is not null).OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            data.Add(row.Id, false);
            data.Add(row.Id, true);
        }

        return data;
    }

    /// <summary>errors.json error cases with inputs whose metric can be built (constructor errors have no state).</summary>
    public static TheoryData<string, bool> ErrorsJsonCases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in ErrorsGoldenTests.Cases.Cast<object[]>().Select(r => (string)r[0]))
        {
            var c = new ErrorCase(name);
            // Skipped: value cases, scikit-learn (no metric), cases without inputs, integer preds (a Python-only
            // mistake, see ErrorsGoldenTests) and cases whose metric cannot be built (constructor errors have no state).
            if (!c.IsError || c.Api.StartsWith("sklearn.", StringComparison.Ordinal) || c.Inputs.Opt("preds") is null ||
                !Tensor.Dtype(c.Preds).StartsWith("float", StringComparison.Ordinal) ||
                Record.Exception(c.CreateMetric) is not null)
            {
                continue;
            }

            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    [Theory, MemberData(nameof(MatrixRows))]
    public void RejectedCall_OfErrorsDocRow_LeavesStateBitIdentical(string id, bool forward)
    {
        var row = ErrorMatrix.Rows[id];
        var (metric, twin) = (Prefilled(row.Metric!()), Prefilled(row.Metric!()));
        var before = Snapshot(metric);
        Assert.ThrowsAny<Exception>(() => row.Feed!(metric, forward));
        Assert.Equal(before, Snapshot(metric));
        AssertStillWorks(metric, twin);
    }

    [Theory, MemberData(nameof(ErrorsJsonCases))]
    public void RejectedUpdate_OfErrorsJsonCase_LeavesStateBitIdentical(string name, bool forward)
    {
        var c = new ErrorCase(name);
        var (metric, twin) = (Prefilled(c.CreateMetric()), Prefilled(c.CreateMetric()));
        var before = Snapshot(metric);
        Assert.IsType<HingeArgumentException>(Record.Exception(() => c.Feed(metric, forward)));
        Assert.Equal(before, Snapshot(metric));
        AssertStillWorks(metric, twin);
    }

    [Fact]
    public void RejectedUpdate_OfPropagatingMetricWithNaNState_KeepsTheNaNBits()
    {
        var metric = new BinaryHingeLoss(nonFinite: NonFiniteHandling.Propagate);
        metric.Update<float, int>([0.2f, float.NaN], [0, 1]);
        var before = Snapshot(metric);
        Assert.True(double.IsNaN(metric.State.Measures));
        Assert.Throws<HingeArgumentException>(() => metric.Update<float, int>([0.2f, 0.5f], [0, 3]));
        Assert.Equal(before, Snapshot(metric));
    }

    /// <summary>A metric with some state already, so "unchanged" is not "still empty".</summary>
    internal static IHingeMetric Prefilled(IHingeMetric metric)
    {
        if (metric is MulticlassHingeLoss m)
        {
            var c = m.NumClasses;
            var preds = Enumerable.Range(0, 2 * c).Select(i => (float)((i % c) + 1) / (c + 1)).ToArray();
            m.Update<float, int>(preds, [0, 1]);
            m.Update<float, int>(preds, [1, c - 1]);
        }
        else if (metric is MultilabelHingeLoss l)
        {
            var preds = Enumerable.Range(0, 2 * l.NumLabels).Select(i => (i % 5) / 5f).ToArray();
            l.Update<float, int>(preds, Enumerable.Range(0, 2 * l.NumLabels).Select(i => i % 2).ToArray());
        }
        else
        {
            metric.Update<float, int>([0.3f, 0.8f, 0.6f], [0, 1, 1]);
            metric.Update<float, int>([0.9f, 0.1f], [0, 1]);
        }

        return metric;
    }

    /// <summary>
    /// Every part of the state as raw bits (so −0 vs 0 and NaN payloads count): plain sums, count, update count, the
    /// weighted sums and moments when the metric keeps them, and the computed value.
    /// </summary>
    internal static string Snapshot(IHingeMetric metric)
    {
        var (measures, total, updates, extra) = metric switch
        {
            BinaryHingeLoss b => ([b.State.Measures], b.State.Total, b.UpdateCount,
                $"weighted={Bits(b.WeightedState.WeightedMeasures, b.WeightedState.WeightSum)}/{b.WeightedState.Total} " +
                $"moments={Moments(b.Moments)}"),
            MulticlassHingeLoss m => (m.Measures.ToArray(), m.Total, m.UpdateCount,
                $"weighted={Bits([.. m.WeightedMeasures, m.WeightSum])} moments={Moments(m.Moments)}"),
            MultilabelHingeLoss l => (l.WeightedMeasures.ToArray(), l.Totals.Sum(), l.UpdateCount,
                $"sums={Bits([.. l.WeightSums])} totals={string.Join(",", l.Totals)}"),
            _ => throw new NotSupportedException(metric.GetType().Name),
        };
        return $"measures=[{Bits(measures)}] total={total} updates={updates} {extra} " +
            $"value=[{Bits([.. metric.ComputeValue().Values])}]";
    }

    private static string Bits(params double[] values) => string.Join(",", values.Select(v =>
        BitConverter.DoubleToInt64Bits(v).ToString("X16", System.Globalization.CultureInfo.InvariantCulture)));

    private static string Moments(HingeSharp.Statistics.LossMoments? m) =>
        m is { } x ? $"{x.Count}:{Bits(x.WeightSum, x.WeightSquaredSum, x.Mean, x.M2)}" : "none";

    private static void AssertStillWorks(IHingeMetric metric, IHingeMetric twin)
    {
        foreach (var m in new[] { metric, twin })
        {
            Prefilled(m);
        }

        Assert.Equal(Snapshot(twin), Snapshot(metric));
    }
}
