using HingeSharp.Classification;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// A streaming hinge metric fed with tensors whose state can live on the tensors' device:
/// <see cref="TensorBinaryHingeLoss"/> or <see cref="TensorMulticlassHingeLoss"/>.
/// </summary>
/// <remarks>
/// <para>Two paths, added together by <see cref="ComputeValue"/>:</para>
/// <list type="bullet">
/// <item><b>Kernel path</b> — CPU tensors (unless <see cref="UseTorchOps"/>): read in place by the core kernels into a
/// host state, validated before the state changes, exactly as the core metric.</item>
/// <item><b>Device path</b> — tensors on any other device, and CPU tensors with <see cref="UseTorchOps"/>: reduced with
/// torch ops on that device into state tensors that stay there (float64 sums, an int64 count). An update performs
/// no host synchronisation. Invalid values (bad targets, non-finite predictions, …) are recorded on the device and
/// thrown by <see cref="ComputeValue"/> — deferred validation, which cannot stop a bad batch from entering the
/// state, so the error stays until <see cref="Reset"/>. With <see cref="EagerValidation"/> each update synchronises
/// once instead and a rejected batch leaves the state untouched. Shape, dtype and device errors are metadata and
/// always throw from the update itself.</item>
/// </list>
/// <para>Synchronisation points: <see cref="ComputeValue"/> (one copy of the state), and each update with
/// <see cref="EagerValidation"/>. <see cref="Forward"/> returns a device tensor and does not synchronise.</para>
/// </remarks>
public interface ITensorHingeMetric : IDisposable
{
    /// <summary>Reduce CPU tensors with torch ops (the device path) instead of the core kernels.</summary>
    bool UseTorchOps { get; }

    /// <summary>Validate device-path batches during the update (one synchronisation each) instead of at
    /// compute.</summary>
    bool EagerValidation { get; }

    /// <summary>Updates and forwards accepted since construction or the last <see cref="Reset"/>.</summary>
    long UpdateCount { get; }

    /// <summary>The device holding the device-path state, or null while no batch took that path.</summary>
    Device? StateDevice { get; }

    /// <summary>Accumulates a batch.</summary>
    /// <param name="preds">Predictions (float32/float64; binary any shape, multiclass <c>(N, C, ...)</c>).</param>
    /// <param name="target">Targets (integer, Bool or floating dtype; binary the shape of preds, multiclass
    /// <c>(N, ...)</c>), on the device of <paramref name="preds"/>.</param>
    void Update(Tensor preds, Tensor target);

    /// <summary>Accumulates a batch and returns its own value as a float64 tensor on the batch's device: 0-d, or
    /// <c>(C)</c> for one-vs-all. A device-path batch that deferred validation will reject reads NaN.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    Tensor Forward(Tensor preds, Tensor target);

    /// <summary>The metric over everything accumulated (synchronises once).</summary>
    /// <exception cref="HingeArgumentException">Deferred validation found an invalid value.</exception>
    HingeLossValue ComputeValue();

    /// <summary>Clears both parts of the state and any recorded error.</summary>
    void Reset();
}
