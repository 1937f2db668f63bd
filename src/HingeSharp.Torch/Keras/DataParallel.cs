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
/// Only rank 0 runs the callbacks (logging, plots, files); its <see cref="StopTraining"/> is broadcast. The epoch
/// loop is <see cref="RunEpochs"/> (Sequential.Loop.cs), the step <see cref="TrainStep"/> with the gradient hook.
/// </summary>
public sealed partial class Sequential
{
    /// <summary>
    /// The ranks <c>Fit(x, y, …)</c> trains over (data-parallel, see the remarks of this file's class part), or
    /// <see langword="null"/> (or a single process) to train in this process alone. With equal shards, N ranks with
    /// batch size b take the same steps as one process with batch size N·b. Fit on a stream of batches or a
    /// <c>DataLoader</c> throws <see cref="NotSupportedException"/> with more than one rank.
    /// </summary>
    public Communicator? Communicator { get; set; }

    /// <summary>Per step, between backward and the optimizer: averages the gradients over the ranks (set while a
    /// data-parallel <c>Fit(x, y, …)</c> runs).</summary>
    private FlatGradients? _gradientSync;

    /// <summary>The data-parallel epochs over prepared (already split and weighted) data: rank 0's weights
    /// broadcast, then <see cref="RunEpochs"/> over this rank's shard with the gradient hook in
    /// <see cref="TrainStep"/>.</summary>
    private History FitDataParallel(Communicator comm, PreparedBatch train, PreparedBatch? validation, int epochs,
        int initialEpoch, int batchSize, bool shuffle, int verbose, IEnumerable<Callback>? callbacks)
    {
        long n = train.Count;
        var agreed = comm.Allreduce(n, ReduceOperation.Min) == comm.Allreduce(n, ReduceOperation.Max);
        if (!agreed)
        {
            throw new DistributedMismatchException(
                "Data-parallel Fit needs the same training set on every rank (each takes its shard of one shared " +
                $"permutation), but the ranks' sample counts differ (this rank: {n}).");
        }

        using var gradients = new FlatGradients(_parameters, comm);
        gradients.BroadcastWeights();
        long perRank = (n + comm.Size - 1) / comm.Size;
        int steps = (int)((perRank + batchSize - 1) / batchSize);
        IEnumerable<PreparedBatch> EpochBatches(int epoch)
        {
            PreparedBatch shard = train.Select(Shard(comm, n, perRank, shuffle));
            for (int b = 0; b < steps; b++)
            {
                long start = (long)b * batchSize;
                yield return shard.Narrow(start, Math.Min(batchSize, perRank - start));
            }
        }

        _gradientSync = gradients;
        try
        {
            return RunEpochs(EpochBatches, steps, epochs, initialEpoch, validation, batchSize, verbose, callbacks,
                comm);
        }
        finally
        {
            _gradientSync = null;
        }
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
