namespace HingeSharp;

/// <summary>
/// The state of a multiclass classification metric: the C×C confusion matrix (rows = true class, columns =
/// predicted class) for top-1 predictions, or per-class true positives, false positives and false negatives for
/// top-k. Accuracy, precision, recall, F1 and the confusion matrix all derive from it.
/// </summary>
public sealed class MulticlassCounts
{
    private readonly long[] _counts;

    /// <summary>Creates empty counts.</summary>
    /// <param name="numClasses">C, at least 2.</param>
    /// <param name="topK">1 for a confusion matrix; more for top-k counts.</param>
    public MulticlassCounts(int numClasses, int topK = 1)
    {
        if (numClasses < 2)
        {
            ThrowHelper.ThrowNumClasses(numClasses);
        }

        if (topK < 1 || topK > numClasses)
        {
            throw new HingeArgumentException(nameof(topK),
                $"Expected argument `top_k` to be an integer in [1, {numClasses}] (at most `num_classes`), but got {topK}.");
        }

        NumClasses = numClasses;
        TopK = topK;
        _counts = new long[topK == 1 ? numClasses * numClasses : 3 * numClasses];
    }

    /// <summary>C.</summary>
    public int NumClasses { get; }

    /// <summary>How many of the highest scores count as predicted (1: argmax and a confusion matrix).</summary>
    public int TopK { get; }

    /// <summary>Rows (samples) counted.</summary>
    public long Total { get; internal set; }

    /// <summary>Whether the counts are a confusion matrix (<see cref="TopK"/> is 1).</summary>
    public bool HasConfusionMatrix => TopK == 1;

    /// <summary>The raw counts: the C×C confusion matrix row-major, or tp, fp, fn (C each) for top-k.</summary>
    public ReadOnlySpan<long> Raw => _counts;

    internal Span<long> Writable => _counts;

    /// <summary>True positives of class <paramref name="c"/>.</summary>
    /// <param name="c">The class.</param>
    public long TruePositives(int c) => HasConfusionMatrix ? _counts[(c * NumClasses) + c] : _counts[c];

    /// <summary>False positives of class <paramref name="c"/>: predicted c, another true class.</summary>
    /// <param name="c">The class.</param>
    public long FalsePositives(int c)
    {
        if (!HasConfusionMatrix)
        {
            return _counts[NumClasses + c];
        }

        long column = 0;
        for (var r = 0; r < NumClasses; r++)
        {
            column += _counts[(r * NumClasses) + c];
        }

        return column - _counts[(c * NumClasses) + c];
    }

    /// <summary>False negatives of class <paramref name="c"/>: true class c, predicted otherwise.</summary>
    /// <param name="c">The class.</param>
    public long FalseNegatives(int c)
    {
        if (!HasConfusionMatrix)
        {
            return _counts[(2 * NumClasses) + c];
        }

        long row = 0;
        for (var j = 0; j < NumClasses; j++)
        {
            row += _counts[(c * NumClasses) + j];
        }

        return row - _counts[(c * NumClasses) + c];
    }

    /// <summary>Whether another state has the same C and top-k (and so can be added).</summary>
    /// <param name="other">The other state.</param>
    public bool IsCompatible(MulticlassCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.NumClasses == NumClasses && other.TopK == TopK;
    }

    /// <summary>Adds another state of the same shape.</summary>
    /// <param name="other">The other state.</param>
    /// <exception cref="HingeArgumentException">C or top-k differ.</exception>
    public void Add(MulticlassCounts other)
    {
        if (!IsCompatible(other))
        {
            throw new HingeArgumentException(nameof(other),
                $"Cannot add counts for {other.NumClasses} classes (top_k {other.TopK}) to counts for {NumClasses} " +
                $"classes (top_k {TopK}).");
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Total += other.Total;
    }

    /// <summary>Replaces the counts (for restoring a saved state).</summary>
    /// <param name="raw">Counts in the layout of <see cref="Raw"/>, none negative.</param>
    /// <param name="total">Rows counted.</param>
    /// <exception cref="HingeArgumentException">Wrong length or a negative count.</exception>
    public void Set(ReadOnlySpan<long> raw, long total)
    {
        if (raw.Length != _counts.Length)
        {
            throw new HingeArgumentException(nameof(raw),
                $"Expected {_counts.Length} counts for {NumClasses} classes (top_k {TopK}), but got {raw.Length}.");
        }

        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] < 0)
            {
                throw new HingeArgumentException(nameof(raw), $"`counts[{i}]` = {raw[i]} must not be negative.", i);
            }
        }

        if (total < 0)
        {
            throw new HingeArgumentException(nameof(total), $"`total` = {total} must not be negative.");
        }

        raw.CopyTo(_counts);
        Total = total;
    }

    /// <summary>A copy.</summary>
    public MulticlassCounts Clone()
    {
        var copy = new MulticlassCounts(NumClasses, TopK) { Total = Total };
        _counts.CopyTo(copy._counts, 0);
        return copy;
    }

    /// <summary>Zeroes every count.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Total = 0;
    }
}
