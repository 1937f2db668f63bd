using System.Numerics;
using HingeSharp.Kernels;

namespace HingeSharp.Functional;

/// <summary>
/// torchmetrics 1.9's classification metrics as functions (<c>binary_accuracy</c>, <c>multiclass_f1_score</c>, …)
/// over spans. Binary: float or double predictions are probabilities (all in [0, 1]) or logits (sigmoid first, the
/// decision made over the whole batch), positive when above <c>threshold</c>; integer predictions are 0/1 labels.
/// Multiclass: float scores row-major <c>(N, C)</c> (the predicted class is the argmax, or the k best with top-k), or
/// one class label per target. Every result is computed in double from integer counts; a zero denominator gives
/// <c>zeroDivision</c> (torchmetrics' <c>_safe_divide</c>).
/// </summary>
/// <example><code>
/// ClassificationFunctional.BinaryAccuracy([0.2f, 0.8f, 0.6f], [0, 1, 0]);                       // 0.6667
/// ClassificationFunctional.MulticlassF1Score(scores, labels, numClasses: 3, ClassificationAverage.Macro);
/// </code></example>
public static class ClassificationFunctional
{
    /// <summary>Binary accuracy, <c>(tp + tn) / (tp + fp + tn + fn)</c>.</summary>
    /// <typeparam name="TPred">float/double (probabilities, logits or margins) or an integer type (0/1 labels).</typeparam>
    /// <typeparam name="TTarget">Any numeric type holding 0/1 (or −1 for negatives with
    /// <see cref="HingeInputKind.Margins"/>).</typeparam>
    /// <param name="preds">Predictions, any shape flattened.</param>
    /// <param name="target">Targets, same length.</param>
    /// <param name="threshold">Probability above which a prediction is positive, in [0, 1].</param>
    /// <param name="ignoreIndex">Targets equal to it take no part.</param>
    /// <param name="validateArgs">Check targets (0, 1 or the ignore index).</param>
    /// <param name="inputKind">How to read float predictions; <see cref="HingeInputKind.Margins"/> predicts positive
    /// for a margin above 0 and accepts ±1 targets.</param>
    /// <param name="nonFinite">Whether NaN/±∞ predictions throw (default) or count as torch counts them.</param>
    /// <exception cref="HingeArgumentException">Bad threshold, lengths differ, an invalid target or label, a
    /// non-finite prediction (with <see cref="NonFiniteHandling.Throw"/>).</exception>
    public static double BinaryAccuracy<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        StatReduce.Binary(BinaryStatScores(preds, target, threshold, ignoreIndex, validateArgs, inputKind, nonFinite),
            StatKind.Accuracy, 0);

