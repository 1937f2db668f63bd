using HingeSharp.Distributed;

namespace HingeSharp.Cli;

/// <summary>The communicator of a <c>--distributed</c> command, so that a failing rank can end the whole job.</summary>
internal static class DistributedRun
{
    /// <summary>The communicator in use, or null when no command asked for one.</summary>
    public static Communicator? Active { get; private set; }

    /// <summary>MPI's world under mpirun (a single process otherwise), remembered for <c>HingeCli.Run</c>, which
    /// aborts the whole job when this rank fails.</summary>
    /// <param name="distributed">Whether the command was given --distributed.</param>
    /// <returns>The communicator to use.</returns>
    public static Communicator Start(bool distributed)
    {
        if (!distributed)
        {
            return Communicator.SingleProcess;
        }

        Active = Communicator.World;
        return Active;
    }
}
