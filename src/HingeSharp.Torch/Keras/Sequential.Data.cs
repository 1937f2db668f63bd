using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>One prepared batch: inputs, raw targets (for metrics), loss targets, optional per-sample weights.
/// </summary>
internal readonly record struct PreparedBatch(Tensor X, Tensor YRaw, Tensor YLoss, Tensor? Weights)
{
    public long Count => X.shape[0];

    public PreparedBatch Narrow(long start, long length) => new(X.narrow(0, start, length),
        YRaw.narrow(0, start, length), ReferenceEquals(YLoss, YRaw) ? YRaw.narrow(0, start, length)
            : YLoss.narrow(0, start, length), Weights?.narrow(0, start, length));

    public PreparedBatch Select(Tensor order) => new(X.index_select(0, order), YRaw.index_select(0, order),
        ReferenceEquals(YLoss, YRaw) ? YRaw.index_select(0, order) : YLoss.index_select(0, order),
        Weights?.index_select(0, order));
}

public sealed partial class Sequential
{
    /// <summary>Validates and converts inputs, building the model from their shape when needed.</summary>
    private Tensor PrepareInputs(Tensor x, string xName)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (x.dim() < 1 || x.shape[0] < 1)
        {
            throw new ArgumentException($"Expected `{xName}` to hold at least one sample along dimension 0, but got "
                + $"shape [{Shape(x.shape)}].", xName);
        }

        long[] perSample = x.shape[1..];
        if (_module is null)
        {
            Build(perSample.Length == 0 ? [1] : perSample);
        }

        if (!perSample.SequenceEqual(_inputShape!) && !(perSample.Length == 0 && _inputShape!.SequenceEqual([1L])))
        {
            throw new ArgumentException($"The model takes inputs of shape [{Shape(_inputShape!)}] per sample, but "
                + $"`{xName}` has shape [{Shape(x.shape)}].", xName);
        }

        Tensor xs = x.to(ScalarType.Float32, _device);
        return perSample.Length == 0 ? xs.unsqueeze(-1) : xs;
    }

    /// <summary>
    /// Inputs, raw targets and loss targets. Targets shaped like the output are float32; class indices
    /// (<c>(N,)</c> or <c>(N, 1)</c> with an <c>(N, C)</c> output, C &gt; 1) become int64 <c>(N,)</c>, checked
    /// to lie in [0, C), and go to the loss through <see cref="KerasLoss.PrepareClassIndices"/>.
    /// </summary>
    private PreparedBatch PrepareData(Tensor x, Tensor y, string xName, string yName, Tensor? sampleWeight = null,
        IReadOnlyDictionary<int, double>? classWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x, xName);
        ArgumentNullException.ThrowIfNull(y, yName);
        Tensor xs = PrepareInputs(x, xName);
        long n = xs.shape[0];
        if (y.dim() < 1 || y.shape[0] != n)
        {
            throw new ArgumentException($"Expected `{yName}` to have {n} samples along dimension 0 like `{xName}`, "
                + $"but got shape [{Shape(y.shape)}].", yName);
        }

        long[] expected = [n, .. _outputShape!];
        Tensor yRaw, yLoss;
        bool classIndices = _outputShape!.Length == 1 && _outputShape[0] > 1 && y.numel() == n;
        if (classIndices)
        {
            yRaw = ClassIndices(y, _outputShape[0], yName);
            yLoss = Loss!.PrepareClassIndices(yRaw, _outputShape[0]);
        }
        else
        {
            yRaw = y.to(ScalarType.Float32, _device);
            if (!yRaw.shape.SequenceEqual(expected))
            {
                if (yRaw.numel() != expected.Aggregate(1L, (a, d) => a * d))
                {
                    throw new ArgumentException($"The model outputs shape [{Shape(expected)}], which `{yName}` of "
                        + $"shape [{Shape(y.shape)}] does not match (class indices need shape ({n},) and an output "
                        + "wider than 1).", yName);
                }

                yRaw = yRaw.reshape(expected);
            }

            yLoss = Loss!.PrepareTargets(yRaw);
        }

        Tensor? weights = sampleWeight is not null ? SampleWeights(sampleWeight, n)
            : classWeight is not null ? ClassWeights(classWeight, yRaw) : null;
        return new PreparedBatch(xs, yRaw, yLoss, weights);
    }

    private Tensor ClassIndices(Tensor y, long classes, string yName)
    {
        Tensor flat = y.reshape(y.shape[0]);
        if (flat.is_floating_point())
        {
            using Tensor bad = flat.ne(flat.round()).nonzero();
            if (bad.shape[0] > 0)
            {
                long i = bad[0, 0].item<long>();
                throw new ArgumentException($"Class indices in `{yName}` must be whole numbers, but `{yName}`[{i}] = "
                    + $"{flat[i].to(ScalarType.Float64).item<double>()}.", yName);
            }
        }
        else if (flat.dtype == ScalarType.Bool)
        {
            throw new ArgumentException($"`{yName}` holds booleans; class indices must be integers.", yName);
        }

        Tensor indices = flat.to(ScalarType.Int64, _device);
        using (Tensor outside = indices.lt(0).logical_or_(indices.ge(classes)).nonzero())
        {
            if (outside.shape[0] > 0)
            {
                long i = outside[0, 0].item<long>();
                throw new ArgumentException($"Class indices in `{yName}` must lie in [0, {classes}) for a "
                    + $"{classes}-unit output, but `{yName}`[{i}] = {indices[i].item<long>()}.", yName);
            }
        }

        return indices;
    }

    private Tensor SampleWeights(Tensor sampleWeight, long n)
    {
        if (sampleWeight.numel() != n || (sampleWeight.dim() > 1 && sampleWeight.shape[0] != n))
        {
            throw new ArgumentException($"Expected `sampleWeight` to hold one weight per sample ({n}), but got shape "
                + $"[{Shape(sampleWeight.shape)}].", nameof(sampleWeight));
        }

        return sampleWeight.reshape(n).to(ScalarType.Float32, _device);
    }

    /// <summary>Keras' <c>class_weight</c> → per-sample weights: the class is the index, the argmax of a one-hot
    /// row, or the rounded label; classes missing from the dictionary weigh 1.</summary>
    private Tensor ClassWeights(IReadOnlyDictionary<int, double> classWeight, Tensor yRaw)
    {
        Tensor classes = yRaw.dtype == ScalarType.Int64 ? yRaw
            : yRaw.dim() > 1 && yRaw.shape[^1] > 1 ? yRaw.argmax(-1)
            : yRaw.reshape(yRaw.shape[0]).round().to(ScalarType.Int64);
        long[] ids = classes.cpu().data<long>().ToArray();
        float[] weights = ids.Select(c => (float)(c is >= int.MinValue and <= int.MaxValue
            && classWeight.TryGetValue((int)c, out double w) ? w : 1.0)).ToArray();
        return torch.tensor(weights, device: _device);
    }
}
