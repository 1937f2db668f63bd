using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>Keras activation names and the TorchSharp modules they map to.</summary>
public static class Activations
{
    /// <summary>The accepted names (case-insensitive): linear (none), relu, tanh, sigmoid, softmax (last
    /// dimension), elu, selu, softplus, softsign, swish (= silu), gelu, leaky_relu (slope 0.2, Keras 3's
    /// default).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "linear", "relu", "tanh", "sigmoid", "softmax", "elu", "selu", "softplus", "softsign", "swish", "gelu",
        "leaky_relu",
    ];

    /// <summary>Throws when <paramref name="name"/> is not <see langword="null"/> and not one of
    /// <see cref="Names"/>.</summary>
    /// <param name="name">Activation name.</param>
    /// <param name="paramName">The caller's argument name for the message.</param>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static void Validate(string? name, string paramName)
    {
        if (name is not null && !Names.Contains(Normalize(name)))
        {
            throw new ArgumentException(
                $"Unknown activation `{name}`; expected one of {string.Join(", ", Names)} (or null).", paramName);
        }
    }

    internal static string Normalize(string name) => name.Trim().ToLowerInvariant() switch
    {
        "silu" => "swish",
        "leakyrelu" => "leaky_relu",
        string s => s,
    };

    /// <summary>The module for an activation; <see langword="null"/> for <c>linear</c>.</summary>
    internal static nn.Module<Tensor, Tensor>? Create(string name) => Normalize(name) switch
    {
        "linear" => null,
        "relu" => nn.ReLU(),
        "tanh" => nn.Tanh(),
        "sigmoid" => nn.Sigmoid(),
        "softmax" => nn.Softmax(-1),
        "elu" => nn.ELU(),
        "selu" => nn.SELU(),
        "softplus" => nn.Softplus(),
        "softsign" => nn.Softsign(),
        "swish" => nn.SiLU(),
        "gelu" => nn.GELU(),
        "leaky_relu" => nn.LeakyReLU(0.2),
        _ => throw new ArgumentException($"Unknown activation `{name}`.", nameof(name)),
    };
}
