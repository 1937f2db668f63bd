using HingeSharp.Classification;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// What <see cref="TensorBinaryHingeLoss"/> and <see cref="TensorMulticlassHingeLoss"/> share: a host part (a core
/// metric fed by the kernels, for CPU tensors) and a device part (<see cref="DeviceHingeState"/>, fed by
/// <see cref="TorchHingeOps"/>), added together when the value is read.
/// </summary>
internal sealed class TensorMetricEngine : IDisposable
{
    private readonly IHingeMetric _host;
    private readonly HingeSettings _settings;
    private readonly int? _numClasses;
    private readonly MulticlassMode _mode;
    private DeviceHingeState? _device;
    private long _deviceUpdates;
    private bool _disposed;

    internal TensorMetricEngine(IHingeMetric host, HingeSettings settings, int? numClasses, MulticlassMode mode,
        bool useTorchOps, bool eagerValidation)
    {
        _host = host;
        _settings = settings;
        _numClasses = numClasses;
        _mode = mode;
        UseTorchOps = useTorchOps;
        EagerValidation = eagerValidation;
    }

    internal bool UseTorchOps { get; }

    internal bool EagerValidation { get; }

    internal long UpdateCount => HostUpdates + _deviceUpdates;

    internal Device? StateDevice => _device?.Device;

    private int Width => _numClasses is { } c && _mode == MulticlassMode.OneVsAll ? c : 1;

    private long HostUpdates => _host switch
    {
        BinaryHingeLoss b => b.UpdateCount,
        MulticlassHingeLoss m => m.UpdateCount,
        _ => 0,
    };

    /// <summary>Adds a batch; for <paramref name="forward"/> returns the batch's own value as a tensor on the
    /// batch's device (float64: 0-d, or (C) for one-vs-all).</summary>
    internal Tensor? Accumulate(Tensor preds, Tensor target, bool forward)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(preds);
        ArgumentNullException.ThrowIfNull(target);
        TensorChecks.CheckSameDevice(preds, target);
        if (TensorChecks.IsCpu(preds) && !UseTorchOps)
        {
            // The core kernels read the CPU tensors in place; the core metric validates and accumulates.
            var value = HingeMetricTensorExtensions.Feed(_host, preds, target, forward);
            if (!forward)
            {
                return null;
            }

            return value.IsScalar
                ? torch.tensor(value.Value, ScalarType.Float64)
                : torch.tensor(value.Values.ToArray(), ScalarType.Float64);
        }

        return AccumulateOnDevice(preds, target, forward);
    }

    private Tensor? AccumulateOnDevice(Tensor preds, Tensor target, bool forward)
    {
        TensorChecks.CheckPredsDtype(preds.dtype);
        TensorChecks.CheckTargetDtype(target.dtype);
        if (_numClasses is { } c)
        {
            TensorChecks.CheckMulticlassShapes(preds, target, c);
            if (_mode == MulticlassMode.CrammerSinger && target.numel() == 0)
            {
                throw ThrowHelper.EmptyCrammerSinger(0);
            }
        }
        else
        {
            TensorChecks.CheckBinaryShapes(preds, target);
        }

        if (_device is not null && !_device.IsOn(preds.device))
        {
            throw new HingeArgumentException("preds",
                $"`preds` is on {preds.device} but this metric's state is on {_device.Device}: keep every batch on " +
                "one device, or Reset the metric before moving.");
        }

        using var scope = torch.NewDisposeScope();
        // Metric values carry no gradient: without this, preds that require grad would chain every batch's graph
        // onto the state tensors.
        using var noGrad = torch.no_grad();
        // Numbered among all updates since the last reset, kernel-path ones included.
        var update = UpdateCount + 1;
        var batch = _numClasses is null
            ? TorchHingeOps.Binary(preds, target, _settings, update)
            : TorchHingeOps.Multiclass(preds, target, _settings, _mode, update);
        if (EagerValidation)
        {
            // The one synchronisation of an eager update: a rejected batch leaves the state untouched.
            var record = batch.Record.cpu().data<double>().ToArray();
            if (BatchRecord.Decode(record, _numClasses, _settings.IgnoreIndex, _settings.NonFinite, deferred: false)
                is { } error)
            {
                throw error;
            }
        }

        _device ??= new DeviceHingeState(preds.device, Width);
        _device.Add(batch);
        _deviceUpdates++;
        if (!forward)
        {
            return null;
        }

        var value = batch.Measures.div(batch.Total.to_type(ScalarType.Float64));
        if (Width == 1)
        {
            value = value.squeeze(0);
        }

        return BatchRecord.MaskValue(value, batch.Record).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The accumulated sums, host part plus device part: the one synchronisation of the stream. Throws the first
    /// error that deferred validation recorded.
    /// </summary>
    internal (double[] Measures, long Total) Read()
    {
        ThrowIfDisposed();
        var (measures, total) = _host switch
        {
            BinaryHingeLoss b => ([b.State.Measures], b.State.Total),
            MulticlassHingeLoss m => (m.Measures.ToArray(), m.Total),
            _ => throw new InvalidOperationException("Unknown host metric."),
        };
        if (_device is null)
        {
            return (measures, total);
        }

        var (deviceMeasures, deviceTotal, record) = _device.Read();
        if (BatchRecord.Decode(record, _numClasses, _settings.IgnoreIndex, _settings.NonFinite, deferred: true)
            is { } error)
        {
            throw error;
        }

        for (var i = 0; i < measures.Length; i++)
        {
            measures[i] += deviceMeasures[i];
        }

        return (measures, total + deviceTotal);
    }

    internal void Reset()
    {
        ThrowIfDisposed();
        _host.Reset();
        _device?.Dispose();
        _device = null;
        _deviceUpdates = 0;
    }

    /// <summary>Adds another engine's state; the caller has checked that the settings match.</summary>
    internal void Merge(TensorMetricEngine other)
    {
        ThrowIfDisposed();
        other.ThrowIfDisposed();
        switch (_host, other._host)
        {
            case (BinaryHingeLoss mine, BinaryHingeLoss theirs):
                mine.Merge(theirs);
                break;
            case (MulticlassHingeLoss mine, MulticlassHingeLoss theirs):
                mine.Merge(theirs);
                break;
            default:
                throw new ArgumentException("Cannot merge a binary and a multiclass metric.", nameof(other));
        }

        if (other._device is { } theirDevice)
        {
            _device ??= new DeviceHingeState(theirDevice.Device, Width);
            _device.Add(theirDevice);
        }

        _deviceUpdates += other._deviceUpdates;
    }

    public void Dispose()
    {
        _device?.Dispose();
        _device = null;
        _disposed = true;
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> naming the tensor metric once it was disposed: its device
    /// state is gone, so it must not go on accumulating or reporting.</summary>
    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(
                _host is BinaryHingeLoss ? nameof(TensorBinaryHingeLoss) : nameof(TensorMulticlassHingeLoss),
                "The metric was disposed: its device state is freed. Create a new metric.");
        }
    }
}
