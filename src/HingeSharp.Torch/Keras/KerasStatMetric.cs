using HingeSharp.Classification;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Keras' <c>precision</c>, <c>recall</c> and <c>f1_score</c> for <c>Compile(…, "precision", "recall",
/// "f1_score")</c>, computed by HingeSharp's streaming <see cref="BinaryPrecision"/>, <see cref="BinaryRecall"/> and
/// <see cref="BinaryF1Score"/> over every output element of an epoch (not a mean of per-batch values). With a margin
/// loss (hinge and a tanh output) a positive prediction is a margin above 0 and ±1 labels are read as such; otherwise
/// predictions are probabilities thresholded at 0.5 against 0/1 labels. 0/0 gives 0, as Keras and torchmetrics.
/// </summary>
internal sealed class KerasStatMetric : KerasMetric
{
    private readonly BinaryStatMetric<double> _metric;

    internal KerasStatMetric(string name, string key, bool margins)
        : base(name)
    {
        var kind = margins ? HingeInputKind.Margins : HingeInputKind.Probabilities;
        _metric = key switch
        {
            "precision" => new BinaryPrecision(inputKind: kind),
            "recall" => new BinaryRecall(inputKind: kind),
            _ => new BinaryF1Score(inputKind: kind),
        };
    }

    /// <summary>Not a per-sample mean: precision, recall and F1 are ratios of counts over the whole epoch.</summary>
    /// <param name="yTrue">Targets.</param>
    /// <param name="yPred">Predictions.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred) =>
        throw new NotSupportedException($"`{Name}` is a ratio of counts over a whole epoch, not a per-sample mean.");

    internal override void Accumulate(Tensor sum, Tensor yTrue, Tensor yPred)
    {
        using var p = yPred.detach().to(ScalarType.Float32).cpu().contiguous();
        using var t = yTrue.to(ScalarType.Float32).cpu().contiguous();
        _metric.Update<float, float>(p.data<float>().ToArray(), t.data<float>().ToArray());
    }

    internal override double Result(Tensor sum, long n)
    {
        var value = _metric.Compute();
        _metric.Reset();
        return value;
    }
}
