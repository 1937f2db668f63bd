using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// Checks on tensor metadata (dtype, device, shape) that need no device synchronisation, with the core's wording.
/// </summary>
internal static class TensorChecks
{
    internal static void CheckPredsDtype(ScalarType dtype)
    {
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16))
        {
            throw new HingeArgumentException("preds",
                $"`preds` has dtype {dtype}: expected floating scores (Float32 or Float64; Float16 and BFloat16 are " +
                "widened to Float32). Convert with preds.to_type(ScalarType.Float32).");
        }
    }

    internal static void CheckTargetDtype(ScalarType dtype)
    {
        if (dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8
            or ScalarType.Byte or ScalarType.Bool or ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16
            or ScalarType.BFloat16))
        {
            throw new HingeArgumentException("target",
                $"`target` has dtype {dtype}: expected an integer, Bool or floating dtype.");
        }
    }

    internal static void CheckSameDevice(Tensor preds, Tensor target)
    {
        if (preds.device_type != target.device_type || preds.device_index != target.device_index)
        {
            throw new HingeArgumentException("target",
                $"`target` is on {target.device} but `preds` is on {preds.device}: move both to one device.");
        }
    }

    internal static bool IsCpu(Tensor tensor) => tensor.device_type == DeviceType.CPU;

    /// <summary>The tensor's shape as <see cref="int"/> dimensions.</summary>
    internal static int[] Shape(Tensor tensor, string name)
    {
        var shape = tensor.shape;
        var result = new int[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] > int.MaxValue)
            {
                throw new HingeArgumentException(name,
                    $"`{name}` has dimension {i} of size {shape[i]}, more than {int.MaxValue}.");
            }

            result[i] = (int)shape[i];
        }

        return result;
    }

    internal static string FormatShape(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>Binary: preds and target of one shape (any rank, 0-d included).</summary>
    internal static void CheckBinaryShapes(Tensor preds, Tensor target)
    {
        if (!preds.shape.AsSpan().SequenceEqual(target.shape))
        {
            throw new HingeArgumentException("target",
                "Predictions and targets are expected to have the same shape, but got " +
                $"{FormatShape(preds.shape)} and {FormatShape(target.shape)}.");
        }
    }

    /// <summary>Multiclass: preds <c>(N, C, ...)</c>, target <c>(N, ...)</c>, C = <paramref
    /// name="numClasses"/>.</summary>
    internal static void CheckMulticlassShapes(Tensor preds, Tensor target, int numClasses)
    {
        long[] p = preds.shape, t = target.shape;
        if (t.Length == 0)
        {
            throw new HingeArgumentException("targetShape", "`target` needs a shape with at least one dimension.");
        }

        if (p.Length == t.Length)
        {
            throw new HingeArgumentException("preds",
                $"`preds` has shape {FormatShape(p)}, the same rank as `target` {FormatShape(t)}: multiclass hinge " +
                "needs class scores of shape (N, C, ...), not predicted labels.");
        }

        if (p.Length != t.Length + 1)
        {
            throw new HingeArgumentException("preds",
                "Either `preds` and `target` both should have the (same) shape (N, ...), or `target` should be " +
                $"(N, ...) and `preds` should be (N, C, ...). Got {FormatShape(p)} and {FormatShape(t)}.");
        }

        if (p[0] != t[0] || !p.AsSpan(2).SequenceEqual(t.AsSpan(1)))
        {
            throw new HingeArgumentException("target",
                "If `preds` have one dimension more than `target`, the shape of `preds` should be (N, C, ...), and " +
                $"the shape of `target` should be (N, ...). Got {FormatShape(p)} and {FormatShape(t)}.");
        }

        if (p[1] != numClasses)
        {
            throw new HingeArgumentException("preds",
                "If `preds` have one dimension more than `target`, `preds.shape[1]` should be equal to number of " +
                $"classes. Got preds.shape[1] = {p[1]} and num_classes = {numClasses}.");
        }
    }
}
