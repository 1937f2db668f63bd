using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HingeSharp.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras.Fused;

/// <summary>
/// The fused path of <c>Sequential.Fit(x, y, …)</c>, <see cref="Sequential.Evaluate"/> and
/// <see cref="Sequential.Predict"/>: chosen automatically when a CPU model is a stack of unregularized
/// <see cref="Dense"/> (linear, relu, tanh or sigmoid), <see cref="Flatten"/> and <see cref="Input"/> layers
/// compiled with a hinge or squared-hinge loss, exactly Keras' <see cref="SGD"/> or <see cref="Adam"/> (not a
/// subclass such as <see cref="AdamW"/>) without clipping or weight decay, and accuracy or hinge metrics, on
/// float targets shaped like the output without sample or class weights. It gives what the autograd path
/// gives, to float rounding: the same shuffles (one <c>randperm</c> per epoch from the model's generator), the
/// same batches, the same update formulas with the learning rate read before every step (so schedules and
/// learning-rate callbacks apply) and the same logs, with no autograd graph, no per-step allocation and no
/// host synchronisation. The model's parameters and the optimizer's slots are copied in when each epoch starts
/// and written back when it ends, before validation and callbacks run.
/// </summary>
internal sealed class FusedTrainer : IDisposable
{
    private readonly Sequential _model;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly DenseStack _stack;
    private readonly FusedLossKind _loss;
    private readonly FusedMetric[] _metrics;
    private readonly string[] _metricNames;
    private readonly KerasOptimizer? _optimizer;
    private readonly float[] _target;
    private readonly float[] _rawTarget;
    [ThreadStatic]
    private static bool t_autogradOnly;
    [ThreadStatic]
    private static long t_epochsTrained;

    private float[]? _slot0;
    private float[]? _slot1;

    private FusedTrainer(Sequential model, DenseStack stack, FusedLossKind loss, List<KerasMetric> metrics,
        KerasOptimizer? optimizer)
    {
        _model = model;
        _parameters = model.Parameters;
        _stack = stack;
        _loss = loss;
        _metrics = metrics.Select(m => m.Fused!.Value).ToArray();
        _metricNames = metrics.Select(m => m.Name).ToArray();
        _optimizer = optimizer;
        _target = new float[stack.MaxRows * stack.OutputWidth];
        _rawTarget = new float[stack.MaxRows * stack.OutputWidth];
    }

    /// <summary>Training epochs run on the fused path by the calling thread so far (tests use it to tell which
    /// path a <c>Fit</c> took).</summary>
    internal static long EpochsTrained => t_epochsTrained;

    /// <summary>The model this trainer mirrors.</summary>
    internal Sequential Model => _model;

    /// <summary>Whether <see cref="Sequential"/> may take this path on the calling thread (set to
    /// <see langword="false"/> to force the autograd path, e.g. to compare the two).</summary>
    internal static bool Enabled
    {
        get => !t_autogradOnly;
        set => t_autogradOnly = !value;
    }

    /// <summary>The fused trainer for <paramref name="model"/>, or <see langword="null"/> when the model, its loss,
    /// metrics, optimizer (when <paramref name="forTraining"/>) or device are outside the fused path.</summary>
    internal static FusedTrainer? TryCreate(Sequential model, int batchSize, bool forTraining)
    {
        if (!Enabled || model.Device.type != DeviceType.CPU || model.Loss?.FusedKind is not { } loss
            || model.InputShape is null)
        {
            return null;
        }

        List<KerasMetric> metrics = [.. model.Metrics];
        if (metrics.Any(m => m.Fused is null))
        {
            return null;
        }

        KerasOptimizer? optimizer = forTraining ? model.Optimizer : null;
        if (forTraining && !IsFusable(optimizer))
        {
            return null;
        }

        List<DenseSpec>? specs = Specs(model);
        long expected = specs?.Sum(l => ((long)l.In * l.Out) + (l.HasBias ? l.Out : 0)) ?? -1;
        if (specs is null || model.Parameters.Sum(p => p.numel()) != expected
            || model.Parameters.Count != specs.Sum(l => l.HasBias ? 2 : 1)
            || model.Parameters.Any(p => p.dtype != ScalarType.Float32 || !p.is_contiguous()))
        {
            return null;
        }

        var stack = new DenseStack(specs, batchSize);
        var trainer = new FusedTrainer(model, stack, loss, metrics, optimizer);
        trainer.LoadParameters();
        return trainer;
    }

