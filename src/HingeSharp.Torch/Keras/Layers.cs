using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// A Keras-style layer: a description that <see cref="Sequential"/> turns into a TorchSharp module once the input
/// shape is known (Keras' deferred <c>build</c>).
/// </summary>
public abstract partial class Layer
{
    /// <summary>Creates a layer.</summary>
    /// <param name="name">Layer name; <see langword="null"/> lets <see cref="Sequential"/> pick
    /// <see cref="DefaultName"/>, <c>DefaultName_1</c>, ….</param>
    protected Layer(string? name)
    {
        Name = name;
    }

    /// <summary>The layer's name, or <see langword="null"/> until <see cref="Sequential.Add"/> assigns one.</summary>
    public string? Name { get; internal set; }

    /// <summary>The base name used when none is given (Keras' snake-case class name, e.g. <c>dense</c>).</summary>
    public abstract string DefaultName { get; }

    /// <summary>The per-sample input shape this layer declares (Keras' <c>input_dim</c>/<c>input_shape</c>),
    /// or <see langword="null"/>.</summary>
    public virtual IReadOnlyList<long>? DeclaredInputShape => null;

    /// <summary>The per-sample output shape for a per-sample input shape.</summary>
    /// <param name="inputShape">Input shape without the batch dimension.</param>
    /// <returns>Output shape without the batch dimension.</returns>
    protected internal abstract long[] ComputeOutputShape(long[] inputShape);

    /// <summary>Creates and initialises the TorchSharp module (float32, CPU).</summary>
    /// <param name="inputShape">Input shape without the batch dimension.</param>
    /// <param name="generator">Generator for weight initialisation; <see langword="null"/> for torch's default.
    /// </param>
    /// <returns>The module.</returns>
    protected internal abstract nn.Module<Tensor, Tensor> Build(long[] inputShape, Generator? generator);

    /// <summary>The layer's regularization penalty on its built weights (added to the training loss), or
    /// <see langword="null"/>.</summary>
    /// <returns>A scalar tensor or <see langword="null"/>.</returns>
    internal virtual Tensor? RegularizationPenalty() => null;

    /// <summary>The settings <see cref="FromConfig"/> rebuilds the layer from (Keras' <c>get_config</c>).
    /// </summary>
    internal abstract JsonObject GetConfig();
}

/// <summary>
/// Keras' <c>Dense</c>: <c>activation(x · kernel + bias)</c> over the last dimension, built as a TorchSharp
/// <c>Linear</c> followed by the activation.
/// </summary>
/// <example><code>
/// model.Add(new Dense(50, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"));
/// model.Add(new Dense(1, activation: "tanh"));
/// </code></example>
public sealed class Dense : Layer
{
    /// <summary>Creates the layer description.</summary>
    /// <param name="units">Output width, at least 1.</param>
    /// <param name="activation">One of <see cref="Activations.Names"/>; <see langword="null"/> or
    /// <c>"linear"</c> for none.</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    /// <param name="kernelInitializer">Kernel initializer (<see cref="Initializers"/>); Keras' default is
    /// <c>glorot_uniform</c>.</param>
    /// <param name="biasInitializer">Bias initializer; Keras' default is <c>zeros</c>.</param>
    /// <param name="inputDim">Input width, needed on the first layer unless <see cref="Sequential.Build"/> or
    /// <c>Sequential.Fit</c> supplies it.</param>
    /// <param name="name">Layer name.</param>
    /// <param name="kernelRegularizer">Penalty on the kernel added to the loss (e.g. <c>new L2(0.01)</c>).</param>
    /// <param name="biasRegularizer">Penalty on the bias added to the loss.</param>
    /// <exception cref="ArgumentException">An argument is out of range or names an unknown function.</exception>
    public Dense(int units, string? activation = null, bool useBias = true, string kernelInitializer = "glorot_uniform",
        string biasInitializer = "zeros", int? inputDim = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null)
        : base(name)
    {
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
        if (units < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units,
                $"Expected `units` to be a positive integer, but got {units}.");
        }

