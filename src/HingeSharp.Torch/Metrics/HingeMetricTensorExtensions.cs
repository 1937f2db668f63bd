using System.Numerics;
using HingeSharp.Classification;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// Lets the core hinge metrics take TorchSharp tensors: <c>metric.Update(preds, target)</c> and
/// <c>metric.Forward(preds, target)</c> with preds of any shape (<c>(N, ...)</c> binary; <c>(N, C, ...)</c>
/// multiclass, C = dim 1) and Float32/Float64 dtype (Float16/BFloat16 are widened), targets of an integer, Bool or
/// floating dtype.
/// </summary>
/// <remarks>
/// <para><b>CPU tensors</b> go through the core kernels without copying: a contiguous tensor's memory is read in place
/// as a span (non-contiguous tensors are made contiguous first, half-precision ones widened), and the shape goes to
/// the core's shaped overloads. Validation and results are exactly the core metric's.</para>
/// <para><b>Tensors on another device</b> (CUDA, …) are reduced there with torch ops (the same formulas and Auto rule
/// as the kernels); only the batch's sums and its validation record — a few float64 values — come back to the host,
/// in one synchronising copy per update, because a core metric's state is a host value. A rejected batch throws before
/// the state changes. For updates that never synchronise, use <see cref="TensorBinaryHingeLoss"/> or
/// <see cref="TensorMulticlassHingeLoss"/>, whose state lives on the device.</para>
/// <para>An <see cref="IHingeMetric"/> other than the two core metrics gets non-CPU tensors copied to the CPU.</para>
/// </remarks>
/// <example><code>
/// using var preds = torch.tensor(new[] { 0.5f, 0.7f, 0.1f });
/// using var target = torch.tensor(new long[] { 0, 1, 1 });
/// var metric = new BinaryHingeLoss();
/// metric.Forward(preds, target); // 0.9000
/// </code></example>
public static class HingeMetricTensorExtensions
{
    /// <summary>Accumulates a batch of tensors. A rejected batch leaves the state untouched.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="preds">Predictions: binary any shape, multiclass <c>(N, C, ...)</c>.</param>
    /// <param name="target">Targets: binary the shape of <paramref name="preds"/>, multiclass <c>(N, ...)</c>.</param>
    /// <exception cref="HingeArgumentException">Bad dtype, shape or device, or any error of the core
    /// metric.</exception>
    public static void Update(this IHingeMetric metric, Tensor preds, Tensor target) =>
        Feed(metric, preds, target, forward: false);

    /// <summary>Accumulates a batch of tensors and returns the value of that batch alone.</summary>
    /// <inheritdoc cref="Update(IHingeMetric, Tensor, Tensor)"/>
    public static HingeLossValue Forward(this IHingeMetric metric, Tensor preds, Tensor target) =>
        Feed(metric, preds, target, forward: true);

    /// <summary>Accumulates a binary batch of tensors (preds and target of one shape).</summary>
    /// <inheritdoc cref="Update(IHingeMetric, Tensor, Tensor)"/>
    public static void Update(this BinaryHingeLoss metric, Tensor preds, Tensor target) =>
        Feed(metric, preds, target, forward: false);

    /// <summary>Accumulates a binary batch of tensors and returns its mean loss alone.</summary>
    /// <inheritdoc cref="Update(IHingeMetric, Tensor, Tensor)"/>
    public static double Forward(this BinaryHingeLoss metric, Tensor preds, Tensor target) =>
        Feed(metric, preds, target, forward: true).Value;

    /// <summary>Accumulates a multiclass batch of tensors: preds <c>(N, C, ...)</c>, target <c>(N, ...)</c>.</summary>
    /// <inheritdoc cref="Update(IHingeMetric, Tensor, Tensor)"/>
    public static void Update(this MulticlassHingeLoss metric, Tensor preds, Tensor target) =>
        Feed(metric, preds, target, forward: false);

    /// <summary>Accumulates a multiclass batch of tensors and returns its loss alone (a scalar for Crammer–Singer, one
    /// value per class for one-vs-all).</summary>
    /// <inheritdoc cref="Update(IHingeMetric, Tensor, Tensor)"/>
    public static HingeLossValue Forward(this MulticlassHingeLoss metric, Tensor preds, Tensor target) =>
        Feed(metric, preds, target, forward: true);

    /// <param name="metric">The core metric.</param>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    /// <param name="forward">Return the batch's value.</param>
    /// <param name="torchOps">Reduce CPU tensors with torch ops too (the non-CPU path), for tests.</param>
    internal static HingeLossValue Feed(IHingeMetric metric, Tensor preds, Tensor target, bool forward,
        bool torchOps = false)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(preds);
        ArgumentNullException.ThrowIfNull(target);
        TensorChecks.CheckSameDevice(preds, target);
        if (TensorChecks.IsCpu(preds) && !torchOps)
        {
            return TensorSpans.Visit<HingeLossValue, CoreVisitor>(preds, target, new CoreVisitor(metric, forward));
        }

        switch (metric)
        {
            case BinaryHingeLoss binary:
                return DeviceBatches.Binary(binary, preds, target);
            case MulticlassHingeLoss multiclass:
                return DeviceBatches.Multiclass(multiclass, preds, target);
            default:
                using (var cpuPreds = preds.cpu())
                using (var cpuTarget = target.cpu())
                {
                    return Feed(metric, cpuPreds, cpuTarget, forward);
                }
        }
    }

    /// <summary>Hands the spans and shapes to the core metric's shaped overloads.</summary>
    private readonly struct CoreVisitor(IHingeMetric metric, bool forward) : ISpanBatchVisitor<HingeLossValue>
    {
        public HingeLossValue Visit<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
            ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
            where TPred : unmanaged, IFloatingPointIeee754<TPred>
            where TTarget : unmanaged, INumberBase<TTarget>
        {
            if (forward)
            {
                return metric.Forward(preds, predsShape, target, targetShape);
            }

            metric.Update(preds, predsShape, target, targetShape);
            return default;
        }
    }
}
