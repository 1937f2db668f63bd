using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// A Keras-style mean metric: per-sample values averaged over every sample seen in an epoch (Keras'
/// <c>MeanMetricWrapper</c>). Values are accumulated on the device; the result is read once per epoch.
/// </summary>
/// <remarks>
/// <para><b><c>accuracy</c> differs from Keras on purpose.</b> Keras resolves <c>metrics=['accuracy']</c> with a
/// one-unit output to <c>binary_accuracy</c> with threshold 0.5, which compares <c>ŷ &gt; 0.5</c> (0 or 1) with
/// the raw label; with the ±1 labels a hinge loss is trained on, a −1 label can never equal 0 or 1, so Keras
/// never counts a negative sample as correct (keras-team/keras issue #3372; the tutorial's accuracy curve shows
/// it). HingeSharp resolves <c>accuracy</c> by the loss instead: for a margin loss
/// (<see cref="KerasLoss.IsMarginBased"/>, e.g. hinge with a tanh output) it counts sign agreement,
/// <c>(ŷ &gt; 0) == (y &gt; 0)</c>, which is right for ±1 and for 0/1 labels; otherwise it is Keras'
/// <c>binary_accuracy</c> (threshold 0.5, for 0/1 labels with a sigmoid output); with more than one output unit
/// it is categorical accuracy (argmax agreement, one-hot or class-index targets). Ask for
/// <c>binary_accuracy</c> by name to get Keras' exact behaviour.</para>
/// </remarks>
public abstract partial class KerasMetric
{
    /// <summary>Creates a metric.</summary>
    /// <param name="name">Key used in <see cref="History"/> and evaluation results.</param>
    protected KerasMetric(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The key under which results are reported (e.g. <c>accuracy</c>).</summary>
    public string Name { get; }

    /// <summary>Resolves a metric name the way <see cref="Sequential.Compile(KerasLoss, KerasOptimizer,
    /// IEnumerable{KerasMetric})"/> does.</summary>
    /// <param name="name">accuracy (acc), binary_accuracy, sign_accuracy, categorical_accuracy,
    /// sparse_categorical_accuracy (argmax against class indices or one-hot rows), top_k_categorical_accuracy and
    /// sparse_top_k_categorical_accuracy (k = 5), precision, recall and f1_score (f1) with an optional average
    /// suffix (<c>_micro</c>, <c>_macro</c>, <c>_weighted</c>, <c>_none</c>; see <see cref="F1Score"/>), or a loss
    /// name (hinge, squared_hinge, categorical_hinge, mse, mae, binary_crossentropy, categorical_crossentropy,
    /// sparse_categorical_crossentropy).</param>
    /// <param name="loss">The compiled loss (decides what <c>accuracy</c> means).</param>
    /// <param name="outputUnits">Width of the model output's last dimension.</param>
    /// <returns>A new metric; its <see cref="Name"/> is <paramref name="name"/> as given.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static KerasMetric Get(string name, KerasLoss loss, long outputUnits)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(loss);
        string key = name.Trim().ToLowerInvariant();
        return key switch
        {
            "accuracy" or "acc" when outputUnits > 1 => new CategoricalAccuracy(name),
            "accuracy" or "acc" when loss.IsMarginBased => new SignAccuracy(name),
            "accuracy" or "acc" => new BinaryAccuracy(name, 0.5),
            "binary_accuracy" => new BinaryAccuracy(name, 0.5),
            "sign_accuracy" => new SignAccuracy(name),
            "categorical_accuracy" or "sparse_categorical_accuracy" => new CategoricalAccuracy(name),
            "top_k_categorical_accuracy" or "sparse_top_k_categorical_accuracy" => new TopKAccuracy(name, 5),
            _ when CountMetric.TryParse(name, key) is { } counts => counts.Resolve(loss, outputUnits),
            "hinge" or "squared_hinge" or "categorical_hinge" or "mse" or "mean_squared_error" or "mae"
                or "mean_absolute_error" or "binary_crossentropy" or "categorical_crossentropy"
                or "sparse_categorical_crossentropy" => new LossMetric(name, KerasLoss.Get(key)),
            _ => throw new ArgumentException($"Unknown metric `{name}`; expected accuracy, binary_accuracy, "
                + "sign_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy, "
                + "sparse_top_k_categorical_accuracy, precision, recall, f1_score, or a loss name (hinge, squared_hinge, categorical_hinge, mse, "
                + "mae, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy).",
                nameof(name)),
        };
    }

