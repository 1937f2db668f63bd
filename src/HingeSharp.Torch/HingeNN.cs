using HingeSharp.Torch.Losses;

namespace HingeSharp.Torch;

/// <summary>
/// Hinge-family training losses for TorchSharp, shaped like <c>torch.nn</c>: each factory returns a module
/// (a <see cref="TorchSharp.Loss{T1, T2, TResult}"/>), and <see cref="functional"/> holds the same losses as
/// functions. All of them work on any device and dtype TorchSharp supports and are differentiable with autograd.
/// </summary>
/// <remarks>
/// <para>Keras losses: <see cref="HingeLoss"/>, <see cref="SquaredHingeLoss"/>, <see cref="CategoricalHingeLoss"/>.
/// Margin losses on raw scores: <see cref="BinaryHingeLoss"/>, <see cref="MulticlassHingeLoss"/> (Crammer–Singer).
/// PyTorch's <c>torch.nn</c> losses: <see cref="HingeEmbeddingLoss"/>, <see cref="MultiMarginLoss"/>,
/// <see cref="MultiLabelMarginLoss"/>, <see cref="SoftMarginLoss"/>, <see cref="MarginRankingLoss"/>; these call
/// libtorch's own kernels, so values and gradients (kinks included) are PyTorch's.</para>
/// <para>The module types of the three losses whose names the core metrics use carry a <c>Module</c> suffix
/// (<see cref="HingeLossModule"/>, <see cref="BinaryHingeLossModule"/>, <see cref="MulticlassHingeLossModule"/>), so
/// <c>using HingeSharp.Classification;</c> and <c>using HingeSharp.Torch.Losses;</c> together leave
/// <c>BinaryHingeLoss</c>, <c>MulticlassHingeLoss</c> and <c>HingeLoss</c> naming the metrics, without a clash.</para>
/// <para>Invalid arguments raise <see cref="ArgumentException"/> (or a subclass) naming the argument, the value
/// and, for tensor values, the index; where PyTorch has a message for the same error, it is part of the text.</para>
/// </remarks>
public static partial class HingeNN
{
    /// <summary>The hinge-family losses as functions, beside TorchSharp's <c>torch.nn.functional</c>.</summary>
    /// <remarks>Arguments come in PyTorch's order: predictions (<c>input</c>) first, then <c>target</c>.</remarks>
#pragma warning disable CS8981 // lower-case on purpose: mirrors TorchSharp's torch.nn.functional
    public static partial class functional
#pragma warning restore CS8981
    {
    }
}
