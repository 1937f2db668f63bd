namespace HingeSharp.Distributed;

/// <summary>
/// The processes of one job and the collective operations between them (an MPI communicator): every rank calls the
/// same operations in the same order. Under <c>mpirun</c>, <see cref="World"/> is OpenMPI's <c>MPI_COMM_WORLD</c>;
/// otherwise it is a single process (rank 0 of 1) whose operations leave the data as it is.
/// </summary>
/// <remarks>
/// <para>MPI is initialised once per process, on the first use of <see cref="World"/> (≈ 0.3 s), and finalised at
/// process exit (or by <see cref="Dispose"/>). Call the operations from one thread at a time.</para>
/// <para>A rank that throws and does not reach the next collective makes the others wait: end such a rank with
/// <see cref="Abort"/> (the CLI does) or let the exception end the process — <c>mpirun</c> then ends the whole
/// job.</para>
/// </remarks>
/// <example><code>
/// var comm = Communicator.World;
/// Span&lt;double&gt; sums = [localLossSum, localCount];
/// comm.Allreduce(sums, ReduceOperation.Sum);   // the same totals on every rank
/// if (comm.IsRoot) Console.WriteLine(sums[0] / sums[1]);
/// </code></example>
public sealed unsafe class Communicator : IDisposable
{
    private const int Chunk = 1 << 28;
    private static readonly Lock Gate = new();
    private static Communicator? _world;
    private readonly MpiHandles? _mpi;
    private bool _finalized;

    private Communicator(MpiHandles? mpi, int rank, int size)
    {
        _mpi = mpi;
        Rank = rank;
        Size = size;
    }

    /// <summary>This process's index in the job, 0 to <see cref="Size"/> − 1.</summary>
    public int Rank { get; }

    /// <summary>The number of processes in the job.</summary>
    public int Size { get; }

    /// <summary>True on rank 0, the rank that prints and writes files.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>True when the operations go through MPI (launched by <c>mpirun</c>), false for a single process.</summary>
    public bool UsesMpi => _mpi is not null;

    /// <summary>A communicator of one process (rank 0, size 1), whose collectives change nothing.</summary>
    public static Communicator SingleProcess { get; } = new(null, 0, 1);

    /// <summary>
    /// Whether this process was started by an MPI launcher: OpenMPI's <c>mpirun</c> sets
    /// <c>OMPI_COMM_WORLD_SIZE</c> (PMIx launchers <c>PMIX_RANK</c>, Hydra <c>PMI_SIZE</c>).
    /// </summary>
    public static bool LaunchedByMpi =>
        Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null ||
        Environment.GetEnvironmentVariable("PMIX_RANK") is not null ||
        Environment.GetEnvironmentVariable("PMI_SIZE") is not null;

    /// <summary>
    /// All processes of the job: MPI's world communicator when <see cref="LaunchedByMpi"/>, else
    /// <see cref="SingleProcess"/>. Initialises MPI on first use.
    /// </summary>
    /// <exception cref="DllNotFoundException">Launched by mpirun but libmpi.so.40 is missing ("install
    /// openmpi-bin").</exception>
    public static Communicator World
    {
        get
        {
            lock (Gate)
            {
                return _world ??= LaunchedByMpi ? InitializeMpi() : SingleProcess;
            }
        }
    }

    /// <summary>Sums (or takes the max or min of) <paramref name="values"/> element-wise over all ranks, in place: on
    /// return every rank holds the same result.</summary>
    /// <param name="values">This rank's values; the same length on every rank.</param>
    /// <param name="operation">How to combine them.</param>
    public void Allreduce(Span<double> values, ReduceOperation operation = ReduceOperation.Sum) =>
        Reduce(values, operation, _mpi?.Double ?? 0);

    /// <inheritdoc cref="Allreduce(Span{double}, ReduceOperation)"/>
    public void Allreduce(Span<long> values, ReduceOperation operation = ReduceOperation.Sum) =>
        Reduce(values, operation, _mpi?.Int64 ?? 0);

    /// <inheritdoc cref="Allreduce(Span{double}, ReduceOperation)"/>
    public void Allreduce(Span<float> values, ReduceOperation operation = ReduceOperation.Sum) =>
        Reduce(values, operation, _mpi?.Float ?? 0);

    /// <summary>Reduces one value over all ranks.</summary>
    /// <param name="value">This rank's value.</param>
    /// <param name="operation">How to combine.</param>
    /// <returns>The combined value (the same on every rank).</returns>
    public long Allreduce(long value, ReduceOperation operation)
    {
        Span<long> one = [value];
        Allreduce(one, operation);
        return one[0];
    }

    /// <summary>Reduces one value over all ranks.</summary>
    /// <param name="value">This rank's value.</param>
    /// <param name="operation">How to combine.</param>
    /// <returns>The combined value (the same on every rank).</returns>
    public double Allreduce(double value, ReduceOperation operation)
    {
        Span<double> one = [value];
        Allreduce(one, operation);
        return one[0];
    }

    /// <summary>Copies <paramref name="values"/> from rank <paramref name="root"/> to every rank.</summary>
    /// <param name="values">The data on the root; a buffer of the same length elsewhere.</param>
    /// <param name="root">The rank that sends.</param>
    public void Broadcast(Span<double> values, int root = 0) => Bcast(values, root, _mpi?.Double ?? 0);

