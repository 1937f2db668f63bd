using System.Buffers;
using System.Globalization;
using System.Numerics;
using HingeSharp.Kernels;

namespace HingeSharp.Functional;

/// <summary>A multiclass batch's contribution: per-mode sums (1 or C values) and the number of kept rows.</summary>
/// <param name="Measures">Loss sums: one value for Crammer–Singer, C for one-vs-all.</param>
/// <param name="Total">Kept rows.</param>
internal readonly record struct MulticlassBatch(double[] Measures, long Total);

/// <summary>The multiclass hinge's validate, update and compute steps, shared by the functional and the metric.</summary>
internal static class MulticlassHinge
{
    /// <summary>Throws unless <paramref name="multiclassMode"/> is a defined <see cref="MulticlassMode"/>.</summary>
    internal static void ValidateMode(MulticlassMode multiclassMode)
    {
        if (!Enum.IsDefined(multiclassMode))
        {
            ThrowHelper.ThrowArgument(nameof(multiclassMode),
                $"Expected argument `multiclass_mode` to be one of ('crammer-singer', 'one-vs-all'), but got {(int)multiclassMode}.");
        }
    }

    internal static void ValidateNumClasses(int numClasses)
    {
        if (numClasses < 2)
        {
            ThrowHelper.ThrowNumClasses(numClasses);
        }
    }

