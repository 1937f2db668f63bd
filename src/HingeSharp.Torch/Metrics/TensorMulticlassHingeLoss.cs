using HingeSharp.Classification;
using HingeSharp.Metrics;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// Streaming multiclass hinge loss over tensors (Crammer–Singer: one scalar; one-vs-all: one value per class) with
/// torchmetrics 1.9 semantics (the <see cref="MulticlassHingeLoss"/> rules), whose state stays on the tensors'
/// device. Preds are <c>(N, C, ...)</c> with C = <see cref="NumClasses"/>, targets <c>(N, ...)</c> class indices.
/// </summary>
/// <remarks>
/// <para>CPU tensors go through the core kernels without copying (unless <see cref="UseTorchOps"/>); tensors on other
/// devices are reduced there with torch ops, the class axis moved last as torchmetrics does, into float64/int64
/// state tensors, with no host synchronisation until <see cref="Compute"/> (see <see cref="ITensorHingeMetric"/>).
/// On the device path a Crammer–Singer batch whose rows are all ignored is a deferred error; an empty batch
/// (N·… = 0) is rejected at once.</para>
/// <para>Not thread-safe; use one instance per thread and <see cref="Merge"/>. Dispose it to free the device state
/// at once.</para>
/// </remarks>
/// <example><code>
/// using var metric = new TensorMulticlassHingeLoss(numClasses: 3, multiclassMode: MulticlassMode.OneVsAll);
/// metric.Update(logits.cuda(), labels.cuda());
/// metric.Compute(); // [c0, c1, c2]
/// </code></example>
public sealed partial class TensorMulticlassHingeLoss : ITensorHingeMetric, IMergeableMetric
{
    private readonly MulticlassHingeLoss _host;
    private readonly TensorMetricEngine _engine;

    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">C, larger than 1; every batch must have C = preds.shape[1].</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="multiclassMode">Crammer–Singer (default) or one-vs-all.</param>
    /// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
    /// <param name="validateArgs">Kept for parity with <see cref="MulticlassHingeLoss"/>: the class count is checked
    /// either way, and class indices are always checked.</param>
    /// <param name="inputKind">How to read predictions.</param>
    /// <param name="nonFinite">Whether NaN/±∞ scores are errors (default) or propagate.</param>
    /// <param name="useTorchOps">Send CPU tensors through torch ops too (the device path) instead of the
    /// kernels.</param>
    /// <param name="eagerValidation">Validate device-path batches during the update (one synchronisation each).</param>
    /// <exception cref="HingeArgumentException"><paramref name="numClasses"/> is smaller than 2, or an undefined
    /// option.</exception>
    public TensorMulticlassHingeLoss(int numClasses, bool squared = false,
        MulticlassMode multiclassMode = MulticlassMode.CrammerSinger, int? ignoreIndex = null,
        bool validateArgs = true, HingeInputKind inputKind = HingeInputKind.Auto,
        NonFiniteHandling nonFinite = NonFiniteHandling.Throw, bool useTorchOps = false, bool eagerValidation = false)
    {
        _host = new MulticlassHingeLoss(numClasses, squared, multiclassMode, ignoreIndex, validateArgs, inputKind,
            nonFinite);
        _engine = new TensorMetricEngine(_host, new HingeSettings(squared, ignoreIndex, validateArgs, inputKind,
            nonFinite), numClasses, multiclassMode, useTorchOps, eagerValidation);
    }

    /// <summary>The number of classes C.</summary>
    public int NumClasses => _host.NumClasses;

    /// <summary>Whether the clamped loss is squared.</summary>
    public bool Squared => _host.Squared;

    /// <summary>Crammer–Singer or one-vs-all.</summary>
    public MulticlassMode MulticlassMode => _host.MulticlassMode;

    /// <summary>The target value whose rows are ignored, if any.</summary>
    public int? IgnoreIndex => _host.IgnoreIndex;

    /// <summary>The <c>validateArgs</c> option as given.</summary>
    public bool ValidateArgs => _host.ValidateArgs;

    /// <summary>How predictions are read.</summary>
    public HingeInputKind InputKind => _host.InputKind;

    /// <summary>What non-finite scores do.</summary>
    public NonFiniteHandling NonFinite => _host.NonFinite;

    /// <inheritdoc/>
    public bool UseTorchOps => _engine.UseTorchOps;

    /// <inheritdoc/>
    public bool EagerValidation => _engine.EagerValidation;

    /// <inheritdoc/>
    public long UpdateCount => _engine.UpdateCount;

    /// <inheritdoc/>
    public Device? StateDevice => _engine.StateDevice;

    /// <summary>Accumulates a batch: preds <c>(N, C, ...)</c> (Float32/Float64), target <c>(N, ...)</c>.</summary>
    /// <param name="preds">Class scores.</param>
    /// <param name="target">Class indices (integer, Bool or floating dtype), on the device of
    /// <paramref name="preds"/>.</param>
    /// <exception cref="HingeArgumentException">Shape, dtype, class-count or device errors; on the kernel path (and
    /// with <see cref="EagerValidation"/>) also invalid values.</exception>
    public void Update(Tensor preds, Tensor target) => _engine.Accumulate(preds, target, forward: false);

    /// <summary>Accumulates a batch and returns its loss as a float64 tensor on the batch's device: 0-d for
    /// Crammer–Singer, <c>(C)</c> for one-vs-all.</summary>
    /// <param name="preds">Class scores.</param>
    /// <param name="target">Class indices.</param>
    /// <returns>The batch's loss (NaN when no row is kept, or when deferred validation will reject the
    /// batch).</returns>
    public Tensor Forward(Tensor preds, Tensor target) => _engine.Accumulate(preds, target, forward: true)!;

    /// <summary>The loss over everything accumulated (NaN, or NaN per class, before any kept row). Synchronises
    /// once.</summary>
    /// <exception cref="HingeArgumentException">Deferred validation found an invalid value.</exception>
    public HingeLossValue Compute()
    {
        var (measures, total) = _engine.Read();
        if (MulticlassMode == MulticlassMode.CrammerSinger)
        {
            return new HingeLossValue(new HingeState(measures[0], total).Mean);
        }

        var values = new double[measures.Length];
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = new HingeState(measures[c], total).Mean;
        }

        return new HingeLossValue(values);
    }

    /// <inheritdoc/>
    public HingeLossValue ComputeValue() => Compute();

    /// <inheritdoc/>
    public void Reset() => _engine.Reset();

    /// <summary>Adds another metric's state (both parts), as if its batches had been given to this one.</summary>
    /// <param name="other">A metric with the same settings.</param>
    /// <exception cref="ArgumentException">The settings differ.</exception>
    public void Merge(TensorMulticlassHingeLoss other)
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
