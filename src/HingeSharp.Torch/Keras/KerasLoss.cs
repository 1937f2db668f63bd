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
public abstract partial class KerasLoss
{
    private const string FromLogitsSuffix = ":from_logits";

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
    public static KerasLoss BinaryCrossentropy => new BceLoss(fromLogits: false);

    /// <summary>Mean squared error: <c>mean((y − ŷ)², axis=-1)</c>.</summary>
    public static KerasLoss MeanSquaredError => new MeanSquaredErrorLoss();

    /// <summary>Mean absolute error: <c>mean(|y − ŷ|, axis=-1)</c>.</summary>
    public static KerasLoss MeanAbsoluteError => new MeanAbsoluteErrorLoss();

    /// <summary>Keras' <c>BinaryCrossentropy(from_logits=True)</c>:
    /// <c>max(x, 0) − x·z + log(1 + e^(−|x|))</c> averaged over the last
    /// axis (<see cref="BinaryCrossentropy"/> is the probability form).</summary>
    public static KerasLoss BinaryCrossentropyFromLogits => new BceLoss(fromLogits: true);

    /// <summary>Keras' <c>CategoricalCrossentropy(from_logits)</c>: <c>−Σ y·log p</c> over the last axis, with
    /// <c>log p = log_softmax(ŷ)</c> for logits, otherwise ŷ normalised to sum 1 and clipped to [1e-7, 1 − 1e-7].
    /// One-hot (or soft) targets; class indices <c>(N,)</c> are turned into one-hot rows.</summary>
    /// <param name="fromLogits">Whether predictions are logits (no softmax on the output).</param>
    /// <returns>The loss.</returns>
    public static KerasLoss CategoricalCrossentropy(bool fromLogits = false)
        => new CceLoss(fromLogits);

    /// <summary>Keras' <c>SparseCategoricalCrossentropy(from_logits)</c>: <c>−log p[y]</c> for class indices
    /// <c>(N,)</c> with an <c>(N, C)</c> output, p as in <see cref="CategoricalCrossentropy"/>.</summary>
    /// <param name="fromLogits">Whether predictions are logits.</param>
    /// <returns>The loss.</returns>
    public static KerasLoss SparseCategoricalCrossentropy(bool fromLogits = false)
        => new SparseCceLoss(fromLogits);

    /// <summary>A loss by Keras name: hinge, squared_hinge, categorical_hinge, binary_crossentropy (bce),
    /// categorical_crossentropy, sparse_categorical_crossentropy, mean_squared_error (mse),
    /// mean_absolute_error (mae). The cross-entropies read probabilities (Keras' <c>from_logits=False</c>); use
    /// the factory methods for logits.</summary>
    /// <param name="name">The name (case-insensitive).</param>
    /// <returns>A new loss.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static KerasLoss Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        bool logits = key.EndsWith(FromLogitsSuffix, StringComparison.Ordinal);
        return (logits ? key[..^FromLogitsSuffix.Length] : key) switch
        {
            "hinge" when !logits => Hinge,
            "squared_hinge" when !logits => SquaredHinge,
            "categorical_hinge" when !logits => CategoricalHinge,
            "binary_crossentropy" or "bce" => new BceLoss(logits),
            "categorical_crossentropy" or "cce" => new CceLoss(logits),
            "sparse_categorical_crossentropy" => new SparseCceLoss(logits),
            "mean_squared_error" or "mse" when !logits => MeanSquaredError,
            "mean_absolute_error" or "mae" when !logits => MeanAbsoluteError,
            _ => throw new ArgumentException($"Unknown loss `{name}`; expected hinge, squared_hinge, "
                + "categorical_hinge, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, "
                + "mean_squared_error or mean_absolute_error.", nameof(name)),
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

    /// <summary>
    /// Converts class indices (int64, shape <c>(N,)</c>, values in [0, C)) given for an <c>(N, C)</c> output, once
    /// per data set. The default turns them into one-hot float32 rows and passes those to
    /// <see cref="PrepareTargets"/> (categorical_hinge, categorical_crossentropy, …); the sparse cross-entropy and
    /// losses from <see cref="FromFunction"/>/<see cref="FromModule"/> keep the int64 indices (what
    /// <c>nn.MultiMarginLoss</c> and <see cref="HingeNN.MulticlassHingeLoss"/> take).
    /// </summary>
    /// <param name="indices">Validated class indices, int64 <c>(N,)</c>.</param>
    /// <param name="classes">The output width C.</param>
    /// <returns>The targets <see cref="Compute"/> expects.</returns>
    public virtual Tensor PrepareClassIndices(Tensor indices, long classes)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return PrepareTargets(nn.functional.one_hot(indices, classes).to(ScalarType.Float32));
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
    /// <param name="yTrue">Targets, same shape as <paramref name="yPred"/>, or int64 class indices with one
    /// dimension fewer.</param>
    /// <param name="yPred">Predictions.</param>
    /// <returns>A scalar tensor.</returns>
    public Tensor Call(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        using var scope = torch.NewDisposeScope();
        return Compute(PrepareFor(yTrue, yPred), yPred).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Whether the model's outputs are logits for this loss (a from-logits cross-entropy): a logit above 0
    /// is a probability above 0.5.</summary>
    internal bool PredictsLogits => this is BceLoss { FromLogits: true } or CceLoss { FromLogits: true }
        or SparseCceLoss { FromLogits: true };

    /// <summary>The name <see cref="Get"/> resolves back to this loss, or <see langword="null"/> for a custom loss
    /// (used by <see cref="Sequential.Save"/>).</summary>
    internal string? SaveKey => this switch
    {
        FunctionLoss => null,
        BceLoss { FromLogits: true } or CceLoss { FromLogits: true }
            or SparseCceLoss { FromLogits: true } => Name + FromLogitsSuffix,
        _ => Name,
    };

    /// <summary>Prepares raw targets for <paramref name="yPred"/>: class indices (one dimension fewer) go through
    /// <see cref="PrepareClassIndices"/>, the rest through <see cref="PrepareTargets"/>.</summary>
    internal Tensor PrepareFor(Tensor yTrue, Tensor yPred)
        => yTrue.dtype == ScalarType.Int64 && yTrue.dim() == yPred.dim() - 1
            ? PrepareClassIndices(yTrue, yPred.shape[^1])
            : PrepareTargets(yTrue);
}
