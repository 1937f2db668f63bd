using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using HingeSharp.Classification;
using HingeSharp.Kernels;
using HingeSharp.Statistics;

namespace HingeSharp.Functional;

public static partial class HingeFunctional
{
    /// <summary>
    /// Weighted mean binary hinge loss, <c>Σ w·max(0, 1 − y·p) / Σ w</c> over the kept elements, with
    /// <c>w = sampleWeight[i] · classWeights[target[i]]</c> (either factor is 1 when not given). With raw margins
    /// (<see cref="HingeInputKind.Margins"/>) and 0/1 targets this is scikit-learn's
    /// <c>hinge_loss(y_true, pred_decision, sample_weight=w)</c> for labels ±1.
    /// </summary>
    /// <typeparam name="TPred"><see cref="float"/> or <see cref="double"/>; each loss is computed in this precision,
    /// the weighted sums in double.</typeparam>
    /// <typeparam name="TTarget">Any numeric type holding 0/1 (or the ignore index).</typeparam>
    /// <param name="preds">Predictions, read as <paramref name="inputKind"/> says (Auto: probabilities when every kept
    /// value lies in [0, 1], sigmoid otherwise).</param>
    /// <param name="target">Labels 0/1 (or the ignore index), same length.</param>
    /// <param name="sampleWeight">One finite, non-negative weight per element (zero allowed), or empty for none. The
    /// weight of an ignored element is neither used nor checked.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="ignoreIndex">Elements whose target equals it take no part.</param>
    /// <param name="validateArgs">Check that targets are 0, 1 or the ignore index.</param>
    /// <param name="inputKind">How to read <paramref name="preds"/>.</param>
    /// <param name="nonFinite">Whether NaN/±∞ among the kept predictions throw (default) or propagate.</param>
    /// <param name="classWeights">Empty, or two weights: for negatives (target 0) and positives (target 1).</param>
    /// <returns>The weighted mean; NaN when no element is kept or the kept weights sum to zero.</returns>
    /// <exception cref="HingeArgumentException">Any error of the unweighted overload; <c>sampleWeight</c> of the wrong
    /// length, or a kept weight that is negative, NaN or infinite (naming its value and index); bad
    /// <c>classWeights</c>.</exception>
    /// <example><code>
    /// HingeFunctional.BinaryHingeLoss([2.0, -0.5, 0.25], [1, 0, 1], sampleWeight: [1.0, 2.0, 1.0],
    ///     inputKind: HingeInputKind.Margins); // (0 + 2·0.5 + 0.75) / 4 = 0.4375
    /// </code></example>
    public static double BinaryHingeLoss<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight, bool squared = false, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
        ReadOnlySpan<double> classWeights = default)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var weights = Weights.ClassWeights(classWeights, 2, "binary hinge");
        return WeightedHinge.Binary(preds, target, sampleWeight, weights, squared, ignoreIndex, validateArgs,
            inputKind, nonFinite, moments: false).Weighted.Mean;
    }

    /// <summary>Weighted mean binary hinge loss with boolean targets (true = positive).</summary>
    /// <inheritdoc cref="BinaryHingeLoss{TPred, TTarget}(ReadOnlySpan{TPred}, ReadOnlySpan{TTarget}, ReadOnlySpan{double}, bool, int?, bool, HingeInputKind, NonFiniteHandling, ReadOnlySpan{double})"/>
    public static double BinaryHingeLoss<TPred>(ReadOnlySpan<TPred> preds, ReadOnlySpan<bool> target,
        ReadOnlySpan<double> sampleWeight, bool squared = false, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
        ReadOnlySpan<double> classWeights = default)
        where TPred : unmanaged, IFloatingPointIeee754<TPred> =>
        BinaryHingeLoss(preds, MemoryMarshal.Cast<bool, byte>(target), sampleWeight, squared, ignoreIndex,
            validateArgs, inputKind, nonFinite, classWeights);

    /// <summary>
    /// Weighted multiclass hinge loss over row-major <c>(N, C)</c> scores.
    /// Crammer–Singer: <c>Σ w·h / Σ w</c> over kept rows with <c>w = sampleWeight[i] · classWeights[target[i]]</c>
    /// (the true class's weight multiplies the row's loss and its share of the denominator, like scikit-learn's
    /// <c>class_weight</c>); with raw margins this is scikit-learn's multiclass <c>hinge_loss(..., sample_weight)</c>.
    /// One-vs-all: for every class c, <c>classWeights[c] · Σ sampleWeight[i]·h[i, c] / Σ sampleWeight[i]</c> (the
    /// class weight multiplies that class's term only).
    /// </summary>
    /// <typeparam name="TPred"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TTarget">An integer type holding class indices.</typeparam>
    /// <param name="preds">Scores, <c>N·C</c> values, row-major; Auto applies softmax to every row unless every kept
    /// value lies in [0, 1].</param>
    /// <param name="target">Class indices in [0, C), or the ignore index; N values.</param>
    /// <param name="numClasses">C, larger than 1 (inferred from the data when <paramref name="validateArgs"/> is
    /// false, as in the unweighted overload).</param>
    /// <param name="sampleWeight">One finite, non-negative weight per row, or empty for none; an ignored row's weight is
    /// neither used nor checked.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="multiclassMode">Crammer–Singer (default) or one-vs-all.</param>
    /// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
    /// <param name="validateArgs">Check <paramref name="numClasses"/> against the data.</param>
    /// <param name="inputKind">How to read <paramref name="preds"/>.</param>
    /// <param name="nonFinite">Whether NaN/±∞ among the kept scores throw (default) or propagate.</param>
    /// <param name="classWeights">Empty, or C finite, non-negative class weights.</param>
    /// <returns>A scalar for Crammer–Singer, a length-C vector for one-vs-all; NaN where the weights sum to
    /// zero.</returns>
    /// <exception cref="HingeArgumentException">Any error of the unweighted overload, or bad weights.</exception>
    public static HingeLossValue MulticlassHingeLoss<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, int numClasses, ReadOnlySpan<double> sampleWeight, bool squared = false,
        MulticlassMode multiclassMode = MulticlassMode.CrammerSinger, int? ignoreIndex = null,
        bool validateArgs = true, HingeInputKind inputKind = HingeInputKind.Auto,
        NonFiniteHandling nonFinite = NonFiniteHandling.Throw, ReadOnlySpan<double> classWeights = default)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var classes = MulticlassHinge.ClassesOf(preds.Length, target.Length, numClasses, validateArgs);
        var weights = Weights.ClassWeights(classWeights, classes, $"multiclass hinge with {classes} classes");
        var batch = WeightedHinge.Multiclass(preds, target, classes, sampleWeight, weights, squared, multiclassMode,
            ignoreIndex, inputKind, nonFinite, moments: false);
        return WeightedHinge.Compute(batch.Weighted, batch.WeightSum, weights, multiclassMode);
    }

    /// <summary>
    /// Weighted multiclass hinge loss over <c>(N, C, d1, …)</c> scores and <c>(N, d1, …)</c> targets, one weight per
    /// target position (row-major in <paramref name="targetShape"/>).
    /// </summary>
    /// <param name="preds">Scores in row-major order of <paramref name="predsShape"/>.</param>
    /// <param name="predsShape">The shape of <paramref name="preds"/>: <c>(N, C, d1, …)</c>.</param>
    /// <param name="target">Class indices in row-major order of <paramref name="targetShape"/>.</param>
    /// <param name="targetShape">The shape of <paramref name="target"/>: <c>(N, d1, …)</c>.</param>
    /// <param name="numClasses">C, larger than 1.</param>
    /// <param name="sampleWeight">One weight per target element, or empty for none.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="multiclassMode">Crammer–Singer (default) or one-vs-all.</param>
    /// <param name="ignoreIndex">Positions whose target equals it take no part.</param>
    /// <param name="validateArgs">Check <paramref name="numClasses"/> against <c>predsShape[1]</c>.</param>
    /// <param name="inputKind">How to read <paramref name="preds"/>.</param>
    /// <param name="nonFinite">Whether NaN/±∞ among the kept scores throw (default) or propagate.</param>
    /// <param name="classWeights">Empty, or C class weights.</param>
    /// <returns>A scalar for Crammer–Singer, a length-C vector for one-vs-all.</returns>
    /// <exception cref="HingeArgumentException">Shapes break torchmetrics' rules, or any error of the flat
    /// overload.</exception>
    public static HingeLossValue MulticlassHingeLoss<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<int> predsShape, ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape, int numClasses,
        ReadOnlySpan<double> sampleWeight, bool squared = false,
        MulticlassMode multiclassMode = MulticlassMode.CrammerSinger, int? ignoreIndex = null,
        bool validateArgs = true, HingeInputKind inputKind = HingeInputKind.Auto,
        NonFiniteHandling nonFinite = NonFiniteHandling.Throw, ReadOnlySpan<double> classWeights = default)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var classes = MulticlassHinge.ValidateShapes(preds.Length, predsShape, target.Length, targetShape,
            numClasses, validateArgs);
        var rented = MulticlassHinge.MoveClassLast(preds, predsShape, out var moved);
        try
        {
            return MulticlassHingeLoss(moved, target, classes, sampleWeight, squared, multiclassMode, ignoreIndex,
                validateArgs: false, inputKind, nonFinite, classWeights);
        }
        catch (HingeArgumentException ex) when (rented is not null && ex.ParamName == "preds" && ex.Index is not null)
        {
            throw MulticlassHinge.InCallerLayout(ex, predsShape);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<TPred>.Shared.Return(rented);
            }
        }
    }

    /// <summary>torchmetrics' <c>hinge_loss(task=...)</c> with per-sample weights (see the weighted binary and
    /// multiclass overloads for the formulas).</summary>
    /// <param name="preds">Predictions: flat (binary) or row-major <c>(N, C)</c> (multiclass).</param>
    /// <param name="target">Targets.</param>
    /// <param name="sampleWeight">One weight per element (binary) or row (multiclass), or empty for none.</param>
    /// <param name="task"><c>"binary"</c> or <c>"multiclass"</c>, any case.</param>
    /// <param name="numClasses">Required for multiclass.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="multiclassMode"><c>"crammer-singer"</c> or <c>"one-vs-all"</c>.</param>
    /// <param name="ignoreIndex">Targets equal to it take no part.</param>
    /// <param name="validateArgs">Validate inputs.</param>
    public static HingeLossValue HingeLoss<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight, string task, int? numClasses = null, bool squared = false,
        string multiclassMode = "crammer-singer", int? ignoreIndex = null, bool validateArgs = true)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var metric = (IWeightedHingeMetric)HingeSharp.Classification.HingeLoss.Create(task, numClasses, squared,
            multiclassMode, ignoreIndex, validateArgs);
        return metric.Forward(preds, target, sampleWeight);
    }
}

