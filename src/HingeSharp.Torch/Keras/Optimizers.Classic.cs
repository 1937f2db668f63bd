using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Keras' <c>SGD</c>: without momentum <c>w ← w − lr·g</c>; with momentum <c>v ← m·v − lr·g</c>, then
/// <c>w ← w + v</c>, or with Nesterov <c>w ← w + m·v − lr·g</c>.
/// </summary>
/// <remarks>
/// For a constant learning rate this equals PyTorch's <c>torch.optim.SGD</c> (whose buffer is
/// <c>b ← m·b + g</c>, <c>w ← w − lr·b</c>, so <c>v = −lr·b</c>); it differs when the learning rate changes
/// during training, since Keras folds the rate into the velocity. Defaults are Keras': lr 0.01, momentum 0.
/// </remarks>
/// <example><code>var opt = new SGD(learningRate: 0.01, momentum: 0.9);   // the tutorial's optimizer</code></example>
public sealed class SGD : KerasOptimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, &gt; 0 (Keras default 0.01).</param>
    /// <param name="momentum">Momentum in [0, 1) (Keras default 0).</param>
    /// <param name="nesterov">Whether to use Nesterov momentum.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public SGD(double learningRate = 0.01, double momentum = 0.0, bool nesterov = false)
        : base("SGD", learningRate)
    {
        Momentum = Unit(momentum, nameof(momentum));
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override int SlotCount => Momentum > 0.0 ? 1 : 0;

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(slots);
        if (slots.Length == 0)
        {
            variable.add_(gradient, alpha: -StepLearningRate);
            return;
        }

        Tensor velocity = slots[0];
        velocity.mul_(Momentum).add_(gradient, alpha: -StepLearningRate);
        if (Nesterov)
        {
            variable.add_(velocity, alpha: Momentum).add_(gradient, alpha: -StepLearningRate);
        }
        else
        {
            variable.add_(velocity);
        }
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new() { ["momentum"] = Momentum, ["nesterov"] = Nesterov };
}

/// <summary>
/// Keras' <c>RMSprop</c>: <c>v ← ρ·v + (1 − ρ)·g²</c>; <c>Δ = lr·g / √(v + ε)</c> (centered:
/// <c>a ← ρ·a + (1 − ρ)·g</c>, <c>Δ = lr·g / √(v − a² + ε)</c>); with momentum <c>m ← μ·m + Δ</c>,
/// <c>w ← w − m</c>, otherwise <c>w ← w − Δ</c>.
/// </summary>
/// <remarks>
/// As in Keras, ε is added inside the square root (PyTorch's <c>torch.optim.RMSprop</c> adds it outside, with
/// default 1e-8). Defaults are Keras': lr 0.001, ρ 0.9, momentum 0, ε 1e-7, not centered.
/// TorchSharp's own optimizer is <c>TorchSharp.Modules.RMSProp</c> (capital P), so the names never clash.
/// </remarks>
public sealed class RMSprop : KerasOptimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, &gt; 0 (Keras default 0.001).</param>
    /// <param name="rho">Decay of the squared-gradient average, in [0, 1) (Keras default 0.9).</param>
    /// <param name="momentum">Momentum in [0, 1) (Keras default 0).</param>
    /// <param name="epsilon">Stability constant under the square root, &gt;= 0 (Keras default 1e-7).</param>
    /// <param name="centered">Whether to divide by the estimated variance instead of the second moment.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public RMSprop(double learningRate = 0.001, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7,
        bool centered = false)
        : base("RMSprop", learningRate)
    {
        Rho = Unit(rho, nameof(rho));
        Momentum = Unit(momentum, nameof(momentum));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
        Centered = centered;
    }

    /// <summary>Decay ρ of the squared-gradient average.</summary>
    public double Rho { get; }

    /// <summary>Momentum μ.</summary>
    public double Momentum { get; }

    /// <summary>Stability constant ε.</summary>
    public double Epsilon { get; }

    /// <summary>Whether the centered variant is used.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override int SlotCount => 1 + (Momentum > 0.0 ? 1 : 0) + (Centered ? 1 : 0);

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(slots);
        Tensor velocity = slots[0];
        velocity.mul_(Rho).addcmul_(gradient, gradient, value: 1.0 - Rho);
        Tensor denominator;
        if (Centered)
        {
            Tensor average = slots[^1];
            average.mul_(Rho).add_(gradient, alpha: 1.0 - Rho);
            denominator = velocity.sub(average.square()).add_(Epsilon);
        }
        else
        {
            denominator = velocity.add(Epsilon);
        }

        Tensor increment = gradient.mul(StepLearningRate).div_(denominator.sqrt_());
        if (Momentum > 0.0)
        {
            Tensor m = slots[1];
            m.mul_(Momentum).add_(increment);
            variable.sub_(m);
        }
        else
        {
            variable.sub_(increment);
        }
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new()
    {
        ["rho"] = Rho, ["momentum"] = Momentum, ["epsilon"] = Epsilon, ["centered"] = Centered,
    };
}

/// <summary>
/// Keras' <c>Adagrad</c>: <c>a ← a + g²</c>, <c>w ← w − lr·g / √(a + ε)</c>, the accumulator a starting at
/// <see cref="InitialAccumulatorValue"/>.
/// </summary>
/// <remarks>
/// Defaults are Keras': lr 0.001, initial accumulator 0.1, ε 1e-7 (inside the square root). PyTorch's
/// <c>torch.optim.Adagrad</c> starts the accumulator at 0 and adds ε (1e-10) outside the root.
/// </remarks>
public sealed class Adagrad : KerasOptimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, &gt; 0 (Keras default 0.001).</param>
    /// <param name="initialAccumulatorValue">Start of the accumulator, &gt;= 0 (Keras default 0.1).</param>
    /// <param name="epsilon">Stability constant under the square root, &gt;= 0 (Keras default 1e-7).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adagrad(double learningRate = 0.001, double initialAccumulatorValue = 0.1, double epsilon = 1e-7)
        : base("Adagrad", learningRate)
    {
        InitialAccumulatorValue = NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
    }

    /// <summary>Start value of the squared-gradient accumulator.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>Stability constant ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override int SlotCount => 1;

    /// <inheritdoc/>
    protected override double InitialSlotValue(int slot) => InitialAccumulatorValue;

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(slots);
        Tensor accumulator = slots[0];
        accumulator.addcmul_(gradient, gradient, value: 1.0);
        variable.sub_(gradient.mul(StepLearningRate).div_(accumulator.add(Epsilon).sqrt_()));
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new()
    {
        ["initial_accumulator_value"] = InitialAccumulatorValue, ["epsilon"] = Epsilon,
    };
}
