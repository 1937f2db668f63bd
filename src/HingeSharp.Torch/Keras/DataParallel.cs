using System.Runtime.InteropServices;
using HingeSharp.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Data-parallel training over MPI (the Horovod / DDP design): every rank holds the whole model; rank 0's initial
/// weights are broadcast; each epoch every rank takes its shard of one shared permutation (torch's
/// <c>DistributedSampler</c>: rank r gets positions r, r + N, …, the permutation padded from its start to a multiple of
/// N); after each backward pass the gradients are averaged by one <see cref="Communicator.Allreduce(Span{float},
/// ReduceOperation)"/> over a flat, preallocated buffer, so every rank applies the same update and the optimizer state
/// stays identical. Epoch loss and metrics are summed over the ranks; validation is split over the ranks and summed.
/// Only rank 0 runs the callbacks (logging, plots, files); its <see cref="StopTraining"/> is broadcast.
/// </summary>
public sealed partial class Sequential
{
    /// <summary>
    /// The ranks <see cref="Fit"/> trains over (data-parallel, see the remarks of this file's class part), or
    /// <see langword="null"/> (or a single process) to train in this process alone. With equal shards, N ranks with
    /// batch size b take the same steps as one process with batch size N·b.
    /// </summary>
    public Communicator? Communicator { get; set; }

    private History FitDataParallel(Communicator comm, Tensor x, Tensor y, int epochs, int batchSize,
        (Tensor X, Tensor Y)? validationData, bool shuffle, int verbose, IEnumerable<Callback>? callbacks)
    {
        KerasLoss loss = Loss ?? throw new InvalidOperationException("Call Compile before Fit.");
        KerasOptimizer optimizer = Optimizer!;
        var callbackList = comm.IsRoot ? (callbacks ?? []).ToList() : [];
        if (verbose > 0 && comm.IsRoot)
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

        using var gradients = new FlatGradients(_parameters, comm);
        gradients.BroadcastWeights();
        List<KerasMetric> metrics = _metrics!;
        long n = xs.shape[0];
        var agreed = comm.Allreduce(n, ReduceOperation.Min) == comm.Allreduce(n, ReduceOperation.Max);
        if (!agreed)
        {
            throw new DistributedMismatchException(
                "Data-parallel Fit needs the same training set on every rank (each takes its shard of one shared " +
                $"permutation), but the ranks' sample counts differ (this rank: {n}).");
        }

        long perRank = (n + comm.Size - 1) / comm.Size;
        var history = new History();
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

        var sums = new double[2 + metrics.Count];
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
                Tensor shard = Shard(comm, n, perRank, shuffle);
                Tensor xe = xs.index_select(0, shard), ye = yRaw.index_select(0, shard);
                Tensor yle = ReferenceEquals(yLoss, yRaw) ? ye : yLoss.index_select(0, shard);
                Tensor lossSum = torch.zeros([], ScalarType.Float64, _device);
                Tensor[] metricSums = metrics.Select(_ => torch.zeros([], ScalarType.Float64, _device)).ToArray();
                int batches = (int)((perRank + batchSize - 1) / batchSize);
                for (int b = 0; b < batches; b++)
                {
                    using var stepScope = torch.NewDisposeScope();
                    long start = (long)b * batchSize;
                    long length = Math.Min(batchSize, perRank - start);
                    Tensor prediction = _module.call(xe.narrow(0, start, length));
                    Tensor batchLoss = loss.Compute(yle.narrow(0, start, length), prediction);
                    _module.zero_grad();
                    batchLoss.backward();
                    gradients.Average();
                    optimizer.Step(_parameters);
                    using (torch.no_grad())
                    {
                        lossSum.add_(batchLoss.detach(), alpha: length);
                        Accumulate(metrics, metricSums, ye.narrow(0, start, length), prediction.detach());
                    }
                }

                sums[0] = lossSum.item<double>();
                for (int i = 0; i < metrics.Count; i++)
                {
                    sums[1 + i] = metricSums[i].item<double>();
                }

                sums[^1] = perRank;
                comm.Allreduce(sums, ReduceOperation.Sum);
                logs["loss"] = sums[0] / sums[^1];
                for (int i = 0; i < metrics.Count; i++)
                {
                    logs[metrics[i].Name] = sums[1 + i] / sums[^1];
                }
            }

            if (validation is { } val)
            {
                foreach ((string key, double value) in EvaluateSharded(comm, val.X, val.Y, val.YLoss, batchSize))
                {
                    logs["val_" + key] = value;
                }
            }

            history.Append(epoch, logs);
            foreach (Callback callback in callbackList)
            {
                callback.OnEpochEnd(epoch, logs);
            }

