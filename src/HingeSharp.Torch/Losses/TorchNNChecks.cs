using static TorchSharp.torch;

namespace HingeSharp.Torch.Losses;

/// <summary>Host-side checks for the libtorch-backed losses, worded like PyTorch's own errors.</summary>
internal static class TorchNNChecks
{
    internal static void CheckP(int p)
    {
        if (p is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p,
                $"only p == 1 and p == 2 supported: expected argument `p` to be 1 or 2, but got {p}.");
        }
    }

    /// <summary>Checks (N, C)/(N) or (C)/() shapes; returns C.</summary>
    internal static long CheckMultiMarginShapes(Tensor input, Tensor target)
    {
        long numClasses = CheckScores(input);
        long samples = input.dim() == 2 ? input.shape[0] : 1;
        if (target.dim() > 1 || target.numel() != samples)
        {
            throw new ArgumentException(
                $"inconsistent target size, got: {LossChecks.Shape(target)}: expected argument `target` to hold "
                + $"{samples} class {(samples == 1 ? "index" : "indices")} for `input` {LossChecks.Shape(input)}.",
                nameof(target));
        }

        return numClasses;
    }

    /// <summary>Checks that the target has the input's (N, C) or (C) shape; returns C.</summary>
    internal static long CheckMultiLabelShapes(Tensor input, Tensor target)
    {
        long numClasses = CheckScores(input);
        if (!target.shape.AsSpan().SequenceEqual(input.shape))
        {
            throw new ArgumentException(
                $"inconsistent size {LossChecks.Shape(target)} for argument #2 'target': expected argument `target` "
                + $"to have the shape of `input` {LossChecks.Shape(input)}.", nameof(target));
        }

        return numClasses;
    }

    /// <summary>A weight vector for <paramref name="numClasses"/> classes, compatible with
    /// <paramref name="input"/> when one is given.</summary>
    internal static void CheckWeight(Tensor weight, long numClasses, Tensor? input)
    {
        LossChecks.CheckFloating(weight, nameof(weight));
        if (weight.dim() != 1 || (numClasses >= 0 && weight.shape[0] != numClasses))
        {
            string expected = numClasses >= 0 ? $"[{numClasses}]" : "[C]";
            throw new ArgumentException(
                $"Expected argument `weight` to be a vector of class weights, shape {expected}, but got shape "
                + $"{LossChecks.Shape(weight)}.", nameof(weight));
        }

        if (input is not null)
        {
            LossChecks.CheckSameDevice(input, weight, nameof(weight));
            if (weight.dtype != input.dtype)
            {
                throw new ArgumentException(
                    $"Expected argument `weight` to have the dtype of `input` ({input.dtype}), but got {weight.dtype}.",
                    nameof(weight));
            }
        }
    }

    /// <summary>A non-empty (C) or (N, C) score tensor; returns C.</summary>
    private static long CheckScores(Tensor input)
    {
        if (input.dim() is not (1 or 2) || input.shape[^1] == 0)
        {
            throw new ArgumentException(
                "Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                + $"{LossChecks.Shape(input)}: argument `input` must be (C) or (N, C) with C > 0.", nameof(input));
        }

        return input.shape[^1];
    }
}
