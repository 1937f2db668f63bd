using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// A Keras-style loss, called as <c>loss(y_true, y_pred)</c> (Keras' argument order) and reduced to the batch mean
/// (Keras' default <c>sum_over_batch_size</c>).
/// </summary>
/// <remarks>
/// Training calls <see cref="PrepareTargets"/> once per data set and <see cref="Compute"/> once per batch, so a
/// custom loss can move data-dependent target conversions out of the step. The built-in hinge losses convert
/// 0/1 labels per batch on the device, as Keras does.
/// </remarks>
public abstract class KerasLoss
{
    /// <summary>Creates a loss.</summary>
    /// <param name="name">The name shown in summaries.</param>
    protected KerasLoss(string name)
    {
        Name = name;
    }

    /// <summary>The loss name (e.g. <c>hinge</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// Whether the loss reads predictions as signed margins with the decision boundary at 0 (hinge family).
    /// The <c>accuracy</c> metric then counts sign agreement (see <see cref="KerasMetric.Get"/>).
    /// </summary>
    public virtual bool IsMarginBased => false;

    /// <summary>The formula the fused training path evaluates for this loss; <see langword="null"/> when only
    /// the tensor path computes it.</summary>
    internal virtual Fused.FusedLossKind? FusedKind => null;

    /// <summary>Hinge: <c>mean(max(1 − y·ŷ, 0), axis=-1)</c>, 0/1 labels converted to −1/+1 per batch on the
    /// device (Keras' <c>keras.losses.hinge</c>; computed by <see cref="HingeNN.functional.hinge_loss"/>).
    /// </summary>
    public static KerasLoss Hinge => new HingeLoss(squared: false);

    /// <summary>Squared hinge: <c>mean(max(1 − y·ŷ, 0)², axis=-1)</c>, 0/1 labels converted to −1/+1
    /// (<see cref="HingeNN.functional.squared_hinge_loss"/>).</summary>
    public static KerasLoss SquaredHinge => new HingeLoss(squared: true);

    /// <summary>Categorical hinge on one-hot targets: <c>max(0, max((1 − y)·ŷ) − Σ y·ŷ + 1)</c>; the true class
    /// contributes a 0 to the max, as in Keras (<see cref="HingeNN.functional.categorical_hinge_loss"/>).
    /// </summary>
    public static KerasLoss CategoricalHinge => new CategoricalHingeLoss();

    /// <summary>Binary cross-entropy on probabilities clipped to [1e-7, 1 − 1e-7] (Keras, from_logits=False).
    /// </summary>
    public static KerasLoss BinaryCrossentropy => new BinaryCrossentropyLoss();

    /// <summary>Mean squared error.</summary>
    public static KerasLoss MeanSquaredError => new MeanSquaredErrorLoss();

