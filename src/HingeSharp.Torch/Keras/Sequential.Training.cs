using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

public sealed partial class Sequential
{
    /// <summary>
    /// Trains the model like Keras' <c>fit</c>: per epoch, optionally shuffles, runs mini-batches of
    /// <paramref name="batchSize"/> (the last one smaller), then evaluates the validation data.
    /// </summary>
    /// <remarks>
    /// The epoch's <c>loss</c> and metrics are Keras' running means over the epoch's batches, weighted by batch
    /// size, computed on each batch before its update. Validation values are exactly what <see cref="Evaluate"/>
    /// returns for the validation data at the end of the epoch. Per step the loop runs the forward pass, the
    /// loss, backward, the optimizer and on-device accumulation inside one dispose scope, with no host
    /// synchronisation unless a callback asks for batch logs.
    /// </remarks>
    /// <param name="x">Inputs, shape <c>(N, …)</c>; converted to float32 on the model's device.</param>
    /// <param name="y">Targets, shape <c>(N, …)</c> matching the output, or <c>(N,)</c> for a one-unit output.
    /// </param>
    /// <param name="epochs">Number of epochs, &gt;= 1.</param>
    /// <param name="batchSize">Samples per batch, &gt;= 1 (Keras default 32).</param>
    /// <param name="validationData">Data evaluated after every epoch (<c>val_</c> keys).</param>
    /// <param name="shuffle">Whether to reshuffle the training data every epoch (with <see cref="Generator"/>).
    /// </param>
    /// <param name="verbose">0: silent; otherwise one line per epoch to <see cref="Log"/>.</param>
    /// <param name="callbacks">Callbacks.</param>
    /// <returns>The per-epoch history.</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    /// <exception cref="ArgumentException">Shapes do not fit the model, or an argument is out of range.</exception>
    public History Fit(Tensor x, Tensor y, int epochs = 1, int batchSize = 32,
        (Tensor X, Tensor Y)? validationData = null, bool shuffle = true, int verbose = 1,
        IEnumerable<Callback>? callbacks = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        KerasLoss loss = Loss ?? throw new InvalidOperationException("Call Compile before Fit.");
        KerasOptimizer optimizer = Optimizer!;
        var callbackList = (callbacks ?? []).ToList();
        if (verbose > 0)
        {
            callbackList.Insert(0, new ProgressLogger(Log));
        }

        using var fitScope = torch.NewDisposeScope();
        (Tensor xs, Tensor yRaw, Tensor yLoss) = PrepareData(x, y, nameof(x), nameof(y));
        (Tensor X, Tensor Y, Tensor YLoss)? validation = null;
        if (validationData is { } v)
        {
            validation = PrepareData(v.X, v.Y, "validationData.X", "validationData.Y");
        }

        List<KerasMetric> metrics = _metrics!;
        long n = xs.shape[0];
        var history = new History();
        bool batchLogs = callbackList.Any(c => c.NeedsBatchLogs);
        StopTraining = false;
        foreach (Callback callback in callbackList)
        {
            callback.Model = this;
            if (callback is ProgressLogger progress)
            {
                progress.TotalEpochs = epochs;
            }

            callback.OnTrainBegin();
        }

        for (int epoch = 0; epoch < epochs && !StopTraining; epoch++)
        {
            foreach (Callback callback in callbackList)
            {
                callback.OnEpochBegin(epoch);
            }

            var logs = new Dictionary<string, double>();
            using (var epochScope = torch.NewDisposeScope())
            {
                _module!.train();
                Tensor xe = xs, ye = yRaw, yle = yLoss;
                if (shuffle)
                {
                    Tensor order = torch.randperm(n, generator: Generator).to(_device);
                    xe = xs.index_select(0, order);
                    ye = yRaw.index_select(0, order);
                    yle = ReferenceEquals(yLoss, yRaw) ? ye : yLoss.index_select(0, order);
                }

                Tensor lossSum = torch.zeros([], ScalarType.Float64, _device);
                Tensor[] metricSums = metrics.Select(_ => torch.zeros([], ScalarType.Float64, _device)).ToArray();
                int batches = (int)((n + batchSize - 1) / batchSize);
                for (int b = 0; b < batches; b++)
                {
                    using var stepScope = torch.NewDisposeScope();
                    long start = (long)b * batchSize;
                    long length = Math.Min(batchSize, n - start);
                    Tensor xb = xe.narrow(0, start, length);
                    Tensor prediction = _module.call(xb);
                    Tensor batchLoss = loss.Compute(yle.narrow(0, start, length), prediction);
                    _module.zero_grad();
                    batchLoss.backward();
                    optimizer.Step(_parameters);
                    using (torch.no_grad())
                    {
                        lossSum.add_(batchLoss.detach(), alpha: length);
                        Accumulate(metrics, metricSums, ye.narrow(0, start, length), prediction.detach());
                    }

                    if (batchLogs)
                    {
                        double value = batchLoss.detach().to(ScalarType.Float64).item<double>();
                        foreach (Callback callback in callbackList.Where(c => c.NeedsBatchLogs))
                        {
                            callback.OnBatchEnd(b, value);
                        }
                    }
                }

                logs["loss"] = lossSum.item<double>() / n;
                for (int i = 0; i < metrics.Count; i++)
                {
                    logs[metrics[i].Name] = metrics[i].Result(metricSums[i], n);
                }
            }

            if (validation is { } val)
            {
                foreach ((string key, double value) in EvaluatePrepared(val.X, val.Y, val.YLoss, batchSize))
                {
                    logs["val_" + key] = value;
                }
            }

            history.Append(epoch, logs);
            foreach (Callback callback in callbackList)
            {
                callback.OnEpochEnd(epoch, logs);
            }
        }

        foreach (Callback callback in callbackList)
        {
            callback.OnTrainEnd(history);
        }

        return history;
    }

