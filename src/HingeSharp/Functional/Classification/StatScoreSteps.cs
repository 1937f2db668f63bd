using System.Numerics;
using System.Runtime.InteropServices;
using HingeSharp.Kernels;

namespace HingeSharp.Functional;

/// <summary>Which value a stat-score metric reduces to.</summary>
internal enum StatKind
{
    Accuracy,
    Precision,
    Recall,
    F1,
}

/// <summary>
/// The binary update step: one fused pass (<see cref="BinaryStatKernels"/>) over float or double predictions;
/// integer predictions are labels (0 or 1, torchmetrics' label preds) and are not thresholded.
/// </summary>
internal static class BinaryStats
{
    internal static BinaryStatSums Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        bool hinge, bool squared, int? ignoreIndex, bool validateArgs, HingeInputKind inputKind,
        NonFiniteHandling nonFinite, double threshold, KernelOptions options)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        BinaryHinge.ValidateOptions(inputKind, nonFinite);
        ValidateThreshold(threshold);
        if (typeof(TPred) == typeof(float))
        {
            return BinaryStatKernels.Sum(MemoryMarshal.Cast<TPred, float>(preds), target, hinge, squared, ignoreIndex,
                validateArgs, inputKind, nonFinite, threshold, options);
        }

        if (typeof(TPred) == typeof(double))
        {
            return BinaryStatKernels.Sum(MemoryMarshal.Cast<TPred, double>(preds), target, hinge, squared,
                ignoreIndex, validateArgs, inputKind, nonFinite, threshold, options);
        }

        if (IsFloating<TPred>())
        {
            var widened = new double[preds.Length];
            for (var i = 0; i < preds.Length; i++)
            {
                widened[i] = double.CreateTruncating(preds[i]);
            }

            return BinaryStatKernels.Sum<double, TTarget>(widened, target, hinge, squared, ignoreIndex, validateArgs,
                inputKind, nonFinite, threshold, options);
        }

        // Label predictions: 0 or 1 (validated like targets), used as they are.
        var labels = new float[preds.Length];
        for (var i = 0; i < preds.Length; i++)
        {
            var v = long.CreateTruncating(preds[i]);
            if (validateArgs && v != 0 && v != 1)
            {
                ThrowHelper.ThrowArgument("preds",
                    $"Detected the following values in `preds`: {v} at index {i}, but expected only the following " +
                    "values [0, 1] for label predictions.", i);
            }

            labels[i] = v != 0 ? 1f : 0f;
        }

        return BinaryStatKernels.Sum<float, TTarget>(labels, target, hinge, squared, ignoreIndex, validateArgs,
            HingeInputKind.Probabilities, nonFinite, 0.5, options);
    }

    /// <summary>Whether <typeparamref name="T"/> keeps fractions (float, double, Half, decimal, …).</summary>
    internal static bool IsFloating<T>()
        where T : INumberBase<T> => T.CreateTruncating(0.5) != T.Zero;

    internal static void ValidateThreshold(double threshold)
    {
        if (!(threshold >= 0 && threshold <= 1))
        {
            ThrowHelper.ThrowArgument(nameof(threshold),
                $"Expected argument `threshold` to be a float in the [0,1] range, but got {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }

    internal static void ValidateZeroDivision(double zeroDivision)
    {
        if (zeroDivision is not (0 or 1))
        {
            ThrowHelper.ThrowArgument(nameof(zeroDivision),
                $"Expected argument `zero_division` to be 0 or 1, but got {zeroDivision.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }
}

/// <summary>The multiclass update step: argmax (or top-k) of float scores, or integer class labels.</summary>
internal static class MulticlassStats
{
    /// <summary>Counts one batch into a fresh <see cref="MulticlassCounts"/>; throws before returning anything.</summary>
    internal static MulticlassCounts Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        int numClasses, int topK, int? ignoreIndex)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var counts = new MulticlassCounts(numClasses, topK);
        // Integer predictions, or one float per target, are class labels (torchmetrics: preds.ndim == target.ndim).
        if (!BinaryStats.IsFloating<TPred>() || (preds.Length == target.Length && target.Length > 0))
        {
            if (topK != 1)
            {
                ThrowHelper.ThrowArgument(nameof(topK),
                    $"`top_k` = {topK} needs float scores of shape (N, C); label predictions allow only top_k = 1.");
            }

            counts.Total = MulticlassStatKernels.ConfusionLabels(preds, target, numClasses, ignoreIndex,
                counts.Writable);
            return counts;
        }

        if (typeof(TPred) == typeof(float))
        {
            Scores(MemoryMarshal.Cast<TPred, float>(preds), target, counts, ignoreIndex);
        }
        else if (typeof(TPred) == typeof(double))
        {
            Scores(MemoryMarshal.Cast<TPred, double>(preds), target, counts, ignoreIndex);
        }
        else
        {
            var widened = new double[preds.Length];
            for (var i = 0; i < preds.Length; i++)
            {
                widened[i] = double.CreateTruncating(preds[i]);
            }

            Scores<double, TTarget>(widened, target, counts, ignoreIndex);
        }

        return counts;
    }

    private static void Scores<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        MulticlassCounts counts, int? ignoreIndex)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var c = counts.NumClasses;
        if (counts.TopK == 1)
        {
            counts.Total = MulticlassStatKernels.Confusion(preds, target, c, ignoreIndex, counts.Writable);
            return;
        }

        var raw = counts.Writable;
        counts.Total = MulticlassStatKernels.TopK(preds, target, c, counts.TopK, ignoreIndex, raw[..c],
            raw.Slice(c, c), raw.Slice(2 * c, c));
    }
}

/// <summary>torchmetrics' reductions (<c>_accuracy_reduce</c>, <c>_precision_recall_reduce</c>,
/// <c>_fbeta_reduce</c>, <c>_adjust_weights_safe_divide</c>, <c>_confusion_matrix_reduce</c>) in double.</summary>
internal static partial class StatReduce
{
    /// <summary>torchmetrics' <c>_safe_divide</c>: <c>num / denom</c>, or <paramref name="zeroDivision"/> when the
    /// denominator is 0.</summary>
    internal static double SafeDivide(double num, double denom, double zeroDivision) =>
        denom != 0 ? num / denom : zeroDivision;

    internal static double Binary(StatScores s, StatKind kind, double zeroDivision) =>
        Binary(s.TruePositives, s.FalsePositives, s.TrueNegatives, s.FalseNegatives, kind, zeroDivision);

    private static double Score(StatKind kind, double tp, double fp, double fn, double zeroDivision) => kind switch
    {
        StatKind.Accuracy => SafeDivide(tp, tp + fn, 0),
        StatKind.Precision => SafeDivide(tp, tp + fp, zeroDivision),
        StatKind.Recall => SafeDivide(tp, tp + fn, zeroDivision),
        _ => SafeDivide(2 * tp, (2 * tp) + fn + fp, zeroDivision),
    };

    internal static MetricValue Multiclass(MulticlassCounts s, StatKind kind, ClassificationAverage average,
        double zeroDivision)
    {
        var c = s.NumClasses;
        var counts = new double[3 * c];
        for (var k = 0; k < c; k++)
        {
            counts[k] = s.TruePositives(k);
            counts[c + k] = s.FalsePositives(k);
            counts[(2 * c) + k] = s.FalseNegatives(k);
        }

        return Multiclass(counts.AsSpan(0, c), counts.AsSpan(c, c), counts.AsSpan(2 * c, c), s.TopK, kind, average,
            zeroDivision);
    }

    /// <summary>A C×C count matrix, normalised as asked; a 0/0 cell becomes 0 (torchmetrics warns and zeroes it).</summary>
    internal static MetricValue Confusion(ReadOnlySpan<long> counts, int c, ConfusionMatrixNormalization normalize)
    {
        var values = new double[c * c];
        double all = 0;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = counts[i];
            all += counts[i];
        }

        if (normalize != ConfusionMatrixNormalization.None)
        {
            for (var r = 0; r < c; r++)
            {
                for (var j = 0; j < c; j++)
                {
                    double denominator = 0;
                    for (var m = 0; m < c; m++)
                    {
                        denominator += normalize == ConfusionMatrixNormalization.True ? counts[(r * c) + m]
                            : normalize == ConfusionMatrixNormalization.Pred ? counts[(m * c) + j]
                            : 0;
                    }

                    if (normalize == ConfusionMatrixNormalization.All)
                    {
                        denominator = all;
                    }

                    values[(r * c) + j] = denominator != 0 ? counts[(r * c) + j] / denominator : 0;
                }
            }
        }

        return MetricValue.Matrix(values, c, c);
    }

    /// <summary>The binary confusion matrix <c>[[tn, fp], [fn, tp]]</c> as counts.</summary>
    internal static long[] BinaryConfusion(StatScores s) =>
        [s.TrueNegatives, s.FalsePositives, s.FalseNegatives, s.TruePositives];

    internal static void ValidateMulticlass(int numClasses, ClassificationAverage average, int topK)
    {
        if (numClasses < 2)
        {
            ThrowHelper.ThrowNumClasses(numClasses);
        }

        if ((uint)average > (uint)ClassificationAverage.None)
        {
            ThrowHelper.ThrowArgument(nameof(average),
                $"Expected argument `average` to be one of ('micro', 'macro', 'weighted', 'none', None), but got {(int)average}.");
        }

        if (topK < 1 || topK > numClasses)
        {
            ThrowHelper.ThrowArgument(nameof(topK),
                $"Expected argument `top_k` to be an integer in [1, {numClasses}] (at most `num_classes`), but got {topK}.");
        }
    }
}
