using HingeSharp.Distributed.Worker;

// Usage: <worker> metrics | mismatch | fail <file> | step | demo [scenario …]
// `demo …`: the command line `hinge demo …` forwards (the CLI tests start this worker as the demo tool under mpirun);
// the scenario after it runs as usual, so "ALL OK ranks=N" shows that the forwarded processes joined the job as its
// ranks.
var comm = HingeSharp.Distributed.Communicator.World;
if (args.Length > 0 && args[0] == "demo")
{
    args = args[1..];
}

var scenario = args.Length > 0 ? args[0] : "metrics";
var failures = scenario switch
{
    "metrics" => MetricScenarios.Run(comm),
    "step" => MetricScenarios.SyncOnStep(comm),
    "mismatch" => FailureScenarios.Mismatch(comm),
    "fail" => FailureScenarios.FailingRank(comm, args[1]),
    _ => throw new ArgumentException($"unknown scenario `{scenario}`"),
};
var total = comm.Allreduce((long)failures, HingeSharp.Distributed.ReduceOperation.Sum);
if (comm.IsRoot)
{
    Console.WriteLine(total == 0 ? $"ALL OK ranks={comm.Size}" : $"FAILED {total}");
}

return total == 0 ? 0 : 1;
