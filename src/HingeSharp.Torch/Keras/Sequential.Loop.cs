using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

public sealed partial class Sequential
{
    /// <summary>
    /// Loss and metrics on a data set, like Keras' <c>evaluate(return_dict=True)</c>: batch-size-weighted means
    /// over batches of <paramref name="batchSize"/>, in inference mode (dropout off, batch normalization on its
    /// moving statistics), without gradients. The loss includes regularization penalties, as in Keras.
    /// </summary>
    /// <param name="x">Inputs, shape <c>(N, …)</c>.</param>
    /// <param name="y">Targets, as for <c>Fit(x, y, …)</c>.</param>
    /// <param name="batchSize">Samples per batch (Keras default 32).</param>
    /// <param name="sampleWeight">Optional per-sample weights <c>(N,)</c>.</param>
    /// <returns><c>loss</c> and each metric by name.</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    public IReadOnlyDictionary<string, double> Evaluate(Tensor x, Tensor y, int batchSize = 32,
        Tensor? sampleWeight = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (Loss is null)
        {
            throw new InvalidOperationException("Call Compile before Evaluate.");
        }

        using var scope = torch.NewDisposeScope();
        return EvaluatePrepared(PrepareData(x, y, nameof(x), nameof(y), sampleWeight), batchSize);
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