    /// <summary>A loss by Keras name: hinge, squared_hinge, categorical_hinge, binary_crossentropy,
    /// mean_squared_error (mse).</summary>
    /// <param name="name">The name (case-insensitive).</param>
    /// <returns>A new loss.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static KerasLoss Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "hinge" => Hinge,
            "squared_hinge" => SquaredHinge,
            "categorical_hinge" => CategoricalHinge,
            "binary_crossentropy" or "bce" => BinaryCrossentropy,
            "mean_squared_error" or "mse" => MeanSquaredError,
            _ => throw new ArgumentException($"Unknown loss `{name}`; expected hinge, squared_hinge, "
                + "categorical_hinge, binary_crossentropy or mean_squared_error.", nameof(name)),
        };
    }

    /// <summary>Wraps a function <c>(y_true, y_pred) → scalar</c>.</summary>
    /// <param name="name">Loss name.</param>
    /// <param name="loss">The function; it receives targets already shaped like the predictions.</param>
    /// <param name="isMarginBased">Whether predictions are signed margins (see <see cref="IsMarginBased"/>).
    /// </param>
    /// <returns>The loss.</returns>
    public static KerasLoss FromFunction(string name, Func<Tensor, Tensor, Tensor> loss, bool isMarginBased = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(loss);
        return new FunctionLoss(name, loss, isMarginBased);
    }

    /// <summary>Wraps a TorchSharp loss module, called in torch's order <c>module(input = ŷ, target = y)</c>
    /// (e.g. <c>nn.HingeEmbeddingLoss(margin: 1.0)</c>, with ±1 targets, or <c>nn.BCELoss()</c>).</summary>
    /// <param name="module">The loss module (not disposed by the wrapper).</param>
    /// <param name="isMarginBased">Whether predictions are signed margins.</param>
    /// <returns>The loss.</returns>
    public static KerasLoss FromModule(nn.Module<Tensor, Tensor, Tensor> module, bool isMarginBased = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        return new FunctionLoss(module.GetName(), (y, p) => module.call(p, y), isMarginBased);
    }

    /// <summary>Converts a whole target tensor once before training or evaluation (never per batch); the default
    /// returns it unchanged.</summary>
    /// <param name="yTrue">Targets, already shaped like the predictions.</param>
    /// <returns>The targets <see cref="Compute"/> expects (may be <paramref name="yTrue"/> itself).</returns>
    public virtual Tensor PrepareTargets(Tensor yTrue) => yTrue;

    /// <summary>The batch-mean loss for prepared targets: by default the mean of <see cref="PerSample"/>.
    /// </summary>
    /// <param name="yTrue">Prepared targets, same shape as <paramref name="yPred"/>.</param>
    /// <param name="yPred">Predictions.</param>
    /// <returns>A scalar tensor.</returns>
    public virtual Tensor Compute(Tensor yTrue, Tensor yPred) => PerSample(yTrue, yPred).mean();

    /// <summary>Per-sample losses for prepared targets, shape <c>(N,)</c> (Keras' loss function before the batch
    /// reduction). Losses built with <see cref="FromFunction"/> or <see cref="FromModule"/> do not have it.
    /// </summary>
    /// <param name="yTrue">Prepared targets, same shape as <paramref name="yPred"/>.</param>
    /// <param name="yPred">Predictions.</param>
    /// <returns>A tensor of N values.</returns>
    /// <exception cref="NotSupportedException">The loss only has a batch value.</exception>
    public virtual Tensor PerSample(Tensor yTrue, Tensor yPred)
        => throw new NotSupportedException($"Loss `{Name}` gives only a batch value, no per-sample values.");

    /// <summary><see cref="PrepareTargets"/> then <see cref="Compute"/>: the loss as Keras'
    /// <c>loss(y_true, y_pred)</c> gives it.</summary>
    /// <param name="yTrue">Targets, same shape as <paramref name="yPred"/>.</param>
    /// <param name="yPred">Predictions.</param>
    /// <returns>A scalar tensor.</returns>
    public Tensor Call(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        using var scope = torch.NewDisposeScope();
        return Compute(PrepareTargets(yTrue), yPred).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private sealed class HingeLoss(bool squared) : KerasLoss(squared ? "squared_hinge" : "hinge")
    {
        public override bool IsMarginBased => true;

        internal override Fused.FusedLossKind? FusedKind
            => squared ? Fused.FusedLossKind.SquaredHinge : Fused.FusedLossKind.Hinge;

        public override Tensor Compute(Tensor yTrue, Tensor yPred) => squared
            ? HingeNN.functional.squared_hinge_loss(yPred, yTrue)
            : HingeNN.functional.hinge_loss(yPred, yTrue);

        public override Tensor PerSample(Tensor yTrue, Tensor yPred) => squared
            ? HingeNN.functional.squared_hinge_loss(yPred, yTrue, nn.Reduction.None)
            : HingeNN.functional.hinge_loss(yPred, yTrue, nn.Reduction.None);
    }

    private sealed class CategoricalHingeLoss() : KerasLoss("categorical_hinge")
    {
        public override bool IsMarginBased => true;

        public override Tensor Compute(Tensor yTrue, Tensor yPred)
            => HingeNN.functional.categorical_hinge_loss(yPred, yTrue);

        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
            => HingeNN.functional.categorical_hinge_loss(yPred, yTrue, reduction: nn.Reduction.None);
    }

    private sealed class BinaryCrossentropyLoss() : KerasLoss("binary_crossentropy")
    {
        private const double Epsilon = 1e-7;

        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
        {
            Tensor p = yPred.clamp(Epsilon, 1.0 - Epsilon);
            Tensor ll = yTrue.mul(p.log()).add_(yTrue.neg().add_(1).mul(p.neg().add_(1).log()));
            return ll.mean([-1L]).neg();
        }
    }

    private sealed class MeanSquaredErrorLoss() : KerasLoss("mean_squared_error")
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred) => yPred.sub(yTrue).square().mean([-1L]);
    }

    private sealed class FunctionLoss(string name, Func<Tensor, Tensor, Tensor> loss, bool isMarginBased = false)
        : KerasLoss(name)
    {
        public override bool IsMarginBased => isMarginBased;

        public override Tensor Compute(Tensor yTrue, Tensor yPred) => loss(yTrue, yPred);
    }
}