    /// <summary><see cref="TryCreate"/> for <c>Fit</c>: also <see langword="null"/> when the training data are
    /// outside the fused path (<see cref="Supports"/>) or a callback other than the progress display and
    /// <see cref="TerminateOnNaN"/> wants batch logs (it could read the weights between batches, which the fused
    /// path writes back only at the epoch end).</summary>
    internal static FusedTrainer? TryCreateForFit(Sequential model, int batchSize, PreparedBatch train,
        IEnumerable<Callback>? callbacks)
    {
        if (callbacks?.Any(c => c.NeedsBatchLogs && c is not (ProgressBar or TerminateOnNaN)) == true)
        {
            return null;
        }

        FusedTrainer? trainer = TryCreate(model, batchSize, forTraining: true);
        if (trainer is not null && !trainer.Supports(train))
        {
            trainer.Dispose();
            return null;
        }

        return trainer;
    }

    /// <summary>Whether <paramref name="data"/> can go through this trainer: float32 inputs of the stack's width,
    /// float32 raw and loss targets shaped <c>(N, outputs)</c> (not class indices), no sample weights.</summary>
    internal bool Supports(PreparedBatch data)
    {
        long n = data.Count;
        return data.Weights is null && data.X.dtype == ScalarType.Float32 && data.X.numel() == n * _stack.InputWidth
            && data.X.device_type == DeviceType.CPU
            && IsOutputShaped(data.YRaw, n) && IsOutputShaped(data.YLoss, n);
    }

    /// <summary>Copies the model's parameters (and the optimizer's slots) into the flat buffers.</summary>
    internal void LoadParameters()
    {
        for (int p = 0; p < _parameters.Count; p++)
        {
            _stack.CopyIn(p, Floats(_parameters[p]), _stack.Parameters);
        }

        if (_optimizer is null)
        {
            return;
        }

        IReadOnlyList<Tensor[]> slots = _optimizer.BindSlots(_parameters);
        int slotCount = slots.Count == 0 ? 0 : slots[0].Length;
        _slot0 ??= slotCount > 0 ? new float[_stack.ParameterCount] : null;
        _slot1 ??= slotCount > 1 ? new float[_stack.ParameterCount] : null;
        CopySlots(slots, toTensors: false);
    }

    /// <summary>Writes the flat parameters (and slots) back into the model's tensors.</summary>
    internal void StoreParameters()
    {
        for (int p = 0; p < _parameters.Count; p++)
        {
            _stack.CopyOut(p, _stack.Parameters, Floats(_parameters[p]));
        }

        if (_optimizer is not null)
        {
            CopySlots(_optimizer.BindSlots(_parameters), toTensors: true);
        }
    }

