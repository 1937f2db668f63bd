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
public abstract class KerasMetric
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
    /// <param name="name">accuracy (acc), binary_accuracy, sign_accuracy, categorical_accuracy, precision, recall,
    /// f1_score (HingeSharp's torchmetrics-semantics metrics over every output element), hinge, squared_hinge,
    /// categorical_hinge, mse.</param>
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
            "categorical_accuracy" => new CategoricalAccuracy(name),
            "hinge" or "squared_hinge" or "categorical_hinge" or "mse" or "mean_squared_error"
                => new LossMetric(name, KerasLoss.Get(key)),
            "precision" or "recall" or "f1_score" => new KerasStatMetric(name, key, loss.IsMarginBased),
            _ => throw new ArgumentException($"Unknown metric `{name}`; expected accuracy, binary_accuracy, "
                + "sign_accuracy, categorical_accuracy, precision, recall, f1_score, hinge, squared_hinge, "
                + "categorical_hinge or mse.",
                nameof(name)),
        };
    }

    /// <summary>Keras' <c>binary_accuracy</c>: mean over the last axis of <c>y == (ŷ &gt; threshold)</c>.
    /// </summary>
    /// <param name="threshold">Decision threshold (Keras: 0.5).</param>
    /// <returns>The metric, named <c>binary_accuracy</c>.</returns>
    public static KerasMetric BinaryAccuracyMetric(double threshold = 0.5)
        => new BinaryAccuracy("binary_accuracy", threshold);

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
    public abstract Tensor PerSample(Tensor yTrue, Tensor yPred);

    /// <summary>The mean of <see cref="PerSample"/> over a whole set: what one epoch reports.</summary>
    /// <param name="yTrue">Targets shaped like <paramref name="yPred"/>.</param>
    /// <param name="yPred">Predictions.</param>
    /// <returns>The value.</returns>
    public double Compute(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return PerSample(yTrue, yPred).to(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>Adds one batch to an epoch's accumulator (default: the sum of <see cref="PerSample"/>).</summary>
    /// <param name="sum">The epoch's accumulator, a float64 scalar on the model's device.</param>
    /// <param name="yTrue">Raw targets.</param>
    /// <param name="yPred">Predictions, detached.</param>
    internal virtual void Accumulate(Tensor sum, Tensor yTrue, Tensor yPred) => sum.add_(PerSample(yTrue, yPred).sum());

    /// <summary>The epoch's value (default: the accumulated sum over <paramref name="n"/> samples); a stateful
    /// metric also starts its next epoch here.</summary>
    /// <param name="sum">The epoch's accumulator.</param>
    /// <param name="n">Samples in the epoch.</param>
    internal virtual double Result(Tensor sum, long n) => sum.item<double>() / n;

    /// <inheritdoc/>
    public override string ToString() => Name;

    private sealed class SignAccuracy(string name) : KerasMetric(name)
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
            => yPred.gt(0).eq(yTrue.gt(0)).to(ScalarType.Float32).mean([-1L]);
    }

    private sealed class BinaryAccuracy(string name, double threshold) : KerasMetric(name)
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
            => yPred.gt(threshold).to(yTrue.dtype).eq(yTrue).to(ScalarType.Float32).mean([-1L]);
    }

    private sealed class CategoricalAccuracy(string name) : KerasMetric(name)
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
        {
            Tensor predicted = yPred.argmax(-1);
            // one-hot targets (same shape) or class indices (one dimension fewer, or a trailing 1)
            Tensor expected = yTrue.shape.SequenceEqual(yPred.shape) && yPred.shape[^1] > 1
                ? yTrue.argmax(-1)
                : yTrue.reshape(predicted.shape).to(ScalarType.Int64);
            return predicted.eq(expected).to(ScalarType.Float32);
        }
    }

    private sealed class LossMetric(string name, KerasLoss loss) : KerasMetric(name)
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
            => loss.PerSample(loss.PrepareTargets(yTrue), yPred);
    }

    private sealed class FunctionMetric(string name, Func<Tensor, Tensor, Tensor> perSample) : KerasMetric(name)
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred) => perSample(yTrue, yPred);
    }
}
