using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>Receives a CPU batch as typed spans over the tensors' own memory.</summary>
/// <typeparam name="TResult">What the visit returns.</typeparam>
internal interface ISpanBatchVisitor<out TResult>
{
    TResult Visit<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>;
}

/// <summary>
/// Reads CPU tensors as spans without copying: a contiguous float32/float64 (preds) or integer/bool/float (target)
/// tensor is viewed in place through <c>Tensor.bytes</c>; only non-contiguous tensors (made contiguous) and half
/// precision ones (widened to float32) are copied first.
/// </summary>
internal static class TensorSpans
{
    /// <summary>Calls <paramref name="visitor"/> with both CPU tensors typed as spans, with their shapes.</summary>
    internal static TResult Visit<TResult, TVisitor>(Tensor preds, Tensor target, TVisitor visitor)
        where TVisitor : ISpanBatchVisitor<TResult>
    {
        TensorChecks.CheckPredsDtype(preds.dtype);
        TensorChecks.CheckTargetDtype(target.dtype);
        var predsShape = TensorChecks.Shape(preds, "preds");
        var targetShape = TensorChecks.Shape(target, "target");
        using var scope = torch.NewDisposeScope();
        var p = Readable(preds, widen: preds.dtype is ScalarType.Float16 or ScalarType.BFloat16);
        var t = Readable(target, widen: target.dtype is ScalarType.Float16 or ScalarType.BFloat16);
        try
        {
            return p.dtype == ScalarType.Float64
                ? WithTarget<double, TResult, TVisitor>(AsSpan<double>(p, "preds"), predsShape, t, targetShape,
                    visitor)
                : WithTarget<float, TResult, TVisitor>(AsSpan<float>(p, "preds"), predsShape, t, targetShape,
                    visitor);
        }
        finally
        {
            // The spans point into native memory that these tensors own: keep them alive until the visit is over.
            GC.KeepAlive(p);
            GC.KeepAlive(t);
            GC.KeepAlive(preds);
            GC.KeepAlive(target);
        }
    }

    /// <summary>
    /// The elements of a contiguous CPU tensor as a span over its memory (no copy). The span is valid while the tensor
    /// is alive and unchanged in size.
    /// </summary>
    /// <param name="tensor">A contiguous CPU tensor whose element type is <typeparamref name="T"/>.</param>
    /// <param name="name">The argument's name, for errors.</param>
    /// <param name="maxDirectBytes">Tensors up to this size are read through <c>Tensor.bytes</c>, which TorchSharp
    /// limits to <see cref="int.MaxValue"/> bytes; larger ones through a one-element view of their first element
    /// (a parameter so that tests can reach that path with small tensors).</param>
    internal static ReadOnlySpan<T> AsSpan<T>(Tensor tensor, string name, long maxDirectBytes = int.MaxValue)
        where T : unmanaged
    {
        var count = tensor.numel();
        if (count == 0)
        {
            return default;
        }

        if (count > int.MaxValue)
        {
            throw new HingeArgumentException(name,
                $"`{name}` has {count} elements; the core kernels read at most {int.MaxValue} per update. Split the " +
                "batch, or use TensorBinaryHingeLoss/TensorMulticlassHingeLoss with useTorchOps: true.");
        }

        if (count * Unsafe.SizeOf<T>() <= maxDirectBytes)
        {
            return MemoryMarshal.Cast<byte, T>(tensor.bytes);
        }

        // Tensor.bytes refuses spans over int.MaxValue bytes; the element count still fits a span of T.
        using var flat = tensor.flatten();
        using var first = flat.narrow(0, 0, 1);
        ref var head = ref MemoryMarshal.GetReference(first.bytes);
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref head), (int)count);
    }

    private static Tensor Readable(Tensor tensor, bool widen)
    {
        if (widen)
        {
            return tensor.to_type(ScalarType.Float32).contiguous();
        }

        return tensor.is_contiguous() ? tensor : tensor.contiguous();
    }

    private static TResult WithTarget<TPred, TResult, TVisitor>(ReadOnlySpan<TPred> preds, int[] predsShape,
        Tensor target, int[] targetShape, TVisitor visitor)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TVisitor : ISpanBatchVisitor<TResult> => target.dtype switch
    {
        ScalarType.Int64 => visitor.Visit(preds, predsShape, AsSpan<long>(target, "target"), targetShape),
        ScalarType.Int32 => visitor.Visit(preds, predsShape, AsSpan<int>(target, "target"), targetShape),
        ScalarType.Int16 => visitor.Visit(preds, predsShape, AsSpan<short>(target, "target"), targetShape),
        ScalarType.Int8 => visitor.Visit(preds, predsShape, AsSpan<sbyte>(target, "target"), targetShape),
        // torch stores bool as one byte, 0 or 1.
        ScalarType.Byte or ScalarType.Bool =>
            visitor.Visit(preds, predsShape, AsSpan<byte>(target, "target"), targetShape),
        ScalarType.Float64 => visitor.Visit(preds, predsShape, AsSpan<double>(target, "target"), targetShape),
        _ => visitor.Visit(preds, predsShape, AsSpan<float>(target, "target"), targetShape),
    };
}
