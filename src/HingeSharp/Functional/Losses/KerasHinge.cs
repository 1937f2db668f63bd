namespace HingeSharp.Functional;

/// <summary>
/// Keras' hinge-family losses (<c>keras.losses.hinge</c>, <c>squared_hinge</c>, <c>categorical_hinge</c>) over plain
/// arrays: per-sample values (mean over the last axis of <c>(N, D)</c> data) and their mean, Keras' default
/// <c>sum_over_batch_size</c> reduction. The TorchSharp adapter has the autograd versions.
/// </summary>
public static class KerasHinge
{
    /// <summary>
    /// <c>mean(max(1 − y_true·y_pred, 0), axis=−1)</c>; like Keras, labels that are all 0 or 1 are first converted to
    /// −1/+1.
    /// </summary>
    /// <param name="yTrue">Labels, ±1 or 0/1, row-major <c>(N, D)</c>.</param>
    /// <param name="yPred">Predictions, same layout.</param>
    /// <param name="lastDimension">D, the length of the last axis (1 for <c>(N, 1)</c> or <c>(N,)</c> data).</param>
    /// <param name="perSample">Receives the N per-sample losses; may be empty to skip them.</param>
    /// <returns>The mean of the per-sample losses.</returns>
    public static double Hinge(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred, int lastDimension = 1,
        Span<double> perSample = default) =>
        Apply(yTrue, yPred, lastDimension, perSample, squared: false);

    /// <summary><c>mean(max(1 − y_true·y_pred, 0)², axis=−1)</c>, with Keras' 0/1 → ±1 label conversion.</summary>
    /// <inheritdoc cref="Hinge"/>
    public static double SquaredHinge(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred, int lastDimension = 1,
        Span<double> perSample = default) =>
        Apply(yTrue, yPred, lastDimension, perSample, squared: true);

    /// <summary>
    /// Keras' <c>categorical_hinge</c>: <c>max(0, neg − pos + 1)</c> with <c>pos = Σ y_true·y_pred</c> and
    /// <c>neg = max((1 − y_true)·y_pred)</c> over one-hot rows. Keras' <c>neg</c> sees a 0 at the true class, so with
    /// all-negative scores it is 0 rather than the best wrong score; pass <paramref name="maxOverNegatives"/> to use
    /// the strict <c>max_{j: y_j = 0} y_pred[j]</c> instead.
    /// </summary>
    /// <param name="yTrue">One-hot labels, row-major <c>(N, C)</c>.</param>
    /// <param name="yPred">Scores, same layout.</param>
    /// <param name="classes">C.</param>
    /// <param name="perSample">Receives the N per-sample losses; may be empty.</param>
    /// <param name="maxOverNegatives">Use the strict maximum over the negative classes.</param>
    /// <returns>The mean of the per-sample losses.</returns>
    public static double CategoricalHinge(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred, int classes,
        Span<double> perSample = default, bool maxOverNegatives = false)
    {
        var rows = CheckLayout(yTrue, yPred, classes, perSample);
        double sum = 0;
        for (var r = 0; r < rows; r++)
        {
            var t = yTrue.Slice(r * classes, classes);
            var p = yPred.Slice(r * classes, classes);
            double pos = 0, neg = double.NegativeInfinity;
            for (var j = 0; j < classes; j++)
            {
                pos += t[j] * p[j];
                if (!maxOverNegatives)
                {
                    neg = Math.Max(neg, (1 - t[j]) * p[j]);
                }
                else if (t[j] == 0)
                {
                    neg = Math.Max(neg, p[j]);
                }
            }

            var loss = Math.Max(0, neg - pos + 1);
            if (!perSample.IsEmpty)
            {
                perSample[r] = loss;
            }

            sum += loss;
        }

        return rows == 0 ? double.NaN : sum / rows;
    }

    private static double Apply(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred, int lastDimension,
        Span<double> perSample, bool squared)
    {
        var rows = CheckLayout(yTrue, yPred, lastDimension, perSample);
        var convert = true;
        foreach (var y in yTrue)
        {
            convert &= y == 0 || y == 1;
        }

        double sum = 0;
        for (var r = 0; r < rows; r++)
        {
            double row = 0;
            for (var j = 0; j < lastDimension; j++)
            {
                var i = r * lastDimension + j;
                var y = convert ? 2 * yTrue[i] - 1 : yTrue[i];
                var h = Math.Max(1 - y * yPred[i], 0);
                row += squared ? h * h : h;
            }

            row /= lastDimension;
            if (!perSample.IsEmpty)
            {
                perSample[r] = row;
            }

            sum += row;
        }

        return rows == 0 ? double.NaN : sum / rows;
    }

    private static int CheckLayout(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred, int lastDimension,
        Span<double> perSample)
    {
        if (lastDimension < 1)
        {
            ThrowHelper.ThrowArgument(nameof(lastDimension),
                $"`lastDimension` must be at least 1, but got {lastDimension}.");
        }

        if (yTrue.Length != yPred.Length)
        {
            ThrowHelper.ThrowArgument(nameof(yPred),
                $"`y_true` has {yTrue.Length} values but `y_pred` has {yPred.Length}: expected the same shape.");
        }

        if (yPred.Length % lastDimension != 0)
        {
            ThrowHelper.ThrowArgument(nameof(yPred),
                $"`y_pred` has {yPred.Length} values, which do not form rows of `lastDimension` = {lastDimension}.");
        }

        var rows = yPred.Length / lastDimension;
        if (!perSample.IsEmpty && perSample.Length != rows)
        {
            ThrowHelper.ThrowArgument(nameof(perSample),
                $"`perSample` has {perSample.Length} slots but there are {rows} samples.");
        }

        return rows;
    }
}
