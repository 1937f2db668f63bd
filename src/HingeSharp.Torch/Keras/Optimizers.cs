using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// A Keras-style optimizer: applies Keras' update formula to each parameter from its <c>.grad</c>, in place and
/// without autograd. Slot variables (momentum, moments) are created on the first step and owned by the optimizer.
/// </summary>
public abstract class KerasOptimizer : IDisposable
{
    private readonly List<Tensor[]> _slots = [];
    private Parameter[]? _parameters;
    private bool _disposed;
    private double _learningRate;

    /// <summary>Creates an optimizer.</summary>
    /// <param name="name">Keras name (e.g. <c>SGD</c>).</param>
    /// <param name="learningRate">Step size, &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not positive.</exception>
    protected KerasOptimizer(string name, double learningRate)
    {
        Name = name;
        LearningRate = learningRate;
    }

    /// <summary>The optimizer name.</summary>
    public string Name { get; }

    /// <summary>The learning rate (may be changed between steps, e.g. by a schedule callback).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not positive and finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0.0 && double.IsFinite(value)))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value,
                    $"Expected `learningRate` to be a positive finite number, but got {value}.");
            }

            _learningRate = value;
        }
    }

    /// <summary>Number of steps applied so far (Keras' <c>optimizer.iterations</c>).</summary>
    public long Iterations { get; internal set; }

    /// <summary>Number of slot tensors each parameter gets (0 for plain SGD).</summary>
    protected abstract int SlotCount { get; }

    /// <summary>An optimizer by Keras name with Keras' defaults: <c>sgd</c> or <c>adam</c>.</summary>
    /// <param name="name">The name (case-insensitive).</param>
    /// <returns>A new optimizer.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static KerasOptimizer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "sgd" => new SGD(),
            "adam" => new Adam(),
            _ => throw new ArgumentException($"Unknown optimizer `{name}`; expected sgd or adam.", nameof(name)),
        };
    }

    /// <summary>
    /// Applies one update to every parameter that has a gradient. The first call binds the optimizer to
    /// <paramref name="parameters"/>; later calls must pass the same parameters in the same order.
    /// </summary>
    /// <param name="parameters">The trainable parameters.</param>
    /// <exception cref="ArgumentException">The parameter list differs from the one of the first call.</exception>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Bind(parameters);
        Iterations++;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        BeginStep(Iterations);
        for (int i = 0; i < parameters.Count; i++)
        {
            Tensor? gradient = parameters[i].grad;
            if (gradient is not null)
            {
                Update(parameters[i], gradient, _slots[i]);
            }
        }
    }

    /// <summary>Binds the optimizer to <paramref name="parameters"/> as <see cref="Step"/> does and returns each
    /// parameter's slot tensors (the fused training path reads and writes them in place of <see cref="Step"/>).
    /// </summary>
    internal IReadOnlyList<Tensor[]> BindSlots(IReadOnlyList<Parameter> parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Bind(parameters);
        return _slots;
    }

    /// <summary>Frees the slot tensors; the next <see cref="Step"/> starts from fresh state.</summary>
    public void Reset()
    {
        foreach (Tensor[] slots in _slots)
        {
            foreach (Tensor t in slots)
            {
                t.Dispose();
            }
        }

        _slots.Clear();
        _parameters = null;
        Iterations = 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the slot tensors.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Reset();
        }

        _disposed = true;
    }

    /// <summary>Called once per step before the per-parameter updates (e.g. to compute bias corrections).
    /// </summary>
    /// <param name="iteration">The 1-based step number.</param>
    protected virtual void BeginStep(long iteration)
    {
    }

    /// <summary>Updates one parameter in place.</summary>
    /// <param name="variable">The parameter.</param>
    /// <param name="gradient">Its gradient.</param>
    /// <param name="slots">Its <see cref="SlotCount"/> slot tensors (zeros at the start).</param>
    protected abstract void Update(Tensor variable, Tensor gradient, Tensor[] slots);

    private void Bind(IReadOnlyList<Parameter> parameters)
    {
        if (_parameters is null)
        {
            foreach (Parameter p in parameters)
            {
                var slots = new Tensor[SlotCount];
                for (int s = 0; s < slots.Length; s++)
                {
                    slots[s] = torch.zeros_like(p).DetachFromDisposeScope();
                }

                _slots.Add(slots);
            }

            _parameters = parameters.ToArray();
            return;
        }

        bool same = parameters.Count == _parameters.Length;
        for (int i = 0; same && i < parameters.Count; i++)
        {
            same = parameters[i].Handle == _parameters[i].Handle;
        }

        if (!same)
        {
            throw new ArgumentException($"Optimizer `{Name}` was first used with {_parameters.Length} other "
                + "parameters; call Reset() before using it for another model.", nameof(parameters));
        }
    }
}

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
        if (!(momentum >= 0.0 && momentum < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum,
                $"Expected `momentum` to be in [0, 1), but got {momentum}.");
        }

        Momentum = momentum;
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
            variable.add_(gradient, alpha: -LearningRate);
            return;
        }

        Tensor velocity = slots[0];
        velocity.mul_(Momentum).add_(gradient, alpha: -LearningRate);
        if (Nesterov)
        {
            variable.add_(velocity, alpha: Momentum).add_(gradient, alpha: -LearningRate);
        }
        else
        {
            variable.add_(velocity);
        }
    }
}

/// <summary>
/// Keras' <c>Adam</c>: <c>m ← β₁·m + (1 − β₁)·g</c>, <c>v ← β₂·v + (1 − β₂)·g²</c>,
/// <c>w ← w − α·m / (√v + ε)</c> with <c>α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)</c>.
/// </summary>
/// <remarks>
/// Keras' ε is the paper's "ε-hat", added to √v before the bias correction; PyTorch's <c>torch.optim.Adam</c>
/// adds ε to √v̂ after it, so the two differ slightly for the same ε (and the defaults differ too: Keras 1e-7,
/// PyTorch 1e-8). Defaults are Keras': lr 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7.
/// </remarks>
public sealed class Adam : KerasOptimizer
{
    private double _alpha;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, &gt; 0 (Keras default 0.001).</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Stability constant, &gt;= 0 (Keras default 1e-7).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base("Adam", learningRate)
    {
        CheckUnit(beta1, nameof(beta1));
        CheckUnit(beta2, nameof(beta2));
        if (!(epsilon >= 0.0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon,
                $"Expected `epsilon` to be a finite number >= 0, but got {epsilon}.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
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
        => _alpha = LearningRate * Math.Sqrt(1.0 - Math.Pow(Beta2, iteration)) / (1.0 - Math.Pow(Beta1, iteration));

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

    private static void CheckUnit(double value, string name)
    {
        if (!(value >= 0.0 && value < 1.0))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected `{name}` to be in [0, 1), but got {value}.");
        }
    }
}
