using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Losses;

/// <summary>Keras' <c>hinge</c> loss: <see cref="HingeNN.functional.hinge_loss"/> as a module.</summary>
/// <example><code>
/// using var loss = HingeNN.HingeLoss();
/// Tensor value = loss.call(model.call(x), y);   // y in {0, 1} or {-1, +1}
/// value.backward();
/// </code></example>
public sealed class HingeLossModule : Loss<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module; prefer <see cref="HingeNN.HingeLoss"/>.</summary>
    /// <param name="reduction">How per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public HingeLossModule(nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction) => LossChecks.CheckReduction(reduction);

    /// <summary>Computes the loss; see <see cref="HingeNN.functional.hinge_loss"/>.</summary>
    /// <param name="input">Predictions (Keras' <c>y_pred</c>).</param>
    /// <param name="target">Labels (Keras' <c>y_true</c>).</param>
    /// <returns>The loss.</returns>
    public override Tensor forward(Tensor input, Tensor target)
        => HingeNN.functional.hinge_loss(input, target, reduction);
}

/// <summary>Keras' <c>squared_hinge</c> loss: <see cref="HingeNN.functional.squared_hinge_loss"/> as a module.
/// </summary>
public sealed class SquaredHingeLoss : Loss<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module; prefer <see cref="HingeNN.SquaredHingeLoss"/>.</summary>
    /// <param name="reduction">How per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public SquaredHingeLoss(nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction) => LossChecks.CheckReduction(reduction);

    /// <summary>Computes the loss; see <see cref="HingeNN.functional.squared_hinge_loss"/>.</summary>
    /// <param name="input">Predictions (Keras' <c>y_pred</c>).</param>
    /// <param name="target">Labels (Keras' <c>y_true</c>).</param>
    /// <returns>The loss.</returns>
    public override Tensor forward(Tensor input, Tensor target)
        => HingeNN.functional.squared_hinge_loss(input, target, reduction);
}

/// <summary>Keras' <c>categorical_hinge</c> loss: <see cref="HingeNN.functional.categorical_hinge_loss"/> as a
/// module.</summary>
public sealed class CategoricalHingeLoss : Loss<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module; prefer <see cref="HingeNN.CategoricalHingeLoss"/>.</summary>
    /// <param name="maxOverNegatives">Strict max over the classes whose target is 0 instead of Keras' form.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public CategoricalHingeLoss(bool maxOverNegatives = false, nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction)
    {
        LossChecks.CheckReduction(reduction);
        MaxOverNegatives = maxOverNegatives;
    }

    /// <summary>Whether <c>neg</c> is the max over the classes whose target is 0 (true) or Keras'
    /// <c>max((1 − target)·input)</c> (false).</summary>
    public bool MaxOverNegatives { get; }

    /// <summary>Computes the loss; see <see cref="HingeNN.functional.categorical_hinge_loss"/>.</summary>
    /// <param name="input">Class scores (Keras' <c>y_pred</c>), shape (…, C).</param>
    /// <param name="target">One-hot labels (Keras' <c>y_true</c>), same shape.</param>
    /// <returns>The loss.</returns>
    public override Tensor forward(Tensor input, Tensor target)
        => HingeNN.functional.categorical_hinge_loss(input, target, MaxOverNegatives, reduction);
}
