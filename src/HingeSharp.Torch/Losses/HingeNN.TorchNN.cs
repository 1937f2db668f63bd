using HingeSharp.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch;

public static partial class HingeNN
{
    /// <summary>PyTorch's <c>nn.HingeEmbeddingLoss</c>: see <see cref="functional.hinge_embedding_loss"/>.</summary>
    /// <param name="margin">The margin Δ; 1.0 by default, as in PyTorch.</param>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public static HingeEmbeddingLoss HingeEmbeddingLoss(double margin = 1.0,
        nn.Reduction reduction = nn.Reduction.Mean) => new(margin, reduction);

    /// <summary>PyTorch's <c>nn.MultiMarginLoss</c>: see <see cref="functional.multi_margin_loss"/>.</summary>
    /// <param name="p">1 or 2.</param>
    /// <param name="margin">The margin; 1.0 by default.</param>
    /// <param name="weight">Optional class weights, a floating-point vector of length C. The module keeps its own
    /// handle to the storage (registered as buffer <c>weight</c>, so <c>to(device)</c> moves it).</param>
    /// <param name="reduction">How the per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not 1 or 2, or
    /// <paramref name="reduction"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="weight"/> is not a floating-point vector.</exception>
    public static MultiMarginLoss MultiMarginLoss(int p = 1, double margin = 1.0, Tensor? weight = null,
        nn.Reduction reduction = nn.Reduction.Mean) => new(p, margin, weight, reduction);

    /// <summary>PyTorch's <c>nn.MultiLabelMarginLoss</c>: see <see cref="functional.multilabel_margin_loss"/>.
    /// </summary>
    /// <param name="reduction">How the per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public static MultiLabelMarginLoss MultiLabelMarginLoss(nn.Reduction reduction = nn.Reduction.Mean)
        => new(reduction);

    /// <summary>PyTorch's <c>nn.SoftMarginLoss</c>: see <see cref="functional.soft_margin_loss"/>.</summary>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public static SoftMarginLoss SoftMarginLoss(nn.Reduction reduction = nn.Reduction.Mean) => new(reduction);

    /// <summary>PyTorch's <c>nn.MarginRankingLoss</c>: see <see cref="functional.margin_ranking_loss"/>.</summary>
    /// <param name="margin">The margin; 0.0 by default, as in PyTorch.</param>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public static MarginRankingLoss MarginRankingLoss(double margin = 0.0,
        nn.Reduction reduction = nn.Reduction.Mean) => new(margin, reduction);

#pragma warning disable CS8981 // lower-case on purpose: mirrors TorchSharp's torch.nn.functional
    public static partial class functional
