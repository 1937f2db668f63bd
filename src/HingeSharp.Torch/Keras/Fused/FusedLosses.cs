using System.Runtime.CompilerServices;

namespace HingeSharp.Torch.Keras.Fused;

/// <summary>The losses the fused training path computes (value and gradient in one pass).</summary>
internal enum FusedLossKind
{
    /// <summary>Keras' <c>hinge</c>: <c>mean(max(1 − y·ŷ, 0))</c>, all-0/1 batch labels read as −1/+1.</summary>
    Hinge,

    /// <summary>Keras' <c>squared_hinge</c>.</summary>
    SquaredHinge,

    /// <summary>torch's <c>HingeEmbeddingLoss</c>: <c>(y ≠ 1)·max(0, margin − x) + (y ≠ −1)·x</c>, mean.</summary>
    HingeEmbedding,
}

/// <summary>The metrics the fused training path accumulates.</summary>
internal enum FusedMetricKind
{
    /// <summary>Sign agreement <c>(ŷ &gt; 0) == (y &gt; 0)</c>.</summary>
    SignAccuracy,

    /// <summary>Keras' <c>binary_accuracy</c>: <c>y == (ŷ &gt; threshold)</c>.</summary>
    BinaryAccuracy,

    /// <summary>Keras' hinge as a metric.</summary>
    Hinge,

    /// <summary>Keras' squared hinge as a metric.</summary>
    SquaredHinge,
}

/// <summary>A metric the fused path can accumulate.</summary>
/// <param name="Kind">The formula.</param>
/// <param name="Threshold">Decision threshold of <see cref="FusedMetricKind.BinaryAccuracy"/>.</param>
internal readonly record struct FusedMetric(FusedMetricKind Kind, float Threshold);

/// <summary>Per-batch loss values, gradients and metric sums over row-major <c>(rows, width)</c> spans, in the
/// same float formulas as the tensor path (sums in double).</summary>
internal static class FusedLosses
{
    /// <summary>The batch-mean loss; writes d loss / d prediction into <paramref name="gradient"/> unless it is
    /// empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Compute(FusedLossKind kind, float margin, ReadOnlySpan<float> prediction,
        ReadOnlySpan<float> target, Span<float> gradient)
    {
        int count = prediction.Length;
        float scale = 1f / count;
        double sum = 0;
        bool withGradient = !gradient.IsEmpty;
        if (kind == FusedLossKind.HingeEmbedding)
        {
            for (int i = 0; i < count; i++)
            {
                float x = prediction[i], y = target[i];
                float clamp = margin - x;
                float value = (y != 1f ? Math.Max(clamp, 0f) : 0f) + (y != -1f ? x : 0f);
                sum += value;
                if (withGradient)
                {
                    gradient[i] = ((y != 1f && clamp >= 0f ? -1f : 0f) + (y != -1f ? 1f : 0f)) * scale;
                }
            }

            return sum / count;
        }

        bool binary = AllZeroOne(target);
        bool squared = kind == FusedLossKind.SquaredHinge;
        for (int i = 0; i < count; i++)
        {
            float y = binary ? (target[i] * 2f) - 1f : target[i];
            float m = 1f - (y * prediction[i]);
            float clamped = Math.Max(m, 0f);
            sum += squared ? clamped * clamped : clamped;
            if (withGradient)
            {
                gradient[i] = m >= 0f ? (squared ? -2f * clamped * y : -y) * scale : 0f;
            }
        }

        return sum / count;
    }

    /// <summary>The sum over rows of the metric's per-sample value (each the mean over the row's
    /// <paramref name="width"/> outputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double MetricSum(FusedMetric metric, ReadOnlySpan<float> prediction, ReadOnlySpan<float> target,
        int width)
    {
        double total = 0;
        switch (metric.Kind)
        {
            case FusedMetricKind.SignAccuracy:
                for (int i = 0; i < prediction.Length; i++)
                {
                    total += (prediction[i] > 0f) == (target[i] > 0f) ? 1 : 0;
                }

                break;
            case FusedMetricKind.BinaryAccuracy:
                for (int i = 0; i < prediction.Length; i++)
                {
                    total += (prediction[i] > metric.Threshold ? 1f : 0f) == target[i] ? 1 : 0;
                }

                break;
            default:
                total = Compute(metric.Kind == FusedMetricKind.Hinge ? FusedLossKind.Hinge : FusedLossKind.SquaredHinge,
                    1f, prediction, target, default) * prediction.Length;
                break;
        }

        return total / width;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AllZeroOne(ReadOnlySpan<float> target)
    {
        foreach (float y in target)
        {
            if (y != 0f && y != 1f)
            {
                return false;
            }
        }

        return true;
    }
}