    internal static MulticlassBatch Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        int numClasses, bool squared, MulticlassMode mode, int? ignoreIndex, bool validateArgs,
        HingeInputKind inputKind, NonFiniteHandling nonFinite, bool requireNumClasses)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        BinaryHinge.ValidateOptions(inputKind, nonFinite);
        ValidateMode(mode);

        var classes = ClassesOf(preds.Length, target.Length, numClasses, validateArgs || requireNumClasses);
        var measures = new double[mode == MulticlassMode.CrammerSinger ? 1 : classes];
        long total = 0;
        try
        {
            total = MulticlassKernels.Sum(preds, target, classes, mode, squared, ignoreIndex, inputKind, nonFinite,
                measures);
        }
        catch (HingeArgumentException ex) when (ex.ParamName == "target" && ex.Index is { } i && i < target.Length)
        {
            // Restate the offending target as given: the kernel may report it converted to an integer, which would
            // show 1.5 as 1 and NaN as 0.
            ThrowHelper.ThrowInvalidClassTarget(target[(int)i], i, classes, ignoreIndex);
        }

        return new MulticlassBatch(measures, total);
    }

    /// <summary>The class count of a flat <c>(N, C)</c> batch.</summary>
    internal static int ClassesOf(int predsLength, int rows, int numClasses, bool strict)
    {
        if (strict)
        {
            ValidateNumClasses(numClasses);
        }

        if (rows == 0)
        {
            if (predsLength != 0)
            {
                ThrowHelper.ThrowArgument("preds",
                    $"`preds` has {predsLength} values but `target` is empty: expected N·C = 0 values.");
            }

            return Math.Max(numClasses, 2);
        }

        if (predsLength % rows != 0)
        {
            ThrowHelper.ThrowArgument("preds",
                $"`preds` has {predsLength} values, which is not N·C for N = {rows} targets: expected row-major " +
                $"(N, C) scores, e.g. {(long)rows * numClasses} values for C = {numClasses}.");
        }

        var classes = predsLength / rows;
        if (classes == 1)
        {
            ThrowHelper.ThrowArgument("preds",
                $"`preds` has one column per sample ({predsLength} values for {rows} targets): multiclass hinge " +
                "needs (N, C) class scores with C ≥ 2; for label-shaped predictions use the binary hinge.");
        }

        if (strict && classes != numClasses)
        {
            ThrowHelper.ThrowArgument("preds",
                "If `preds` have one dimension more than `target`, `preds.shape[1]` should be equal to number of " +
                $"classes. Got preds.shape[1] = {classes} (from {predsLength} values for {rows} targets) and " +
                $"num_classes = {numClasses}.");
        }

        return classes;
    }

    internal static HingeLossValue Compute(ReadOnlySpan<double> measures, long total, MulticlassMode mode)
    {
        if (mode == MulticlassMode.CrammerSinger)
        {
            return new HingeLossValue(total == 0 ? double.NaN : measures[0] / total);
        }

        var values = new double[measures.Length];
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = total == 0 ? double.NaN : measures[c] / total;
        }

        return new HingeLossValue(values);
    }

    /// <summary>Checks torchmetrics' shape rules for <c>(N, C, ...)</c> preds and <c>(N, ...)</c> target; returns C.</summary>
    internal static int ValidateShapes(int predsLength, ReadOnlySpan<int> predsShape, int targetLength,
        ReadOnlySpan<int> targetShape, int numClasses, bool validateArgs)
    {
        CheckShape("preds", predsLength, predsShape);
        CheckShape("target", targetLength, targetShape);
        if (predsShape.Length == targetShape.Length)
        {
            ThrowHelper.ThrowArgument("preds",
                $"`preds` has shape {ThrowHelper.FormatShape(predsShape)}, the same rank as `target` " +
                $"{ThrowHelper.FormatShape(targetShape)}: multiclass hinge needs class scores of shape (N, C, ...), " +
                "not predicted labels.");
        }

        if (predsShape.Length != targetShape.Length + 1)
        {
            ThrowHelper.ThrowArgument("preds",
                "Either `preds` and `target` both should have the (same) shape (N, ...), or `target` should be " +
                $"(N, ...) and `preds` should be (N, C, ...). Got {ThrowHelper.FormatShape(predsShape)} and " +
                $"{ThrowHelper.FormatShape(targetShape)}.");
        }

        var same = predsShape[0] == targetShape[0] && predsShape[2..].SequenceEqual(targetShape[1..]);
        if (!same)
        {
            ThrowHelper.ThrowArgument("target",
                "If `preds` have one dimension more than `target`, the shape of `preds` should be (N, C, ...), and " +
                $"the shape of `target` should be (N, ...). Got {ThrowHelper.FormatShape(predsShape)} and " +
                $"{ThrowHelper.FormatShape(targetShape)}.");
        }

        var classes = predsShape[1];
        if (validateArgs)
        {
            ValidateNumClasses(numClasses);
            if (classes != numClasses)
            {
                ThrowHelper.ThrowArgument("preds",
                    "If `preds` have one dimension more than `target`, `preds.shape[1]` should be equal to number " +
                    $"of classes. Got preds.shape[1] = {classes} and num_classes = {numClasses}.");
            }
        }

        if (classes < 2)
        {
            ThrowHelper.ThrowArgument("preds",
                $"`preds` has shape {ThrowHelper.FormatShape(predsShape)}: multiclass hinge needs C ≥ 2 class scores.");
        }

        return classes;
    }

    /// <summary>
    /// Checks that <paramref name="shape"/> has no negative dimension and holds exactly <paramref name="length"/>
    /// values. Rank 0 (a scalar, one value) is allowed only when <paramref name="allowScalar"/> is set.
    /// </summary>
    internal static void CheckShape(string name, int length, ReadOnlySpan<int> shape, bool allowScalar = false)
    {
        if (shape.Length == 0 && !allowScalar)
        {
            ThrowHelper.ThrowArgument(name + "Shape", $"`{name}` needs a shape with at least one dimension.");
        }

        long product = 1;
        for (var k = 0; k < shape.Length; k++)
        {
            var d = shape[k];
            if (d < 0)
            {
                ThrowHelper.ThrowArgument(name + "Shape",
                    $"`{name}` shape {ThrowHelper.FormatShape(shape)} has a negative dimension {d} at axis {k}.", k);
            }

            // Saturate instead of overflowing: any product above int.MaxValue cannot match a span's length.
            product = d == 0 ? 0 : product > long.MaxValue / d ? long.MaxValue : product * d;
        }

        if (product != length)
        {
            var needs = product == long.MaxValue
                ? "more than int.MaxValue"
                : product.ToString(CultureInfo.InvariantCulture);
            ThrowHelper.ThrowArgument(name,
                $"`{name}` has {length} values but its shape {ThrowHelper.FormatShape(shape)} needs {needs}.");
        }
    }

    /// <summary>
    /// The same error with a <c>preds</c> index translated from the moved <c>(N·d1·…, C)</c> layout the kernels see
    /// back to the caller's row-major <c>(N, C, d1, …)</c> layout, with its position in the shape.
    /// </summary>
    internal static HingeArgumentException InCallerLayout(HingeArgumentException ex, ReadOnlySpan<int> shape)
    {
        var moved = ex.Index!.Value;
        long c = shape[1], inner = 1;
        for (var k = 2; k < shape.Length; k++)
        {
            inner *= shape[k];
        }

        long row = moved / c, cls = moved % c, sample = row / inner, rest = row % inner;
        var original = ((sample * c) + cls) * inner + rest;
        var position = new long[shape.Length];
        position[0] = sample;
        position[1] = cls;
        for (var k = shape.Length - 1; k >= 2; k--)
        {
            position[k] = rest % shape[k];
            rest /= shape[k];
        }

        var where = $"`preds[{original}]` (position [{string.Join(", ", position)}] in shape " +
            $"{ThrowHelper.FormatShape(shape)})";
        return new HingeArgumentException("preds",
            ex.Reason.Replace($"`preds[{moved}]`", where, StringComparison.Ordinal), original);
    }

    /// <summary>
    /// Rearranges <c>(N, C, d1, …)</c> into <c>(N·d1·…, C)</c>. Returns the rented array (or null when the input is
    /// already <c>(N, C)</c> and is passed through).
    /// </summary>
    internal static T[]? MoveClassLast<T>(ReadOnlySpan<T> preds, ReadOnlySpan<int> shape, out ReadOnlySpan<T> moved)
    {
        if (shape.Length <= 2 || preds.IsEmpty)
        {
            moved = preds;
            return null;
        }

        int n = shape[0], c = shape[1];
        var inner = preds.Length / Math.Max(1, n * c);
        var rented = ArrayPool<T>.Shared.Rent(Math.Max(preds.Length, 1));
        var destination = rented.AsSpan(0, preds.Length);
        for (var s = 0; s < n; s++)
        {
            var block = preds.Slice(s * c * inner, c * inner);
            var outBlock = destination.Slice(s * c * inner, c * inner);
            for (var k = 0; k < c; k++)
            {
                for (var p = 0; p < inner; p++)
                {
                    outBlock[p * c + k] = block[k * inner + p];
                }
            }
        }

        moved = destination;
        return rented;
    }
}
