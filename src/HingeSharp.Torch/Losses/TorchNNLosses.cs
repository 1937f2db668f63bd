using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Losses;

/// <summary>PyTorch's <c>nn.HingeEmbeddingLoss</c>: <see cref="HingeNN.functional.hinge_embedding_loss"/> as a
/// module.</summary>
/// <remarks>The margin defaults to 1.0, as in PyTorch and in TorchSharp's module; TorchSharp's functional form
/// defaults to 0.0.</remarks>
public sealed class HingeEmbeddingLoss : Loss<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module; prefer <see cref="HingeNN.HingeEmbeddingLoss"/>.</summary>
    /// <param name="margin">The margin Δ.</param>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public HingeEmbeddingLoss(double margin = 1.0, nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction)
    {
        LossChecks.CheckReduction(reduction);
        Margin = margin;
    }

    /// <summary>The margin Δ.</summary>
    public double Margin { get; }

    /// <summary>Computes the loss; see <see cref="HingeNN.functional.hinge_embedding_loss"/>.</summary>
    /// <param name="input">x.</param>
    /// <param name="target">y, normally −1 or 1.</param>
    /// <returns>The loss.</returns>
    public override Tensor forward(Tensor input, Tensor target)
        => HingeNN.functional.hinge_embedding_loss(input, target, Margin, reduction);
}

/// <summary>PyTorch's <c>nn.MultiMarginLoss</c>: <see cref="HingeNN.functional.multi_margin_loss"/> as a module.
/// </summary>
public sealed class MultiMarginLoss : Loss<Tensor, Tensor, Tensor>
{
    // Named like the buffer, so that Module.to(...) replaces this field along with the buffer.
    private Tensor? weight;

    /// <summary>Creates the module; prefer <see cref="HingeNN.MultiMarginLoss"/>.</summary>
    /// <param name="p">1 or 2.</param>
    /// <param name="margin">The margin.</param>
    /// <param name="weight">Optional class weights, a floating-point vector; the module registers its own handle
    /// to the same storage as buffer <c>weight</c> (disposing the module leaves the caller's tensor alive).</param>
    /// <param name="reduction">How the per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not 1 or 2, or
    /// <paramref name="reduction"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="weight"/> is not a floating-point vector.</exception>
    public MultiMarginLoss(int p = 1, double margin = 1.0, Tensor? weight = null,
        nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction)
    {
        TorchNNChecks.CheckP(p);
        LossChecks.CheckReduction(reduction);
        if (weight is not null)
        {
            TorchNNChecks.CheckWeight(weight, -1, null);
            this.weight = weight.detach().DetachFromDisposeScope();
            register_buffer(nameof(weight), this.weight);
        }

        P = p;
        Margin = margin;
    }

    /// <summary>The exponent, 1 or 2.</summary>
    public int P { get; }

    /// <summary>The margin.</summary>
    public double Margin { get; }

    /// <summary>The class weights (the module's buffer), or null.</summary>
    public Tensor? Weight => weight;

    /// <summary>Computes the loss; see <see cref="HingeNN.functional.multi_margin_loss"/>.</summary>
    /// <param name="input">Scores, (N, C) or (C).</param>
    /// <param name="target">Class indices, (N) or ().</param>
    /// <returns>The loss.</returns>
    public override Tensor forward(Tensor input, Tensor target)
        => HingeNN.functional.multi_margin_loss(input, target, P, Margin, weight, reduction);
}

/// <summary>PyTorch's <c>nn.MultiLabelMarginLoss</c>: <see cref="HingeNN.functional.multilabel_margin_loss"/> as a
/// module.</summary>
public sealed class MultiLabelMarginLoss : Loss<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module; prefer <see cref="HingeNN.MultiLabelMarginLoss"/>.</summary>
    /// <param name="reduction">How the per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public MultiLabelMarginLoss(nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction) => LossChecks.CheckReduction(reduction);

    /// <summary>Computes the loss; see <see cref="HingeNN.functional.multilabel_margin_loss"/>.</summary>
    /// <param name="input">Scores, (N, C) or (C).</param>
    /// <param name="target">Label lists ended by −1, shape of <paramref name="input"/>.</param>
    /// <returns>The loss.</returns>
    public override Tensor forward(Tensor input, Tensor target)
        => HingeNN.functional.multilabel_margin_loss(input, target, reduction);
}

/// <summary>PyTorch's <c>nn.SoftMarginLoss</c>: <see cref="HingeNN.functional.soft_margin_loss"/> as a module.
/// </summary>
public sealed class SoftMarginLoss : Loss<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module; prefer <see cref="HingeNN.SoftMarginLoss"/>.</summary>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public SoftMarginLoss(nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction) => LossChecks.CheckReduction(reduction);

    /// <summary>Computes the loss; see <see cref="HingeNN.functional.soft_margin_loss"/>.</summary>
    /// <param name="input">x.</param>
    /// <param name="target">y, normally −1 or 1.</param>
    /// <returns>The loss.</returns>
    public override Tensor forward(Tensor input, Tensor target)
        => HingeNN.functional.soft_margin_loss(input, target, reduction);
}

/// <summary>PyTorch's <c>nn.MarginRankingLoss</c>: <see cref="HingeNN.functional.margin_ranking_loss"/> as a
/// module.</summary>
public sealed class MarginRankingLoss : Loss<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module; prefer <see cref="HingeNN.MarginRankingLoss"/>.</summary>
    /// <param name="margin">The margin.</param>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public MarginRankingLoss(double margin = 0.0, nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction)
    {
        LossChecks.CheckReduction(reduction);
        Margin = margin;
    }

    /// <summary>The margin.</summary>
    public double Margin { get; }

    /// <summary>Computes the loss; see <see cref="HingeNN.functional.margin_ranking_loss"/>.</summary>
    /// <param name="input1">x1.</param>
    /// <param name="input2">x2.</param>
    /// <param name="target">y, normally −1 or 1.</param>
    /// <returns>The loss.</returns>
    public override Tensor forward(Tensor input1, Tensor input2, Tensor target)
        => HingeNN.functional.margin_ranking_loss(input1, input2, target, Margin, reduction);
}
