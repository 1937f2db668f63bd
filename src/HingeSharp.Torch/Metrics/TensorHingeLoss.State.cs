using HingeSharp.Classification;

namespace HingeSharp.Torch.Metrics;

/// <summary>Saving, loading and converting <see cref="TensorBinaryHingeLoss"/> through the core metric.</summary>
public sealed partial class TensorBinaryHingeLoss
{
    /// <summary>A core <see cref="BinaryHingeLoss"/> with the same settings, state and update count (synchronises
    /// once).</summary>
    public BinaryHingeLoss ToCore()
    {
        var (measures, total) = _engine.Read();
        var core = new BinaryHingeLoss(Squared, IgnoreIndex, ValidateArgs, InputKind, NonFinite);
        core.SetState(new HingeState(measures[0], total));
        core.RestoreUpdateCount(UpdateCount);
        return core;
    }

    /// <summary>A tensor metric that continues from a core metric's state (kept on the host part).</summary>
    /// <param name="core">An unweighted core metric.</param>
    /// <param name="useTorchOps">Send CPU tensors through torch ops too.</param>
    public static TensorBinaryHingeLoss FromCore(BinaryHingeLoss core, bool useTorchOps = false)
    {
        ArgumentNullException.ThrowIfNull(core);
        var metric = new TensorBinaryHingeLoss(core.Squared, core.IgnoreIndex, core.ValidateArgs, core.InputKind,
            core.NonFinite, useTorchOps);
        metric._host.Merge(core);
        return metric;
    }

    /// <summary>Writes the state as the core metric's versioned JSON (docs/state-format.md).</summary>
    /// <param name="stream">Receives UTF-8 JSON; not closed.</param>
    public void SaveState(Stream stream) => ToCore().SaveState(stream);

    /// <summary>Replaces the state with a saved one of the same settings (written by this type or by
    /// <see cref="BinaryHingeLoss"/>); the device part is cleared.</summary>
    /// <param name="stream">UTF-8 JSON; not closed.</param>
    public void LoadState(Stream stream)
    {
        var core = new BinaryHingeLoss(Squared, IgnoreIndex, ValidateArgs, InputKind, NonFinite);
        core.LoadState(stream);   // throws before anything here changes
        Reset();
        _host.Merge(core);
    }
}

/// <summary>Saving, loading and converting <see cref="TensorMulticlassHingeLoss"/> through the core metric.</summary>
public sealed partial class TensorMulticlassHingeLoss
{
    /// <summary>A core <see cref="MulticlassHingeLoss"/> with the same settings, state and update count
    /// (synchronises once).</summary>
    public MulticlassHingeLoss ToCore()
    {
        var (measures, total) = _engine.Read();
        var core = NewCore();
        core.SetState(measures, total);
        core.RestoreUpdateCount(UpdateCount);
        return core;
    }

    /// <summary>A tensor metric that continues from a core metric's state (kept on the host part).</summary>
    /// <param name="core">An unweighted core metric.</param>
    /// <param name="useTorchOps">Send CPU tensors through torch ops too.</param>
    public static TensorMulticlassHingeLoss FromCore(MulticlassHingeLoss core, bool useTorchOps = false)
    {
        ArgumentNullException.ThrowIfNull(core);
        var metric = new TensorMulticlassHingeLoss(core.NumClasses, core.Squared, core.MulticlassMode,
            core.IgnoreIndex, core.ValidateArgs, core.InputKind, core.NonFinite, useTorchOps);
        metric._host.Merge(core);
        return metric;
    }

    /// <summary>Writes the state as the core metric's versioned JSON (docs/state-format.md).</summary>
    /// <param name="stream">Receives UTF-8 JSON; not closed.</param>
    public void SaveState(Stream stream) => ToCore().SaveState(stream);

    /// <summary>Replaces the state with a saved one of the same settings; the device part is cleared.</summary>
    /// <param name="stream">UTF-8 JSON; not closed.</param>
    public void LoadState(Stream stream)
    {
        var core = NewCore();
        core.LoadState(stream);
        Reset();
        _host.Merge(core);
    }

    private MulticlassHingeLoss NewCore() => new(_host.NumClasses, _host.Squared, _host.MulticlassMode,
        _host.IgnoreIndex, _host.ValidateArgs, _host.InputKind, _host.NonFinite);
}