        if (inputDim is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim,
                $"Expected `inputDim` to be a positive integer, but got {inputDim}.");
        }

        Activations.Validate(activation, nameof(activation));
        ValidateInitializer(kernelInitializer, nameof(kernelInitializer));
        ValidateInitializer(biasInitializer, nameof(biasInitializer));
        Units = units;
        Activation = activation is null ? "linear" : Activations.Normalize(activation);
        UseBias = useBias;
        KernelInitializer = Initializers.Normalize(kernelInitializer);
        BiasInitializer = Initializers.Normalize(biasInitializer);
        InputDim = inputDim;
    }

    /// <summary>Output width.</summary>
    public int Units { get; }

    /// <summary>Activation name (<c>linear</c> for none).</summary>
    public string Activation { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool UseBias { get; }

    /// <summary>Kernel initializer name.</summary>
    public string KernelInitializer { get; }

    /// <summary>Bias initializer name.</summary>
    public string BiasInitializer { get; }

    /// <summary>Declared input width, if any.</summary>
    public int? InputDim { get; }

    /// <summary>Penalty on the kernel, if any.</summary>
    public Regularizer? KernelRegularizer { get; }

    /// <summary>Penalty on the bias, if any.</summary>
    public Regularizer? BiasRegularizer { get; }

    private Linear? _linear;

    /// <inheritdoc/>
    public override string DefaultName => "dense";

    /// <inheritdoc/>
    public override IReadOnlyList<long>? DeclaredInputShape => InputDim is { } d ? [d] : null;

    /// <inheritdoc/>
    protected internal override long[] ComputeOutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0)
        {
            throw new ArgumentException($"Layer `{Name}` (Dense) needs an input of rank >= 1 per sample, but got a "
                + "scalar per sample.", nameof(inputShape));
        }

        long[] output = (long[])inputShape.Clone();
        output[^1] = Units;
        return output;
    }

    /// <inheritdoc/>
    protected internal override nn.Module<Tensor, Tensor> Build(long[] inputShape, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        long fanIn = inputShape[^1];
        var linear = nn.Linear(fanIn, Units, hasBias: UseBias, dtype: ScalarType.Float32);
        _linear = linear;
        Initializers.Apply(KernelInitializer, linear.weight!, fanIn, Units, generator);
        if (UseBias)
        {
            Initializers.Apply(BiasInitializer, linear.bias!, fanIn, Units, generator);
        }

        nn.Module<Tensor, Tensor>? activation = Activations.Create(Activation);
        return activation is null
            ? linear
            : nn.Sequential(("linear", (nn.Module<Tensor, Tensor>)linear), (Activation, activation));
    }

    /// <inheritdoc/>
    internal override Tensor? RegularizationPenalty()
    {
        Tensor? penalty = KernelRegularizer is { } k && _linear?.weight is { } w ? k.Compute(w) : null;
        if (BiasRegularizer is { } b && _linear?.bias is { } bias)
        {
            penalty = penalty is null ? b.Compute(bias) : penalty.add(b.Compute(bias));
        }

        return penalty;
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new()
    {
        ["units"] = Units, ["activation"] = Activation, ["use_bias"] = UseBias,
        ["kernel_initializer"] = KernelInitializer, ["bias_initializer"] = BiasInitializer, ["input_dim"] = InputDim,
        ["kernel_regularizer"] = KernelRegularizer?.GetConfig(), ["bias_regularizer"] = BiasRegularizer?.GetConfig(),
    };

    private static void ValidateInitializer(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (!Initializers.IsKnown(name))
        {
            throw new ArgumentException(
                $"Unknown initializer `{name}`; expected one of {string.Join(", ", Initializers.Names)}.", paramName);
        }
    }
}

/// <summary>Keras' <c>Flatten</c>: reshapes each sample to one dimension (batch dimension kept).</summary>
public sealed class Flatten : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inputShape">Optional per-sample input shape (Keras' <c>input_shape</c>).</param>
    /// <param name="name">Layer name.</param>
    public Flatten(long[]? inputShape = null, string? name = null)
        : base(name)
    {
        if (inputShape is not null && inputShape.Any(d => d < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(inputShape), $"Expected positive dimensions in "
                + $"`inputShape`, but got [{string.Join(", ", inputShape)}].");
        }

        InputShape = inputShape is null ? null : (long[])inputShape.Clone();
    }

    /// <summary>Declared per-sample input shape, if any.</summary>
    public IReadOnlyList<long>? InputShape { get; }

    /// <inheritdoc/>
    public override string DefaultName => "flatten";

    /// <inheritdoc/>
    public override IReadOnlyList<long>? DeclaredInputShape => InputShape;

    /// <inheritdoc/>
    protected internal override long[] ComputeOutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        long product = 1;
        foreach (long d in inputShape)
        {
            product *= d;
        }

        return [product];
    }

    /// <inheritdoc/>
    protected internal override nn.Module<Tensor, Tensor> Build(long[] inputShape, Generator? generator)
        => nn.Flatten();

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new()
    {
        ["input_shape"] = InputShape is null ? null : new JsonArray(InputShape.Select(d => (JsonNode)d).ToArray()),
    };
}

/// <summary>
/// Keras' <c>Dropout</c>: during <c>Sequential.Fit</c> zeroes each element with probability
/// <see cref="Rate"/> and scales the rest by 1 / (1 − rate); the identity in <c>Sequential.Evaluate</c> and
/// <see cref="Sequential.Predict"/>. Draws its masks from the model's <see cref="Sequential.Generator"/> (torch's
/// default generator when that is <see langword="null"/>), so one seeded generator makes training reproducible.
/// </summary>
public sealed class Dropout : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="rate">Drop probability in [0, 1).</param>
    /// <param name="name">Layer name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is outside [0, 1).</exception>
    public Dropout(double rate, string? name = null)
        : base(name)
    {
        if (!(rate >= 0.0 && rate < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate,
                $"Expected `rate` to be in [0, 1), but got {rate}.");
        }

        Rate = rate;
    }

    /// <summary>Drop probability.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public override string DefaultName => "dropout";

    /// <inheritdoc/>
    protected internal override long[] ComputeOutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return (long[])inputShape.Clone();
    }

    /// <inheritdoc/>
    protected internal override nn.Module<Tensor, Tensor> Build(long[] inputShape, Generator? generator)
        => new GeneratorDropout(Rate, generator);

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new() { ["rate"] = Rate };
}