            Span<long> stop = [StopTraining ? 1 : 0];
            comm.Broadcast(stop);
            StopTraining = stop[0] != 0;
        }

        foreach (Callback callback in callbackList)
        {
            callback.OnTrainEnd(history);
        }

        return history;
    }

    /// <summary>This rank's indices for the epoch: DistributedSampler over rank 0's permutation.</summary>
    private Tensor Shard(Communicator comm, long n, long perRank, bool shuffle)
    {
        var order = new long[n];
        if (shuffle)
        {
            // Every rank draws (keeping the generators in step); rank 0's draw is the one used.
            using Tensor drawn = torch.randperm(n, generator: Generator);
            drawn.data<long>().CopyTo(order, 0);
            comm.Broadcast(order);
        }
        else
        {
            for (long i = 0; i < n; i++)
            {
                order[i] = i;
            }
        }

        var shard = new long[perRank];
        for (long j = 0; j < perRank; j++)
        {
            shard[j] = order[(comm.Rank + j * comm.Size) % n];
        }

        return torch.tensor(shard, device: _device);
    }

    /// <summary>Validation split over the ranks (contiguous shares), means weighted by share size.</summary>
    private Dictionary<string, double> EvaluateSharded(Communicator comm, Tensor xs, Tensor yRaw, Tensor yLoss,
        int batchSize)
    {
        long n = xs.shape[0];
        long lo = n * comm.Rank / comm.Size, hi = n * (comm.Rank + 1) / comm.Size;
        string[] keys = ["loss", .. _metrics!.Select(m => m.Name)];
        var sums = new double[keys.Length + 1];
        if (hi > lo)
        {
            using var scope = torch.NewDisposeScope();
            var mine = EvaluatePrepared(xs.narrow(0, lo, hi - lo), yRaw.narrow(0, lo, hi - lo),
                yLoss.narrow(0, lo, hi - lo), batchSize);
            for (int i = 0; i < keys.Length; i++)
            {
                sums[i] = mine[keys[i]] * (hi - lo);
            }
        }

        sums[^1] = hi - lo;
        comm.Allreduce(sums, ReduceOperation.Sum);
        return keys.Select((k, i) => (k, sums[i] / sums[^1])).ToDictionary(p => p.k, p => p.Item2);
    }

    /// <summary>The gradients of all parameters in one preallocated float32 host buffer, averaged in place by one
    /// allreduce per step.</summary>
    private sealed class FlatGradients : IDisposable
    {
        private readonly Parameter[] _parameters;
        private readonly Communicator _comm;
        private readonly Tensor _flat;
        private readonly long[] _offsets;

        internal FlatGradients(Parameter[] parameters, Communicator comm)
        {
            _parameters = parameters;
            _comm = comm;
            _offsets = new long[parameters.Length + 1];
            for (int i = 0; i < parameters.Length; i++)
            {
                _offsets[i + 1] = _offsets[i] + parameters[i].numel();
            }

            _flat = torch.zeros(Math.Max(1, _offsets[^1]), ScalarType.Float32).DetachFromDisposeScope();
        }

        private Span<float> Values =>
            MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, float>(_flat.bytes)),
                (int)_offsets[^1]);

        /// <summary>Every rank takes rank 0's weights.</summary>
        internal void BroadcastWeights()
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            for (int i = 0; i < _parameters.Length; i++)
            {
                Slice(i).copy_(_parameters[i].detach().reshape(-1));
            }

            _comm.Broadcast(Values);
            for (int i = 0; i < _parameters.Length; i++)
            {
                _parameters[i].copy_(Slice(i).view_as(_parameters[i]));
            }
        }

        /// <summary>Replaces every gradient by its mean over the ranks (one allreduce).</summary>
        internal void Average()
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            for (int i = 0; i < _parameters.Length; i++)
            {
                if (_parameters[i].grad is { } grad)
                {
                    Slice(i).copy_(grad.reshape(-1));
                }
                else
                {
                    Slice(i).zero_();
                }
            }

            _comm.Allreduce(Values, ReduceOperation.Sum);
            _flat.div_(_comm.Size);
            for (int i = 0; i < _parameters.Length; i++)
            {
                Tensor mean = Slice(i).view_as(_parameters[i]);
                if (_parameters[i].grad is { } grad)
                {
                    grad.copy_(mean);
                }
                else
                {
                    _parameters[i].grad = mean.to(_parameters[i].device).clone();
                }
            }
        }

        public void Dispose() => _flat.Dispose();

        private Tensor Slice(int i) => _flat.narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i]);
    }
}
