using HingeSharp.Functional;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// A float64 vector of <see cref="Length"/> values, kept on the device, that describes the first invalid value of a
/// batch (or of a stream of batches): <c>[has error, update number, target index, target value, preds index,
/// preds value, kept count, rows, rank, shape…]</c>, with index −1 where there is none. Indices are exact in float64
/// up to 2^53. For multiclass preds of rank above 2 the record also carries their <c>(N, C, d1, …)</c> shape, so the
/// preds index (found in the moved <c>(N·d1·…, C)</c> layout, as the kernels scan) is reported in the caller's layout,
/// exactly as the kernels report it.
/// </summary>
internal static class BatchRecord
{
    /// <summary>The largest preds rank whose shape a record can carry.</summary>
    internal const int MaxRank = 8;

    internal const int Length = 9 + MaxRank;

    private const int HasError = 0;
    private const int Update = 1;
    private const int TargetIndex = 2;
    private const int TargetValue = 3;
    private const int PredsIndex = 4;
    private const int PredsValue = 5;
    private const int Kept = 6;
    private const int Rows = 7;
    private const int Rank = 8;
    private const int Shape = 9;

    /// <summary>Builds a batch's record on the device (no synchronisation).</summary>
    /// <param name="badTarget">Bool mask over the flat targets, or null when targets are not checked.</param>
    /// <param name="target">The flat targets as float64.</param>
    /// <param name="badPred">Bool mask over the preds (any shape, read flat), or null when none can be bad.</param>
    /// <param name="preds">The preds, same shape as <paramref name="badPred"/>.</param>
    /// <param name="kept">Kept count (int64, 0-d).</param>
    /// <param name="rows">Number of targets in the batch.</param>
    /// <param name="update">The update's number since the last reset (1-based).</param>
    /// <param name="emptyIsError">Whether a batch with rows but no kept row is an error (Crammer–Singer).</param>
    /// <param name="device">The batch's device.</param>
    /// <param name="movedShape">The caller's <c>(N, C, d1, …)</c> shape when <paramref name="preds"/> holds its moved
    /// <c>(N·d1·…, C)</c> rows; null otherwise.</param>
    internal static Tensor Create(Tensor? badTarget, Tensor target, Tensor? badPred, Tensor preds, Tensor kept,
        long rows, long update, bool emptyIsError, Device device, long[]? movedShape = null)
    {
        var (targetIndex, targetValue) = FirstTrue(badTarget, target, device);
        var (predsIndex, predsValue) = FirstTrue(badPred?.flatten(), preds.flatten(), device);
        var keptCount = kept.to_type(ScalarType.Float64);
        var has = targetIndex.ge(0).logical_or(predsIndex.ge(0));
        if (emptyIsError && rows > 0)
        {
            has = has.logical_or(keptCount.eq(0));
        }

        var shape = new double[1 + MaxRank];
        if (movedShape is { Length: > 2 and <= MaxRank })
        {
            shape[0] = movedShape.Length;
            for (var k = 0; k < movedShape.Length; k++)
            {
                shape[1 + k] = movedShape[k];
            }
        }

        var head = torch.stack(
        [
            has.to_type(ScalarType.Float64), Constant(update, device), targetIndex, targetValue, predsIndex,
            predsValue, keptCount, Constant(rows, device),
        ]);
        return torch.cat([head, torch.tensor(shape, ScalarType.Float64, device)], 0);
    }

    /// <summary>A record with no error, for an empty stream.</summary>
    internal static Tensor None(Device device) => torch.zeros(Length, ScalarType.Float64, device);

    /// <summary>The earlier of two records: <paramref name="first"/> if it holds an error, else
    /// <paramref name="next"/>.</summary>
    internal static Tensor FirstOf(Tensor first, Tensor next) => torch.where(first[HasError].gt(0), first, next);

    /// <summary>Forces NaN into a batch value whose record holds an error (so a deferred error cannot pass as a
    /// number).</summary>
    internal static Tensor MaskValue(Tensor value, Tensor record) =>
        value.masked_fill(record[HasError].gt(0), double.NaN);

    /// <summary>The exception a record describes, or null. Runs on the host, after the one synchronising
    /// copy.</summary>
    /// <param name="record">The record's values.</param>
    /// <param name="multiclass">Null for binary; the class count for multiclass.</param>
    /// <param name="ignoreIndex">The ignore index, for the message.</param>
    /// <param name="nonFinite">Whether non-finite predictions are errors.</param>
    /// <param name="deferred">True when raised at <c>Compute</c> rather than by the update itself.</param>
    internal static HingeArgumentException? Decode(ReadOnlySpan<double> record, int? multiclass, int? ignoreIndex,
        NonFiniteHandling nonFinite, bool deferred)
    {
        if (record[HasError] <= 0)
        {
            return null;
        }

        var suffix = deferred
            ? $" (update {(long)record[Update]}; found by deferred validation when computing. Reset the metric to " +
              "clear it.)"
            : string.Empty;
        var error = Describe(record, multiclass, ignoreIndex, nonFinite);
        return new HingeArgumentException(error.ParamName!, error.Reason + suffix, error.Index);
    }

    /// <summary>The error in the core kernels' own words (the same ThrowHelper factories).</summary>
    private static HingeArgumentException Describe(ReadOnlySpan<double> record, int? multiclass, int? ignoreIndex,
        NonFiniteHandling nonFinite)
    {
        if (record[TargetIndex] >= 0)
        {
            var index = (long)record[TargetIndex];
            var value = record[TargetValue];
            return multiclass is { } c
                ? ThrowHelper.InvalidClassTarget(value, index, c, ignoreIndex)
                : ThrowHelper.InvalidBinaryTarget(value, index, ignoreIndex);
        }

        if (record[PredsIndex] >= 0)
        {
            var index = (long)record[PredsIndex];
            var value = record[PredsValue];
            var error = nonFinite == NonFiniteHandling.Throw && !double.IsFinite(value)
                ? ThrowHelper.NonFinite("preds", value, index)
                : ThrowHelper.NotProbability(value, index);
            var rank = (int)record[Rank];
            if (multiclass is not null && rank > 2)
            {
                var shape = new int[rank];
                for (var k = 0; k < rank; k++)
                {
                    shape[k] = (int)record[Shape + k];
                }

                error = MulticlassHinge.InCallerLayout(error, shape);
            }

            return error;
        }

        return ThrowHelper.EmptyCrammerSinger((long)record[Rows]);
    }

    /// <summary>The first index where <paramref name="mask"/> is true (−1 if none) and the value there, as 0-d
    /// float64 tensors.</summary>
    private static (Tensor Index, Tensor Value) FirstTrue(Tensor? mask, Tensor values, Device device)
    {
        var n = values.shape[0];
        if (mask is null || n == 0)
        {
            return (Constant(-1, device), Constant(0, device));
        }

        var first = torch.arange(n, ScalarType.Float64, device).masked_fill(mask.logical_not(), double.PositiveInfinity)
            .min();
        var has = first.isfinite();
        var at = first.masked_fill(has.logical_not(), 0).to_type(ScalarType.Int64).unsqueeze(0);
        var value = values.gather(0, at).squeeze(0).to_type(ScalarType.Float64);
        return (first.masked_fill(has.logical_not(), -1), value);
    }

    private static Tensor Constant(double value, Device device) =>
        torch.full(Array.Empty<long>(), value, ScalarType.Float64, device);
}
