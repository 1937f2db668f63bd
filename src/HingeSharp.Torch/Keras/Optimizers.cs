using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// A Keras-style optimizer: applies Keras' update formula to each parameter from its <c>.grad</c>, in place and
/// without autograd. Slot variables (momentum, moments, accumulators) are created on the first step and owned by
/// the optimizer.
/// </summary>
/// <remarks>
/// One <see cref="Step"/> follows Keras 3's <c>apply</c>: the gradients are clipped (<see cref="ClipNorm"/> per
/// parameter, <see cref="GlobalClipNorm"/> over all, or <see cref="ClipValue"/> element-wise; at most one), the
/// learning rate is read at the current <see cref="Iterations"/> (from <see cref="Schedule"/> when set), weight
/// decay <c>w ← w − w·wd·lr</c> is applied when <see cref="WeightDecay"/> is set, then the update, then
/// <see cref="Iterations"/> grows by one.
/// </remarks>
public abstract class KerasOptimizer : IDisposable
{
    private readonly List<Tensor[]> _slots = [];
    private Parameter[]? _parameters;
    private bool _disposed;
    private double _learningRate;
    private double? _clipNorm;
    private double? _globalClipNorm;
    private double? _clipValue;
    private double? _weightDecay;

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

    /// <summary>The learning rate: the schedule's value at <see cref="Iterations"/> when <see cref="Schedule"/>
    /// is set, otherwise the fixed rate (which callbacks such as <see cref="ReduceLROnPlateau"/> may change).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not positive and finite.</exception>
    /// <exception cref="InvalidOperationException">Set while a <see cref="Schedule"/> drives the rate.</exception>
    public double LearningRate
    {
        get => Schedule?.Compute(Iterations) ?? _learningRate;
        set
        {
            if (Schedule is not null)
            {
                throw new InvalidOperationException($"Optimizer `{Name}` takes its learning rate from a "
                    + $"{Schedule.GetType().Name} schedule; it cannot be set.");
            }

            _learningRate = Positive(value, "learningRate");
        }
    }

    /// <summary>A learning-rate schedule evaluated at <see cref="Iterations"/> before every step (Keras'
    /// <c>learning_rate=ExponentialDecay(…)</c>); <see langword="null"/> for the fixed
    /// <see cref="LearningRate"/>.</summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>Keras' <c>clipnorm</c>: each parameter's gradient is rescaled to an L2 norm of at most this value.
    /// </summary>
    /// <exception cref="ArgumentException">Not positive, or another clipping option is set.</exception>
    public double? ClipNorm
    {
        get => _clipNorm;
        set => _clipNorm = Clip(value, nameof(ClipNorm));
    }

    /// <summary>Keras' <c>global_clipnorm</c>: all gradients together are rescaled to an L2 norm of at most this
    /// value.</summary>
    /// <exception cref="ArgumentException">Not positive, or another clipping option is set.</exception>
    public double? GlobalClipNorm
    {
        get => _globalClipNorm;
        set => _globalClipNorm = Clip(value, nameof(GlobalClipNorm));
    }

    /// <summary>Keras' <c>clipvalue</c>: gradients are clipped element-wise to [−value, value].</summary>
    /// <exception cref="ArgumentException">Not positive, or another clipping option is set.</exception>
    public double? ClipValue
    {
        get => _clipValue;
        set => _clipValue = Clip(value, nameof(ClipValue));
    }

    /// <summary>Keras' <c>weight_decay</c>: before each update <c>w ← w − w·wd·lr</c> (decoupled from the
    /// gradient); <see langword="null"/> for none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or not finite.</exception>
    public double? WeightDecay
    {
        get => _weightDecay;
        set => _weightDecay = value is { } wd && !(wd >= 0.0 && double.IsFinite(wd))
            ? throw new ArgumentOutOfRangeException(nameof(value), wd,
                $"Expected `weightDecay` to be a finite number >= 0, but got {wd}.")
            : value;
    }

    /// <summary>Number of steps applied so far (Keras' <c>optimizer.iterations</c>).</summary>
    public long Iterations { get; private set; }

