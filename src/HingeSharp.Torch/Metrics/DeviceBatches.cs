using HingeSharp.Classification;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// The non-CPU path of <see cref="HingeMetricTensorExtensions"/>: the batch is reduced on its device by
/// <see cref="TorchHingeOps"/>, its sums and validation record come back in one copy, and an accepted batch is added
/// to the core metric's host state.
/// </summary>
internal static class DeviceBatches
{
    internal static HingeLossValue Binary(BinaryHingeLoss metric, Tensor preds, Tensor target)
    {
        TensorChecks.CheckPredsDtype(preds.dtype);
        TensorChecks.CheckTargetDtype(target.dtype);
        TensorChecks.CheckBinaryShapes(preds, target);
        var settings = new HingeSettings(metric.Squared, metric.IgnoreIndex, metric.ValidateArgs, metric.InputKind,
            metric.NonFinite);
        var (measures, total) = Reduce(TorchHingeOps.Binary, preds, target, settings, null);

        // Commit through public API: a fresh metric with the same settings holds the batch (its one empty update
        // makes the merge count one update), then merges into the caller's metric.
        var batch = new BinaryHingeLoss(metric.Squared, metric.IgnoreIndex, metric.ValidateArgs, metric.InputKind,
            metric.NonFinite);
        batch.Update(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty);
        batch.SetState(new HingeState(measures[0], total));
        metric.Merge(batch);
        return new HingeLossValue(batch.State.Mean);
    }

    internal static HingeLossValue Multiclass(MulticlassHingeLoss metric, Tensor preds, Tensor target)
    {
        TensorChecks.CheckPredsDtype(preds.dtype);
        TensorChecks.CheckTargetDtype(target.dtype);
        TensorChecks.CheckMulticlassShapes(preds, target, metric.NumClasses);
        if (metric.MulticlassMode == MulticlassMode.CrammerSinger && target.numel() == 0)
        {
            throw ThrowHelper.EmptyCrammerSinger(0);
        }

        var settings = new HingeSettings(metric.Squared, metric.IgnoreIndex, metric.ValidateArgs, metric.InputKind,
            metric.NonFinite);
        var mode = metric.MulticlassMode;
        var (measures, total) = Reduce((p, t, s, u) => TorchHingeOps.Multiclass(p, t, s, mode, u), preds, target,
            settings, metric.NumClasses);

        // As for binary: one valid row makes the helper metric count one update; SetState then replaces its sums.
        var batch = new MulticlassHingeLoss(metric.NumClasses, metric.Squared, mode, metric.IgnoreIndex,
            metric.ValidateArgs, metric.InputKind, metric.NonFinite);
        var row = new float[metric.NumClasses];
        batch.Update<float, int>(row, [metric.IgnoreIndex == 0 ? 1 : 0]);
        batch.SetState(measures, total);
        metric.Merge(batch);
        return batch.Compute();
    }

    /// <summary>Runs the device formula and brings back the sums and the record in one copy; throws a rejected
    /// batch's error.</summary>
    private static (double[] Measures, long Total) Reduce(
        Func<Tensor, Tensor, HingeSettings, long, DeviceBatch> formula, Tensor preds, Tensor target, HingeSettings settings, int? numClasses)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = formula(preds, target, settings, 0);
        var width = (int)batch.Measures.shape[0];
        var packed = torch.cat(
            [batch.Measures, batch.Total.to_type(ScalarType.Float64).unsqueeze(0), batch.Record], 0).cpu();
        var values = packed.data<double>().ToArray();
        if (BatchRecord.Decode(values.AsSpan(width + 1), numClasses, settings.IgnoreIndex, settings.NonFinite,
                deferred: false) is { } error)
        {
            throw error;
        }

        return (values[..width], (long)values[width]);
    }
}
