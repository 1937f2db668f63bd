using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

public sealed partial class Sequential
{
    /// <summary>Number of weights, trainable and non-trainable (Keras' <c>count_params</c>).</summary>
    /// <returns>The count.</returns>
    /// <exception cref="InvalidOperationException">The model is not built.</exception>
    public long CountParams() => CountTrainableParams() + CountNonTrainableParams();

    /// <summary>Number of trainable weights (the optimizer's parameters).</summary>
    /// <returns>The count.</returns>
    /// <exception cref="InvalidOperationException">The model is not built.</exception>
    public long CountTrainableParams()
    {
        EnsureBuilt();
        return _parameters.Sum(p => p.numel());
    }

    /// <summary>Number of non-trainable weights (e.g. batch normalization's moving mean and variance).</summary>
    /// <returns>The count.</returns>
    /// <exception cref="InvalidOperationException">The model is not built.</exception>
    public long CountNonTrainableParams()
    {
        EnsureBuilt();
        return _module!.buffers().Sum(b => b.numel());
    }

    /// <summary>A Keras-style summary table: layer, output shape, weight count; then total, trainable and
    /// non-trainable counts.</summary>
    /// <returns>The table text.</returns>
    /// <exception cref="InvalidOperationException">The model is not built.</exception>
    public string Summary()
    {
        EnsureBuilt();
        var text = new StringBuilder();
        text.AppendLine("Model: \"sequential\"");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Layer (type)",-32}{"Output Shape",-24}{"Param #",10}");
        long[] shape = _inputShape!;
        var named = _module!.named_children().ToDictionary(c => c.name, c => c.module);
        foreach (Layer layer in _layers.Where(l => l is not Input))
        {
            shape = layer.ComputeOutputShape(shape);
            var module = named[layer.Name!];
            long count = module.parameters().Sum(p => p.numel()) + module.buffers().Sum(b => b.numel());
            string kind = $"{layer.Name} ({layer.GetType().Name})";
            text.AppendLine(CultureInfo.InvariantCulture, $"{kind,-32}{"(None, " + Shape(shape) + ")",-24}{count,10}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Total params: {CountParams()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Trainable params: {CountTrainableParams()}");
        text.Append(CultureInfo.InvariantCulture, $"Non-trainable params: {CountNonTrainableParams()}");
        return text.ToString();
    }

    /// <summary>Copies of the parameters (Keras' <c>get_weights</c>), detached from any dispose scope: the caller
    /// disposes them.</summary>
    /// <returns>One tensor per parameter, in <see cref="Parameters"/> order.</returns>
    /// <exception cref="InvalidOperationException">The model is not built.</exception>
    public IReadOnlyList<Tensor> GetWeights()
    {
        EnsureBuilt();
        using var noGrad = torch.no_grad();
        return _parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Copies values into the parameters (Keras' <c>set_weights</c>).</summary>
    /// <param name="weights">One tensor per parameter, same shapes as <see cref="Parameters"/>.</param>
    /// <exception cref="ArgumentException">Count or a shape differs.</exception>
    public void SetWeights(IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        EnsureBuilt();
        if (weights.Count != _parameters.Length)
        {
            throw new ArgumentException($"Expected {_parameters.Length} weight tensors, but got {weights.Count}.",
                nameof(weights));
        }

        for (int i = 0; i < weights.Count; i++)
        {
            if (!weights[i].shape.SequenceEqual(_parameters[i].shape))
            {
                throw new ArgumentException($"Weight {i} has shape [{Shape(weights[i].shape)}], but parameter {i} "
                    + $"has shape [{Shape(_parameters[i].shape)}].", nameof(weights));
            }
        }

        using var noGrad = torch.no_grad();
        for (int i = 0; i < weights.Count; i++)
        {
            _parameters[i].copy_(weights[i]);
        }
    }
}