    /// <summary>Number of slot tensors each parameter gets (0 for plain SGD).</summary>
    protected abstract int SlotCount { get; }

    /// <summary>The learning rate of the step being applied (read once per step, before
    /// <see cref="Iterations"/> grows).</summary>
    protected double StepLearningRate { get; private set; }

    /// <summary>The slot tensors, one array per bound parameter (empty before the first step).</summary>
    internal IReadOnlyList<Tensor[]> Slots => _slots;

    /// <summary>An optimizer by Keras name with Keras' defaults: sgd, adam, adamw, nadam, rmsprop or adagrad.
    /// </summary>
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
            "adamw" => new AdamW(),
            "nadam" => new Nadam(),
            "rmsprop" => new RMSprop(),
            "adagrad" => new Adagrad(),
            _ => throw new ArgumentException($"Unknown optimizer `{name}`; expected sgd, adam, adamw, nadam, "
                + "rmsprop or adagrad.", nameof(name)),
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
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor?[] gradients = ClipGradients(parameters.Select(p => p.grad).ToArray());
        StepLearningRate = LearningRate;
        if (WeightDecay is { } wd)
        {
            foreach (Parameter p in parameters)
            {
                p.mul_(1.0 - (wd * StepLearningRate));
            }
        }

        Iterations++;
        BeginStep(Iterations);
        for (int i = 0; i < parameters.Count; i++)
        {
            if (gradients[i] is { } gradient)
            {
                Update(parameters[i], gradient, _slots[i]);
            }
        }
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

    /// <summary>The value slot <paramref name="slot"/> starts at (0 unless overridden, e.g. Adagrad's
    /// <c>initial_accumulator_value</c>).</summary>
    /// <param name="slot">The slot index.</param>
    /// <returns>The initial value.</returns>
    protected virtual double InitialSlotValue(int slot) => 0.0;

    /// <summary>Updates one parameter in place.</summary>
    /// <param name="variable">The parameter.</param>
    /// <param name="gradient">Its (clipped) gradient.</param>
    /// <param name="slots">Its <see cref="SlotCount"/> slot tensors.</param>
    protected abstract void Update(Tensor variable, Tensor gradient, Tensor[] slots);

    /// <summary>The hyperparameters <see cref="FromConfig"/> needs, besides the learning rate and the shared
    /// options.</summary>
    /// <returns>Name → value.</returns>
    internal abstract JsonObject GetConfig();

    /// <summary>The full configuration: name, learning rate or schedule, clipping, weight decay, own options.
    /// </summary>
    internal JsonObject GetFullConfig()
    {
        var config = new JsonObject
        {
            ["name"] = Name,
            ["learning_rate"] = _learningRate,
            ["schedule"] = Schedule?.GetConfig(),
            ["clipnorm"] = ClipNorm,
            ["global_clipnorm"] = GlobalClipNorm,
            ["clipvalue"] = ClipValue,
            ["weight_decay"] = WeightDecay,
            ["options"] = GetConfig(),
        };
        return config;
    }

    /// <summary>Recreates an optimizer from <see cref="GetFullConfig"/>.</summary>
    internal static KerasOptimizer FromConfig(JsonObject config)
    {
        string name = (string)config["name"]!;
        double lr = (double)config["learning_rate"]!;
        JsonObject o = config["options"]!.AsObject();
        double D(string key) => (double)o[key]!;
        KerasOptimizer optimizer = name switch
        {
            "SGD" => new SGD(lr, D("momentum"), (bool)o["nesterov"]!),
            "Adam" => new Adam(lr, D("beta_1"), D("beta_2"), D("epsilon")),
            "AdamW" => new AdamW(lr, D("weight_decay"), D("beta_1"), D("beta_2"), D("epsilon")),
            "Nadam" => new Nadam(lr, D("beta_1"), D("beta_2"), D("epsilon")),
            "RMSprop" => new RMSprop(lr, D("rho"), D("momentum"), D("epsilon"), (bool)o["centered"]!),
            "Adagrad" => new Adagrad(lr, D("initial_accumulator_value"), D("epsilon")),
            _ => throw new InvalidDataException($"Unknown optimizer `{name}` in the model file."),
        };
        optimizer.Schedule = config["schedule"] is JsonObject s ? LearningRateSchedule.FromConfig(s) : null;
        optimizer.ClipNorm = (double?)config["clipnorm"];
        optimizer.GlobalClipNorm = (double?)config["global_clipnorm"];
        optimizer.ClipValue = (double?)config["clipvalue"];
        optimizer.WeightDecay = (double?)config["weight_decay"];
        return optimizer;
    }