        _module.train();
        Tensor result = parts.Count == 1 ? parts[0] : torch.cat(parts, 0);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One training step: forward, loss, backward, optimizer update. Everything per step lives here (hooks for
    /// fused or data-parallel steps wrap this method). Returns the detached batch loss and predictions.
    /// </summary>
    internal (Tensor Loss, Tensor Prediction) TrainStep(PreparedBatch batch)
    {
        Tensor prediction = _module!.call(batch.X);
        Tensor loss = BatchLoss(batch, prediction);
        _module.zero_grad();
        loss.backward();
        Optimizer!.Step(_parameters);
        return (loss.detach(), prediction.detach());
    }

    /// <summary>Keras' batch loss: the mean loss, or <c>Σ w·l / batch size</c> with sample weights, plus the
    /// layers' regularization penalties.</summary>
    private Tensor BatchLoss(PreparedBatch batch, Tensor prediction)
    {
        Tensor loss = batch.Weights is { } w
            ? Loss!.PerSample(batch.YLoss, prediction).mul(w).sum().div(batch.Count)
            : Loss!.Compute(batch.YLoss, prediction);
        foreach (Layer layer in _layers)
        {
            if (layer.RegularizationPenalty() is { } penalty)
            {
                loss = loss.add(penalty);
            }
        }

        return loss;
    }

    private History RunEpochs(Func<int, IEnumerable<PreparedBatch>> epochBatches, int steps, int epochs,
        int initialEpoch, PreparedBatch? validation, int validationBatchSize, int verbose,
        IEnumerable<Callback>? callbacks)
    {
        var callbackList = (callbacks ?? []).ToList();
        if (verbose == 1)
        {
            bool terminal = ReferenceEquals(Log, DefaultLog) && !Console.IsOutputRedirected;
            callbackList.Insert(0, new ProgressBar(Log, terminal ? Console.Out : null) { Steps = steps });
        }
        else if (verbose > 1)
        {
            callbackList.Insert(0, new ProgressLogger(Log));
        }

        var history = new History();
        StopTraining = false;
        foreach (Callback callback in callbackList)
        {
            callback.Model = this;
            callback.TotalEpochs = epochs;
            callback.OnTrainBegin();
        }

        bool batchLogs = callbackList.Any(c => c.NeedsBatchLogs);
        for (int epoch = initialEpoch; epoch < epochs && !StopTraining; epoch++)
        {
            foreach (Callback callback in callbackList)
            {
                callback.OnEpochBegin(epoch);
            }

            var logs = new Dictionary<string, double>();
            using (var epochScope = torch.NewDisposeScope())
            {
                Tensor? lossSum = null, weightSum = null;
                Tensor[] metricSums = [];
                long count = 0;
                int b = 0;
                foreach (PreparedBatch batch in epochBatches(epoch))
                {
                    using var stepScope = torch.NewDisposeScope();
                    if (lossSum is null)
                    {
                        lossSum = torch.zeros([], ScalarType.Float64, _device).MoveToOuterDisposeScope();
                        weightSum = torch.zeros([], ScalarType.Float64, _device).MoveToOuterDisposeScope();
                        metricSums = _metrics!.Select(_ => torch.zeros([], ScalarType.Float64, _device)
                            .MoveToOuterDisposeScope()).ToArray();
                    }

                    _module!.train();
                    (Tensor batchLoss, Tensor prediction) = TrainStep(batch);
                    using (torch.no_grad())
                    {
                        lossSum.add_(batchLoss, alpha: batch.Count);
                        Accumulate(metricSums, weightSum!, batch, prediction);
                    }

                    count += batch.Count;
                    if (batchLogs)
                    {
                        double value = batchLoss.to(ScalarType.Float64).item<double>();
                        foreach (Callback callback in callbackList.Where(c => c.NeedsBatchLogs))
                        {
                            callback.OnBatchEnd(b, value);
                        }
                    }

                    b++;
                    if (StopTraining)
                    {
                        break;
                    }
                }

                if (count == 0)
                {
                    break;
                }

                logs["loss"] = lossSum!.item<double>() / count;
                double weights = weightSum!.item<double>();
                for (int i = 0; i < metricSums.Length; i++)
                {
                    logs[_metrics![i].Name] = metricSums[i].item<double>() / weights;
                }
            }

            if (validation is { } val)
            {
                foreach ((string key, double value) in EvaluatePrepared(val, validationBatchSize))
                {
                    logs["val_" + key] = value;
                }
            }

            CompletedEpochs = epoch + 1;
            foreach (Callback callback in callbackList)
            {
                callback.OnEpochEnd(epoch, logs);
            }

            history.Append(epoch, logs);
        }

        foreach (Callback callback in callbackList)
        {
            callback.OnTrainEnd(history);
        }

        return history;
    }

    /// <summary>Adds Σ w·metric per metric and Σ w (or the batch size) to the running sums.</summary>
    private void Accumulate(Tensor[] sums, Tensor weightSum, PreparedBatch batch, Tensor prediction)
    {
        for (int i = 0; i < sums.Length; i++)
        {
            Tensor values = _metrics![i].PerSample(batch.YRaw, prediction);
            if (values.dim() > 1)
            {
                values = values.reshape(batch.Count, -1).mean([1L]);
            }

            sums[i].add_(batch.Weights is { } w ? values.mul(w).sum() : values.sum());
        }

        if (batch.Weights is { } weights)
        {
            weightSum.add_(weights.sum());
        }
        else
        {
            weightSum.add_(batch.Count);
        }
    }

    private Dictionary<string, double> EvaluatePrepared(PreparedBatch data, int batchSize)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _module!.eval();
        long n = data.Count;
        Tensor lossSum = torch.zeros([], ScalarType.Float64, _device);
        Tensor weightSum = torch.zeros([], ScalarType.Float64, _device);
        Tensor[] metricSums = _metrics!.Select(_ => torch.zeros([], ScalarType.Float64, _device)).ToArray();
        for (long start = 0; start < n; start += batchSize)
        {
            using var batchScope = torch.NewDisposeScope();
            PreparedBatch batch = data.Narrow(start, Math.Min(batchSize, n - start));
            Tensor prediction = _module.call(batch.X);
            lossSum.add_(BatchLoss(batch, prediction), alpha: batch.Count);
            Accumulate(metricSums, weightSum, batch, prediction);
        }

        _module.train();
        var result = new Dictionary<string, double> { ["loss"] = lossSum.item<double>() / n };
        double weights = weightSum.item<double>();
        for (int i = 0; i < metricSums.Length; i++)
        {
            result[_metrics![i].Name] = metricSums[i].item<double>() / weights;
        }

        return result;
    }
}
