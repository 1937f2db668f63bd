using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Torch.Metrics;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>The ways a batch of tensors reaches a hinge metric.</summary>
public enum MetricPath
{
    /// <summary>A core metric through the extension methods: CPU tensors → kernels, others → device
    /// reduction.</summary>
    Core,

    /// <summary>A core metric whose batches are reduced with torch ops even on the CPU (then added on the
    /// host).</summary>
    CoreTorchOps,

    /// <summary>A tensor metric, default: CPU tensors → kernels, others → device state.</summary>
    Tensor,

    /// <summary>A tensor metric with <c>useTorchOps: true</c>: device state on every device, deferred
    /// validation.</summary>
    TensorTorchOps,

    /// <summary>As <see cref="TensorTorchOps"/> with eager validation.</summary>
    TensorEager,
}

/// <summary>A metric behind one <see cref="MetricPath"/>, fed tensors and read as doubles.</summary>
internal sealed class PathMetric : IDisposable
{
    private readonly IHingeMetric? _core;
    private readonly ITensorHingeMetric? _tensor;
    private readonly bool _coreTorchOps;

    private PathMetric(IHingeMetric? core, ITensorHingeMetric? tensor, bool coreTorchOps)
    {
        _core = core;
        _tensor = tensor;
        _coreTorchOps = coreTorchOps;
    }

    public static PathMetric Create(MetricPath path, int? numClasses, bool squared = false,
        MulticlassMode mode = MulticlassMode.CrammerSinger, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
    {
        if (path is MetricPath.Core or MetricPath.CoreTorchOps)
        {
            IHingeMetric core = numClasses is { } c
                ? new MulticlassHingeLoss(c, squared, mode, ignoreIndex, validateArgs, inputKind, nonFinite)
                : new BinaryHingeLoss(squared, ignoreIndex, validateArgs, inputKind, nonFinite);
            return new PathMetric(core, null, path == MetricPath.CoreTorchOps);
        }

        var torchOps = path != MetricPath.Tensor;
        var eager = path == MetricPath.TensorEager;
        ITensorHingeMetric tensor = numClasses is { } k
            ? new TensorMulticlassHingeLoss(k, squared, mode, ignoreIndex, validateArgs, inputKind, nonFinite,
                torchOps, eager)
            : new TensorBinaryHingeLoss(squared, ignoreIndex, validateArgs, inputKind, nonFinite, torchOps, eager);
        return new PathMetric(null, tensor, false);
    }

    /// <summary>The metric for a torchmetrics golden case (args of binary_hinge.json /
    /// multiclass_hinge.json).</summary>
    public static PathMetric ForCase(MetricPath path, JsonElement c)
    {
        var args = c.Opt("args") ?? c.Opt("ctor_args") ?? default;
        var preds = c.Opt("inputs")?.GetProperty("preds");
        var finite = preds is null || MetricFixtures.Doubles(preds.Value).All(double.IsFinite);
        var mode = args.Opt("multiclass_mode") is { } m
            ? HingeNames.ParseMulticlassMode(m.GetString()!)
            : MulticlassMode.CrammerSinger;
        var task = args.Opt("task")?.GetString();
        int? classes = task is null or "multiclass" && args.Opt("num_classes") is { } nc ? nc.GetInt32() : null;
        return Create(path, classes, args.Opt("squared")?.GetBoolean() ?? false, mode,
            args.Opt("ignore_index") is { } ii ? ii.GetInt32() : null, args.Opt("validate_args")?.GetBoolean() ?? true,
            nonFinite: finite ? NonFiniteHandling.Throw : NonFiniteHandling.Propagate);
    }

    public ITensorHingeMetric? Tensor => _tensor;

    public void Update(Tensor preds, Tensor target)
    {
        if (_tensor is not null)
        {
            _tensor.Update(preds, target);
        }
        else
        {
            HingeMetricTensorExtensions.Feed(_core!, preds, target, forward: false, _coreTorchOps);
        }
    }

    public double[] Forward(Tensor preds, Tensor target)
    {
        if (_tensor is not null)
        {
            using var value = _tensor.Forward(preds, target);
            Assert.Equal(preds.device_type, value.device_type);
            return MetricFixtures.Values(value);
        }

        return HingeMetricTensorExtensions.Feed(_core!, preds, target, forward: true, _coreTorchOps).Values.ToArray();
    }

    public double[] Compute() => (_tensor?.ComputeValue() ?? _core!.ComputeValue()).Values.ToArray();

    public void Reset()
    {
        _tensor?.Reset();
        _core?.Reset();
    }

    public void Dispose() => _tensor?.Dispose();
}
