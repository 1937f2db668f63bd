using HingeSharp.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch;

public static partial class HingeNN
{
    /// <summary>Keras' <c>hinge</c> loss as a module: see <see cref="functional.hinge_loss"/>.</summary>
    /// <param name="reduction">How per-sample losses are combined; <see cref="nn.Reduction.Mean"/> is Keras'
    /// default <c>sum_over_batch_size</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public static HingeLossModule HingeLoss(nn.Reduction reduction = nn.Reduction.Mean) => new(reduction);

    /// <summary>Keras' <c>squared_hinge</c> loss as a module: see <see cref="functional.squared_hinge_loss"/>.</summary>
    /// <param name="reduction">How per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public static SquaredHingeLoss SquaredHingeLoss(nn.Reduction reduction = nn.Reduction.Mean) => new(reduction);

    /// <summary>Keras' <c>categorical_hinge</c> loss as a module: see
    /// <see cref="functional.categorical_hinge_loss"/>.</summary>
    /// <param name="maxOverNegatives">Use the strict max over the classes whose <c>target</c> is 0 instead of
    /// Keras' <c>max((1 − target)·input)</c>.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public static CategoricalHingeLoss CategoricalHingeLoss(bool maxOverNegatives = false,
        nn.Reduction reduction = nn.Reduction.Mean) => new(maxOverNegatives, reduction);

#pragma warning disable CS8981 // lower-case on purpose: mirrors TorchSharp's torch.nn.functional
    public static partial class functional
#pragma warning restore CS8981
    {
        /// <summary>
        /// Keras' <c>hinge</c>: per sample <c>mean(max(0, 1 − y·input), axis=−1)</c>, where
        /// <c>y = 2·target − 1</c> if every value of <paramref name="target"/> is 0 or 1, else <c>y = target</c>.
        /// </summary>
        /// <param name="input">Predictions (Keras' <c>y_pred</c>), floating point, shape (N, …, D) or any shape;
        /// the last axis is averaged per sample.</param>
        /// <param name="target">Labels (Keras' <c>y_true</c>): −1/+1, or 0/1 (converted, decided over the whole
        /// tensor on the device without a host sync), any dtype (cast to the dtype of <paramref name="input"/>).
        /// Shape of <paramref name="input"/>; as in Keras, a missing or extra trailing axis of size 1 is
        /// added or dropped, so (N) labels fit (N, 1) predictions.</param>
        /// <param name="reduction"><see cref="nn.Reduction.None"/>: the per-sample losses, shape of
        /// <paramref name="input"/> without its last axis; <see cref="nn.Reduction.Mean"/> (Keras'
        /// <c>sum_over_batch_size</c>): their mean; <see cref="nn.Reduction.Sum"/>: their sum.</param>
        /// <returns>The loss, in the dtype and on the device of <paramref name="input"/>.</returns>
        /// <remarks>The gradient at the kink <c>1 − y·input = 0</c> is that of the linear piece (as TensorFlow's
        /// <c>maximum</c> and torch's <c>clamp_min</c> give it).</remarks>
        /// <exception cref="ArgumentNullException">A tensor argument is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="input"/> is not floating point, the shapes do not
        /// match, or the tensors are on different devices.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.
        /// </exception>
        /// <example><code>
        /// var loss = HingeNN.functional.hinge_loss(torch.tensor(new[] { 0.6, -0.4 }), torch.tensor(new[] { 1.0, 0.0 }));
        /// // y = [1, -1]: mean(max(0, 1 - 0.6), max(0, 1 - 0.4)) = mean(0.4, 0.6) = 0.5
        /// </code></example>
        public static Tensor hinge_loss(Tensor input, Tensor target, nn.Reduction reduction = nn.Reduction.Mean)
            => KerasHinge.Hinge(input, target, squared: false, reduction);

        /// <summary>
        /// Keras' <c>squared_hinge</c>: per sample <c>mean(max(0, 1 − y·input)², axis=−1)</c>, with labels
        /// converted as in <see cref="hinge_loss"/>.
        /// </summary>
        /// <param name="input">Predictions (Keras' <c>y_pred</c>), floating point.</param>
        /// <param name="target">Labels (Keras' <c>y_true</c>): −1/+1 or 0/1; see <see cref="hinge_loss"/>.</param>
        /// <param name="reduction">See <see cref="hinge_loss"/>.</param>
        /// <returns>The loss, in the dtype and on the device of <paramref name="input"/>.</returns>
        /// <exception cref="ArgumentNullException">A tensor argument is null.</exception>
        /// <exception cref="ArgumentException">See <see cref="hinge_loss"/>.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.
        /// </exception>
        public static Tensor squared_hinge_loss(Tensor input, Tensor target,
            nn.Reduction reduction = nn.Reduction.Mean)
            => KerasHinge.Hinge(input, target, squared: true, reduction);

        /// <summary>
        /// Keras' <c>categorical_hinge</c>: per sample <c>max(0, neg − pos + 1)</c> with
        /// <c>pos = sum(target·input, −1)</c> and <c>neg = max((1 − target)·input, −1)</c>.
        /// </summary>
        /// <param name="input">Class scores (Keras' <c>y_pred</c>), floating point, shape (…, C).</param>
        /// <param name="target">One-hot labels (Keras' <c>y_true</c>), shape of <paramref name="input"/>, any
        /// dtype (cast to the dtype of <paramref name="input"/>).</param>
        /// <param name="max_over_negatives">false (Keras): the true class takes part in the max with a score of 0,
        /// so when every other score is negative <c>neg = 0</c>. true: <c>neg</c> is the max over the classes
        /// whose <paramref name="target"/> is 0 (the textbook Crammer–Singer form; a row without such a class
        /// gets <c>neg = −∞</c> and a loss of 0).</param>
        /// <param name="reduction"><see cref="nn.Reduction.None"/>: per-sample losses, shape of
        /// <paramref name="input"/> without its last axis; Mean: their mean; Sum: their sum.</param>
        /// <returns>The loss, in the dtype and on the device of <paramref name="input"/>.</returns>
        /// <remarks>(1 − target)·input is computed as <c>input − target·input</c> (one operation fewer); the two
        /// agree exactly for 0/1 targets and finite scores. Ties in the max share its gradient equally.</remarks>
        /// <exception cref="ArgumentNullException">A tensor argument is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="input"/> is not floating point, the shapes differ,
        /// or the tensors are on different devices.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.
        /// </exception>
        public static Tensor categorical_hinge_loss(Tensor input, Tensor target, bool max_over_negatives = false,
            nn.Reduction reduction = nn.Reduction.Mean)
            => KerasHinge.Categorical(input, target, max_over_negatives, reduction);
    }
}