    /// <summary>Keras' <c>binary_accuracy</c>: mean over the last axis of <c>y == (ŷ &gt; threshold)</c>.
    /// </summary>
    /// <param name="threshold">Decision threshold (Keras: 0.5).</param>
    /// <returns>The metric, named <c>binary_accuracy</c>.</returns>
    public static KerasMetric BinaryAccuracyMetric(double threshold = 0.5)
        => new BinaryAccuracy("binary_accuracy", threshold);

    /// <summary>Keras' <c>top_k_categorical_accuracy</c> / <c>sparse_top_k_categorical_accuracy</c>: 1 when the
    /// true class's score is among the <paramref name="k"/> largest (ties with the k-th score count as in, as
    /// Keras' <c>in_top_k</c>). Targets: class indices <c>(N,)</c> or one-hot rows.</summary>
    /// <param name="k">How many top scores count, &gt;= 1.</param>
    /// <returns>The metric, named <c>top_k_categorical_accuracy</c>.</returns>
    public static KerasMetric TopKCategoricalAccuracy(int k = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return new TopKAccuracy("top_k_categorical_accuracy", k);
    }

    /// <summary>Sign agreement <c>(ŷ &gt; 0) == (y &gt; 0)</c>, averaged over the last axis: accuracy for
    /// margin outputs with ±1 or 0/1 labels.</summary>
    /// <returns>The metric, named <c>sign_accuracy</c>.</returns>
    public static KerasMetric SignAccuracyMetric() => new SignAccuracy("sign_accuracy");

    /// <summary>A metric from a function returning per-sample values (shape <c>(N,)</c>).</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="perSample">The function <c>(y_true, y_pred) → (N,)</c>; it receives raw targets shaped like
    /// the predictions.</param>
    /// <returns>The metric.</returns>
    public static KerasMetric FromFunction(string name, Func<Tensor, Tensor, Tensor> perSample)
    {
        ArgumentNullException.ThrowIfNull(perSample);
        return new FunctionMetric(name, perSample);
    }

    /// <summary>Per-sample values for one batch, shape <c>(N,)</c>; their sum is accumulated.</summary>
    /// <param name="yTrue">Raw (unprepared) targets shaped like <paramref name="yPred"/>.</param>
    /// <param name="yPred">Predictions, detached.</param>
    /// <returns>A tensor of N values.</returns>
    /// <exception cref="NotSupportedException">A count-based metric (precision, recall, f1_score): it has no
    /// per-sample value; use <see cref="Compute"/>.</exception>
    public abstract Tensor PerSample(Tensor yTrue, Tensor yPred);

    /// <summary>How many float64 sums this metric keeps per epoch: 1 for a mean metric (Σ w·value); the
    /// confusion counts for a count-based one.</summary>
    internal virtual int StateLength => 1;

    /// <summary>Adds one batch to <paramref name="state"/> (float64, <see cref="StateLength"/> values, on the
    /// model's device). A mean metric adds Σ w·value (w = 1 without weights); the caller keeps Σ w.</summary>
    /// <param name="state">The running sums.</param>
    /// <param name="yTrue">Raw targets.</param>
    /// <param name="yPred">Predictions, detached.</param>
    /// <param name="weights">Per-sample weights <c>(N,)</c>, or <see langword="null"/>.</param>
    /// <param name="count">N, the batch's sample count.</param>
    internal virtual void Accumulate(Tensor state, Tensor yTrue, Tensor yPred, Tensor? weights, long count)
    {
        Tensor values = PerSample(yTrue, yPred);
        if (values.dim() > 1)
        {
            values = values.reshape(count, -1).mean([1L]);
        }

        state.add_(weights is { } w ? values.mul(w).sum() : values.sum());
    }

