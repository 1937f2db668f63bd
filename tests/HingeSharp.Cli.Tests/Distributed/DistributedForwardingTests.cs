using HingeSharp.Cli.Forwarding;
using HingeSharp.Distributed.Tests;

namespace HingeSharp.Cli.Tests.Distributed;

/// <summary>
/// <c>hinge demo … --distributed</c> under mpirun: every rank of <c>hinge</c> forwards to the demo tool, and the
/// forwarded processes must join the MPI job as its ranks (one job of N, not N single processes). The demo tool here
/// is the distributed test worker (named by <see cref="DemoTool.PathVariable"/>), which runs a sync scenario after the
/// forwarded <c>demo</c> word; the real <c>hinge-demo</c> under mpirun is tested in HingeSharp.Demo.Tests.
/// </summary>
public sealed class DistributedForwardingTests
{
    private static string Hinge => Path.Combine(AppContext.BaseDirectory, "hinge.dll");

    private static Dictionary<string, string> DemoToolIsWorker => new()
    {
        [DemoTool.PathVariable] = Mpirun.WorkerDll,
    };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void DemoUnderMpirun_ForwardedProcesses_JoinTheJobAsItsRanks(int ranks)
    {
        var run = Mpirun.Run(ranks, Hinge, DemoToolIsWorker, "demo", "step");
        Assert.True(run.ExitCode == 0, run.Output);
        // The worker's sync-on-step scenario: rank 0 prints its steps, then one summary line counted over the ranks
        // (a rank that ran alone would print its own "ranks=1" summary).
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var summary = Assert.Single(lines, l => l.StartsWith("ALL OK", StringComparison.Ordinal) ||
            l.StartsWith("FAILED", StringComparison.Ordinal));
        Assert.Equal($"ALL OK ranks={ranks}", summary.Trim());
    }

    [Fact]
    public void DemoUnderMpirun_ForwardedRankFails_EndsJobNonZeroWithoutOutputFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hinge-forward-fail-{Guid.NewGuid():N}.txt");
        var run = Mpirun.Run(2, Hinge, DemoToolIsWorker, "demo", "fail", path);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("`target[0]` = 7", run.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(path), "rank 0 wrote its output although a rank failed");
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"));
    }
}
