namespace HingeSharp.Functional;

/// <summary>
/// scikit-learn's <c>sklearn.metrics.hinge_loss(y_true, pred_decision, labels=None, sample_weight=None)</c> on raw
/// decision values (no sigmoid or softmax), with the same label handling.
/// </summary>
public static class SklearnHinge
{
    /// <summary>
    /// The (weighted) mean hinge loss. Binary (1-D <paramref name="predDecision"/>, at most two labels): labels are
    /// binarised as <c>LabelBinarizer(neg_label=-1)</c> does — the greater label is +1, and a single-class
    /// <paramref name="yTrue"/> is all −1 — and the loss is <c>max(0, 1 − y·d)</c>. Multiclass (more than two labels):
    /// Crammer–Singer <c>max(0, 1 − d[y] + max_{j≠y} d[j])</c>, columns in sorted label order.
    /// </summary>
    /// <typeparam name="TLabel">Label type (integers, strings, …).</typeparam>
    /// <param name="yTrue">True labels, N values.</param>
    /// <param name="predDecision">Decision values: N (binary) or row-major N·C (multiclass).</param>
    /// <param name="columns">1 for 1-D decision values, C for <c>(N, C)</c>.</param>
    /// <param name="labels">All labels, when <paramref name="yTrue"/> lacks some (multiclass); empty for none.</param>
    /// <param name="sampleWeight">Per-sample weights (finite, not negative, not all zero); empty for none.</param>
    /// <returns><c>Σ w·loss / Σ w</c>.</returns>
    /// <exception cref="HingeArgumentException">Inconsistent lengths or shapes, missing labels, bad weights.</exception>
    public static double HingeLoss<TLabel>(ReadOnlySpan<TLabel> yTrue, ReadOnlySpan<double> predDecision,
        int columns = 1, ReadOnlySpan<TLabel> labels = default, ReadOnlySpan<double> sampleWeight = default)
        where TLabel : IComparable<TLabel>
    {
        var n = yTrue.Length;
        if (columns < 1 || (long)n * columns != predDecision.Length)
        {
            ThrowHelper.ThrowArgument(nameof(predDecision),
                $"Found input variables with inconsistent numbers of samples: y_true has {n}, pred_decision has " +
                $"{predDecision.Length} values for {columns} column(s).");
        }

        if (!sampleWeight.IsEmpty && sampleWeight.Length != n)
        {
            ThrowHelper.ThrowArgument(nameof(sampleWeight),
                $"Found input variables with inconsistent numbers of samples: y_true has {n}, sample_weight has " +
                $"{sampleWeight.Length}.");
        }

        var unique = Unique(labels.IsEmpty ? yTrue : labels);
        var losses = new double[n];
        if (unique.Length > 2)
        {
            MulticlassLosses(yTrue, predDecision, columns, unique, !labels.IsEmpty, losses);
        }
        else
        {
            if (columns != 1)
            {
                ThrowHelper.ThrowArgument(nameof(predDecision),
                    $"y should be a 1d array, got an array of shape ({n}, {columns}) instead. With at most two " +
                    "labels, `pred_decision` must hold one decision value per sample (columns = 1).");
            }

            // LabelBinarizer is fitted on y_true (not on `labels`): the greater of its classes is +1.
            var fitted = Unique(yTrue);
            for (var i = 0; i < n; i++)
            {
                var y = fitted.Length == 2 && yTrue[i].CompareTo(fitted[1]) == 0 ? 1.0 : -1.0;
                losses[i] = Math.Max(0, 1 - y * predDecision[i]);
            }
        }

        return WeightedMean(losses, sampleWeight);
    }

    private static void MulticlassLosses<TLabel>(ReadOnlySpan<TLabel> yTrue, ReadOnlySpan<double> predDecision,
        int columns, TLabel[] unique, bool labelsGiven, Span<double> losses)
        where TLabel : IComparable<TLabel>
    {
        var n = yTrue.Length;
        if (columns == 1)
        {
            ThrowHelper.ThrowArgument(nameof(predDecision),
                "The shape of pred_decision cannot be 1d array with a multiclass target. pred_decision shape must " +
                $"be (n_samples, n_classes), that is ({n}, {unique.Length}). Got: ({n},)");
        }

        if (unique.Length != columns)
        {
            if (!labelsGiven)
            {
                ThrowHelper.ThrowArgument(nameof(yTrue),
                    $"Please include all labels in y_true or pass labels as third argument (y_true has " +
                    $"{unique.Length} labels, pred_decision has {columns} columns).");
            }

            ThrowHelper.ThrowArgument(nameof(predDecision),
                "The shape of pred_decision is not consistent with the number of classes. With a multiclass " +
                $"target, pred_decision shape must be (n_samples, n_classes), that is ({n}, {unique.Length}). " +
                $"Got: ({n}, {columns})");
        }

        for (var i = 0; i < n; i++)
        {
            var y = Array.BinarySearch(unique, yTrue[i]);
            if (y < 0)
            {
                ThrowHelper.ThrowArgument(nameof(yTrue),
                    $"`y_true[{i}]` = {yTrue[i]} is not one of `labels`.", i);
            }

            var row = predDecision.Slice(i * columns, columns);
            var other = double.NegativeInfinity;
            for (var j = 0; j < columns; j++)
            {
                if (j != y)
                {
                    other = Math.Max(other, row[j]);
                }
            }

            losses[i] = Math.Max(0, 1 - (row[y] - other));
        }
    }

    /// <summary><c>Σ w·x / Σ w</c>, or the plain mean without weights; weights must be finite and not negative.</summary>
    internal static double WeightedMean(ReadOnlySpan<double> values, ReadOnlySpan<double> weights)
    {
        if (weights.IsEmpty)
        {
            double plain = 0;
            foreach (var v in values)
            {
                plain += v;
            }

            return values.IsEmpty ? double.NaN : plain / values.Length;
        }

        double sum = 0, total = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var w = weights[i];
            if (!double.IsFinite(w) || w < 0)
            {
                ThrowHelper.ThrowArgument("sampleWeight",
                    $"`sample_weight[{i}]` = {ThrowHelper.Format(w)} is not a finite, non-negative weight.", i);
            }

            sum += w * values[i];
            total += w;
        }

        if (total == 0)
        {
            ThrowHelper.ThrowArgument("sampleWeight", "Weights sum to zero, can't be normalized.");
        }

        return sum / total;
    }

    private static TLabel[] Unique<TLabel>(ReadOnlySpan<TLabel> values)
        where TLabel : IComparable<TLabel>
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var count = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (count == 0 || sorted[i].CompareTo(sorted[count - 1]) != 0)
            {
                sorted[count++] = sorted[i];
            }
        }

        return sorted[..count];
    }
}