    /// <summary>Writes the epoch's value(s) from the summed state: a mean metric its sum over Σ w.</summary>
    /// <param name="state">The summed state (over batches and, data-parallel, over ranks).</param>
    /// <param name="weightSum">Σ w over the samples seen (the sample count without weights).</param>
    /// <param name="logs">Where the values go, by name.</param>
    internal virtual void Report(ReadOnlySpan<double> state, double weightSum, IDictionary<string, double> logs)
        => logs[Name] = state[0] / weightSum;

    /// <summary>This metric as a model with <paramref name="loss"/> and <paramref name="outputUnits"/> output
    /// units uses it (a count-based metric decides binary or multiclass and its threshold here).</summary>
    internal virtual KerasMetric Resolve(KerasLoss loss, long outputUnits) => this;

    /// <summary>The formula the fused training path evaluates for this metric; <see langword="null"/> when only
    /// the tensor path computes it.</summary>
    internal virtual Fused.FusedMetric? Fused => null;

    /// <summary>The mean of <see cref="PerSample"/> over a whole set (for precision, recall and f1_score: the value
    /// of the whole set's counts): what one epoch reports.</summary>
    /// <param name="yTrue">Targets shaped like <paramref name="yPred"/>.</param>
    /// <param name="yPred">Predictions.</param>
    /// <returns>The value.</returns>
    public double Compute(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        if (this is CountMetric counts)
        {
            return counts.ComputeOnce(yTrue, yPred);
        }

        return PerSample(yTrue, yPred).to(ScalarType.Float64).mean().item<double>();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private sealed class SignAccuracy(string name) : KerasMetric(name)
    {
        internal override Fused.FusedMetric? Fused => new(Keras.Fused.FusedMetricKind.SignAccuracy, 0f);

        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
            => yPred.gt(0).eq(yTrue.gt(0)).to(ScalarType.Float32).mean([-1L]);
    }

    private sealed class BinaryAccuracy(string name, double threshold) : KerasMetric(name)
    {
        internal override Fused.FusedMetric? Fused
            => new(Keras.Fused.FusedMetricKind.BinaryAccuracy, (float)threshold);

        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
            => yPred.gt(threshold).to(yTrue.dtype).eq(yTrue).to(ScalarType.Float32).mean([-1L]);
    }

    private sealed class CategoricalAccuracy(string name) : KerasMetric(name)
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
        {
            Tensor predicted = yPred.argmax(-1);
            return predicted.eq(ClassIndices(yTrue, yPred)).to(ScalarType.Float32);
        }
    }

    private sealed class TopKAccuracy(string name, int k) : KerasMetric(name)
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
        {
            Tensor target = yPred.gather(-1, ClassIndices(yTrue, yPred).unsqueeze(-1));
            // in the top k ⟺ fewer than k scores are strictly larger than the target's
            return yPred.gt(target).sum([-1L]).lt(k).to(ScalarType.Float32);
        }
    }

    private sealed class LossMetric(string name, KerasLoss loss) : KerasMetric(name)
    {
        internal override Fused.FusedMetric? Fused => loss.FusedKind switch
        {
            Keras.Fused.FusedLossKind.Hinge => new(Keras.Fused.FusedMetricKind.Hinge, 0f),
            Keras.Fused.FusedLossKind.SquaredHinge => new(Keras.Fused.FusedMetricKind.SquaredHinge, 0f),
            _ => null,
        };

        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
            => loss.PerSample(loss.PrepareFor(yTrue, yPred), yPred);
    }

    /// <summary>Class indices from one-hot rows (same shape as the scores) or from indices (one dimension fewer,
    /// or a trailing 1).</summary>
    private static Tensor ClassIndices(Tensor yTrue, Tensor yPred)
        => yTrue.shape.SequenceEqual(yPred.shape) && yPred.shape[^1] > 1
            ? yTrue.argmax(-1)
            : yTrue.reshape(yPred.shape[..^1]).to(ScalarType.Int64);

    private sealed class FunctionMetric(string name, Func<Tensor, Tensor, Tensor> perSample) : KerasMetric(name)
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred) => perSample(yTrue, yPred);
    }
}