    /// <summary>
    /// Loss and metrics on a data set, like Keras' <c>evaluate(return_dict=True)</c>: batch-size-weighted means
    /// over batches of <paramref name="batchSize"/>, in inference mode (dropout off), without gradients.
    /// </summary>
    /// <param name="x">Inputs, shape <c>(N, …)</c>.</param>
    /// <param name="y">Targets, as for <see cref="Fit"/>.</param>
    /// <param name="batchSize">Samples per batch (Keras default 32).</param>
    /// <returns><c>loss</c> and each metric by name.</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    public IReadOnlyDictionary<string, double> Evaluate(Tensor x, Tensor y, int batchSize = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (Loss is null)
        {
            throw new InvalidOperationException("Call Compile before Evaluate.");
        }

        using var scope = torch.NewDisposeScope();
        (Tensor xs, Tensor yRaw, Tensor yLoss) = PrepareData(x, y, nameof(x), nameof(y));
        return EvaluatePrepared(xs, yRaw, yLoss, batchSize);
    }

    /// <summary>Model outputs for <paramref name="x"/> in inference mode, without gradients, computed in batches
    /// (Keras' <c>predict</c>).</summary>
    /// <param name="x">Inputs, shape <c>(N, …)</c>.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <returns>A float32 tensor <c>(N, …output)</c> on the model's device, in the caller's dispose scope.
    /// </returns>
    public Tensor Predict(Tensor x, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = torch.NewDisposeScope();
        Tensor xs = PrepareInputs(x, nameof(x));
        using var noGrad = torch.no_grad();
        _module!.eval();
        long n = xs.shape[0];
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += batchSize)
        {
            parts.Add(_module.call(xs.narrow(0, start, Math.Min(batchSize, n - start))));
        }

        Tensor result = parts.Count == 1 ? parts[0] : torch.cat(parts, 0);
        return result.MoveToOuterDisposeScope();
    }

    private static void Accumulate(List<KerasMetric> metrics, Tensor[] sums, Tensor yTrue, Tensor prediction)
    {
        for (int i = 0; i < metrics.Count; i++)
        {
            metrics[i].Accumulate(sums[i], yTrue, prediction);
        }
    }

    private Dictionary<string, double> EvaluatePrepared(Tensor xs, Tensor yRaw, Tensor yLoss, int batchSize)
    {
        List<KerasMetric> metrics = _metrics!;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _module!.eval();
        long n = xs.shape[0];
        Tensor lossSum = torch.zeros([], ScalarType.Float64, _device);
        Tensor[] metricSums = metrics.Select(_ => torch.zeros([], ScalarType.Float64, _device)).ToArray();
        for (long start = 0; start < n; start += batchSize)
        {
            using var batchScope = torch.NewDisposeScope();
            long length = Math.Min(batchSize, n - start);
            Tensor prediction = _module.call(xs.narrow(0, start, length));
            lossSum.add_(Loss!.Compute(yLoss.narrow(0, start, length), prediction), alpha: length);
            Accumulate(metrics, metricSums, yRaw.narrow(0, start, length), prediction);
        }

        _module.train();
        var result = new Dictionary<string, double> { ["loss"] = lossSum.item<double>() / n };
        for (int i = 0; i < metrics.Count; i++)
        {
            result[metrics[i].Name] = metrics[i].Result(metricSums[i], n);
        }

        return result;
    }

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

    /// <summary>(inputs, raw targets shaped like the output, targets prepared for the loss).</summary>
    private (Tensor X, Tensor YRaw, Tensor YLoss) PrepareData(Tensor x, Tensor y, string xName, string yName)
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
        Tensor ys = y.to(ScalarType.Float32, _device);
        if (!ys.shape.SequenceEqual(expected))
        {
            if (ys.numel() != expected.Aggregate(1L, (a, d) => a * d))
            {
                throw new ArgumentException($"The model outputs shape [{Shape(expected)}], which `{yName}` of shape "
                    + $"[{Shape(y.shape)}] does not match.", yName);
            }

            ys = ys.reshape(expected);
        }

        return (xs, ys, Loss!.PrepareTargets(ys));
    }
}
