using System.Runtime.InteropServices;

namespace HingeSharp.Distributed;

/// <summary>
/// OpenMPI's predefined handles: the addresses of its global objects (<c>ompi_mpi_comm_world</c>,
/// <c>ompi_mpi_double</c>, <c>ompi_mpi_op_sum</c>, …), looked up once in the loaded library.
/// </summary>
internal sealed class MpiHandles
{
    private MpiHandles(nint library)
    {
        CommWorld = Export(library, "ompi_mpi_comm_world");
        Double = Export(library, "ompi_mpi_double");
        Float = Export(library, "ompi_mpi_float");
        Int64 = Export(library, "ompi_mpi_int64_t");
        Int32 = Export(library, "ompi_mpi_int");
        Byte = Export(library, "ompi_mpi_byte");
        Sum = Export(library, "ompi_mpi_op_sum");
        Max = Export(library, "ompi_mpi_op_max");
        Min = Export(library, "ompi_mpi_op_min");
    }

    internal nint CommWorld { get; }

    internal nint Double { get; }

    internal nint Float { get; }

    internal nint Int64 { get; }

    internal nint Int32 { get; }

    internal nint Byte { get; }

    internal nint Sum { get; }

    internal nint Max { get; }

    internal nint Min { get; }

    internal nint Op(ReduceOperation operation) => operation switch
    {
        ReduceOperation.Sum => Sum,
        ReduceOperation.Max => Max,
        ReduceOperation.Min => Min,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation,
            "The reduce operation must be Sum, Max or Min."),
    };

    /// <summary>Loads libmpi.so.40 and reads the handles.</summary>
    /// <exception cref="DllNotFoundException">OpenMPI 4's runtime library is missing.</exception>
    internal static MpiHandles Load()
    {
        if (!NativeLibrary.TryLoad(MpiNative.Library, out var library))
        {
            throw new DllNotFoundException(
                $"HingeSharp.Distributed needs OpenMPI 4's runtime library {MpiNative.Library}, which was not found: " +
                "install openmpi-bin (Debian/Ubuntu: apt-get install -y openmpi-bin) and launch with mpirun.");
        }

        return new MpiHandles(library);
    }

    private static nint Export(nint library, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new EntryPointNotFoundException(
                $"{MpiNative.Library} has no symbol `{name}`: HingeSharp.Distributed needs OpenMPI 4 " +
                "(install openmpi-bin); MPICH and MS-MPI are not supported.");
}
