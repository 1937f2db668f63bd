using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Losses;

/// <summary>
/// Argument checks and helpers shared by the losses. Shape and dtype checks are host-side only (no device sync);
/// checks of target <em>values</em> run on the host after a native kernel has failed on the CPU, and before the
/// kernel on other devices, whose kernels assert instead of throwing.
/// </summary>
internal static class LossChecks
{
    /// <summary>Cached scalars: TorchSharp scalars are native handles that are otherwise freed only by the GC.</summary>
    internal static readonly Scalar One = 1.0.ToScalar();

    internal static readonly Scalar Zero = 0.0.ToScalar();

    internal static readonly Scalar Two = 2.0.ToScalar();

    internal static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();

    internal static string Shape(Tensor t) => Shape(t.shape);

    internal static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    internal static void CheckReduction(nn.Reduction reduction)
    {
        if (reduction is not (nn.Reduction.None or nn.Reduction.Mean or nn.Reduction.Sum))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction,
                $"Expected argument `reduction` to be None, Mean or Sum, but got {(long)reduction}.");
        }
    }

    /// <summary>The checks every loss function starts with, in this order: <paramref name="input"/> is a floating
    /// tensor, <paramref name="target"/> is not null and on the device of <paramref name="input"/>, and
    /// <paramref name="reduction"/> is defined.</summary>
    internal static void CheckInputs(Tensor input, Tensor target, nn.Reduction reduction)
    {
        CheckFloating(input, nameof(input));
        CheckNotNull(target, nameof(target));
        CheckSameDevice(input, target, nameof(target));
        CheckReduction(reduction);
    }

    internal static Tensor Reduce(Tensor loss, nn.Reduction reduction) => reduction switch
    {
        nn.Reduction.Mean => loss.mean(),
        nn.Reduction.Sum => loss.sum(),
        _ => loss,
    };

    internal static void CheckNotNull(Tensor? tensor, string paramName)
    {
        if (tensor is null)
        {
            throw new ArgumentNullException(paramName, $"Expected argument `{paramName}` to be a tensor, but got null.");
        }
    }

    internal static void CheckFloating(Tensor tensor, string paramName)
    {
        CheckNotNull(tensor, paramName);
        if (!tensor.is_floating_point())
        {
            throw new ArgumentException(
                $"Expected argument `{paramName}` to be a floating-point tensor, but got dtype {tensor.dtype}.",
                paramName);
        }
    }

    internal static void CheckSameDevice(Tensor input, Tensor other, string paramName)
    {
        if (input.device_type != other.device_type || input.device_index != other.device_index)
        {
            throw new ArgumentException(
                $"Expected argument `{paramName}` to be on the device of `input` ({input.device}), "
                + $"but it is on {other.device}.", paramName);
        }
    }

    /// <summary>torch's broadcasting rule, with torch's wording for a mismatch.</summary>
    internal static void CheckBroadcastable(Tensor a, Tensor b, string paramName)
    {
        long[] sa = a.shape;
        long[] sb = b.shape;
        int ndim = Math.Max(sa.Length, sb.Length);
        for (int i = ndim - 1; i >= 0; i--)
        {
            int offset = ndim - 1 - i;
            long da = offset < sa.Length ? sa[sa.Length - 1 - offset] : 1;
            long db = offset < sb.Length ? sb[sb.Length - 1 - offset] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException(
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension "
                    + $"{i}: {Shape(sa)} and `{paramName}` {Shape(sb)} do not broadcast.", paramName);
            }
        }
    }

    /// <summary>
    /// Keras' <c>squeeze_or_expand_to_same_rank</c>: when the ranks differ by one and the longer shape ends in 1,
    /// that axis is added to (or dropped from) <paramref name="target"/>. Then the shapes must be equal.
    /// </summary>
    internal static Tensor MatchShape(Tensor input, Tensor target, string paramName)
    {
        long[] si = input.shape;
        long[] st = target.shape;
        Tensor matched = target;
        if (st.Length == si.Length - 1 && si[^1] == 1)
        {
            matched = target.unsqueeze(-1);
        }
        else if (st.Length == si.Length + 1 && st[^1] == 1)
        {
            matched = target.squeeze(-1);
        }

        if (!matched.shape.AsSpan().SequenceEqual(si))
        {
            throw new ArgumentException(
                $"Expected argument `{paramName}` to have the shape of `input` {Shape(si)}, but got {Shape(st)}.",
                paramName);
        }

        return matched;
    }

    /// <summary>Integer class-index targets as int64 (a no-op for int64).</summary>
    internal static Tensor ToClassIndices(Tensor target, string paramName)
    {
        CheckNotNull(target, paramName);
        if (target.dtype == ScalarType.Int64)
        {
            return target;
        }

        if (target.dtype is ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte)
        {
            return target.to(ScalarType.Int64);
        }

        throw new ArgumentException(
            $"Expected argument `{paramName}` to hold integer class indices, but got dtype {target.dtype}.",
            paramName);
    }

    /// <summary>Whether target values must be checked before the kernel runs (devices whose kernels assert).</summary>
    internal static bool PrecheckValues(Tensor tensor) => tensor.device_type != DeviceType.CPU;

    /// <summary>Throws when a class index lies outside [0, <paramref name="numClasses"/>).</summary>
    internal static void CheckClassIndexRange(Tensor target, long numClasses, string paramName, string torchWording)
    {
        if (PrecheckValues(target) && !AnyOutside(target, 0, numClasses))
        {
            return;
        }

        long[] values = HostValues(target);
        for (long i = 0; i < values.Length; i++)
        {
            if (values[i] < 0 || values[i] >= numClasses)
            {
                throw new ArgumentOutOfRangeException(paramName, values[i],
                    $"{torchWording}: expected argument `{paramName}` to hold class indices in [0, {numClasses}), "
                    + $"but got {values[i]} at {Position(target.shape, i)}.");
            }
        }
    }

    /// <summary>
    /// MultiLabelMarginLoss targets: libtorch requires every value (also those after a row's first −1, which the
    /// loss ignores) to lie in [−1, <paramref name="numClasses"/>).
    /// </summary>
    internal static void CheckMultilabelTargets(Tensor target, long numClasses, string paramName, string torchWording)
    {
        if (PrecheckValues(target) && !AnyOutside(target, -1, numClasses))
        {
            return;
        }

        long[] values = HostValues(target);
        for (long i = 0; i < values.Length; i++)
        {
            if (values[i] < -1 || values[i] >= numClasses)
            {
                throw new ArgumentOutOfRangeException(paramName, values[i],
                    $"{torchWording}: expected argument `{paramName}` to hold class indices in [0, {numClasses}) or "
                    + $"-1 (end of a row's labels), but got {values[i]} at {Position(target.shape, i)}.");
            }
        }
    }

    /// <summary>Whether any value lies outside [<paramref name="min"/>, <paramref name="maxExclusive"/>): computed
    /// on the tensor's device, one boolean copied to the host.</summary>
    internal static bool AnyOutside(Tensor values, long min, long maxExclusive)
    {
        using var scope = NewDisposeScope();
        using Scalar lo = min.ToScalar();
        using Scalar hi = maxExclusive.ToScalar();
        return values.lt(lo).logical_or_(values.ge(hi)).any().item<bool>();
    }

    /// <summary>Whether <paramref name="e"/> is the exception TorchSharp raises for an error inside libtorch.</summary>
    internal static bool IsNativeError(Exception e) => e is ExternalException;

    private static long[] HostValues(Tensor target)
    {
        using var scope = NewDisposeScope();
        return target.to(ScalarType.Int64).cpu().contiguous().data<long>().ToArray();
    }

    /// <summary>"index [1, 2]" for a multi-dimensional position, "index 2" for a vector.</summary>
    internal static string Position(long[] shape, long flatIndex)
    {
        if (shape.Length <= 1)
        {
            return $"index {flatIndex}";
        }

        var position = new long[shape.Length];
        long rest = flatIndex;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            position[d] = rest % shape[d];
            rest /= shape[d];
        }

        return $"index {Shape(position)}";
    }
}
