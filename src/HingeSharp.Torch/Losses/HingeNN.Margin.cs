using HingeSharp.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch;

public static partial class HingeNN
{
    /// <summary>Binary hinge loss on raw margins as a module: see <see cref="functional.binary_hinge_loss"/>.
    /// </summary>
    /// <param name="squared">Square each loss after the clamp.</param>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public static BinaryHingeLossModule BinaryHingeLoss(bool squared = false, nn.Reduction reduction = nn.Reduction.Mean)
        => new(squared, reduction);

    /// <summary>Crammer–Singer multiclass hinge loss on raw scores as a module: see
    /// <see cref="functional.multiclass_hinge_loss"/>.</summary>
    /// <param name="squared">Square each loss after the clamp.</param>
    /// <param name="reduction">How the per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public static MulticlassHingeLossModule MulticlassHingeLoss(bool squared = false,
        nn.Reduction reduction = nn.Reduction.Mean) => new(squared, reduction);

#pragma warning disable CS8981 // lower-case on purpose: mirrors TorchSharp's torch.nn.functional
    public static partial class functional
#pragma warning restore CS8981
    {
        /// <summary>
        /// Binary hinge loss on raw margins (decision values, logits): <c>max(0, 1 − y·input)</c> per element,
        /// with <c>y = +1</c> where <paramref name="target"/> &gt; 0 and <c>y = −1</c> elsewhere.
        /// </summary>
        /// <param name="input">Raw margins, floating point, any shape. Unlike torchmetrics'
        /// <c>binary_hinge_loss</c> metric, no sigmoid is ever applied.</param>
        /// <param name="target">Labels in {0, 1} or {−1, +1}, any dtype (bool too); every value &gt; 0 counts as
        /// positive, every other value as negative. Shape of <paramref name="input"/>; a missing or extra
        /// trailing axis of size 1 is added or dropped, so (N) labels fit (N, 1) margins.</param>
        /// <param name="squared">Square each loss after the clamp.</param>
        /// <param name="reduction">None: element losses, shape of <paramref name="input"/>; Mean; Sum.</param>
        /// <returns>The loss, in the dtype and on the device of <paramref name="input"/>.</returns>
        /// <remarks>The gradient at the kink <c>y·input = 1</c> is that of the linear piece (−y).</remarks>
        /// <exception cref="ArgumentNullException">A tensor argument is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="input"/> is not floating point, the shapes do not
        /// match, or the tensors are on different devices.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.
        /// </exception>
        /// <example><code>
        /// HingeNN.functional.binary_hinge_loss(torch.tensor(new[] { 2.0, 0.5, -0.5 }), torch.tensor(new[] { 1, 1, 0 }));
        /// // mean(max(0, 1 - 2), max(0, 1 - 0.5), max(0, 1 - 0.5)) = mean(0, 0.5, 0.5) = 1/3
        /// </code></example>
        public static Tensor binary_hinge_loss(Tensor input, Tensor target, bool squared = false,
            nn.Reduction reduction = nn.Reduction.Mean)
        {
            LossChecks.CheckInputs(input, target, reduction);
            using var scope = NewDisposeScope();
            Tensor y = LossChecks.MatchShape(input, target, nameof(target));

            // 1 - y*input = 1 + (y > 0 ? -input : input)
            Tensor loss = where(y.gt(LossChecks.Zero), input.neg(), input)
                .add_(LossChecks.One).clamp_min(LossChecks.Zero);
            if (squared)
            {
                loss = loss.square();
            }

            return LossChecks.Reduce(loss, reduction).MoveToOuterDisposeScope();
        }

        /// <summary>
        /// Crammer–Singer multiclass hinge loss on raw scores: per sample
        /// <c>max(0, 1 − (input[y] − max_{j≠y} input[j]))</c>.
        /// </summary>
        /// <param name="input">Raw class scores, floating point: (N, C), (C) for one sample, or (N, C, d1, …) with
        /// the classes on dimension 1; C ≥ 2. Unlike torchmetrics' metric, no softmax is ever applied.</param>
        /// <param name="target">Class indices in [0, C), an integer dtype: (N), () or (N, d1, …).</param>
        /// <param name="squared">Square each loss after the clamp.</param>
        /// <param name="reduction">None: per-sample losses, shape of <paramref name="target"/>; Mean; Sum.</param>
        /// <returns>The loss, in the dtype and on the device of <paramref name="input"/>.</returns>
        /// <remarks>The gradient at the kink is that of the linear piece; ties among the other classes share
        /// the gradient of the max equally. On devices other than the CPU the target range is checked before the
        /// kernels run, which costs one device synchronisation per call.</remarks>
        /// <exception cref="ArgumentNullException">A tensor argument is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="input"/> is not floating point or has fewer than 2
        /// classes, <paramref name="target"/> is not an integer tensor of the matching shape, or the tensors are on
        /// different devices.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A class index lies outside [0, C) (the message names its
        /// position), or <paramref name="reduction"/> is not a defined value.</exception>
        /// <example><code>
        /// HingeNN.functional.multiclass_hinge_loss(torch.tensor(new[] { 2.0, 0.5, 1.8 }, 1, 3), torch.tensor(new long[] { 0 }));
        /// // max(0, 1 - (2.0 - 1.8)) = 0.8
        /// </code></example>
        public static Tensor multiclass_hinge_loss(Tensor input, Tensor target, bool squared = false,
            nn.Reduction reduction = nn.Reduction.Mean)
        {
            LossChecks.CheckInputs(input, target, reduction);
            if (input.dim() == 0)
            {
                throw new ArgumentException(
                    "Expected argument `input` to hold class scores ((C), (N, C) or (N, C, ...)), but got a 0-d tensor.",
                    nameof(input));
            }

            long classDim = input.dim() == 1 ? 0 : 1;
            long numClasses = input.shape[classDim];
            if (numClasses < 2)
            {
                throw new ArgumentException(
                    $"Expected argument `input` to hold at least 2 classes along dimension {classDim}, but got shape "
                    + $"{LossChecks.Shape(input)}.", nameof(input));
            }

            long[] expected = [.. input.shape[..(int)classDim], .. input.shape[((int)classDim + 1)..]];
            if (!target.shape.AsSpan().SequenceEqual(expected))
            {
                throw new ArgumentException(
                    $"Expected argument `target` to have shape {LossChecks.Shape(expected)} (the shape of `input` "
                    + $"{LossChecks.Shape(input)} without dimension {classDim}), but got {LossChecks.Shape(target)}.",
                    nameof(target));
            }

            using var scope = NewDisposeScope();
            Tensor index = LossChecks.ToClassIndices(target, nameof(target));
            const string TorchWording = "target out of range";
            if (LossChecks.PrecheckValues(index))
            {
                LossChecks.CheckClassIndexRange(index, numClasses, nameof(target), TorchWording);
            }

            Tensor trueScore;
            Tensor otherMax;
            try
            {
                Tensor slot = index.unsqueeze(classDim);
                trueScore = input.gather(classDim, slot);
                otherMax = input.scatter(classDim, slot, full_like(trueScore, LossChecks.NegativeInfinity))
                    .amax([classDim], keepdim: true);
            }
            catch (Exception e) when (LossChecks.IsNativeError(e))
            {
                LossChecks.CheckClassIndexRange(index, numClasses, nameof(target), TorchWording);
                throw;
            }

            // 1 - (s_y - max_other) = max_other - s_y + 1
            Tensor loss = otherMax.sub(trueScore).add_(LossChecks.One).clamp_min(LossChecks.Zero).squeeze(classDim);
            if (squared)
            {
                loss = loss.square();
            }

            return LossChecks.Reduce(loss, reduction).MoveToOuterDisposeScope();
        }
    }
}
