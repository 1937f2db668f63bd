using HingeSharp.Torch.Tutorial;

namespace HingeSharp.Torch.Tests.Tutorial;

public sealed class SequentialHingeDemoTests
{
    [Fact]
    public void Run_TutorialSettings_ReachesTestAccuracyOfAtLeast80Percent()
    {
        var lines = new List<string>();
        SequentialDemoResult result = SequentialHingeDemo.Run(log: lines.Add);

        Assert.True(result.TestAccuracy >= 0.80, $"test accuracy {result.TestAccuracy}");
        Assert.Equal(200, result.History.Epochs.Count);
        Assert.Equal(["loss", "accuracy", "val_loss", "val_accuracy"], result.History.Values.Keys);
        Assert.Equal(result.TestAccuracy, result.History["val_accuracy"][^1]);
        Assert.Equal(result.TestLoss, result.History["val_loss"][^1]);
        Assert.Single(lines);
        Assert.Equal($"Train: {result.TrainAccuracy:F3}, Test: {result.TestAccuracy:F3}", lines[0]);
        Console.WriteLine($"{lines[0]} fit {result.Seconds:F2}s");
    }
}
