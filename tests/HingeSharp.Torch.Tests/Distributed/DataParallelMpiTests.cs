using HingeSharp.Distributed.Tests;

namespace HingeSharp.Torch.Tests.Distributed;

/// <summary>Data-parallel training and the tensor metrics under mpirun (2 and 3 ranks), through the torch worker.</summary>
public class DataParallelMpiTests
{
    private static string WorkerDll => Path.Combine(AppContext.BaseDirectory, "HingeSharp.Distributed.TorchWorker.dll");

    [Theory]
    [InlineData(2, 16)]
    [InlineData(3, 16)]
    public void Fit_NRanksBatchB_EqualsOneProcessBatchNB(int ranks, int batch)
    {
        var result = Mpirun.Run(ranks, WorkerDll, "dp", batch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("FAIL", result.Output, StringComparison.Ordinal);
        Assert.Contains($"ALL OK ranks={ranks}", result.Output, StringComparison.Ordinal);
        Assert.Single(result.Output.Split('\n'), l => l.StartsWith("DP weights", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2, 16)]
    [InlineData(3, 16)]
    public void Fit_SampleWeightValidationSplitInitialEpoch_NRanksEqualOneProcessBatchNB(int ranks, int batch)
    {
        var result = Mpirun.Run(ranks, WorkerDll, "dp",
            batch.ToString(System.Globalization.CultureInfo.InvariantCulture), "weighted");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("FAIL", result.Output, StringComparison.Ordinal);
        Assert.Contains($"ALL OK ranks={ranks}", result.Output, StringComparison.Ordinal);
        Assert.Contains("val_loss=", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void SequentialDemo_TwoRanks_OneResultWithTestAccuracyAtLeast080()
    {
        var result = Mpirun.Run(2, WorkerDll, "demo");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Single(result.Output.Split('\n'), l => l.StartsWith("Train: ", StringComparison.Ordinal));
        Assert.Single(result.Output.Split('\n'), l => l.StartsWith("DEMO test accuracy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void TensorMetrics_ComputeAndSyncOverRanks_EqualOneMetricOverAll(int ranks)
    {
        var result = Mpirun.Run(ranks, WorkerDll, "tensor");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("FAIL", result.Output, StringComparison.Ordinal);
        Assert.Contains($"ALL OK ranks={ranks}", result.Output, StringComparison.Ordinal);
    }
}