    /// <summary>Binds to <paramref name="parameters"/> and restores saved slots and the step count.</summary>
    internal void Restore(IReadOnlyList<Parameter> parameters, long iterations, IReadOnlyList<Tensor> slots)
    {
        Reset();
        if (iterations == 0 && slots.Count == 0)
        {
            return;
        }

        Bind(parameters);
        int k = 0;
        using var noGrad = torch.no_grad();
        foreach (Tensor[] perParameter in _slots)
        {
            foreach (Tensor slot in perParameter)
            {
                if (k >= slots.Count || !slot.shape.SequenceEqual(slots[k].shape))
                {
                    throw new InvalidDataException($"The saved state of optimizer `{Name}` does not fit the model "
                        + $"(slot {k}).");
                }

                slot.copy_(slots[k++]);
            }
        }

        if (k != slots.Count)
        {
            throw new InvalidDataException($"The saved state of optimizer `{Name}` has {slots.Count} slots; the "
                + $"model needs {k}.");
        }

        Iterations = iterations;
    }

    /// <summary>Checks a hyperparameter in [0, 1).</summary>
    internal static double Unit(double value, string name) => value >= 0.0 && value < 1.0
        ? value
        : throw new ArgumentOutOfRangeException(name, value, $"Expected `{name}` to be in [0, 1), but got {value}.");

    /// <summary>Checks a finite hyperparameter &gt;= 0.</summary>
    internal static double NonNegative(double value, string name) => value >= 0.0 && double.IsFinite(value)
        ? value
        : throw new ArgumentOutOfRangeException(name, value,
            $"Expected `{name}` to be a finite number >= 0, but got {value}.");

    private static double Positive(double value, string name) => value > 0.0 && double.IsFinite(value)
        ? value
        : throw new ArgumentOutOfRangeException(name, value,
            $"Expected `{name}` to be a positive finite number, but got {value}.");

    private double? Clip(double? value, string name)
    {
        if (value is not { } v)
        {
            return null;
        }

        _ = Positive(v, name);
        int others = (name != nameof(ClipNorm) && _clipNorm is not null ? 1 : 0)
            + (name != nameof(GlobalClipNorm) && _globalClipNorm is not null ? 1 : 0)
            + (name != nameof(ClipValue) && _clipValue is not null ? 1 : 0);
        return others == 0
            ? v
            : throw new ArgumentException($"Only one of ClipNorm, GlobalClipNorm and ClipValue can be set (as in "
                + $"Keras); got {name} = {v} with another already set.", name);
    }

    private Tensor?[] ClipGradients(Tensor?[] gradients)
    {
        if (ClipNorm is { } c)
        {
            return gradients.Select(g => g?.mul(c).div_(g.norm().clamp_min(c))).ToArray();
        }

        if (GlobalClipNorm is { } gc)
        {
            Tensor[] present = gradients.OfType<Tensor>().ToArray();
            if (present.Length == 0)
            {
                return gradients;
            }

            Tensor global = torch.stack(present.Select(g => g.square().sum()).ToArray()).sum().sqrt();
            Tensor scale = global.clamp_min(gc).reciprocal().mul_(gc);
            return gradients.Select(g => g?.mul(scale)).ToArray();
        }

        return ClipValue is { } v ? gradients.Select(g => g?.clamp(-v, v)).ToArray() : gradients;
    }

    private void Bind(IReadOnlyList<Parameter> parameters)
    {
        if (_parameters is null)
        {
            foreach (Parameter p in parameters)
            {
                var slots = new Tensor[SlotCount];
                for (int s = 0; s < slots.Length; s++)
                {
                    slots[s] = torch.full_like(p, InitialSlotValue(s)).DetachFromDisposeScope();
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
