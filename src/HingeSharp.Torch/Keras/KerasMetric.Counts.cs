using HingeSharp.Functional;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

public abstract partial class KerasMetric
{
    /// <summary>Keras' <c>Precision</c> (<c>"precision"</c>) with torchmetrics 1.9's formulas, the ones
    /// HingeSharp's core <c>BinaryPrecision</c> / <c>MulticlassPrecision</c> compute. See <see cref="F1Score"/> for
    /// the binary and multiclass rules.</summary>
    /// <param name="average">How a multiclass model's per-class values are combined (ignored with one output
    /// unit).</param>
    /// <returns>The metric, named <c>precision</c> (macro) or <c>precision_micro</c>, <c>precision_weighted</c>,
    /// <c>precision_none</c>.</returns>
    public static KerasMetric Precision(ClassificationAverage average = ClassificationAverage.Macro)
        => new CountMetric(CountMetric.NameFor("precision", average), StatKind.Precision, average);

    /// <summary>Keras' <c>Recall</c> (<c>"recall"</c>) with torchmetrics 1.9's formulas (the core
    /// <c>BinaryRecall</c> / <c>MulticlassRecall</c>). See <see cref="F1Score"/>.</summary>
    /// <param name="average">How a multiclass model's per-class values are combined.</param>
    /// <returns>The metric, named <c>recall</c> (macro) or <c>recall_micro</c>, … .</returns>
    public static KerasMetric Recall(ClassificationAverage average = ClassificationAverage.Macro)
        => new CountMetric(CountMetric.NameFor("recall", average), StatKind.Recall, average);

    /// <summary>
    /// Keras' <c>F1Score</c> (<c>"f1_score"</c>) with torchmetrics 1.9's formulas (the core <c>BinaryF1Score</c> /
    /// <c>MulticlassF1Score</c>): the epoch's value comes from the confusion counts of every sample in it, not from
    /// a mean of batch values.
    /// </summary>
    /// <remarks>
    /// <para><b>One output unit (binary).</b> A prediction is positive above 0 for a margin loss
    /// (<see cref="KerasLoss.IsMarginBased"/>, e.g. hinge with ±1 or 0/1 labels) and for a from-logits
    /// cross-entropy, above 0.5 otherwise (probabilities, Keras' threshold); a target is positive above 0, so −1
    /// and 0 are both negative (Keras casts the target to bool, which would count −1 as positive). The core metric
    /// that gives the same value on <c>Predict</c>'s output: <c>BinaryF1Score(inputKind: Margins)</c>,
    /// <c>(inputKind: Logits)</c> or <c>(threshold: 0.5, inputKind: Probabilities)</c>.</para>
    /// <para><b>Several output units (multiclass).</b> The predicted class is the argmax (Keras' F1Score with
    /// <c>threshold=None</c>); targets are class indices <c>(N,)</c> or one-hot rows. Per-class counts are combined
    /// as <paramref name="average"/> says: micro (counts summed first), macro (the default of the string names and
    /// torchmetrics'; unlike Keras, a class absent from both predictions and targets is left out of the mean, as
    /// torchmetrics does), weighted (by support) or none (one value per class, reported as <c>f1_score_none_0</c>,
    /// <c>f1_score_none_1</c>, …; Keras' default, which returns a vector). Equal to
    /// <c>MulticlassF1Score(numClasses, average)</c> on the same predictions.</para>
    /// <para>0/0 gives 0 (torchmetrics' zero-division rule). Sample and class weights weigh the counts, as in
    /// Keras. Evaluated by the autograd loop: a model compiled with these metrics trains without the fused path.
    /// </para>
    /// </remarks>
    /// <param name="average">How a multiclass model's per-class values are combined.</param>
    /// <returns>The metric, named <c>f1_score</c> (macro) or <c>f1_score_micro</c>, <c>f1_score_weighted</c>,
    /// <c>f1_score_none</c>.</returns>
    public static KerasMetric F1Score(ClassificationAverage average = ClassificationAverage.Macro)
        => new CountMetric(CountMetric.NameFor("f1_score", average), StatKind.F1, average);

