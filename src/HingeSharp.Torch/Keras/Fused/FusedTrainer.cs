using System.Runtime.InteropServices;
using HingeSharp.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras.Fused;

/// <summary>
/// The fused path of <see cref="Sequential.Fit"/>, <see cref="Sequential.Evaluate"/> and
/// <see cref="Sequential.Predict"/>: chosen automatically when a CPU model is a stack of <see cref="Dense"/>
/// (linear, relu, tanh or sigmoid) and <see cref="Flatten"/> layers compiled with a hinge or squared-hinge loss,
/// Keras' <see cref="SGD"/> or <see cref="Adam"/>, and accuracy or hinge metrics. It gives what the autograd
/// path gives, to float rounding: the same shuffles (one <c>randperm</c> per epoch from the model's generator),
/// the same batches, the same update formulas and the same logs, with no autograd graph, no per-step
/// allocation and no host synchronisation. The model's parameters and the optimizer's slots are copied in when
/// a pass starts and written back at every epoch end (before callbacks run) and when it ends.
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
        if (forTraining && optimizer is not (SGD or Adam))
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

    /// <summary>One training epoch over prepared data, as the autograd loop of <see cref="Sequential.Fit"/> runs
    /// it; returns <c>loss</c> and the metrics.</summary>
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
        double lossSum = 0;
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
            onBatch?.Invoke(b, (float)batchLoss);
        }

        return Logs(lossSum, metricSums, n);
    }

    /// <summary>Loss and metrics over prepared data in batches, as <see cref="Sequential.Evaluate"/>.</summary>
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

    private static List<DenseSpec>? Specs(Sequential model)
    {
        long[] shape = [.. model.InputShape!];
        var specs = new List<DenseSpec>();
        foreach (Layer layer in model.Layers)
        {
            switch (layer)
            {
                case Flatten:
                    shape = [shape.Aggregate(1L, (a, d) => a * d)];
                    break;
                case Dense dense when shape.Length == 1 && Activation(dense.Activation) is { } activation:
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

    private void Step()
    {
        KerasOptimizer optimizer = _optimizer!;
        optimizer.Iterations++;
        Span<float> w = _stack.Parameters;
        ReadOnlySpan<float> g = _stack.Gradients;
        switch (optimizer)
        {
            case SGD sgd when sgd.Momentum > 0.0:
                OptimizerKernels.SgdMomentum(w, g, _slot0, (float)sgd.LearningRate, (float)sgd.Momentum,
                    sgd.Nesterov);
                break;
            case SGD sgd:
                OptimizerKernels.Sgd(w, g, (float)sgd.LearningRate);
                break;
            case Adam adam:
                long t = optimizer.Iterations;
                double alpha = adam.LearningRate * Math.Sqrt(1.0 - Math.Pow(adam.Beta2, t))
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
