using HingeSharp.Distributed.Worker;

// Usage: <worker> metrics | mismatch | fail <file> | step
var comm = HingeSharp.Distributed.Communicator.World;
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