    /// <summary>One training epoch over prepared data, as the autograd loop of <c>Sequential.Fit(x, y, …)</c> runs
    /// it; returns <c>loss</c> and the metrics.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Dictionary<string, double> TrainEpoch(Tensor xs, Tensor yLoss, Tensor yRaw, int batchSize,
        bool shuffle, Generator? generator, Action<int, double>? onBatch)
    {
        long n = xs.shape[0];
        using Tensor xc = xs.contiguous();
        using Tensor yc = yLoss.contiguous();
        using Tensor rc = yRaw.contiguous();
        using Tensor? order = shuffle ? torch.randperm(n, generator: generator) : null;
        ReadOnlySpan<long> indices = order is null ? default : MemoryMarshal.Cast<byte, long>(order.bytes);
        ReadOnlySpan<float> x = Floats(xc), y = Floats(yc), raw = Floats(rc);
        t_epochsTrained++;
        double lossSum = 0;
        long seen = 0;
        var metricSums = new double[_metrics.Length];
        int batches = (int)((n + batchSize - 1) / batchSize);
        for (int b = 0; b < batches; b++)
        {
            int start = b * batchSize;
            int rows = (int)Math.Min(batchSize, n - start);
            Gather(x, y, raw, indices, start, rows);
            _stack.Forward(rows);
            int outputs = rows * _stack.OutputWidth;
            ReadOnlySpan<float> prediction = _stack.Output[..outputs];
            double batchLoss = FusedLosses.Compute(_loss, 1f, prediction, _target.AsSpan(0, outputs),
                _stack.OutputGradient[..outputs]);
            for (int i = 0; i < _metrics.Length; i++)
            {
                metricSums[i] += FusedLosses.MetricSum(_metrics[i], prediction, _rawTarget.AsSpan(0, outputs),
                    _stack.OutputWidth);
            }

            _stack.Backward(rows);
            Step();
            lossSum += batchLoss * rows;
            seen += rows;
            onBatch?.Invoke(b, (float)batchLoss);
            if (_model.StopTraining)
            {
                break;   // as the autograd loop: the epoch's logs cover the batches run so far
            }
        }

        return Logs(lossSum, metricSums, seen);
    }

    /// <summary>Loss and metrics over prepared data in batches, as <see cref="Sequential.Evaluate"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Dictionary<string, double> Evaluate(Tensor xs, Tensor yLoss, Tensor yRaw, int batchSize)
    {
        long n = xs.shape[0];
        using Tensor xc = xs.contiguous();
        using Tensor yc = yLoss.contiguous();
        using Tensor rc = yRaw.contiguous();
        ReadOnlySpan<float> x = Floats(xc), y = Floats(yc), raw = Floats(rc);
        double lossSum = 0;
        var metricSums = new double[_metrics.Length];
        for (long start = 0; start < n; start += batchSize)
        {
            int rows = (int)Math.Min(batchSize, n - start);
            Gather(x, y, raw, default, (int)start, rows);
            _stack.Forward(rows);
            int outputs = rows * _stack.OutputWidth;
            ReadOnlySpan<float> prediction = _stack.Output[..outputs];
            lossSum += FusedLosses.Compute(_loss, 1f, prediction, _target.AsSpan(0, outputs), default) * rows;
            for (int i = 0; i < _metrics.Length; i++)
            {
                metricSums[i] += FusedLosses.MetricSum(_metrics[i], prediction, _rawTarget.AsSpan(0, outputs),
                    _stack.OutputWidth);
            }
        }

        return Logs(lossSum, metricSums, n);
    }

    /// <summary>Model outputs <c>(N, OutputWidth)</c> as a new float32 tensor.</summary>
    internal Tensor Predict(Tensor xs, int batchSize)
    {
        long n = xs.shape[0];
        using Tensor xc = xs.contiguous();
        ReadOnlySpan<float> x = Floats(xc);
        Tensor result = torch.empty([n, _stack.OutputWidth], ScalarType.Float32);
        Span<float> output = Floats(result);
        int inWidth = _stack.InputWidth, outWidth = _stack.OutputWidth;
        for (long start = 0; start < n; start += batchSize)
        {
            int rows = (int)Math.Min(batchSize, n - start);
            x.Slice((int)start * inWidth, rows * inWidth).CopyTo(_stack.Input);
            _stack.Forward(rows);
            _stack.Output[..(rows * outWidth)].CopyTo(output[((int)start * outWidth)..]);
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose() => _stack.Dispose();

    /// <summary>Exactly <see cref="SGD"/> or <see cref="Adam"/> (subclasses such as <see cref="AdamW"/> update
    /// differently), with no gradient clipping and no weight decay.</summary>
    private static bool IsFusable(KerasOptimizer? optimizer)
        => optimizer is not null && (optimizer.GetType() == typeof(SGD) || optimizer.GetType() == typeof(Adam))
            && optimizer.ClipNorm is null && optimizer.GlobalClipNorm is null && optimizer.ClipValue is null
            && optimizer.WeightDecay is null or 0.0;

    private bool IsOutputShaped(Tensor t, long n)
        => t.dtype == ScalarType.Float32 && t.device_type == DeviceType.CPU && t.dim() == 2 && t.shape[0] == n
            && t.shape[1] == _stack.OutputWidth;

    private static List<DenseSpec>? Specs(Sequential model)
    {
        long[] shape = [.. model.InputShape!];
        var specs = new List<DenseSpec>();
        foreach (Layer layer in model.Layers)
        {
            switch (layer)
            {
                case Input:
                    break;
                case Flatten:
                    shape = [shape.Aggregate(1L, (a, d) => a * d)];
                    break;
                case Dense dense when shape.Length == 1 && dense.KernelRegularizer is null
                    && dense.BiasRegularizer is null && Activation(dense.Activation) is { } activation:
                    specs.Add(new DenseSpec((int)shape[0], dense.Units, dense.UseBias, activation));
                    shape = [dense.Units];
                    break;
                default:
                    return null;
            }
        }

        return specs.Count > 0 ? specs : null;
    }

    private static DenseActivation? Activation(string name) => name switch
    {
        "linear" => DenseActivation.Linear,
        "relu" => DenseActivation.Relu,
        "tanh" => DenseActivation.Tanh,
        "sigmoid" => DenseActivation.Sigmoid,
        _ => null,
    };

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Gather(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> raw,
        ReadOnlySpan<long> indices, int start, int rows)
    {
        int inWidth = _stack.InputWidth, outWidth = _stack.OutputWidth;
        Span<float> input = _stack.Input;
        if (indices.IsEmpty)
        {
            x.Slice(start * inWidth, rows * inWidth).CopyTo(input);
            y.Slice(start * outWidth, rows * outWidth).CopyTo(_target);
            raw.Slice(start * outWidth, rows * outWidth).CopyTo(_rawTarget);
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            int source = (int)indices[start + r];
            x.Slice(source * inWidth, inWidth).CopyTo(input.Slice(r * inWidth, inWidth));
            y.Slice(source * outWidth, outWidth).CopyTo(_target.AsSpan(r * outWidth, outWidth));
            raw.Slice(source * outWidth, outWidth).CopyTo(_rawTarget.AsSpan(r * outWidth, outWidth));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Step()
    {
        KerasOptimizer optimizer = _optimizer!;
        // KerasOptimizer.Step reads the rate (a schedule's value at the current step count, or what a callback
        // set) before the count grows
        double learningRate = optimizer.LearningRate;
        optimizer.Iterations++;
        Span<float> w = _stack.Parameters;
        ReadOnlySpan<float> g = _stack.Gradients;
        switch (optimizer)
        {
            case SGD sgd when sgd.Momentum > 0.0:
                OptimizerKernels.SgdMomentum(w, g, _slot0, (float)learningRate, (float)sgd.Momentum,
                    sgd.Nesterov);
                break;
            case SGD sgd:
                OptimizerKernels.Sgd(w, g, (float)learningRate);
                break;
            case Adam adam:
                long t = optimizer.Iterations;
                double alpha = learningRate * Math.Sqrt(1.0 - Math.Pow(adam.Beta2, t))
                    / (1.0 - Math.Pow(adam.Beta1, t));
                OptimizerKernels.Adam(w, g, _slot0, _slot1, (float)adam.Beta1, (float)adam.Beta2, (float)alpha, 1f,
                    (float)adam.Epsilon);
                break;
        }
    }

    private void CopySlots(IReadOnlyList<Tensor[]> slots, bool toTensors)
    {
        for (int p = 0; p < slots.Count; p++)
        {
            for (int s = 0; s < slots[p].Length; s++)
            {
                Span<float> flat = s == 0 ? _slot0 : _slot1;
                if (toTensors)
                {
                    _stack.CopyOut(p, flat, Floats(slots[p][s]));
                }
                else
                {
                    _stack.CopyIn(p, Floats(slots[p][s]), flat);
                }
            }
        }
    }

    private Dictionary<string, double> Logs(double lossSum, double[] metricSums, long n)
    {
        var logs = new Dictionary<string, double> { ["loss"] = lossSum / n };
        for (int i = 0; i < _metrics.Length; i++)
        {
            logs[_metricNames[i]] = metricSums[i] / n;
        }

        return logs;
    }
}
