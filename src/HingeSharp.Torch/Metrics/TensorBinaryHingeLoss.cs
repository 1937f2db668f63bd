using HingeSharp.Classification;
using HingeSharp.Metrics;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// Streaming mean binary hinge loss over tensors, <c>mean(max(0, 1 − y·p))</c> with torchmetrics 1.9 semantics
/// (the <see cref="BinaryHingeLoss"/> rules), whose state stays on the tensors' device.
/// </summary>
/// <remarks>
/// <para>CPU tensors go through the core kernels without copying (unless <see cref="UseTorchOps"/>); tensors on other
/// devices are reduced there with torch ops into float64/int64 state tensors, with no host synchronisation until
/// <see cref="Compute"/> (see <see cref="ITensorHingeMetric"/> for the two paths and deferred validation). The state
/// device is the device of the first device-path batch; later batches must be on it until <see cref="Reset"/>.
/// Devices without float64 support (e.g. Apple MPS) cannot hold the state.</para>
/// <para>Not thread-safe; use one instance per thread and <see cref="Merge"/>. Dispose it to free the device state
/// at once.</para>
/// </remarks>
/// <example><code>
/// using var metric = new TensorBinaryHingeLoss();
/// metric.Update(preds.cuda(), target.cuda()); // no synchronisation
/// metric.Compute();                            // one synchronisation
/// </code></example>
public sealed partial class TensorBinaryHingeLoss : ITensorHingeMetric, IMergeableMetric
{
    private readonly BinaryHingeLoss _host;
    private readonly TensorMetricEngine _engine;

    /// <summary>Creates the metric.</summary>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="ignoreIndex">Elements whose target equals it take no part.</param>
    /// <param name="validateArgs">Check targets (0, 1 or the ignore index).</param>
    /// <param name="inputKind">How to read predictions.</param>
    /// <param name="nonFinite">Whether NaN/±∞ predictions are errors (default) or propagate.</param>
    /// <param name="useTorchOps">Send CPU tensors through torch ops too (the device path) instead of the
    /// kernels.</param>
    /// <param name="eagerValidation">Validate device-path batches during the update (one synchronisation each), so a
    /// rejected batch throws at once and leaves the state untouched.</param>
    /// <exception cref="HingeArgumentException">An undefined <paramref name="inputKind"/> or
    /// <paramref name="nonFinite"/>.</exception>
    public TensorBinaryHingeLoss(bool squared = false, int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
        bool useTorchOps = false, bool eagerValidation = false)
    {
        _host = new BinaryHingeLoss(squared, ignoreIndex, validateArgs, inputKind, nonFinite);
        _engine = new TensorMetricEngine(_host, new HingeSettings(squared, ignoreIndex, validateArgs, inputKind,
            nonFinite), numClasses: null, MulticlassMode.CrammerSinger, useTorchOps, eagerValidation);
    }

    /// <summary>Whether the clamped loss is squared.</summary>
    public bool Squared => _host.Squared;

    /// <summary>The target value whose elements are ignored, if any.</summary>
    public int? IgnoreIndex => _host.IgnoreIndex;

    /// <summary>Whether targets are validated.</summary>
    public bool ValidateArgs => _host.ValidateArgs;

    /// <summary>How predictions are read.</summary>
    public HingeInputKind InputKind => _host.InputKind;

    /// <summary>What non-finite predictions do.</summary>
    public NonFiniteHandling NonFinite => _host.NonFinite;

    /// <inheritdoc/>
    public bool UseTorchOps => _engine.UseTorchOps;

    /// <inheritdoc/>
    public bool EagerValidation => _engine.EagerValidation;

    /// <inheritdoc/>
    public long UpdateCount => _engine.UpdateCount;

    /// <inheritdoc/>
    public Device? StateDevice => _engine.StateDevice;

    /// <summary>Accumulates a batch: preds (Float32/Float64, any shape) and target of the same shape.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets (integer, Bool or floating 0/1), on the device of <paramref name="preds"/>.</param>
    /// <exception cref="HingeArgumentException">Shape, dtype or device errors; on the kernel path (and with
    /// <see cref="EagerValidation"/>) also invalid values.</exception>
    public void Update(Tensor preds, Tensor target) => _engine.Accumulate(preds, target, forward: false);

    /// <summary>Accumulates a batch and returns its mean loss as a 0-d float64 tensor on the batch's device.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    /// <returns>The batch's mean loss (NaN for an empty batch, or one that deferred validation will reject).</returns>
    public Tensor Forward(Tensor preds, Tensor target) => _engine.Accumulate(preds, target, forward: true)!;

    /// <summary>The mean loss over everything accumulated; NaN before any kept element. Synchronises once.</summary>
    /// <exception cref="HingeArgumentException">Deferred validation found an invalid value (the first one, naming
    /// its update and index).</exception>
    public double Compute()
    {
        var (measures, total) = _engine.Read();
        return new HingeState(measures[0], total).Mean;
    }

    /// <inheritdoc/>
    public HingeLossValue ComputeValue() => new(Compute());

    /// <inheritdoc/>
    public void Reset() => _engine.Reset();

    /// <summary>Adds another metric's state (both parts), as if its batches had been given to this one.</summary>
    /// <param name="other">A metric with the same settings.</param>
    /// <exception cref="ArgumentException">The settings differ.</exception>
    public void Merge(TensorBinaryHingeLoss other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _engine.Merge(other._engine);
    }

    /// <inheritdoc/>
    public string StateKey => _engine.StateKey;

    /// <summary>The whole state (host and device parts together: one synchronisation) as bytes; see
    /// <see cref="IMergeableMetric.ExportState"/>.</summary>
    /// <returns>The state's bytes.</returns>
    /// <exception cref="HingeArgumentException">Deferred validation found an invalid value.</exception>
    public byte[] ExportState() => _engine.ExportState();

    /// <summary>Adds an exported state (to the host part, which <see cref="Compute"/> reads with the device part).</summary>
    /// <param name="state">Bytes from <see cref="ExportState"/> of a metric with the same settings.</param>
    public void MergeState(ReadOnlySpan<byte> state) => _engine.MergeState(state);

    /// <summary>Frees the device state.</summary>
    public void Dispose() => _engine.Dispose();
}
