using System.Numerics;
using HingeSharp.Kernels;
using HingeSharp.Statistics;

namespace HingeSharp.Functional;

/// <summary>How a multilabel hinge loss combines its L labels.</summary>
public enum MultilabelAverage
{
    /// <summary>The mean of the per-label means; labels with no kept weight are left out (torchmetrics' "macro").</summary>
    Macro = 0,

    /// <summary>The mean over all kept elements of all labels (torchmetrics' "micro").</summary>
    Micro = 1,

    /// <summary>One mean per label, a vector of length L (torchmetrics' "none").</summary>
    None = 2,
}

public static partial class HingeFunctional
{
    /// <summary>
    /// Multilabel hinge loss over row-major <c>(N, L)</c> predictions and 0/1 targets: per element
    /// <c>h = max(0, 1 − y·p)</c> with <c>y = +1</c> for target 1 and <c>−1</c> for 0 (squared after the clamp when
    /// asked). Per label <c>l</c>: <c>v[l] = labelWeights[l] · Σ_i w_i·h[i, l] / Σ_i w_i</c> over the rows where that
    /// element is kept. <see cref="MultilabelAverage.None"/> returns <c>v</c>; <see cref="MultilabelAverage.Macro"/>
    /// the mean of <c>v</c> over labels with a non-zero kept weight; <see cref="MultilabelAverage.Micro"/>
    /// <c>Σ_l labelWeights[l]·Σ_i w_i·h[i, l] / Σ_l Σ_i w_i</c> over all kept elements.
    /// </summary>
    /// <typeparam name="TPred"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TTarget">Any numeric type holding 0/1 (or the ignore index).</typeparam>
    /// <param name="preds">N·L predictions, row-major. As for binary: Auto uses them as probabilities when every
    /// kept value of the batch lies in [0, 1] and applies sigmoid to all of them otherwise.</param>
    /// <param name="target">N·L labels 0/1 (or the ignore index), row-major.</param>
    /// <param name="numLabels">L, larger than 1.</param>
    /// <param name="average">Macro (default), micro or none.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="ignoreIndex">Elements whose target equals it take no part (element-wise).</param>
    /// <param name="validateArgs">Check that targets are 0, 1 or the ignore index.</param>
    /// <param name="inputKind">How to read <paramref name="preds"/>.</param>
    /// <param name="nonFinite">Whether NaN/±∞ among the kept predictions throw (default) or propagate.</param>
    /// <param name="sampleWeight">One finite, non-negative weight per row (N values), or empty for none.</param>
    /// <param name="labelWeights">Empty, or L finite, non-negative weights multiplying each label's term.</param>
    /// <returns>A scalar (macro, micro) or a length-L vector (none); NaN where nothing is kept.</returns>
    /// <exception cref="HingeArgumentException">Lengths or <paramref name="numLabels"/> do not fit, a bad target,
    /// prediction or weight (naming its value and index).</exception>
    /// <example><code>
    /// // 2 samples × 3 labels, probabilities
    /// HingeFunctional.MultilabelHingeLoss([0.9f, 0.2f, 0.6f, 0.1f, 0.8f, 0.4f], [1, 0, 1, 0, 1, 0], numLabels: 3,
    ///     average: MultilabelAverage.None); // [0.6000, 0.7000, 0.9000]
    /// </code></example>
    public static HingeLossValue MultilabelHingeLoss<TPred, TTarget>(ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target, int numLabels, MultilabelAverage average = MultilabelAverage.Macro,
        bool squared = false, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
        ReadOnlySpan<double> sampleWeight = default, ReadOnlySpan<double> labelWeights = default)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        MultilabelHinge.ValidateOptions(numLabels, average);
        var weights = Weights.ClassWeights(labelWeights, numLabels, $"multilabel hinge with {numLabels} labels",
            "labelWeights");
        var batch = MultilabelHinge.Update(preds, target, numLabels, squared, ignoreIndex, validateArgs, inputKind,
            nonFinite, sampleWeight);
        return MultilabelHinge.Compute(batch, weights, average);
    }
}

