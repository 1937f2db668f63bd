using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>The options every hinge metric shares.</summary>
internal readonly record struct HingeSettings(
    bool Squared, int? IgnoreIndex, bool ValidateArgs, HingeInputKind InputKind, NonFiniteHandling NonFinite);

/// <summary>
/// One batch reduced on its device: loss sums (float64, 1 value or C), the kept count (int64, 0-d) and a
/// <see cref="BatchRecord"/> describing the first invalid value, all still on the device.
/// </summary>
internal readonly record struct DeviceBatch(Tensor Measures, Tensor Total, Tensor Record);

/// <summary>
/// The hinge formulas of the core kernels written as torch ops, so a batch is reduced on the device it lives on
/// with no host synchronisation: no <c>item()</c>, no boolean-mask indexing, no host-to-device copies (constants
/// are made with <c>torch.full</c> on the device). Every tensor is created in the caller's dispose scope.
/// </summary>
/// <remarks>
/// Same semantics as the kernels: kept = target ≠ ignore index; the Auto decision (all kept values in [0, 1]) is a
/// 0-d bool tensor that selects, with <c>torch.where</c>, between the values and their sigmoid/softmax; the loss is
/// computed in the preds' precision and summed in float64. Invalid values do not throw here; they are described in
/// the batch's record for the caller to raise now (one synchronisation) or at <c>Compute</c>.
/// </remarks>
internal static class TorchHingeOps
{
    /// <summary>Binary hinge of preds and target of one shape (checked by the caller).</summary>
    internal static DeviceBatch Binary(Tensor preds, Tensor target, HingeSettings s, long update)
    {
        var device = preds.device;
        var p = Floating(preds.flatten());
        var t = target.flatten().to_type(ScalarType.Float64);
        var n = p.shape[0];
        var kept = s.IgnoreIndex is { } ii ? t.ne(ii) : torch.ones(n, ScalarType.Bool, device);
        var inRange = p.ge(0).logical_and(p.le(1));
        var badTarget = s.ValidateArgs ? kept.logical_and(t.eq(0).logical_or(t.eq(1)).logical_not()) : null;
        var badPred = BadPreds(p, inRange, kept, s);

        var used = s.InputKind switch
        {
            HingeInputKind.Auto => torch.where(inRange.logical_or(kept.logical_not()).all(), p, p.sigmoid()),
            HingeInputKind.Logits => p.sigmoid(),
            _ => p,
        };

        // target.bool(): any non-zero value (NaN included) is positive.
        var sign = t.ne(0).to_type(p.dtype).mul(2).sub(1);
        var loss = Hinge(sign.mul(used), s.Squared).masked_fill(kept.logical_not(), 0);
        var measures = loss.sum(ScalarType.Float64).unsqueeze(0);
        var total = kept.sum(ScalarType.Int64);
        var record = BatchRecord.Create(badTarget, t, badPred, p, total, n, update, emptyIsError: false, device);
        return new DeviceBatch(measures, total, record);
    }

    /// <summary>Multiclass hinge of preds <c>(N, C, ...)</c> and target <c>(N, ...)</c> (shapes checked by the
    /// caller).</summary>
    internal static DeviceBatch Multiclass(Tensor preds, Tensor target, HingeSettings s, MulticlassMode mode,
        long update)
    {
        var device = preds.device;
        var c = preds.shape[1];
        // torchmetrics' preds.movedim(1, -1).reshape(-1, C): rows of class scores.
        var p = Floating(preds.dim() > 2 ? preds.movedim([1], [-1]).reshape(-1, c) : preds);
        var t = target.flatten().to_type(ScalarType.Float64);
        var rows = t.shape[0];
        var kept = s.IgnoreIndex is { } ii ? t.ne(ii) : torch.ones(rows, ScalarType.Bool, device);
        var validClass = t.ge(0).logical_and(t.lt(c)).logical_and(t.eq(t.floor()));
        // Class indices are always checked, as in the kernels.
        var badTarget = kept.logical_and(validClass.logical_not());
        var rowUsed = kept.logical_and(validClass);
        var rowMask = rowUsed.unsqueeze(1);
        var inRange = p.ge(0).logical_and(p.le(1));
        var badPred = BadPreds(p, inRange, rowMask, s);

        var used = s.InputKind switch
        {
            HingeInputKind.Auto => torch.where(inRange.logical_or(rowMask.logical_not()).all(), p, p.softmax(1)),
            HingeInputKind.Logits => p.softmax(1),
            _ => p,
        };

        var y = t.masked_fill(rowUsed.logical_not(), 0).to_type(ScalarType.Int64);
        var isTrue = torch.arange(c, ScalarType.Int64, device).unsqueeze(0).eq(y.unsqueeze(1));
        Tensor measures;
        if (mode == MulticlassMode.CrammerSinger)
        {
            var truth = used.gather(1, y.unsqueeze(1)).squeeze(1);
            var (other, _) = used.masked_fill(isTrue, double.NegativeInfinity).max(1, false);
            var loss = Hinge(truth.sub(other), s.Squared).masked_fill(rowUsed.logical_not(), 0);
            measures = loss.sum(ScalarType.Float64).unsqueeze(0);
        }
        else
        {
            var sign = isTrue.to_type(p.dtype).mul(2).sub(1);
            var loss = Hinge(sign.mul(used), s.Squared).masked_fill(rowMask.logical_not(), 0);
            measures = loss.sum(0, false, ScalarType.Float64);
        }

        var total = kept.sum(ScalarType.Int64);
        var emptyIsError = mode == MulticlassMode.CrammerSinger;
        var record = BatchRecord.Create(badTarget, t, badPred, p, total, rows, update, emptyIsError, device,
            preds.dim() > 2 ? preds.shape : null);
        return new DeviceBatch(measures, total, record);
    }

    /// <summary><c>max(0, 1 − m)</c>, squared after the clamp; NaN propagates (torch's clamp keeps NaN).</summary>
    private static Tensor Hinge(Tensor margin, bool squared)
    {
        // −m + 1 rounds exactly as 1 − m.
        var h = margin.neg().add_(1).clamp_min(0);
        return squared ? h.square() : h;
    }

    private static Tensor Floating(Tensor p) =>
        p.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? p.to_type(ScalarType.Float32) : p;

    /// <summary>Kept predictions the settings reject: non-finite (Throw) or outside [0, 1] (Probabilities).</summary>
    private static Tensor? BadPreds(Tensor p, Tensor inRange, Tensor kept, HingeSettings s)
    {
        Tensor? bad = null;
        if (s.NonFinite == NonFiniteHandling.Throw)
        {
            bad = p.isfinite().logical_not();
        }

        if (s.InputKind == HingeInputKind.Probabilities)
        {
            var outside = inRange.logical_not();
            bad = bad is null ? outside : bad.logical_or(outside);
        }

        return bad?.logical_and(kept);
    }
}
