using HingeSharp.Classification;
using HingeSharp.Metrics;

namespace HingeSharp.Distributed.Worker;

/// <summary>Ranks that disagree or fail: every rank must end, none may hang.</summary>
internal static class FailureScenarios
{
    /// <summary>The last rank uses other settings, then another metric type: every rank must throw.</summary>
    internal static int Mismatch(Communicator comm)
    {
        var last = comm.Rank == comm.Size - 1;
        var failures = 0;
        IMergeableMetric[] cases =
        [
            new BinaryHingeLoss(squared: last),
            last ? new MulticlassHingeLoss(3) : new BinaryHingeLoss(),
        ];
        foreach (var metric in cases)
        {
            try
            {
                metric.Sync(comm);
                Console.WriteLine($"FAIL rank {comm.Rank}: no mismatch detected");
                failures++;
            }
            catch (DistributedMismatchException ex)
            {
                Console.WriteLine($"MISMATCH rank {comm.Rank}: {ex.Message}");
            }
        }

        return failures;
    }

    /// <summary>The last rank throws before a collective; rank 0 would write <paramref name="path"/> after it (with
    /// a temporary file and a rename), so the file must never appear.</summary>
    internal static int FailingRank(Communicator comm, string path)
    {
        var metric = new BinaryHingeLoss();
        if (comm.Rank == comm.Size - 1)
        {
            metric.Update([0.5f], [7]); // an invalid target: throws, the process ends, mpirun ends the job
        }
        else
        {
            metric.Update([0.5f], [1]);
        }

        var value = metric.Compute(comm);
        if (comm.IsRoot)
        {
            var temp = path + ".tmp";
            File.WriteAllText(temp, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.Move(temp, path, overwrite: true);
        }

        return 0;
    }
}
