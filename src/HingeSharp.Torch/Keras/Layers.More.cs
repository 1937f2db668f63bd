using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>Keras' <c>Activation</c> layer: applies one of <see cref="Activations.Names"/> element-wise.</summary>
/// <example><code>model.Add(new Dense(3)); model.Add(new Activation("softmax"));</code></example>
public sealed class Activation : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="activation">An activation name (<see cref="Activations.Names"/>).</param>
    /// <param name="name">Layer name.</param>
    /// <exception cref="ArgumentException">Unknown activation.</exception>
    public Activation(string activation, string? name = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(activation);
        Activations.Validate(activation, nameof(activation));
        Function = Activations.Normalize(activation);
    }

    /// <summary>The activation name.</summary>
    public string Function { get; }

    /// <inheritdoc/>
    public override string DefaultName => "activation";

    /// <inheritdoc/>
    protected internal override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    protected internal override nn.Module<Tensor, Tensor> Build(long[] inputShape, Generator? generator)
        => Activations.Create(Function) ?? nn.Identity();

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new() { ["activation"] = Function };
}

/// <summary>Keras' <c>Input</c> (<c>keras.Input(shape=…)</c> as the first entry of a <c>Sequential</c>): declares
/// the per-sample input shape, so the model is built at once; it computes nothing.</summary>
/// <example><code>var model = new Sequential([new Input(2), new Dense(3, activation: "softmax")]);</code></example>
public sealed class Input : Layer
{
    private readonly long[] _shape;

    /// <summary>Creates the layer.</summary>
    /// <param name="shape">Per-sample input shape (without the batch dimension), positive dimensions.</param>
    /// <exception cref="ArgumentException">Empty shape or a dimension below 1.</exception>
    public Input(params long[] shape)
        : base(null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || shape.Any(d => d < 1))
        {
            throw new ArgumentException($"Expected a non-empty `shape` of positive dimensions, but got "
                + $"[{string.Join(", ", shape)}].", nameof(shape));
        }

        _shape = (long[])shape.Clone();
    }

    /// <summary>The declared per-sample shape.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <inheritdoc/>
    public override string DefaultName => "input_layer";

    /// <inheritdoc/>
    public override IReadOnlyList<long>? DeclaredInputShape => _shape;

    /// <inheritdoc/>
    protected internal override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    protected internal override nn.Module<Tensor, Tensor> Build(long[] inputShape, Generator? generator)
        => nn.Identity();

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new() { ["shape"] = new JsonArray(_shape.Select(d => (JsonNode)d).ToArray()) };
}

/// <summary>
/// Keras' <c>BatchNormalization</c> over the last axis. In training (<c>Fit</c>) it normalises with the batch's
/// mean and biased variance and updates <c>moving ← moving·momentum + batch·(1 − momentum)</c>; in inference
/// (<c>Evaluate</c>, <c>Predict</c>) it uses the moving statistics: <c>γ·(x − μ)/√(σ² + ε) + β</c>.
/// </summary>
/// <remarks>Defaults are Keras': momentum 0.99, ε 1e-3, with γ (scale) and β (center). PyTorch's
/// <c>BatchNorm1d</c> differs: its momentum is Keras' 1 − momentum, and it tracks the unbiased variance. γ and β
/// are trainable; the moving mean and variance are non-trainable weights (<see cref="Sequential.Summary"/>).
/// </remarks>
public sealed class BatchNormalization : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="momentum">Moving-average momentum in [0, 1) (Keras default 0.99).</param>
    /// <param name="epsilon">Variance offset, &gt; 0 (Keras default 1e-3).</param>
    /// <param name="center">Whether to add the learned offset β.</param>
    /// <param name="scale">Whether to multiply by the learned scale γ.</param>
    /// <param name="name">Layer name.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public BatchNormalization(double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true,
        string? name = null)
        : base(name)
    {
        Momentum = KerasOptimizer.Unit(momentum, nameof(momentum));
        Epsilon = epsilon > 0.0 && double.IsFinite(epsilon) ? epsilon : throw new ArgumentOutOfRangeException(
            nameof(epsilon), epsilon, $"Expected `epsilon` to be a positive finite number, but got {epsilon}.");
        Center = center;
        Scale = scale;
    }

    /// <summary>Moving-average momentum.</summary>
    public double Momentum { get; }

    /// <summary>Variance offset ε.</summary>
    public double Epsilon { get; }

    /// <summary>Whether β is used.</summary>
    public bool Center { get; }

    /// <summary>Whether γ is used.</summary>
    public bool Scale { get; }

    /// <inheritdoc/>
    public override string DefaultName => "batch_normalization";

    /// <inheritdoc/>
    protected internal override long[] ComputeOutputShape(long[] inputShape) => (long[])inputShape.Clone();

    /// <inheritdoc/>
    protected internal override nn.Module<Tensor, Tensor> Build(long[] inputShape, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return new KerasBatchNorm(inputShape[^1], Momentum, Epsilon, Center, Scale);
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new()
    {
        ["momentum"] = Momentum, ["epsilon"] = Epsilon, ["center"] = Center, ["scale"] = Scale,
    };
}

