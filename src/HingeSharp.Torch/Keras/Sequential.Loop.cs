using HingeSharp.Distributed;
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
        PreparedBatch data = PrepareData(x, y, nameof(x), nameof(y), sampleWeight);
        using Fused.FusedTrainer? fused = Fused.FusedTrainer.TryCreate(this, (int)Math.Min(batchSize, data.Count),
            forTraining: false);
        return fused is not null && fused.Supports(data)
            ? fused.Evaluate(data.X, data.YLoss, data.YRaw, batchSize)
            : EvaluatePrepared(data, batchSize);
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
        using (Fused.FusedTrainer? fused = Fused.FusedTrainer.TryCreate(this, (int)Math.Min(batchSize, xs.shape[0]),
            forTraining: false))
        {
            if (fused is not null)
            {
                return fused.Predict(xs, batchSize).MoveToOuterDisposeScope();
            }
        }

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
        _gradientSync?.Average();   // data-parallel: the gradients' mean over the ranks (one allreduce)
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

    /// <summary>The epoch loop. With <paramref name="comm"/> (data-parallel) every rank runs its own batches; the
    /// epoch sums and validation are summed over the ranks, callbacks run on rank 0 alone and its
    /// <see cref="StopTraining"/> is broadcast (after each epoch, and after each step when batch logs are on).
    /// </summary>
    private History RunEpochs(Func<int, IEnumerable<PreparedBatch>> epochBatches, int steps, int epochs,
        int initialEpoch, PreparedBatch? validation, int validationBatchSize, int verbose,
        IEnumerable<Callback>? callbacks, Communicator? comm = null, Fused.FusedEpochs? fused = null)
    {
        bool root = comm is null || comm.IsRoot;   // only rank 0 logs, plots and writes files
        List<Callback> callbackList = root ? (callbacks ?? []).ToList() : [];
        if (root && verbose == 1)
        {
            bool terminal = ReferenceEquals(Log, DefaultLog) && !Console.IsOutputRedirected;
            callbackList.Insert(0, new ProgressBar(Log, terminal ? Console.Out : null) { Steps = steps });
        }
        else if (root && verbose > 1)
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
        if (comm is not null)
        {
            Span<long> flag = [batchLogs ? 1 : 0];
            comm.Broadcast(flag);
            batchLogs = flag[0] != 0;
        }
        for (int epoch = initialEpoch; epoch < epochs && !StopTraining; epoch++)
        {
            foreach (Callback callback in callbackList)
            {
                callback.OnEpochBegin(epoch);
            }

            Dictionary<string, double>? logs = fused is { } f
                ? f.Train(batchLogs ? (b, value) => BatchEnd(callbackList, b, value) : null)
                : TrainEpochAutograd(epochBatches(epoch), callbackList, batchLogs, comm);
            if (logs is null)
            {
                break;
            }

            if (validation is { } val)
            {
                foreach ((string key, double value) in fused is not null && fused.Trainer.Supports(val)
                    ? fused.Trainer.Evaluate(val.X, val.YLoss, val.YRaw, validationBatchSize)
                    : EvaluatePrepared(val, validationBatchSize, comm))
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
            if (comm is not null)
            {
                AgreedStop(comm);
            }
        }

        foreach (Callback callback in callbackList)
        {
            callback.OnTrainEnd(history);
        }

        return history;
    }

    private static void BatchEnd(List<Callback> callbacks, int batch, double value)
    {
        foreach (Callback callback in callbacks.Where(c => c.NeedsBatchLogs))
        {
            callback.OnBatchEnd(batch, value);
        }
    }

    /// <summary>One epoch through autograd: <see cref="TrainStep"/> per batch with on-device accumulation;
    /// <see langword="null"/> when the epoch had no batches.</summary>
    private Dictionary<string, double>? TrainEpochAutograd(IEnumerable<PreparedBatch> batches,
        List<Callback> callbackList, bool batchLogs, Communicator? comm)
    {
        var logs = new Dictionary<string, double>();
        using (var epochScope = torch.NewDisposeScope())
        {
            Tensor? lossSum = null, weightSum = null;
            Tensor[] metricSums = [];
            long count = 0;
            int b = 0;
            foreach (PreparedBatch batch in batches)
            {
                using var stepScope = torch.NewDisposeScope();
                if (lossSum is null)
                {
                    lossSum = torch.zeros([], ScalarType.Float64, _device).MoveToOuterDisposeScope();
                    weightSum = torch.zeros([], ScalarType.Float64, _device).MoveToOuterDisposeScope();
                    metricSums = NewMetricStates().Select(t => t.MoveToOuterDisposeScope()).ToArray();
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
                    BatchEnd(callbackList, b, batchLoss.to(ScalarType.Float64).item<double>());
                }

                b++;
                if ((comm is null || batchLogs) && AgreedStop(comm))
                {
                    break;
                }
            }

            if (count == 0)
            {
                return null;
            }

            // Data-parallel: the epoch's sums are added over the ranks.
            double[] sums = [lossSum!.item<double>(), count, weightSum!.item<double>(), .. ReadStates(metricSums)];
            comm?.Allreduce(sums, ReduceOperation.Sum);
            logs["loss"] = sums[0] / sums[1];
            ReportMetrics(sums.AsSpan(3), sums[2], logs);
        }

        return logs;
    }

    /// <summary>Adds each metric's batch state (Σ w·metric for a mean metric, weighted confusion counts for
    /// precision/recall/F1) and Σ w (or the batch size) to the running sums.</summary>
    private void Accumulate(Tensor[] sums, Tensor weightSum, PreparedBatch batch, Tensor prediction)
    {
        for (int i = 0; i < sums.Length; i++)
        {
            _metrics![i].Accumulate(sums[i], batch.YRaw, prediction, batch.Weights, batch.Count);
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

    /// <summary>Evaluates <paramref name="data"/>; with <paramref name="comm"/> each rank takes a contiguous share
    /// and the sums are added over the ranks (every rank gets the result).</summary>
    private Dictionary<string, double> EvaluatePrepared(PreparedBatch data, int batchSize,
        Communicator? comm = null)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _module!.eval();
        long n = data.Count;
        long lo = comm is null ? 0 : n * comm.Rank / comm.Size;
        long hi = comm is null ? n : n * (comm.Rank + 1) / comm.Size;
        Tensor lossSum = torch.zeros([], ScalarType.Float64, _device);
        Tensor weightSum = torch.zeros([], ScalarType.Float64, _device);
        Tensor[] metricSums = NewMetricStates();
        for (long start = lo; start < hi; start += batchSize)
        {
            using var batchScope = torch.NewDisposeScope();
            PreparedBatch batch = data.Narrow(start, Math.Min(batchSize, hi - start));
            Tensor prediction = _module.call(batch.X);
            lossSum.add_(BatchLoss(batch, prediction), alpha: batch.Count);
            Accumulate(metricSums, weightSum, batch, prediction);
        }

        _module.train();
        double[] sums = [lossSum.item<double>(), weightSum.item<double>(), .. ReadStates(metricSums)];
        comm?.Allreduce(sums, ReduceOperation.Sum);
        var result = new Dictionary<string, double> { ["loss"] = sums[0] / n };
        ReportMetrics(sums.AsSpan(2), sums[1], result);

        return result;
    }

    /// <summary><see cref="StopTraining"/>, or in a data-parallel run rank 0's (broadcast, so all ranks agree).
    /// </summary>
    private bool AgreedStop(Communicator? comm)
    {
        if (comm is not null)
        {
            Span<long> stop = [StopTraining ? 1 : 0];
            comm.Broadcast(stop);
            StopTraining = stop[0] != 0;
        }

        return StopTraining;
    }
}
