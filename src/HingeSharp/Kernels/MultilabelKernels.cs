namespace HingeSharp.Kernels;

/// <summary>
/// Multilabel sums over a flat row-major <c>(N, L)</c> batch, label by label: <c>Σ w·h</c>, <c>Σ w</c> and the
/// kept count, with <c>w = sampleWeight[row]</c> (label weights scale the result at compute time).
/// </summary>
internal ref struct MultilabelSink : IBinaryElementSink
{
    private readonly ReadOnlySpan<double> _sampleWeight;
    private readonly int _labels;
    private readonly Span<double> _weighted;
    private readonly Span<double> _weightSum;
    private readonly Span<long> _count;

    internal MultilabelSink(ReadOnlySpan<double> sampleWeight, int labels, Span<double> weighted,
        Span<double> weightSum, Span<long> count)
    {
        _sampleWeight = sampleWeight;
        _labels = labels;
        _weighted = weighted;
        _weightSum = weightSum;
        _count = count;
    }

    public void Accept(int offset, scoped ReadOnlySpan<double> margins, scoped ReadOnlySpan<double> losses,
        scoped ReadOnlySpan<sbyte> labels)
    {
        var row = offset / _labels;
        var label = offset % _labels;
        for (var i = 0; i < losses.Length; i++)
        {
            if (labels[i] >= 0)
            {
                var w = 1.0;
                if (!_sampleWeight.IsEmpty)
                {
                    w = _sampleWeight[row];
                    Weights.Check(w, row);
                }

                _weighted[label] += w * losses[i];
                _weightSum[label] += w;
                _count[label]++;
            }

            if (++label == _labels)
            {
                label = 0;
                row++;
            }
        }
    }
}