    /// <inheritdoc cref="Broadcast(Span{double}, int)"/>
    public void Broadcast(Span<float> values, int root = 0) => Bcast(values, root, _mpi?.Float ?? 0);

    /// <inheritdoc cref="Broadcast(Span{double}, int)"/>
    public void Broadcast(Span<long> values, int root = 0) => Bcast(values, root, _mpi?.Int64 ?? 0);

    /// <inheritdoc cref="Broadcast(Span{double}, int)"/>
    public void Broadcast(Span<byte> values, int root = 0) => Bcast(values, root, _mpi?.Byte ?? 0);

    /// <summary>Gives every rank every rank's bytes (the rank's own included), in rank order; the lengths may
    /// differ.</summary>
    /// <param name="mine">This rank's bytes (at most 2 GiB in all).</param>
    /// <returns>One array per rank, index = rank.</returns>
    public byte[][] AllgatherBytes(ReadOnlySpan<byte> mine)
    {
        if (_mpi is null)
        {
            return [mine.ToArray()];
        }

        var lengths = new int[Size];
        var mineLength = mine.Length;
        fixed (int* pLengths = lengths)
        {
            Check(MpiNative.Allgather(&mineLength, 1, _mpi.Int32, pLengths, 1, _mpi.Int32, _mpi.CommWorld),
                "MPI_Allgather");
        }

        var offsets = new int[Size];
        long all = 0;
        for (var r = 0; r < Size; r++)
        {
            offsets[r] = (int)all;
            all += lengths[r];
        }

        if (all > int.MaxValue)
        {
            throw new InvalidOperationException($"AllgatherBytes: {all} bytes in all is more than 2 GiB.");
        }

        var buffer = new byte[all];
        fixed (byte* pMine = mine)
        fixed (byte* pBuffer = buffer)
        fixed (int* pLengths = lengths)
        fixed (int* pOffsets = offsets)
        {
            Check(MpiNative.Allgatherv(pMine, mine.Length, _mpi.Byte, pBuffer, pLengths, pOffsets, _mpi.Byte,
                _mpi.CommWorld), "MPI_Allgatherv");
        }

        var result = new byte[Size][];
        for (var r = 0; r < Size; r++)
        {
            result[r] = buffer.AsSpan(offsets[r], lengths[r]).ToArray();
        }

        return result;
    }

    /// <summary>Waits until every rank has called it.</summary>
    public void Barrier()
    {
        if (_mpi is not null)
        {
            Check(MpiNative.Barrier(_mpi.CommWorld), "MPI_Barrier");
        }
    }

    /// <summary>Ends every process of the job at once with exit code <paramref name="exitCode"/> (<c>MPI_Abort</c>):
    /// the way out for a rank that failed while the others wait in a collective. A single process just exits.</summary>
    /// <param name="exitCode">The job's exit code (non-zero).</param>
    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (_mpi is not null)
        {
            _ = MpiNative.Abort(_mpi.CommWorld, exitCode);
        }

        Environment.Exit(exitCode);
    }

    /// <summary>Finalises MPI (once; later operations are errors). Not needed before a normal exit, which does
    /// it.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_mpi is null || _finalized)
            {
                return;
            }

            _finalized = true;
            if (MpiNative.Finalized(out var done) == 0 && done == 0)
            {
                _ = MpiNative.FinalizeMpi();
            }
        }
    }

    private static Communicator InitializeMpi()
    {
        var mpi = MpiHandles.Load();
        if (MpiNative.Initialized(out var already) != 0 || already == 0)
        {
            // MPI_THREAD_SERIALIZED (2): one call at a time, from any thread (the exit handler finalises).
            Check(MpiNative.InitThread(0, 0, 2, out _), "MPI_Init_thread");
        }

        Check(MpiNative.CommRank(mpi.CommWorld, out var rank), "MPI_Comm_rank");
        Check(MpiNative.CommSize(mpi.CommWorld, out var size), "MPI_Comm_size");
        var world = new Communicator(mpi, rank, size);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => world.Dispose();
        return world;
    }

    private void Reduce<T>(Span<T> values, ReduceOperation operation, nint type)
        where T : unmanaged
    {
        if (_mpi is null)
        {
            _ = operation is ReduceOperation.Sum or ReduceOperation.Max or ReduceOperation.Min
                ? 0 : throw new ArgumentOutOfRangeException(nameof(operation), operation, "Sum, Max or Min.");
            return;
        }

        var op = _mpi.Op(operation);
        for (var start = 0; start < values.Length; start += Chunk)
        {
            var part = values.Slice(start, Math.Min(Chunk, values.Length - start));
            fixed (T* p = part)
            {
                Check(MpiNative.Allreduce(MpiNative.InPlace, p, part.Length, type, op, _mpi.CommWorld),
                    "MPI_Allreduce");
            }
        }
    }

    private void Bcast<T>(Span<T> values, int root, nint type)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, Size);
        if (_mpi is null)
        {
            return;
        }

        for (var start = 0; start < values.Length; start += Chunk)
        {
            var part = values.Slice(start, Math.Min(Chunk, values.Length - start));
            fixed (T* p = part)
            {
                Check(MpiNative.Bcast(p, part.Length, type, root, _mpi.CommWorld), "MPI_Bcast");
            }
        }
    }

    private static void Check(int code, string call)
    {
        if (code != 0)
        {
            throw new InvalidOperationException($"{call} failed with MPI error code {code}.");
        }
    }
}