    /// <summary>Precision, recall or F1 from weighted confusion counts summed over the epoch.</summary>
    private sealed class CountMetric(string name, StatKind kind, ClassificationAverage average,
        long classes = 0, double threshold = 0.5) : KerasMetric(name)
    {
        private static readonly (string Key, StatKind Kind)[] Kinds =
            [("precision", StatKind.Precision), ("recall", StatKind.Recall), ("f1_score", StatKind.F1), ("f1", StatKind.F1)];

        private static readonly (string Suffix, ClassificationAverage Average)[] Averages =
        [
            ("", ClassificationAverage.Macro), ("_macro", ClassificationAverage.Macro),
            ("_micro", ClassificationAverage.Micro), ("_weighted", ClassificationAverage.Weighted),
            ("_none", ClassificationAverage.None),
        ];

        /// <summary>1 for binary (one output unit), C for multiclass; 0 until resolved against a model.</summary>
        private bool Binary => classes <= 1;

        internal override int StateLength => Binary ? 4 : 3 * (int)classes;

        internal static string NameFor(string baseName, ClassificationAverage average)
            => average == ClassificationAverage.Macro ? baseName
                : baseName + Averages.First(a => a.Average == average && a.Suffix.Length > 0).Suffix;

        internal static CountMetric? TryParse(string name, string key)
        {
            foreach ((string baseKey, StatKind kind) in Kinds)
            {
                foreach ((string suffix, ClassificationAverage average) in Averages)
                {
                    if (key == baseKey + suffix)
                    {
                        return new CountMetric(name, kind, average);
                    }
                }
            }

            return null;
        }

        internal override KerasMetric Resolve(KerasLoss loss, long outputUnits)
            => new CountMetric(Name, kind, average, outputUnits,
                loss.IsMarginBased || loss.PredictsLogits ? 0.0 : 0.5);

        public override Tensor PerSample(Tensor yTrue, Tensor yPred) => throw new NotSupportedException(
            $"`{Name}` is computed from confusion counts and has no per-sample value; use Compute.");

        internal override void Accumulate(Tensor state, Tensor yTrue, Tensor yPred, Tensor? weights, long count)
        {
            Tensor? w = weights?.to(ScalarType.Float64).reshape(count, 1);
            if (Binary)
            {
                Tensor p = yPred.reshape(count, -1).gt(threshold).to(ScalarType.Float64);
                Tensor t = yTrue.reshape(count, -1).gt(0).to(ScalarType.Float64);
                Tensor predicted = w is null ? p : p.mul(w), negatives = w is null ? p.neg().add(1) : p.neg().add(1).mul(w);
                Tensor tp = predicted.mul(t).sum(), fp = predicted.sum().sub(tp);
                Tensor fn = negatives.mul(t).sum(), tn = negatives.sum().sub(fn);
                state.add_(torch.stack([tp, fp, tn, fn]));
                return;
            }

            Tensor target = ClassIndices(yTrue, yPred).reshape(-1);
            Tensor rows = yPred.reshape(-1, classes).argmax(-1);
            Tensor predictedHot = nn.functional.one_hot(rows, classes).to(ScalarType.Float64);
            Tensor targetHot = nn.functional.one_hot(target, classes).to(ScalarType.Float64);
            if (w is not null)
            {
                // (N, …, C) outputs: every row of a sample carries its weight.
                Tensor perRow = w.repeat_interleave(rows.shape[0] / count, 0);
                predictedHot = predictedHot.mul(perRow);
                targetHot = targetHot.mul(perRow);
            }

            Tensor truePositives = predictedHot.mul(targetHot.gt(0)).sum([0L]);
            state.add_(torch.cat([truePositives, predictedHot.sum([0L]).sub(truePositives),
                targetHot.sum([0L]).sub(truePositives)]));
        }

        internal override void Report(ReadOnlySpan<double> state, double weightSum, IDictionary<string, double> logs)
        {
            if (Binary)
            {
                logs[Name] = StatReduce.Binary(state[0], state[1], state[2], state[3], kind, 0);
                return;
            }

            int c = (int)classes;
            HingeSharp.MetricValue value = StatReduce.Multiclass(state[..c], state.Slice(c, c), state.Slice(2 * c, c),
                topK: 1, kind, average, 0);
            if (value.IsScalar)
            {
                logs[Name] = value.Value;
                return;
            }

            for (int k = 0; k < c; k++)
            {
                logs[$"{Name}_{k}"] = value.Values[k];
            }
        }

        /// <summary><see cref="Compute"/>: one batch of everything, resolved from the output width when no model
        /// resolved it (threshold 0.5 with one unit).</summary>
        internal double ComputeOnce(Tensor yTrue, Tensor yPred)
        {
            long units = yPred.dim() > 1 ? yPred.shape[^1] : 1;
            CountMetric metric = classes > 0 ? this : new CountMetric(Name, kind, average, units, threshold);
            long n = yPred.shape[0];
            Tensor state = torch.zeros([metric.StateLength], ScalarType.Float64, yPred.device);
            metric.Accumulate(state, yTrue, yPred, null, n);
            var logs = new Dictionary<string, double>();
            metric.Report(state.cpu().data<double>().ToArray(), n, logs);
            return logs.TryGetValue(Name, out double result) ? result : throw new InvalidOperationException(
                $"`{Name}` gives one value per class ({string.Join(", ", logs.Keys)}); Compute returns one value: " +
                "use Sequential.Evaluate, or an average other than None.");
        }
    }
}
