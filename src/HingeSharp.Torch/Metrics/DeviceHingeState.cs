using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// Hinge metric state kept as tensors on one device: <c>measures</c> (float64, 1 or C values), <c>total</c> (int64)
/// and the first-error <see cref="BatchRecord"/>. Adding a batch is a few in-place device ops (no synchronisation);
/// <see cref="Read"/> is the one synchronising copy.
/// </summary>
/// <remarks>The state tensors are detached from every dispose scope (a caller's scope must not free them); this
/// object disposes them.</remarks>
internal sealed class DeviceHingeState : IDisposable
{
    private readonly Tensor _measures;
    private readonly Tensor _total;
    private readonly Tensor _record;

    internal DeviceHingeState(Device device, int width)
    {
        Device = device;
        Width = width;
        _measures = torch.zeros(width, ScalarType.Float64, device).DetachFromDisposeScope();
        _total = torch.zeros(Array.Empty<long>(), ScalarType.Int64, device).DetachFromDisposeScope();
        _record = BatchRecord.None(device).DetachFromDisposeScope();
    }

    /// <summary>The device the state lives on.</summary>
    internal Device Device { get; }

    /// <summary>Number of measures: 1 (binary, Crammer–Singer) or C (one-vs-all).</summary>
    internal int Width { get; }

    /// <summary>Whether a batch on <paramref name="device"/> can be added without moving it.</summary>
    internal bool IsOn(Device device) => device.type == Device.type && device.index == Device.index;

    /// <summary>Adds a batch that lives on <see cref="Device"/> (in place, no synchronisation).</summary>
    internal void Add(DeviceBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _measures.add_(batch.Measures);
        _total.add_(batch.Total);
        _record.copy_(BatchRecord.FirstOf(_record, batch.Record));
    }

    /// <summary>Adds another state (moved to this device if it lives elsewhere).</summary>
    internal void Add(DeviceHingeState other)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _measures.add_(other._measures.to(Device));
        _total.add_(other._total.to(Device));
        _record.copy_(BatchRecord.FirstOf(_record, other._record.to(Device)));
    }

    /// <summary>Copies the state to the host: the measures, the total and the record, in one transfer.</summary>
    internal (double[] Measures, long Total, double[] Record) Read()
    {
        using var scope = torch.NewDisposeScope();
        var packed = torch.cat([_measures, _total.to_type(ScalarType.Float64).unsqueeze(0), _record], 0).cpu();
        var values = packed.data<double>().ToArray();
        return (values[..Width], (long)values[Width], values[(Width + 1)..]);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _measures.Dispose();
        _total.Dispose();
        _record.Dispose();
    }
}
