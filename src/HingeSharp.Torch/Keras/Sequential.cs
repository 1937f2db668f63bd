using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Keras' <c>Sequential</c> model on TorchSharp: a stack of <see cref="Layer"/>s built into a
/// <c>torch.nn.Sequential</c> (float32), trained with <c>Fit</c> using Keras' losses, optimizers, metrics
/// and callbacks.
/// </summary>
/// <remarks>
/// Weights are initialised from <see cref="Generator"/> (or torch's default generator when it is
/// <see langword="null"/>, so <c>torch.manual_seed</c> makes runs reproducible); <c>Fit</c> shuffles and
/// <see cref="Dropout"/> draws its masks with the same generator, so one seeded generator makes training
/// bit-reproducible. <see cref="Save"/> and <see cref="Load"/> carry the generator state with the model. The model
/// is built when the per-sample input shape is first known: when a first layer declaring an input shape
/// (<see cref="Input"/>, <c>inputDim</c>) is added, by <see cref="Build"/>, or from the data given to <c>Fit</c>,
/// <c>Evaluate</c> or <see cref="Predict"/>.
/// </remarks>
/// <example><code>
/// torch.manual_seed(1);
/// using var model = new Sequential();
/// model.Add(new Dense(50, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"));
/// model.Add(new Dense(1, activation: "tanh"));
/// model.Compile("hinge", new SGD(learningRate: 0.01, momentum: 0.9), "accuracy");
/// History history = model.Fit(trainX, trainY, epochs: 200, validationData: (testX, testY), verbose: 0);
/// double testAccuracy = model.Evaluate(testX, testY)["accuracy"];
/// </code></example>
public sealed partial class Sequential : IDisposable
{
    private static readonly Action<string> DefaultLog = Console.WriteLine;
    private readonly List<Layer> _layers = [];
    private readonly Dictionary<string, int> _nameCounts = [];
    private readonly List<object> _metricSpecs = [];
    private List<KerasMetric>? _metrics;
    private TorchSharp.Modules.Sequential? _module;
    private Parameter[] _parameters = [];
    private long[]? _inputShape;
    private long[]? _outputShape;
    private Device _device = torch.CPU;
    private bool _ownsOptimizer;
    private bool _disposed;

    /// <summary>Creates an empty model.</summary>
    /// <param name="generator">Generator for weight initialisation and shuffling; <see langword="null"/> for
    /// torch's default generator.</param>
    public Sequential(Generator? generator = null)
    {
        Generator = generator;
    }

