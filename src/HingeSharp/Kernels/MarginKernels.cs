using System.Buffers;
using System.Numerics;

namespace HingeSharp.Kernels;

/// <summary>Receives a binary batch chunk by chunk, after validation and the probabilities-or-logits decision.</summary>
internal interface IBinaryElementSink
{
    /// <summary>One chunk of elements.</summary>
    /// <param name="offset">Flat index of the chunk's first element.</param>
    /// <param name="margins"><c>y·f(p)</c> per element, computed in the prediction type and widened.</param>
    /// <param name="losses"><c>max(0, 1 − margin)</c> (squared when asked), in the prediction type, widened.</param>
    /// <param name="labels">1 (positive), 0 (negative) or −1 (ignored: margin and loss are 0 and mean nothing).</param>
    void Accept(int offset, scoped ReadOnlySpan<double> margins, scoped ReadOnlySpan<double> losses,
        scoped ReadOnlySpan<sbyte> labels);
}

/// <summary>Receives the kept rows of a multiclass batch, after validation and the softmax decision.</summary>
internal interface IMulticlassRowSink
{
    /// <summary>One kept row.</summary>
    /// <param name="row">Row index in the batch.</param>
    /// <param name="target">Its class.</param>
    /// <param name="scores">Its C scores as the hinge uses them (softmaxed when the batch is).</param>
    void Accept<T>(int row, int target, scoped ReadOnlySpan<T> scores)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// Per-element (binary) and per-row (multiclass) passes for the opt-in paths — weights, variance, multilabel and the
/// margin report — with exactly the validation and input-kind rules of <see cref="BinaryKernels"/> and
/// <see cref="MulticlassKernels"/>. The default sums never come through here, so their speed is untouched.
/// </summary>
internal static class MarginKernels
{
    internal const int ChunkLength = 512;

    /// <summary>
    /// Validates a binary batch (lengths, targets, non-finite and probability rules over the kept elements) and
    /// returns whether sigmoid is applied: always for logits, never for probabilities or margins, and for
    /// <see cref="HingeInputKind.Auto"/> when a kept value lies outside [0, 1].
    /// </summary>
    internal static bool BinaryNeedsSigmoid<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        int? ignoreIndex, bool validate, HingeInputKind inputKind, NonFiniteHandling nonFinite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (preds.Length != target.Length)
        {
            ThrowHelper.ThrowShapeMismatch(preds.Length, target.Length);
        }

        Span<T> signs = stackalloc T[ChunkLength];
        var outside = false;
        for (var start = 0; start < preds.Length; start += ChunkLength)
        {
            var length = Math.Min(ChunkLength, preds.Length - start);
            var y = signs[..length];
            TargetCodes.BinarySigns(target.Slice(start, length), y, ignoreIndex, validate, start,
                signedNegatives: inputKind == HingeInputKind.Margins);
            var p = preds.Slice(start, length);
            for (var i = 0; i < length; i++)
            {
                if (y[i] == T.Zero)
                {
                    continue;
                }

                var x = p[i];
                if (nonFinite == NonFiniteHandling.Throw && !T.IsFinite(x))
                {
                    ThrowHelper.ThrowNonFinite("preds", x, start + i);
                }

                if ((inputKind is HingeInputKind.Auto or HingeInputKind.Probabilities) && !SimdMath.InUnitInterval(x))
                {
                    if (inputKind == HingeInputKind.Probabilities)
                    {
                        ThrowHelper.ThrowNotProbability(x, start + i);
                    }

                    outside = true;
                }
            }
        }

        return inputKind == HingeInputKind.Logits || (inputKind == HingeInputKind.Auto && outside);
    }