/// <summary>A multilabel batch's (or metric's) state: per label <c>Σ w·h</c>, <c>Σ w</c> and the kept count.</summary>
/// <param name="Weighted">Per label <c>Σ w·h</c> (label weights not applied).</param>
/// <param name="WeightSum">Per label <c>Σ w</c>.</param>
/// <param name="Count">Per label kept elements.</param>
/// <param name="WeightExponent">The weighted sums are divided by <c>2^WeightExponent</c> (<see cref="WeightScale"/>).</param>
internal sealed record MultilabelBatch(double[] Weighted, double[] WeightSum, long[] Count, int WeightExponent = 0)
{
    /// <summary>Whether any label has a non-zero weight sum.</summary>
    internal bool HasWeight => WeightSum.AsSpan().ContainsAnyExcept(0.0);
}

/// <summary>The multilabel hinge's validate, update and compute steps, shared by the functional and the metric.</summary>
internal static class MultilabelHinge
{
    internal static void ValidateOptions(int numLabels, MultilabelAverage average)
    {
        if (numLabels < 2)
        {
            ThrowHelper.ThrowArgument(nameof(numLabels),
                $"Expected argument `num_labels` to be an integer larger than 1, but got {numLabels}");
        }

        if (!Enum.IsDefined(average))
        {
            ThrowHelper.ThrowArgument(nameof(average),
                $"Expected argument `average` to be one of Macro, Micro, None, but got {(int)average}.");
        }
    }

    internal static MultilabelBatch Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        int numLabels, bool squared, int? ignoreIndex, bool validateArgs, HingeInputKind inputKind,
        NonFiniteHandling nonFinite, ReadOnlySpan<double> sampleWeight)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        BinaryHinge.ValidateOptions(inputKind, nonFinite);
        if (preds.Length != target.Length)
        {
            ThrowHelper.ThrowShapeMismatch(preds.Length, target.Length);
        }

        if (preds.Length % numLabels != 0)
        {
            ThrowHelper.ThrowArgument("preds",
                $"`preds` has {preds.Length} values, which is not N·L for L = {numLabels} labels: expected " +
                "row-major (N, L) predictions and targets.");
        }

        Weights.CheckLength(sampleWeight, preds.Length / numLabels, "rows");
        var e = WeightScale.Exponent(sampleWeight, target, ignoreIndex, numLabels);
        var scaled = WeightScale.RentScaled(sampleWeight, e);
        try
        {
            var batch = new MultilabelBatch(new double[numLabels], new double[numLabels], new long[numLabels], e);
            var sink = new MultilabelSink(scaled is null ? sampleWeight : scaled.AsSpan(0, sampleWeight.Length),
                numLabels, batch.Weighted, batch.WeightSum, batch.Count);
            MarginKernels.BinaryElements(preds, target, squared, ignoreIndex, validateArgs, inputKind, nonFinite,
                ref sink);
            return batch;
        }
        finally
        {
            WeightScale.Return(scaled);
        }
    }

    internal static HingeLossValue Compute(MultilabelBatch state, ReadOnlySpan<double> labelWeights,
        MultilabelAverage average)
    {
        var labels = state.Weighted.Length;
        if (average == MultilabelAverage.Micro)
        {
            double numerator = 0, denominator = 0;
            for (var l = 0; l < labels; l++)
            {
                numerator += (labelWeights.IsEmpty ? 1.0 : labelWeights[l]) * state.Weighted[l];
                denominator += state.WeightSum[l];
            }

            return new HingeLossValue(denominator == 0 ? double.NaN : numerator / denominator);
        }

        var values = new double[labels];
        double sum = 0;
        var used = 0;
        for (var l = 0; l < labels; l++)
        {
            var w = state.WeightSum[l];
            values[l] = w == 0
                ? double.NaN
                : (labelWeights.IsEmpty ? 1.0 : labelWeights[l]) * (state.Weighted[l] / w);
            if (w != 0)
            {
                sum += values[l];
                used++;
            }
        }

        return average == MultilabelAverage.None
            ? new HingeLossValue(values)
            : new HingeLossValue(used == 0 ? double.NaN : sum / used);
    }
}