/// <summary>The Keras formulas, each composed from as few tensor operations as the semantics allow.</summary>
internal static class KerasHinge
{
    internal static Tensor Hinge(Tensor input, Tensor target, bool squared, nn.Reduction reduction)
    {
        using var scope = NewDisposeScope();
        Tensor y = Prepare(input, target, reduction);

        // Keras' convert_binary_labels_to_hinge: all-0/1 labels become -1/+1. The decision is a 0-d device
        // tensor fed to where(), so no value is copied to the host.
        Tensor isBinary = y.eq(LossChecks.Zero).logical_or_(y.eq(LossChecks.One)).all();
        y = where(isBinary, y.mul(LossChecks.Two).sub_(LossChecks.One), y);

        // max(0, 1 - y*input); in-place steps only on temporaries whose backward does not need them.
        Tensor loss = y.mul(input).neg_().add_(LossChecks.One).clamp_min(LossChecks.Zero);
        if (squared)
        {
            loss = loss.square();
        }

        Tensor result = reduction switch
        {
            nn.Reduction.Mean => loss.mean(),   // every sample averages the same number of values
            nn.Reduction.Sum => loss.mean(LastAxis).sum(),
            _ => loss.mean(LastAxis),
        };
        return result.MoveToOuterDisposeScope();
    }

    internal static Tensor Categorical(Tensor input, Tensor target, bool maxOverNegatives, nn.Reduction reduction)
    {
        using var scope = NewDisposeScope();
        Tensor y = Prepare(input, target, reduction);
        if (input.dim() == 0)
        {
            throw new ArgumentException(
                "Expected argument `input` to hold class scores along its last axis, but got a 0-d tensor.",
                nameof(input));
        }

        Tensor truePart = y.mul(input);
        Tensor pos = truePart.sum(-1);
        Tensor neg = maxOverNegatives
            ? input.masked_fill(y.ne(LossChecks.Zero), LossChecks.NegativeInfinity).amax(LastAxis)
            : input.sub(truePart).amax(LastAxis);
        Tensor loss = neg.sub(pos).add_(LossChecks.One).clamp_min(LossChecks.Zero);
        return LossChecks.Reduce(loss, reduction).MoveToOuterDisposeScope();
    }

    private static readonly long[] LastAxis = [-1];

    /// <summary>Checks the arguments; returns <paramref name="target"/> shaped and typed like the input.</summary>
    private static Tensor Prepare(Tensor input, Tensor target, nn.Reduction reduction)
    {
        LossChecks.CheckInputs(input, target, reduction);
        Tensor y = LossChecks.MatchShape(input, target, nameof(target));
        return y.dtype == input.dtype ? y : y.to(input.dtype);
    }
}