    /// <summary>Validates a binary batch, then hands every chunk's margins, losses and labels to the sink.</summary>
    internal static void BinaryElements<T, TTarget, TSink>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        bool squared, int? ignoreIndex, bool validate, HingeInputKind inputKind, NonFiniteHandling nonFinite,
        ref TSink sink)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TSink : IBinaryElementSink, allows ref struct
    {
        var sigmoid = BinaryNeedsSigmoid(preds, target, ignoreIndex, validate, inputKind, nonFinite);
        Span<T> signs = stackalloc T[ChunkLength];
        Span<double> margins = stackalloc double[ChunkLength];
        Span<double> losses = stackalloc double[ChunkLength];
        Span<sbyte> labels = stackalloc sbyte[ChunkLength];
        for (var start = 0; start < preds.Length; start += ChunkLength)
        {
            var length = Math.Min(ChunkLength, preds.Length - start);
            var y = signs[..length];
            TargetCodes.BinarySigns(target.Slice(start, length), y, ignoreIndex, validate: false, start,
                signedNegatives: inputKind == HingeInputKind.Margins);
            var p = preds.Slice(start, length);
            for (var i = 0; i < length; i++)
            {
                if (y[i] == T.Zero)
                {
                    margins[i] = 0;
                    losses[i] = 0;
                    labels[i] = -1;
                    continue;
                }

                var x = sigmoid ? SimdMath.Sigmoid(p[i]) : p[i];
                var m = y[i] * x;
                margins[i] = double.CreateTruncating(m);
                losses[i] = double.CreateTruncating(SimdMath.Hinge(m, squared));
                labels[i] = y[i] > T.Zero ? (sbyte)1 : (sbyte)0;
            }

            sink.Accept(start, margins[..length], losses[..length], labels[..length]);
        }
    }

    /// <summary>
    /// Validates a multiclass batch of row-major <c>(rows, C)</c> scores (shape, class indices, non-finite and
    /// probability rules over the kept rows), decides on softmax as torchmetrics does (over the whole kept block) and
    /// hands every kept row to the sink. Returns the number of kept rows.
    /// </summary>
    internal static long MulticlassRows<T, TTarget, TSink>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
        int numClasses, int? ignoreIndex, HingeInputKind inputKind, NonFiniteHandling nonFinite,
        bool throwIfNoRow, ref TSink sink)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
        where TSink : IMulticlassRowSink, allows ref struct
    {
        var c = numClasses;
        var rows = target.Length;
        if ((long)rows * c != preds.Length)
        {
            ThrowHelper.ThrowArgument("preds",
                $"`preds` has {preds.Length} values, but {rows} targets × {c} classes need {(long)rows * c}.");
        }

        var classes = ArrayPool<int>.Shared.Rent(Math.Max(rows, 1));
        try
        {
            var cls = classes.AsSpan(0, rows);
            long kept = TargetCodes.ClassIndices(target, cls, c, ignoreIndex, 0);
            var outside = false;
            for (var r = 0; r < rows; r++)
            {
                if (cls[r] < 0)
                {
                    continue;
                }

                var row = preds.Slice(r * c, c);
                for (var j = 0; j < c; j++)
                {
                    var x = row[j];
                    if (nonFinite == NonFiniteHandling.Throw && !T.IsFinite(x))
                    {
                        ThrowHelper.ThrowNonFinite("preds", x, (long)r * c + j);
                    }

                    if ((inputKind is HingeInputKind.Auto or HingeInputKind.Probabilities) &&
                        !SimdMath.InUnitInterval(x))
                    {
                        if (inputKind == HingeInputKind.Probabilities)
                        {
                            ThrowHelper.ThrowNotProbability(x, (long)r * c + j);
                        }

                        outside = true;
                    }
                }
            }

            if (throwIfNoRow && kept == 0)
            {
                ThrowHelper.ThrowEmptyCrammerSinger(rows);
            }

            var softmax = inputKind == HingeInputKind.Logits || (inputKind == HingeInputKind.Auto && outside);
            Span<T> buffer = c <= 256 ? stackalloc T[c] : new T[c];
            for (var r = 0; r < rows; r++)
            {
                var y = cls[r];
                if (y < 0)
                {
                    continue;
                }

                var row = preds.Slice(r * c, c);
                if (softmax)
                {
                    SimdMath.Softmax(row, buffer);
                    sink.Accept<T>(r, y, buffer);
                }
                else
                {
                    sink.Accept(r, y, row);
                }
            }

            return kept;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(classes);
        }
    }

    /// <summary>
    /// The Crammer–Singer margin <c>p[y] − max_{j≠y} p[j]</c> and the rival class (the first index reaching that
    /// maximum). A NaN among the other scores makes the margin NaN, as in <see cref="SimdMath.CrammerSinger{T}"/>.
    /// </summary>
    internal static T CrammerSingerMargin<T>(ReadOnlySpan<T> row, int y, out int rival)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var other = T.NegativeInfinity;
        var nan = false;
        rival = -1;
        for (var j = 0; j < row.Length; j++)
        {
            if (j == y)
            {
                continue;
            }

            nan |= T.IsNaN(row[j]);
            if (rival < 0 || row[j] > other)
            {
                other = row[j];
                rival = j;
            }
        }

        return nan ? T.NaN : row[y] - other;
    }
}