#pragma warning restore CS8981
    {
        /// <summary>
        /// PyTorch's <c>hinge_embedding_loss</c> (libtorch's kernel): per element
        /// <c>(y ≠ 1)·max(0, margin − x) + (y ≠ −1)·x</c>.
        /// </summary>
        /// <param name="input">x, floating point, any shape.</param>
        /// <param name="target">y, normally −1 or 1; broadcast against <paramref name="input"/> without a shape
        /// check, as in PyTorch. Any other value (0, or the random targets of some tutorials) gets both terms.
        /// </param>
        /// <param name="margin">Δ. The default is 1.0 as in PyTorch — TorchSharp's own
        /// <c>torch.nn.functional.hinge_embedding_loss</c> defaults to 0.0 (its module to 1.0).</param>
        /// <param name="reduction">None: element losses; Mean (NaN for an empty input); Sum.</param>
        /// <returns>The loss.</returns>
        /// <remarks>At the kink <c>margin − x = 0</c> the gradient of the clamp is passed (−1 for y = −1), as in
        /// PyTorch.</remarks>
        /// <exception cref="ArgumentNullException">A tensor argument is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="input"/> is not floating point, the shapes do not
        /// broadcast, or the tensors are on different devices.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.
        /// </exception>
        public static Tensor hinge_embedding_loss(Tensor input, Tensor target, double margin = 1.0,
            nn.Reduction reduction = nn.Reduction.Mean)
        {
            CheckPair(input, target, reduction);
            return nn.functional.hinge_embedding_loss(input, target, margin, reduction);
        }

        /// <summary>
        /// PyTorch's <c>multi_margin_loss</c> (libtorch's kernel): per sample
        /// <c>Σ_{i≠y} w[y]·max(0, margin − x[y] + x[i])^p / C</c>.
        /// </summary>
        /// <param name="input">Scores, floating point, (N, C) or (C).</param>
        /// <param name="target">Class indices in [0, C), an integer dtype, (N) or ().</param>
        /// <param name="p">1 or 2.</param>
        /// <param name="margin">The margin.</param>
        /// <param name="weight">Optional class weights, a vector of C values in the dtype of
        /// <paramref name="input"/>. The weight multiplies after the power (PyTorch's documentation places it
        /// inside).</param>
        /// <param name="reduction">None: per-sample losses; Mean (a plain mean over samples, not weighted); Sum.
        /// </param>
        /// <returns>The loss.</returns>
        /// <remarks>At the kink (<c>margin − x[y] + x[i] = 0</c>) libtorch's kernel gives a gradient of 0. On
        /// devices other than the CPU the target range is checked before the kernel runs (one device
        /// synchronisation per call), because the kernel would assert.</remarks>
        /// <exception cref="ArgumentNullException">A tensor argument is null.</exception>
        /// <exception cref="ArgumentException">A tensor has the wrong dtype, dimensions or size, or lies on another
        /// device.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not 1 or 2, a class index lies
        /// outside [0, C) (PyTorch: "target out of range"; the message names its position), or
        /// <paramref name="reduction"/> is not a defined value.</exception>
        public static Tensor multi_margin_loss(Tensor input, Tensor target, int p = 1, double margin = 1.0,
            Tensor? weight = null, nn.Reduction reduction = nn.Reduction.Mean)
        {
            TorchNNChecks.CheckP(p);
            LossChecks.CheckInputs(input, target, reduction);
            long numClasses = TorchNNChecks.CheckMultiMarginShapes(input, target);
            if (weight is not null)
            {
                TorchNNChecks.CheckWeight(weight, numClasses, input);
            }

            using var scope = NewDisposeScope();
            Tensor index = LossChecks.ToClassIndices(target, nameof(target));
            const string TorchWording = "target out of range";
            if (LossChecks.PrecheckValues(index))
            {
                LossChecks.CheckClassIndexRange(index, numClasses, nameof(target), TorchWording);
            }

            try
            {
                return nn.functional.multi_margin_loss(input, index, p, margin, weight, reduction)
                    .MoveToOuterDisposeScope();
            }
            catch (Exception e) when (LossChecks.IsNativeError(e))
            {
                LossChecks.CheckClassIndexRange(index, numClasses, nameof(target), TorchWording);
                throw;
            }
        }

        /// <summary>
        /// PyTorch's <c>multilabel_margin_loss</c> (libtorch's kernel): per sample
        /// <c>Σ_{j ∈ labels} Σ_{i ∉ labels} max(0, 1 − (x[j] − x[i])) / C</c>.
        /// </summary>
        /// <param name="input">Scores, floating point, (N, C) or (C).</param>
        /// <param name="target">Class indices, an integer dtype, shape of <paramref name="input"/>: each row lists
        /// its labels up to the first −1; the rest of the row is ignored (but, as libtorch checks, every value must
        /// lie in [−1, C)), and a repeated label counts twice.</param>
        /// <param name="reduction">None: per-sample losses; Mean; Sum.</param>
        /// <returns>The loss.</returns>
        /// <remarks>At a kink libtorch's kernel gives a gradient of 0. On devices other than the CPU the target is
        /// checked before the kernel runs (one device synchronisation per call).</remarks>
        /// <exception cref="ArgumentNullException">A tensor argument is null.</exception>
        /// <exception cref="ArgumentException">A tensor has the wrong dtype or shape (PyTorch: "inconsistent size
        /// … for argument #2 'target'"), or lies on another device.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A value lies outside [−1, C) (PyTorch:
        /// "argument #2 'target' is out of range"; the message names its position), or
        /// <paramref name="reduction"/> is not a defined value.</exception>
        public static Tensor multilabel_margin_loss(Tensor input, Tensor target,
            nn.Reduction reduction = nn.Reduction.Mean)
        {
            LossChecks.CheckInputs(input, target, reduction);
            long numClasses = TorchNNChecks.CheckMultiLabelShapes(input, target);

            using var scope = NewDisposeScope();
            Tensor index = LossChecks.ToClassIndices(target, nameof(target));
            const string TorchWording = "argument #2 'target' is out of range";
            if (LossChecks.PrecheckValues(index))
            {
                LossChecks.CheckMultilabelTargets(index, numClasses, nameof(target), TorchWording);
            }

            try
            {
                return nn.functional.multi_label_margin_loss(input, index, reduction).MoveToOuterDisposeScope();
            }
            catch (Exception e) when (LossChecks.IsNativeError(e))
            {
                LossChecks.CheckMultilabelTargets(index, numClasses, nameof(target), TorchWording);
                throw;
            }
        }

        /// <summary>PyTorch's <c>soft_margin_loss</c> (libtorch's kernel): per element
        /// <c>log(1 + exp(−y·x))</c>.</summary>
        /// <param name="input">x, floating point, any shape.</param>
        /// <param name="target">y, normally −1 or 1, broadcast against <paramref name="input"/>.</param>
        /// <param name="reduction">None: element losses; Mean; Sum.</param>
        /// <returns>The loss.</returns>
        /// <remarks>Computed literally, as in PyTorch: in float32, <c>−y·x</c> above about 88.7 gives an infinite
        /// loss and a NaN gradient (float64 stays finite).</remarks>
        /// <exception cref="ArgumentNullException">A tensor argument is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="input"/> is not floating point, the shapes do not
        /// broadcast, or the tensors are on different devices.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.
        /// </exception>
        public static Tensor soft_margin_loss(Tensor input, Tensor target, nn.Reduction reduction = nn.Reduction.Mean)
        {
            CheckPair(input, target, reduction);
            return nn.functional.soft_margin_loss(input, target, reduction);
        }

        /// <summary>PyTorch's <c>margin_ranking_loss</c> (libtorch's kernel): per element
        /// <c>max(0, −y·(x1 − x2) + margin)</c>.</summary>
        /// <param name="input1">x1, floating point.</param>
        /// <param name="input2">x2, floating point, with as many dimensions as <paramref name="input1"/>.</param>
        /// <param name="target">y, normally −1 or 1, with as many dimensions as <paramref name="input1"/>; all three
        /// broadcast.</param>
        /// <param name="margin">The margin; 0.0 by default, as in PyTorch.</param>
        /// <param name="reduction">None: element losses; Mean; Sum.</param>
        /// <returns>The loss.</returns>
        /// <remarks>At the kink the gradient of the clamp is passed, as in PyTorch.</remarks>
        /// <exception cref="ArgumentNullException">A tensor argument is null.</exception>
        /// <exception cref="ArgumentException">An input is not floating point, the numbers of dimensions differ,
        /// the shapes do not broadcast, or the tensors are on different devices.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.
        /// </exception>
        public static Tensor margin_ranking_loss(Tensor input1, Tensor input2, Tensor target, double margin = 0.0,
            nn.Reduction reduction = nn.Reduction.Mean)
        {
            LossChecks.CheckFloating(input1, nameof(input1));
            LossChecks.CheckFloating(input2, nameof(input2));
            LossChecks.CheckNotNull(target, nameof(target));
            LossChecks.CheckSameDevice(input1, input2, nameof(input2));
            LossChecks.CheckSameDevice(input1, target, nameof(target));
            LossChecks.CheckReduction(reduction);
            if (input1.dim() != input2.dim() || input1.dim() != target.dim())
            {
                throw new ArgumentException(
                    "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                    + $"input1: {LossChecks.Shape(input1)}, input2: {LossChecks.Shape(input2)}, "
                    + $"target: {LossChecks.Shape(target)}", nameof(input2));
            }

            LossChecks.CheckBroadcastable(input1, input2, nameof(input2));
            LossChecks.CheckBroadcastable(input1, target, nameof(target));
            LossChecks.CheckBroadcastable(input2, target, nameof(target));
            return nn.functional.margin_ranking_loss(input1, input2, target, margin, reduction);
        }

        private static void CheckPair(Tensor input, Tensor target, nn.Reduction reduction)
        {
            LossChecks.CheckInputs(input, target, reduction);
            LossChecks.CheckBroadcastable(input, target, nameof(target));
        }
    }
}
