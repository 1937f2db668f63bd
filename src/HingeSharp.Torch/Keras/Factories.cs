using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Keras' <c>keras.optimizers</c> as factories: <c>Optimizers.AdamW(learningRate: 0.01)</c> is
/// <c>new AdamW(learningRate: 0.01)</c>.
/// </summary>
/// <remarks>
/// With <c>using TorchSharp.Modules;</c> next to <c>using HingeSharp.Torch.Keras;</c>, C# cannot bind the simple
/// names that both namespaces define (<c>SGD</c>, <c>Adam</c>, <c>AdamW</c>, <c>Adagrad</c>; also
/// <c>Sequential</c> and <c>Dropout</c>, see <see cref="Models"/> and <see cref="Layers"/>): CS0104. These
/// factories bind under any usings, like TorchSharp's own <c>torch.optim.Adam(…)</c>. <see cref="RMSprop"/> and
/// <see cref="Nadam"/> never clash (TorchSharp spells them <c>RMSProp</c> and <c>NAdam</c>).
/// </remarks>
public static class Optimizers
{
    /// <summary>Keras' <c>SGD</c> (see <see cref="Keras.SGD"/>).</summary>
    /// <param name="learningRate">Step size (default 0.01).</param>
    /// <param name="momentum">Momentum in [0, 1).</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    /// <returns>The optimizer.</returns>
    public static Keras.SGD SGD(double learningRate = 0.01, double momentum = 0.0, bool nesterov = false)
        => new(learningRate, momentum, nesterov);

    /// <summary>Keras' <c>Adam</c> (see <see cref="Keras.Adam"/>).</summary>
    /// <param name="learningRate">Step size (default 0.001).</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="epsilon">Stability constant (default 1e-7).</param>
    /// <returns>The optimizer.</returns>
    public static Keras.Adam Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-7) => new(learningRate, beta1, beta2, epsilon);

    /// <summary>Keras' <c>AdamW</c> (see <see cref="Keras.AdamW"/>).</summary>
    /// <param name="learningRate">Step size (default 0.001).</param>
    /// <param name="weightDecay">Decoupled weight decay (default 0.004).</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="epsilon">Stability constant (default 1e-7).</param>
    /// <returns>The optimizer.</returns>
    public static Keras.AdamW AdamW(double learningRate = 0.001, double weightDecay = 0.004, double beta1 = 0.9,
        double beta2 = 0.999, double epsilon = 1e-7) => new(learningRate, weightDecay, beta1, beta2, epsilon);

    /// <summary>Keras' <c>Adagrad</c> (see <see cref="Keras.Adagrad"/>).</summary>
    /// <param name="learningRate">Step size (default 0.001).</param>
    /// <param name="initialAccumulatorValue">Start of the accumulator (default 0.1).</param>
    /// <param name="epsilon">Stability constant (default 1e-7).</param>
    /// <returns>The optimizer.</returns>
    public static Keras.Adagrad Adagrad(double learningRate = 0.001, double initialAccumulatorValue = 0.1,
        double epsilon = 1e-7) => new(learningRate, initialAccumulatorValue, epsilon);

    /// <summary>Keras' <c>RMSprop</c> (see <see cref="Keras.RMSprop"/>).</summary>
    /// <param name="learningRate">Step size (default 0.001).</param>
    /// <param name="rho">Squared-gradient decay (default 0.9).</param>
    /// <param name="momentum">Momentum.</param>
    /// <param name="epsilon">Stability constant (default 1e-7).</param>
    /// <param name="centered">Centered variant.</param>
    /// <returns>The optimizer.</returns>
    public static Keras.RMSprop RMSprop(double learningRate = 0.001, double rho = 0.9, double momentum = 0.0,
        double epsilon = 1e-7, bool centered = false) => new(learningRate, rho, momentum, epsilon, centered);

    /// <summary>Keras' <c>Nadam</c> (see <see cref="Keras.Nadam"/>).</summary>
    /// <param name="learningRate">Step size (default 0.001).</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="epsilon">Stability constant (default 1e-7).</param>
    /// <returns>The optimizer.</returns>
    public static Keras.Nadam Nadam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-7) => new(learningRate, beta1, beta2, epsilon);
}

/// <summary>Keras' <c>keras.models</c>: <c>Models.Sequential(…)</c> binds even where
/// <c>TorchSharp.Modules.Sequential</c> is in scope (see <see cref="Optimizers"/>).</summary>
public static class Models
{
    /// <summary>A new <see cref="Keras.Sequential"/>.</summary>
    /// <param name="layers">The layers, in order.</param>
    /// <param name="generator">Generator for initialisation, shuffling and dropout.</param>
    /// <returns>The model.</returns>
    public static Keras.Sequential Sequential(IEnumerable<Layer> layers, Generator? generator = null)
        => new(layers, generator);
}

/// <summary>Keras' <c>keras.layers</c> for the layer whose name TorchSharp.Modules also uses:
/// <c>Layers.Dropout(0.2)</c> (see <see cref="Optimizers"/>).</summary>
public static class Layers
{
    /// <summary>A new <see cref="Keras.Dropout"/>.</summary>
    /// <param name="rate">Drop probability in [0, 1).</param>
    /// <param name="name">Layer name.</param>
    /// <returns>The layer.</returns>
    public static Keras.Dropout Dropout(double rate, string? name = null) => new(rate, name);
}