    /// <summary>Binary precision, <c>tp / (tp + fp)</c>; <paramref name="zeroDivision"/> when nothing is predicted
    /// positive.</summary>
    /// <inheritdoc cref="BinaryAccuracy{TPred, TTarget}"/>
    /// <remarks><c>zeroDivision</c> is the value of 0/0: 0 (default) or 1.</remarks>
    public static double BinaryPrecision<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
        double zeroDivision = 0)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Binary(preds, target, threshold, ignoreIndex, validateArgs, inputKind, nonFinite, StatKind.Precision,
            zeroDivision);

    /// <summary>Binary recall, <c>tp / (tp + fn)</c>.</summary>
    /// <inheritdoc cref="BinaryPrecision{TPred, TTarget}"/>
    public static double BinaryRecall<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
        double zeroDivision = 0)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Binary(preds, target, threshold, ignoreIndex, validateArgs, inputKind, nonFinite, StatKind.Recall,
            zeroDivision);

    /// <summary>Binary F1, <c>2·tp / (2·tp + fp + fn)</c>.</summary>
    /// <inheritdoc cref="BinaryPrecision{TPred, TTarget}"/>
    public static double BinaryF1Score<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
        double zeroDivision = 0)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Binary(preds, target, threshold, ignoreIndex, validateArgs, inputKind, nonFinite, StatKind.F1, zeroDivision);

    /// <summary>The binary confusion matrix <c>[[tn, fp], [fn, tp]]</c> (rows = target, columns = prediction),
    /// normalised as asked. Unlike the stat scores, the probabilities-or-logits decision ignores ignored elements
    /// (as torchmetrics' <c>binary_confusion_matrix</c>).</summary>
    /// <inheritdoc cref="BinaryAccuracy{TPred, TTarget}"/>
    /// <remarks><c>normalize</c>: None (counts), True (rows), Pred (columns) or All.</remarks>
    public static MetricValue BinaryConfusionMatrix<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
        ConfusionMatrixNormalization normalize = ConfusionMatrixNormalization.None)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var sums = BinaryStats.Update(preds, target, hinge: false, squared: false, ignoreIndex, validateArgs,
            inputKind, nonFinite, threshold, KernelOptions.Default);
        return StatReduce.Confusion(StatReduce.BinaryConfusion(sums.Confusion), 2, normalize);
    }

    /// <summary>The binary stat scores (tp, fp, tn, fn) under torchmetrics' stat-score rule.</summary>
    /// <inheritdoc cref="BinaryAccuracy{TPred, TTarget}"/>
    public static StatScores BinaryStatScores<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        double threshold = 0.5, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        BinaryStats.Update(preds, target, hinge: false, squared: false, ignoreIndex, validateArgs, inputKind,
            nonFinite, threshold, KernelOptions.Default).Scores;

    /// <summary>Multiclass accuracy: per class <c>tp / (tp + fn)</c>, reduced by <paramref name="average"/>
    /// (micro: correct / total).</summary>
    /// <typeparam name="TPred">float/double scores <c>(N, C)</c> row-major, or class labels (N).</typeparam>
    /// <typeparam name="TTarget">Any numeric type holding class indices.</typeparam>
    /// <param name="preds">Scores or labels.</param>
    /// <param name="target">Class indices in [0, C) (or the ignore index).</param>
    /// <param name="numClasses">C, at least 2.</param>
    /// <param name="average">Micro, Macro (default, as torchmetrics), Weighted or None (per class).</param>
    /// <param name="topK">A row counts as predicting each of its k best classes (scores only).</param>
    /// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
    /// <exception cref="HingeArgumentException">Bad C, average or top-k; sizes that do not fit; a target or label
    /// that is no class index.</exception>
    public static MetricValue MulticlassAccuracy<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, int numClasses, ClassificationAverage average = ClassificationAverage.Macro,
        int topK = 1, int? ignoreIndex = null)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Multiclass(preds, target, numClasses, average, topK, ignoreIndex, StatKind.Accuracy, 0);

    /// <summary>Multiclass precision: per class <c>tp / (tp + fp)</c>, reduced by <paramref name="average"/>.</summary>
    /// <inheritdoc cref="MulticlassAccuracy{TPred, TTarget}"/>
    /// <remarks><c>zeroDivision</c> is the value of 0/0: 0 (default) or 1.</remarks>
    public static MetricValue MulticlassPrecision<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, int numClasses, ClassificationAverage average = ClassificationAverage.Macro,
        int topK = 1, int? ignoreIndex = null, double zeroDivision = 0)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Multiclass(preds, target, numClasses, average, topK, ignoreIndex, StatKind.Precision, zeroDivision);

    /// <summary>Multiclass recall: per class <c>tp / (tp + fn)</c>, reduced by <paramref name="average"/>.</summary>
    /// <inheritdoc cref="MulticlassPrecision{TPred, TTarget}"/>
    public static MetricValue MulticlassRecall<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, int numClasses, ClassificationAverage average = ClassificationAverage.Macro,
        int topK = 1, int? ignoreIndex = null, double zeroDivision = 0)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Multiclass(preds, target, numClasses, average, topK, ignoreIndex, StatKind.Recall, zeroDivision);

    /// <summary>Multiclass F1: per class <c>2·tp / (2·tp + fp + fn)</c>, reduced by <paramref name="average"/>.</summary>
    /// <inheritdoc cref="MulticlassPrecision{TPred, TTarget}"/>
    public static MetricValue MulticlassF1Score<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, int numClasses, ClassificationAverage average = ClassificationAverage.Macro,
        int topK = 1, int? ignoreIndex = null, double zeroDivision = 0)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Multiclass(preds, target, numClasses, average, topK, ignoreIndex, StatKind.F1, zeroDivision);

    /// <summary>The C×C confusion matrix (rows = target, columns = argmax prediction), normalised as asked.</summary>
    /// <inheritdoc cref="MulticlassAccuracy{TPred, TTarget}"/>
    /// <remarks><c>normalize</c>: None (counts), True (rows), Pred (columns) or All.</remarks>
    public static MetricValue MulticlassConfusionMatrix<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, int numClasses, int? ignoreIndex = null,
        ConfusionMatrixNormalization normalize = ConfusionMatrixNormalization.None)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        StatReduce.ValidateMulticlass(numClasses, ClassificationAverage.None, 1);
        var counts = MulticlassStats.Update(preds, target, numClasses, 1, ignoreIndex);
        return StatReduce.Confusion(counts.Raw, numClasses, normalize);
    }

    private static double Binary<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        double threshold, int? ignoreIndex, bool validateArgs, HingeInputKind inputKind, NonFiniteHandling nonFinite,
        StatKind kind, double zeroDivision)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        BinaryStats.ValidateZeroDivision(zeroDivision);
        return StatReduce.Binary(
            BinaryStatScores(preds, target, threshold, ignoreIndex, validateArgs, inputKind, nonFinite), kind,
            zeroDivision);
    }

    private static MetricValue Multiclass<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        int numClasses, ClassificationAverage average, int topK, int? ignoreIndex, StatKind kind, double zeroDivision)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        StatReduce.ValidateMulticlass(numClasses, average, topK);
        BinaryStats.ValidateZeroDivision(zeroDivision);
        var counts = MulticlassStats.Update(preds, target, numClasses, topK, ignoreIndex);
        return StatReduce.Multiclass(counts, kind, average, zeroDivision);
    }
}
