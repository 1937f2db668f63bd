using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Keras' <c>Adam</c>: <c>m ← β₁·m + (1 − β₁)·g</c>, <c>v ← β₂·v + (1 − β₂)·g²</c>,
/// <c>w ← w − α·m / (√v + ε)</c> with <c>α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)</c>.
/// </summary>
/// <remarks>
/// Keras' ε is the paper's "ε-hat", added to √v before the bias correction; PyTorch's <c>torch.optim.Adam</c>
/// adds ε to √v̂ after it, so the two differ slightly for the same ε (and the defaults differ too: Keras 1e-7,
/// PyTorch 1e-8). Defaults are Keras': lr 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7.
/// </remarks>
public class Adam : KerasOptimizer
{
    private double _alpha;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, &gt; 0 (Keras default 0.001).</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Stability constant, &gt;= 0 (Keras default 1e-7).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : this("Adam", learningRate, beta1, beta2, epsilon)
    {
    }

    /// <summary>Creates a named Adam variant.</summary>
    /// <param name="name">Keras name.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="beta1">Decay of the first moment.</param>
    /// <param name="beta2">Decay of the second moment.</param>
    /// <param name="epsilon">Stability constant.</param>
    private protected Adam(string name, double learningRate, double beta1, double beta2, double epsilon)
        : base(name, learningRate)
    {
        Beta1 = Unit(beta1, nameof(beta1));
        Beta2 = Unit(beta2, nameof(beta2));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
    }

    /// <summary>First-moment decay β₁.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay β₂.</summary>
    public double Beta2 { get; }

    /// <summary>Stability constant ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override int SlotCount => 2;

    /// <inheritdoc/>
    protected override void BeginStep(long iteration)
        => _alpha = StepLearningRate * Math.Sqrt(1.0 - Math.Pow(Beta2, iteration))
            / (1.0 - Math.Pow(Beta1, iteration));

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(slots);
        Tensor m = slots[0];
        Tensor v = slots[1];
        m.mul_(Beta1).add_(gradient, alpha: 1.0 - Beta1);
        v.mul_(Beta2).addcmul_(gradient, gradient, value: 1.0 - Beta2);
        variable.addcdiv_(m, v.sqrt().add_(Epsilon), value: -_alpha);
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new()
    {
        ["beta_1"] = Beta1, ["beta_2"] = Beta2, ["epsilon"] = Epsilon,
    };
}

/// <summary>
/// Keras' <c>AdamW</c>: Adam with decoupled weight decay, <c>w ← w − w·wd·lr</c> before each Adam update
/// (Loshchilov and Hutter). Defaults are Keras': lr 0.001, weight decay 0.004, β₁ 0.9, β₂ 0.999, ε 1e-7.
/// </summary>
/// <remarks>PyTorch's <c>torch.optim.AdamW</c> applies the same decay <c>w·(1 − lr·wd)</c> but with default
/// weight decay 0.01 and ε 1e-8 added after the bias correction.</remarks>
/// <example><code>model.Compile("categorical_hinge", new AdamW(learningRate: 0.01), "sparse_categorical_accuracy");
/// </code></example>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, &gt; 0 (Keras default 0.001).</param>
    /// <param name="weightDecay">Decoupled weight decay, &gt;= 0 (Keras default 0.004).</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Stability constant, &gt;= 0 (Keras default 1e-7).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public AdamW(double learningRate = 0.001, double weightDecay = 0.004, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-7)
        : base("AdamW", learningRate, beta1, beta2, epsilon)
    {
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig()
    {
        JsonObject config = base.GetConfig();
        config["weight_decay"] = WeightDecay;
        return config;
    }
}

/// <summary>
/// Keras' <c>Nadam</c> (Adam with Nesterov momentum, Dozat's momentum schedule): with
/// <c>μₜ = β₁·(1 − ½·0.96ᵗ)</c> and <c>Πₜ = μ₁⋯μₜ</c>: <c>m ← β₁·m + (1 − β₁)·g</c>,
/// <c>v ← β₂·v + (1 − β₂)·g²</c>, <c>m̂ = μₜ₊₁·m / (1 − Πₜ·μₜ₊₁) + (1 − μₜ)·g / (1 − Πₜ)</c>,
/// <c>v̂ = v / (1 − β₂ᵗ)</c>, <c>w ← w − lr·m̂ / (√v̂ + ε)</c>.
/// </summary>
/// <remarks>Defaults are Keras': lr 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7. TorchSharp's optimizer is
/// <c>TorchSharp.Modules.NAdam</c> (different casing), so the names never clash.</remarks>
public sealed class Nadam : KerasOptimizer
{
    private double _uProduct = 1.0;
    private long _uProductStep;
    private double _ut;
    private double _ut1;
    private double _uProductNext;
    private double _beta2Power;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, &gt; 0 (Keras default 0.001).</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Stability constant, &gt;= 0 (Keras default 1e-7).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Nadam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base("Nadam", learningRate)
    {
        Beta1 = Unit(beta1, nameof(beta1));
        Beta2 = Unit(beta2, nameof(beta2));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
    }

    /// <summary>First-moment decay β₁.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay β₂.</summary>
    public double Beta2 { get; }

    /// <summary>Stability constant ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override int SlotCount => 2;

    /// <inheritdoc/>
    protected override void BeginStep(long iteration)
    {
        if (_uProductStep != iteration - 1)
        {
            // after Reset or a restore: rebuild Π from the step count
            _uProduct = 1.0;
            for (long i = 1; i < iteration; i++)
            {
                _uProduct *= Mu(i);
            }
        }

        _ut = Mu(iteration);
        _ut1 = Mu(iteration + 1);
        _uProduct *= _ut;
        _uProductStep = iteration;
        _uProductNext = _uProduct * _ut1;
        _beta2Power = Math.Pow(Beta2, iteration);
    }

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(slots);
        Tensor m = slots[0];
        Tensor v = slots[1];
        m.mul_(Beta1).add_(gradient, alpha: 1.0 - Beta1);
        v.mul_(Beta2).addcmul_(gradient, gradient, value: 1.0 - Beta2);
        Tensor mHat = m.mul(_ut1 / (1.0 - _uProductNext)).add_(gradient, alpha: (1.0 - _ut) / (1.0 - _uProduct));
        Tensor denominator = v.div(1.0 - _beta2Power).sqrt_().add_(Epsilon);
        variable.addcdiv_(mHat, denominator, value: -StepLearningRate);
    }

    /// <inheritdoc/>
    internal override JsonObject GetConfig() => new()
    {
        ["beta_1"] = Beta1, ["beta_2"] = Beta2, ["epsilon"] = Epsilon,
    };

    private double Mu(long step) => Beta1 * (1.0 - (0.5 * Math.Pow(0.96, step)));
}