/// <summary>Layer settings ↔ layers, for <see cref="Sequential.Save"/> and <see cref="Sequential.Load"/>.</summary>
public abstract partial class Layer
{
    /// <summary>Rebuilds a layer from its type name, its name and <see cref="GetConfig"/>.</summary>
    internal static Layer FromConfig(string type, string? name, JsonObject c)
    {
        long[] Shape(string key) => c[key]!.AsArray().Select(d => (long)d!).ToArray();
        return type switch
        {
            nameof(Dense) => new Dense((int)c["units"]!, (string?)c["activation"], (bool)c["use_bias"]!,
                (string)c["kernel_initializer"]!, (string)c["bias_initializer"]!, (int?)c["input_dim"], name,
                Regularizer.FromConfig(c["kernel_regularizer"] as JsonObject),
                Regularizer.FromConfig(c["bias_regularizer"] as JsonObject)),
            nameof(Flatten) => new Flatten(c["input_shape"] is null ? null : Shape("input_shape"), name),
            nameof(Dropout) => new Dropout((double)c["rate"]!, name),
            nameof(Activation) => new Activation((string)c["activation"]!, name),
            nameof(Input) => new Input(Shape("shape")) { Name = name },
            nameof(BatchNormalization) => new BatchNormalization((double)c["momentum"]!, (double)c["epsilon"]!,
                (bool)c["center"]!, (bool)c["scale"]!, name),
            _ => throw new InvalidDataException($"Unknown layer type `{type}` in the model file; only built-in "
                + "layers can be loaded."),
        };
    }
}

/// <summary>Keras' weight regularizers: a penalty on a weight tensor added to the training loss.</summary>
public abstract class Regularizer
{
    /// <summary>The penalty for a weight tensor.</summary>
    /// <param name="weight">The weight.</param>
    /// <returns>A scalar tensor.</returns>
    public abstract Tensor Compute(Tensor weight);

    internal abstract JsonObject GetConfig();

    internal static Regularizer? FromConfig(JsonObject? c) => c is null ? null : new L1L2((double)c["l1"]!,
        (double)c["l2"]!);
}

/// <summary>Keras' <c>L1L2</c>: <c>l1·Σ|w| + l2·Σw²</c>.</summary>
/// <param name="l1">L1 factor, &gt;= 0.</param>
/// <param name="l2">L2 factor, &gt;= 0.</param>
public class L1L2(double l1 = 0.0, double l2 = 0.0) : Regularizer
{
    /// <summary>L1 factor.</summary>
    public double L1Factor { get; } = KerasOptimizer.NonNegative(l1, nameof(l1));

    /// <summary>L2 factor.</summary>
    public double L2Factor { get; } = KerasOptimizer.NonNegative(l2, nameof(l2));

    /// <inheritdoc/>
    public override Tensor Compute(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Tensor penalty = weight.square().sum().mul(L2Factor);
        return L1Factor == 0.0 ? penalty : penalty.add(weight.abs().sum().mul(L1Factor));
    }

    internal override JsonObject GetConfig() => new() { ["l1"] = L1Factor, ["l2"] = L2Factor };
}

/// <summary>Keras' <c>L2</c>: <c>l2·Σw²</c> (Keras default l2 = 0.01).</summary>
/// <param name="l2">L2 factor, &gt;= 0.</param>
public sealed class L2(double l2 = 0.01) : L1L2(0.0, l2);

/// <summary>Keras' <c>L1</c>: <c>l1·Σ|w|</c> (Keras default l1 = 0.01).</summary>
/// <param name="l1">L1 factor, &gt;= 0.</param>
public sealed class L1(double l1 = 0.01) : L1L2(l1, 0.0);
