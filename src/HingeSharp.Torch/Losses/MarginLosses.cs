using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Losses;

/// <summary>Binary hinge loss on raw margins: <see cref="HingeNN.functional.binary_hinge_loss"/> as a module.
/// </summary>
/// <example><code>
/// using var loss = HingeNN.BinaryHingeLoss(squared: true);
/// Tensor value = loss.call(margins, labels);   // labels in {0, 1} or {-1, +1}
/// </code></example>
public sealed class BinaryHingeLossModule : Loss<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module; prefer <see cref="HingeNN.BinaryHingeLoss"/>.</summary>
    /// <param name="squared">Square each loss after the clamp.</param>
    /// <param name="reduction">How the element losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public BinaryHingeLossModule(bool squared = false, nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction)
    {
        LossChecks.CheckReduction(reduction);
        Squared = squared;
    }

    /// <summary>Whether each loss is squared after the clamp.</summary>
    public bool Squared { get; }

    /// <summary>Computes the loss; see <see cref="HingeNN.functional.binary_hinge_loss"/>.</summary>
    /// <param name="input">Raw margins.</param>
    /// <param name="target">Labels; values &gt; 0 are positive.</param>
    /// <returns>The loss.</returns>
    public override Tensor forward(Tensor input, Tensor target)
        => HingeNN.functional.binary_hinge_loss(input, target, Squared, reduction);
}

/// <summary>Crammer–Singer multiclass hinge loss on raw scores:
/// <see cref="HingeNN.functional.multiclass_hinge_loss"/> as a module.</summary>
public sealed class MulticlassHingeLossModule : Loss<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module; prefer <see cref="HingeNN.MulticlassHingeLoss"/>.</summary>
    /// <param name="squared">Square each loss after the clamp.</param>
    /// <param name="reduction">How the per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public MulticlassHingeLossModule(bool squared = false, nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction)
    {
        LossChecks.CheckReduction(reduction);
        Squared = squared;
    }

    /// <summary>Whether each loss is squared after the clamp.</summary>
    public bool Squared { get; }

    /// <summary>Computes the loss; see <see cref="HingeNN.functional.multiclass_hinge_loss"/>.</summary>
    /// <param name="input">Raw class scores, classes on dimension 1 (or 0 for one sample).</param>
    /// <param name="target">Class indices.</param>
    /// <returns>The loss.</returns>
    public override Tensor forward(Tensor input, Tensor target)
        => HingeNN.functional.multiclass_hinge_loss(input, target, Squared, reduction);
}