    /// <summary>Creates a model from layers.</summary>
    /// <param name="layers">The layers, in order.</param>
    /// <param name="generator">Generator for weight initialisation and shuffling.</param>
    public Sequential(IEnumerable<Layer> layers, Generator? generator = null)
        : this(generator)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (Layer layer in layers)
        {
            Add(layer);
        }
    }

    /// <summary>Generator for weight initialisation, shuffling and dropout; <see langword="null"/> uses torch's
    /// default. Set it before the model is built: dropout layers keep the generator they were built with.
    /// </summary>
    public Generator? Generator { get; set; }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Whether the TorchSharp module exists.</summary>
    public bool IsBuilt => _module is not null;

    /// <summary>The compiled loss, or <see langword="null"/>.</summary>
    public KerasLoss? Loss { get; private set; }

    /// <summary>The compiled optimizer, or <see langword="null"/>.</summary>
    public KerasOptimizer? Optimizer { get; private set; }

    /// <summary>The compiled metrics (resolved once the model is built).</summary>
    public IReadOnlyList<KerasMetric> Metrics => _metrics ?? [];

    /// <summary>Set by a callback (e.g. <see cref="EarlyStopping"/>) to end <c>Fit</c> after the current
    /// epoch; reset when <c>Fit</c> starts.</summary>
    public bool StopTraining { get; set; }

    /// <summary>Where lines go when <c>Fit</c> runs with <c>verbose</c> &gt; 0 (default:
    /// <see cref="Console.WriteLine(string)"/>).</summary>
    public Action<string> Log { get; set; } = DefaultLog;

    /// <summary>The device the model lives on.</summary>
    public Device Device => _device;

    /// <summary>The built TorchSharp module.</summary>
    /// <exception cref="InvalidOperationException">The model is not built yet.</exception>
    public nn.Module<Tensor, Tensor> Module => _module ?? throw NotBuilt();

    /// <summary>Trainable parameters in layer order (empty before the model is built).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Per-sample input shape, once built.</summary>
    public IReadOnlyList<long>? InputShape => _inputShape;

    /// <summary>Per-sample output shape, once built.</summary>
    public IReadOnlyList<long>? OutputShape => _outputShape;

    /// <summary>
    /// Appends a layer and names it (<c>dense</c>, <c>dense_1</c>, … unless it has a name). As in Keras, a model
    /// whose first layer declares its input shape is built at once, and a layer added to a built model is built
    /// on the spot (earlier weights are kept; the optimizer's state is reset).
    /// </summary>
    /// <param name="layer">The layer.</param>
    /// <exception cref="ArgumentException">The name is already used in this model, or the layer declares an
    /// input shape that does not fit.</exception>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ObjectDisposedException.ThrowIf(_disposed, this);
        string name = layer.Name ?? NextName(layer.DefaultName);
        if (_layers.Any(l => l.Name == name))
        {
            throw new ArgumentException($"Layer name `{name}` is used twice in this model.", nameof(layer));
        }

        if (_module is not null && layer.DeclaredInputShape is { } declared && !declared.SequenceEqual(_outputShape!))
        {
            throw new ArgumentException($"Layer `{name}` declares inputs of shape [{Shape(declared)}], but the "
                + $"model outputs [{Shape(_outputShape!)}] per sample.", nameof(layer));
        }

        layer.Name = name;
        _nameCounts[layer.DefaultName] = _nameCounts.GetValueOrDefault(layer.DefaultName) + 1;
        _layers.Add(layer);
        if (_module is not null)
        {
            _module.append(name, layer.Build(_outputShape!, Generator));
            _module.to(_device);
            _outputShape = layer.ComputeOutputShape(_outputShape!);
            _parameters = _module.parameters().ToArray();
            Optimizer?.Reset();
            ResolveMetrics();
        }
        else if (_layers.Count == 1 && layer.DeclaredInputShape is { } input)
        {
            Build([.. input]);
        }
    }

    /// <summary>Builds the TorchSharp module for a per-sample input shape and initialises the weights.</summary>
    /// <param name="inputShape">Input shape without the batch dimension (e.g. <c>2</c>, or <c>3, 28, 28</c>).
    /// </param>
    /// <exception cref="InvalidOperationException">No layers.</exception>
    /// <exception cref="ArgumentException">A dimension is not positive or differs from a declared one.</exception>
    public void Build(params long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (inputShape.Any(d => d < 1))
        {
            throw new ArgumentException($"Expected positive dimensions in `inputShape`, but got "
                + $"[{string.Join(", ", inputShape)}].", nameof(inputShape));
        }

        if (_module is not null)
        {
            if (!inputShape.SequenceEqual(_inputShape!))
            {
                throw new ArgumentException($"The model was built for inputs of shape [{Shape(_inputShape!)}] per "
                    + $"sample, but got [{Shape(inputShape)}].", nameof(inputShape));
            }

            return;
        }

        if (_layers.Count == 0)
        {
            throw new InvalidOperationException("The model has no layers; Add at least one before building.");
        }

        if (_layers[0].DeclaredInputShape is { } declared && !declared.SequenceEqual(inputShape))
        {
            throw new ArgumentException($"Layer `{_layers[0].Name}` declares inputs of shape [{Shape(declared)}] "
                + $"per sample, but got [{Shape(inputShape)}].", nameof(inputShape));
        }

        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        long[] shape = (long[])inputShape.Clone();
        foreach (Layer layer in _layers)
        {
            modules.Add((layer.Name!, layer.Build(shape, Generator)));
            shape = layer.ComputeOutputShape(shape);
        }

        _module = nn.Sequential(modules);
        _module.to(_device);
        _parameters = _module.parameters().ToArray();
        _inputShape = (long[])inputShape.Clone();
        _outputShape = shape;
        ResolveMetrics();
    }

    /// <summary>Moves the model (and later its data) to a device.</summary>
    /// <param name="device">The device.</param>
    /// <returns>This model.</returns>
    public Sequential To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        if (_module is not null)
        {
            _module.to(device);
            _parameters = _module.parameters().ToArray();
            Optimizer?.Reset();
        }

        return this;
    }

    /// <summary>Configures training, like Keras' <c>compile</c>.</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="optimizer">The optimizer (not disposed by the model).</param>
    /// <param name="metrics">Metrics reported by <c>Fit</c> and <c>Evaluate</c>.</param>
    public void Compile(KerasLoss loss, KerasOptimizer optimizer, IEnumerable<KerasMetric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        SetCompiled(loss, optimizer, ownsOptimizer: false, metrics?.Cast<object>() ?? []);
    }

    /// <summary>Configures training with Keras names, e.g.
    /// <c>Compile("hinge", new SGD(0.01, momentum: 0.9), "accuracy")</c>.</summary>
    /// <param name="loss">A <see cref="KerasLoss.Get"/> name.</param>
    /// <param name="optimizer">The optimizer (not disposed by the model).</param>
    /// <param name="metrics">Metric names (see <see cref="KerasMetric.Get"/>; <c>accuracy</c> is resolved by the
    /// loss and output width).</param>
    public void Compile(string loss, KerasOptimizer optimizer, params string[] metrics)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(metrics);
        SetCompiled(KerasLoss.Get(loss), optimizer, ownsOptimizer: false, metrics);
    }

    /// <summary>Configures training with Keras names only, e.g. <c>Compile("hinge", "adam", "accuracy")</c>;
    /// the optimizer gets Keras' defaults and is owned (disposed) by the model.</summary>
    /// <param name="loss">A <see cref="KerasLoss.Get"/> name.</param>
    /// <param name="optimizer">A <see cref="KerasOptimizer.Get"/> name.</param>
    /// <param name="metrics">Metric names.</param>
    public void Compile(string loss, string optimizer, params string[] metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        KerasLoss resolvedLoss = KerasLoss.Get(loss);
        SetCompiled(resolvedLoss, KerasOptimizer.Get(optimizer), ownsOptimizer: true, metrics);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _module?.Dispose();
        if (_ownsOptimizer)
        {
            Optimizer?.Dispose();
        }
    }

    internal static string Shape(IEnumerable<long> shape) => string.Join(", ", shape);

    private string NextName(string baseName)
    {
        int count = _nameCounts.GetValueOrDefault(baseName);
        return count == 0 ? baseName : $"{baseName}_{count}";
    }

    private static InvalidOperationException NotBuilt() => new(
        "The model is not built yet: give the first layer an input dimension, call Build, or call Fit.");

    private void SetCompiled(KerasLoss loss, KerasOptimizer optimizer, bool ownsOptimizer, IEnumerable<object> metrics)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_ownsOptimizer && !ReferenceEquals(Optimizer, optimizer))
        {
            Optimizer?.Dispose();
        }

        Loss = loss;
        Optimizer = optimizer;
        _ownsOptimizer = ownsOptimizer;
        _metricSpecs.Clear();
        foreach (object metric in metrics)
        {
            _metricSpecs.Add(metric ?? throw new ArgumentException("A metric is null.", nameof(metrics)));
        }

        // Fail fast on unknown metric names, before any training.
        foreach (string name in _metricSpecs.OfType<string>())
        {
            _ = KerasMetric.Get(name, loss, outputUnits: 1);
        }

        _metrics = null;
        ResolveMetrics();
    }

    private void ResolveMetrics()
    {
        if (Loss is null || _outputShape is null)
        {
            return;
        }

        long units = _outputShape.Length == 0 ? 1 : _outputShape[^1];
        _metrics = _metricSpecs
            .Select(spec => spec is KerasMetric metric ? metric.Resolve(Loss, units)
                : KerasMetric.Get((string)spec, Loss, units))
            .ToList();
    }

    private void EnsureBuilt()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_module is null)
        {
            throw NotBuilt();
        }
    }
}
