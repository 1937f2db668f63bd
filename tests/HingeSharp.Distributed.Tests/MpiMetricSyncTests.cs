using Xunit;
namespace HingeSharp.Distributed.Tests;

/// <summary>Metric sync under mpirun: the worker compares every metric's synced value with one metric fed all the
/// data (integers exact, values within 1e-12 relative) and prints FAIL lines otherwise.</summary>
public class MpiMetricSyncTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SyncAndCompute_EveryMetricUnevenShares_EqualSingleProcess(int ranks)
    {
        var result = Mpirun.Run(ranks, Mpirun.WorkerDll, "metrics");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("FAIL", result.Output, StringComparison.Ordinal);
        Assert.Contains($"ALL OK ranks={ranks}", result.Output, StringComparison.Ordinal);
        // Rank 0 alone reports: one OK line per case and read-out (12 cases × Compute and Sync), and one per metric
        // collection (binary, multiclass) synced.
        Assert.Equal(26, result.Output.Split('\n').Count(l => l.StartsWith("OK ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ForwardWithComm_EachStep_EqualsStepOfConcatenatedBatches(int ranks)
    {
        var result = Mpirun.Run(ranks, Mpirun.WorkerDll, "step");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("FAIL", result.Output, StringComparison.Ordinal);
        Assert.Contains($"ALL OK ranks={ranks}", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Sync_RanksWithOtherSettingsOrType_ThrowOnEveryRank(int ranks)
    {
        var result = Mpirun.Run(ranks, Mpirun.WorkerDll, "mismatch");
        Assert.True(result.ExitCode == 0, result.Output);
        for (var r = 0; r < ranks; r++)
        {
            // Two mismatches (settings, then type), each detected on every rank.
            Assert.Equal(2, result.Output.Split("MISMATCH rank " + r + ":").Length - 1);
        }

        Assert.Contains("squared = true", result.Output, StringComparison.Ordinal);
        Assert.Contains("MulticlassHingeLoss(num_classes = 3", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void FailingRank_InvalidTarget_EndsJobNonZeroWithoutOutputFile(int ranks)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hinge-fail-{Guid.NewGuid():N}.txt");
        var result = Mpirun.Run(ranks, Mpirun.WorkerDll, "fail", path);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("`target[0]` = 7", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(path), "rank 0 wrote its output although a rank failed");
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"));
    }
}
