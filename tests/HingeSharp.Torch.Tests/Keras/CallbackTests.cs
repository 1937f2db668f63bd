using HingeSharp.Torch.Keras;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

public sealed class CallbackTests
{
    [Fact]
    public void EarlyStopping_NoImprovementBeyondMinDelta_StopsAfterPatienceAndRestoresBestWeights()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y, _, _) = SequentialTests.Circles();
        using var model = SequentialTests.Model(seed: 21);
        float[]? epochZero = null;
        var capture = new LambdaCallback(onEpochEnd: (epoch, _) =>
        {
            if (epoch == 0)
            {
                epochZero = model.Parameters.SelectMany(p => p.data<float>().ToArray()).ToArray();
            }
        });
        // min_delta 10: only the first epoch (vs +inf) counts as an improvement.
        using var stopping = new EarlyStopping(monitor: "loss", minDelta: 10, patience: 2, restoreBestWeights: true);

        History history = model.Fit(x, y, epochs: 50, verbose: 0, callbacks: [capture, stopping]);

        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(2, stopping.StoppedEpoch);
        Assert.Equal(0, stopping.BestEpoch);
        Assert.Equal(history["loss"][0], stopping.Best);
        Assert.Equal(epochZero, model.Parameters.SelectMany(p => p.data<float>().ToArray()).ToArray());
    }

    [Fact]
    public void EarlyStopping_AccuracyInAutoMode_Maximises()
    {
        var stopping = new EarlyStopping(monitor: "val_accuracy");
        Assert.True(stopping.Maximize);
        Assert.False(new EarlyStopping().Maximize);
        stopping.OnTrainBegin();
        stopping.OnEpochEnd(0, new Dictionary<string, double> { ["val_accuracy"] = 0.5 });
        stopping.OnEpochEnd(1, new Dictionary<string, double> { ["val_accuracy"] = 0.7 });
        Assert.Equal(1, stopping.BestEpoch);
        Assert.Equal(0.7, stopping.Best);
        var e = Assert.Throws<InvalidOperationException>(
            () => stopping.OnEpochEnd(2, new Dictionary<string, double> { ["loss"] = 1 }));
        Assert.Contains("val_accuracy", e.Message);
    }

    [Fact]
    public void TensorBoard_WritesEpochScalarsForTrainAndValidation()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hingesharp-tb-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var scope = NewDisposeScope();
            (Tensor x, Tensor y, Tensor vx, Tensor vy) = SequentialTests.Circles();
            using var model = SequentialTests.Model(seed: 22);

            model.Fit(x, y, epochs: 2, validationData: (vx, vy), verbose: 0, callbacks: [new TensorBoard(dir)]);

            foreach (string sub in new[] { "train", "validation" })
            {
                string file = Assert.Single(Directory.GetFiles(Path.Combine(dir, sub)));
                Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file));
                string bytes = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(file));
                Assert.Contains("brain.Event:2", bytes);
                Assert.Contains("epoch_loss", bytes);
                Assert.Contains("epoch_accuracy", bytes);
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
