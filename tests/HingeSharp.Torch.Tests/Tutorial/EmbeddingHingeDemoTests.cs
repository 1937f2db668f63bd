using System.Text.RegularExpressions;
using HingeSharp.Torch.Tutorial;

namespace HingeSharp.Torch.Tests.Tutorial;

/// <summary>The tutorial's Method 2 seeds torch's global generator (<c>torch.manual_seed</c>): these tests run alone,
/// since a test drawing from it at the same time changed the second run's numbers (seen once in a clean-clone CI run).
/// </summary>
[Collection(HingeSharp.Torch.Tests.Keras.DefaultGeneratorGroup.Name)]
public sealed partial class EmbeddingHingeDemoTests
{
    [Fact]
    public void RunExample_LossAndGradient_MatchHingeEmbeddingFormula()
    {
        var lines = new List<string>();
        EmbeddingExampleResult result = EmbeddingHingeDemo.RunExample(seed: 7, log: lines.Add);

        // torch: (y != 1)·max(0, margin − x) + (y != −1)·x, mean over 15; randn targets take both terms.
        double loss = 0;
        var gradient = new double[15];
        for (int i = 0; i < 15; i++)
        {
            double x = result.Input[i], y = result.Target[i];
            loss += (y != 1 ? Math.Max(0, 1 - x) : 0) + (y != -1 ? x : 0);
            gradient[i] = ((y != 1 && 1 - x >= 0 ? -1 : 0) + (y != -1 ? 1 : 0)) / 15.0;
        }

        Assert.Equal(loss / 15, result.Output, 1e-6);
        for (int i = 0; i < 15; i++)
        {
            Assert.Equal(gradient[i], result.Gradient[i], 1e-7);
        }

        Assert.StartsWith("output:  ", lines[0]);
        Assert.Equal(5, lines.Count);
    }

    [Fact]
    public void Run_SmallFakeData_PrintsTheTutorialLinesDeterministically()
    {
        var options = new EmbeddingDemoOptions(Size: 1280, Epochs: 2, NumWorkers: 2);
        var lines = new List<string>();

        EmbeddingDemoResult result = EmbeddingHingeDemo.Run(options, lines.Add);
        EmbeddingDemoResult again = EmbeddingHingeDemo.Run(options);

        Assert.Equal(40, result.Batches);
        // 20 batches per epoch, a report at i = 0 and i = 10.
        Assert.Equal([(1, 1), (1, 11), (2, 1), (2, 11)], result.Reports.Select(r => (r.Epoch, r.MiniBatch)));
        Assert.Equal(result.Reports, again.Reports);
        Assert.Equal(result.EpochMeanLoss, again.EpochMeanLoss);
        Assert.Equal(result.EpochMeanLoss[^1], result.FinalLoss);
        // tanh outputs in (−1, 1): every batch loss lies in [0, 2); a report sums 1 or 10 of them over 500.
        Assert.All(result.Reports, r => Assert.InRange(r.Value * 500, 0, r.MiniBatch == 1 ? 2 : 20));
        Assert.Equal(["Starting an Iteration 1", ""], lines.Take(2));
        Assert.Equal("Training process has finished", lines[^1]);
        string[] reports = lines.Where(l => l.StartsWith("Loss", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, reports.Length);
        Assert.All(reports, l => Assert.Matches(ReportLine(), l));
        Assert.Equal("Loss after mini-batch    11: " + result.Reports[1].Value.ToString("F3",
            System.Globalization.CultureInfo.InvariantCulture), reports[1]);
    }

    [Fact]
    public void Run_FusedAndAutograd_GiveTheSameLosses()
    {
        var options = new EmbeddingDemoOptions(Size: 1000, Epochs: 2, NumWorkers: 1, LearningRate: 1e-3);

        EmbeddingDemoResult fused = EmbeddingHingeDemo.Run(options);
        EmbeddingDemoResult autograd = EmbeddingHingeDemo.Run(options with { Fused = false });

        Assert.Equal(autograd.Batches, fused.Batches);
        Assert.Equal(autograd.Reports.Select(r => (r.Epoch, r.MiniBatch)), fused.Reports.Select(r => (r.Epoch, r.MiniBatch)));
        for (int i = 0; i < autograd.Reports.Count; i++)
        {
            Assert.Equal(autograd.Reports[i].Value, fused.Reports[i].Value, 1e-5);
        }

        for (int e = 0; e < autograd.EpochMeanLoss.Count; e++)
        {
            Assert.Equal(autograd.EpochMeanLoss[e], fused.EpochMeanLoss[e], 1e-5);
        }
    }

    [GeneratedRegex(@"^Loss after mini-batch [ \d]{5}: \d+\.\d{3}$")]
    private static partial Regex ReportLine();
}
