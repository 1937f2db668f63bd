using HingeSharp.Statistics;

namespace HingeSharp.Kernels;

/// <summary>
/// Moments of a chunk of per-sample losses for the variance-tracking path: two passes over the chunk (weighted mean,
/// then <c>Σ w·(x − mean)²</c>), so no cancellation, and chunks combine with Chan's formula
/// (<see cref="LossMoments.op_Addition"/>).
/// </summary>
internal static class MomentKernels
{
    /// <summary>The moments of <paramref name="x"/> with weights <paramref name="w"/> (empty: all 1).</summary>
    internal static LossMoments Chunk(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        if (x.IsEmpty)
        {
            return LossMoments.Empty;
        }

        double weightSum = 0, weightSquared = 0, weighted = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var wi = w.IsEmpty ? 1.0 : w[i];
            weightSum += wi;
            weightSquared += wi * wi;
            weighted += wi * x[i];
        }

        if (weightSum == 0)
        {
            return new LossMoments(x.Length, 0, 0, double.NaN, 0);
        }

        var mean = weighted / weightSum;
        double m2 = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var d = x[i] - mean;
            m2 += (w.IsEmpty ? 1.0 : w[i]) * d * d;
        }

        return new LossMoments(x.Length, weightSum, weightSquared, mean, m2);
    }
}
