using System.Runtime.InteropServices;

namespace HingeSharp.Distributed;

/// <summary>
/// The OpenMPI 4 C API (libmpi.so.40), bound directly. OpenMPI's handles (<c>MPI_COMM_WORLD</c>, <c>MPI_DOUBLE</c>,
/// <c>MPI_SUM</c>, …) are the addresses of global symbols, read once with <see cref="NativeLibrary.GetExport"/>;
/// <c>MPI_IN_PLACE</c> is <c>(void*)1</c>. MPICH-style integer handles (MPI.NET, MS-MPI) do not work with OpenMPI.
/// </summary>
internal static unsafe partial class MpiNative
{
    internal const string Library = "libmpi.so.40";

    /// <summary><c>MPI_IN_PLACE</c> in OpenMPI.</summary>
    internal static readonly nint InPlace = 1;

    /// <summary><c>MPI_THREAD_FUNNELED</c>: only the thread that initialised MPI calls it.</summary>
    internal const int ThreadFunneled = 1;

    [LibraryImport(Library, EntryPoint = "MPI_Init_thread")]
    internal static partial int InitThread(nint argc, nint argv, int required, out int provided);

    [LibraryImport(Library, EntryPoint = "MPI_Initialized")]
    internal static partial int Initialized(out int flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalized")]
    internal static partial int Finalized(out int flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalize")]
    internal static partial int FinalizeMpi();

    [LibraryImport(Library, EntryPoint = "MPI_Comm_rank")]
    internal static partial int CommRank(nint comm, out int rank);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_size")]
    internal static partial int CommSize(nint comm, out int size);

    [LibraryImport(Library, EntryPoint = "MPI_Allreduce")]
    internal static partial int Allreduce(nint sendbuf, void* recvbuf, int count, nint datatype, nint op, nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Bcast")]
    internal static partial int Bcast(void* buffer, int count, nint datatype, int root, nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Allgather")]
    internal static partial int Allgather(void* sendbuf, int sendcount, nint sendtype, void* recvbuf, int recvcount,
        nint recvtype, nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Allgatherv")]
    internal static partial int Allgatherv(void* sendbuf, int sendcount, nint sendtype, void* recvbuf,
        int* recvcounts, int* displs, nint recvtype, nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Barrier")]
    internal static partial int Barrier(nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Abort")]
    internal static partial int Abort(nint comm, int errorcode);
}
