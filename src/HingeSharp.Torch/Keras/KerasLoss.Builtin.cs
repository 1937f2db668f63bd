using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>The built-in losses (Keras' formulas).</summary>
public abstract partial class KerasLoss
{
    /// <summary>Keras' probability clip (<c>backend.epsilon()</c>).</summary>
    private const double Epsilon = 1e-7;

    private sealed class HingeLoss(bool squared) : KerasLoss(squared ? "squared_hinge" : "hinge")
    {
        public override bool IsMarginBased => true;

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

    private sealed class BceLoss(bool fromLogits) : KerasLoss("binary_crossentropy")
    {
        public bool FromLogits => fromLogits;

        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
        {
            if (fromLogits)
            {
                // max(x, 0) − x·z + log(1 + exp(−|x|)), the stable form Keras uses.
                Tensor stable = yPred.clamp_min(0).sub(yPred.mul(yTrue)).add_(yPred.abs().neg().exp().log1p());
                return stable.mean([-1L]);
            }

            Tensor p = yPred.clamp(Epsilon, 1.0 - Epsilon);
            Tensor ll = yTrue.mul(p.log()).add_(yTrue.neg().add_(1).mul(p.neg().add_(1).log()));
            return ll.mean([-1L]).neg();
        }
    }

    /// <summary>Categorical cross-entropy on one-hot (or soft) targets; class indices become one-hot.</summary>
    private sealed class CceLoss(bool fromLogits) : KerasLoss("categorical_crossentropy")
    {
        public bool FromLogits => fromLogits;

        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
            => yTrue.mul(LogProbabilities(yPred, fromLogits)).sum([-1L]).neg();
    }

    /// <summary>Sparse categorical cross-entropy: class-index targets <c>(N,)</c>.</summary>
    private sealed class SparseCceLoss(bool fromLogits)
        : KerasLoss("sparse_categorical_crossentropy")
    {
        public bool FromLogits => fromLogits;

        public override Tensor PrepareClassIndices(Tensor indices, long classes) => indices;

        public override Tensor PrepareTargets(Tensor yTrue)
            => throw new ArgumentException("sparse_categorical_crossentropy takes class indices, shape (N,) or "
                + $"(N, 1), with an (N, C) output; got targets of shape [{Sequential.Shape(yTrue.shape)}] shaped "
                + "like the output (use categorical_crossentropy for one-hot targets).", nameof(yTrue));

        public override Tensor PerSample(Tensor yTrue, Tensor yPred)
        {
            Tensor logp = LogProbabilities(yPred, fromLogits);
            return logp.gather(-1, yTrue.to(ScalarType.Int64).unsqueeze(-1)).squeeze(-1).neg();
        }
    }

    private sealed class MeanSquaredErrorLoss() : KerasLoss("mean_squared_error")
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred) => yPred.sub(yTrue).square().mean([-1L]);
    }

    private sealed class MeanAbsoluteErrorLoss() : KerasLoss("mean_absolute_error")
    {
        public override Tensor PerSample(Tensor yTrue, Tensor yPred) => yPred.sub(yTrue).abs().mean([-1L]);
    }

    private sealed class FunctionLoss(string name, Func<Tensor, Tensor, Tensor> loss, bool isMarginBased = false)
        : KerasLoss(name)
    {
        public override bool IsMarginBased => isMarginBased;

        /// <summary>Custom and torch losses (MultiMarginLoss, Crammer–Singer) take the int64 indices.</summary>
        public override Tensor PrepareClassIndices(Tensor indices, long classes) => indices;

        public override Tensor Compute(Tensor yTrue, Tensor yPred) => loss(yTrue, yPred);
    }

    /// <summary>Keras' log-probabilities: <c>log_softmax</c> for logits; otherwise the scores are normalised to sum
    /// 1 over the last axis and clipped to [1e-7, 1 − 1e-7] before the log.</summary>
    private static Tensor LogProbabilities(Tensor yPred, bool fromLogits)
    {
        if (fromLogits)
        {
            return yPred.log_softmax(-1);
        }

        Tensor p = yPred.div(yPred.sum([-1L], keepdim: true));
        return p.clamp(Epsilon, 1.0 - Epsilon).log();
    }
}