/// <summary>A binary batch through the weighted path: plain sums, weighted sums and (on request) loss moments.</summary>
internal readonly record struct BinaryWeightedBatch(HingeState Plain, WeightedHingeState Weighted, LossMoments Moments);

/// <summary>A multiclass batch through the weighted path (1 sum for Crammer–Singer, C for one-vs-all); the weighted sums
/// are divided by <c>2^WeightExponent</c> (<see cref="WeightScale"/>).</summary>
internal sealed record MulticlassWeightedBatch(double[] Plain, double[] Weighted, double WeightSum, long Total,
    LossMoments Moments, int WeightExponent);

/// <summary>The weighted (and variance-tracking) update and compute steps, shared by functionals and metrics.</summary>
internal static class WeightedHinge
{
    internal static BinaryWeightedBatch Binary<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<double> sampleWeight, ReadOnlySpan<double> classWeights,
        bool squared, int? ignoreIndex, bool validateArgs, HingeInputKind inputKind, NonFiniteHandling nonFinite,
        bool moments)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        BinaryHinge.ValidateOptions(inputKind, nonFinite);
        if (preds.Length != target.Length)
        {
            ThrowHelper.ThrowShapeMismatch(preds.Length, target.Length);
        }

        Weights.CheckLength(sampleWeight, target.Length, "elements");
        var e = WeightScale.Exponent(sampleWeight, target, ignoreIndex);
        var scaled = WeightScale.RentScaled(sampleWeight, e);
        try
        {
            var sink = new BinaryWeightSink(scaled is null ? sampleWeight : scaled.AsSpan(0, sampleWeight.Length),
                classWeights, moments);
            MarginKernels.BinaryElements(preds, target, squared, ignoreIndex, validateArgs, inputKind, nonFinite,
                ref sink);
            return new BinaryWeightedBatch(new HingeState(sink.Plain, sink.Count),
                new WeightedHingeState(sink.Weighted, sink.WeightSum, sink.Count, e),
                sink.Moments with { WeightExponent = e });
        }
        finally
        {
            WeightScale.Return(scaled);
        }
    }

    internal static MulticlassWeightedBatch Multiclass<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, int numClasses, ReadOnlySpan<double> sampleWeight,
        ReadOnlySpan<double> classWeights, bool squared, MulticlassMode mode, int? ignoreIndex,
        HingeInputKind inputKind, NonFiniteHandling nonFinite, bool moments)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        BinaryHinge.ValidateOptions(inputKind, nonFinite);
        MulticlassHinge.ValidateMode(mode);

        Weights.CheckLength(sampleWeight, target.Length, "rows");
        var width = mode == MulticlassMode.CrammerSinger ? 1 : numClasses;
        var plain = new double[width];
        var weighted = new double[width];
        var e = WeightScale.Exponent(sampleWeight, target, ignoreIndex);
        var scaled = WeightScale.RentScaled(sampleWeight, e);
        try
        {
            var sink = new MulticlassWeightSink(
                scaled is null ? sampleWeight : scaled.AsSpan(0, sampleWeight.Length), classWeights, mode, squared,
                moments, plain, weighted);
            MarginKernels.MulticlassRows(preds, target, numClasses, ignoreIndex, inputKind, nonFinite,
                throwIfNoRow: mode == MulticlassMode.CrammerSinger, ref sink);
            if (mode == MulticlassMode.CrammerSinger)
            {
                weighted[0] = sink.CrammerSingerSum;
            }

            return new MulticlassWeightedBatch(plain, weighted, sink.WeightSum, sink.Count,
                sink.Moments with { WeightExponent = e }, e);
        }
        finally
        {
            WeightScale.Return(scaled);
        }
    }

    /// <summary>Crammer–Singer: <c>Σ w·h / Σ w</c>; one-vs-all: <c>cw[c] · Σ w·h[c] / Σ w</c> per class.</summary>
    internal static HingeLossValue Compute(ReadOnlySpan<double> weighted, double weightSum,
        ReadOnlySpan<double> classWeights, MulticlassMode mode)
    {
        if (mode == MulticlassMode.CrammerSinger)
        {
            return new HingeLossValue(weightSum == 0 ? double.NaN : weighted[0] / weightSum);
        }

        var values = new double[weighted.Length];
        for (var c = 0; c < values.Length; c++)
        {
            var scale = classWeights.IsEmpty ? 1.0 : classWeights[c];
            values[c] = weightSum == 0 ? double.NaN : scale * (weighted[c] / weightSum);
        }

        return new HingeLossValue(values);
    }
}
