using HingeSharp.Classification;
using HingeSharp.Functional;
using static HingeSharp.Functional.HingeFunctional;

namespace HingeSharp.Tests.Reliability;

internal static partial class ErrorMatrix
{
    /// <summary>Weighted Update or Forward of a flat batch.</summary>
    private static HingeLossValue? FeedWeighted(IHingeMetric m, bool forward, float[] preds, int[] target, double[] weights)
    {
        var w = (IWeightedHingeMetric)m;
        if (forward)
        {
            return w.Forward<float, int>(preds, target, weights);
        }

        w.Update<float, int>(preds, target, weights);
        return null;
    }

    private static IEnumerable<ErrorRow> WeightedRows()
    {
        yield return new("G01", () => BinaryHingeLoss<float, int>([0.2f, 0.3f], [0, 1], [1.0]),
            () => new BinaryHingeLoss(), (m, f) => FeedWeighted(m, f, [0.2f, 0.3f], [0, 1], [1.0]));
        yield return new("G02", () => BinaryHingeLoss<float, int>([0.2f, 0.3f, 0.4f], [0, 1, 1], [1, -0.5, 1]),
            () => new BinaryHingeLoss(), (m, f) => FeedWeighted(m, f, [0.2f, 0.3f, 0.4f], [0, 1, 1], [1, -0.5, 1]));
        yield return new("G03", () => MulticlassHingeLoss<float, int>(P12, [0, 1, 2, 0], 3, [1, 1, double.NaN, 1]),
            () => new MulticlassHingeLoss(3), (m, f) => FeedWeighted(m, f, P12, [0, 1, 2, 0], [1, 1, double.NaN, 1]));
        yield return new("G04", () => new BinaryHingeLoss { ClassWeights = [1, 2, 3] });
        yield return new("G05", () => new MulticlassHingeLoss(3) { ClassWeights = [1, double.PositiveInfinity, 1] });
        yield return new("G06", () => new MulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll)
        {
            TrackVariance = true,
        });
        yield return new("G07", null, () => new BinaryHingeLoss { ClassWeights = [1, 2] },
            (m, _) => { ((BinaryHingeLoss)m).Merge(new BinaryHingeLoss { ClassWeights = [1, 3] }); return null; });
        yield return new("G08", () => new BinaryHingeLoss().ComputeInterval());

        yield return new("L01", () => new MultilabelHingeLoss(1));
        yield return new("L02", () => MultilabelHingeLoss<float, int>(P12.AsSpan(0, 5), [1, 0, 1, 0, 1], 3),
            () => new MultilabelHingeLoss(3), (m, f) => Feed<float, int>(m, f, P12[..5], [1, 0, 1, 0, 1]));
        yield return new("L03", () => MultilabelHingeLoss<float, int>(P12.AsSpan(0, 6), [1, 0, 1, 0, 2, 0], 3),
            () => new MultilabelHingeLoss(3), (m, f) => Feed<float, int>(m, f, P12[..6], [1, 0, 1, 0, 2, 0]));
        yield return new("L04", () => MultilabelHingeLoss<float, int>(P12.AsSpan(0, 6), [1, 0, 1, 0, 1, 0], 3,
            average: (MultilabelAverage)4));
        yield return new("L05", null, () => new MultilabelHingeLoss(3),
            (m, _) => { ((MultilabelHingeLoss)m).Merge(new MultilabelHingeLoss(4)); return null; });
    }
}
