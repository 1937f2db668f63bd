using System.Numerics;
using HingeSharp.Statistics;

namespace HingeSharp.Kernels;

/// <summary>Validation of sample and class weights.</summary>
internal static class Weights
{
    /// <summary>Throws unless <paramref name="sampleWeight"/> is empty (no weights) or has one weight per sample.</summary>
    internal static void CheckLength(ReadOnlySpan<double> sampleWeight, int samples, string what)
    {
        if (!sampleWeight.IsEmpty && sampleWeight.Length != samples)
        {
            ThrowHelper.ThrowArgument("sampleWeight",
                $"`sampleWeight` has {sampleWeight.Length} values but there are {samples} {what}: expected one " +
                "weight per sample (or none).");
        }
    }

    /// <summary>
    /// Checks the weights of the kept samples up front (a sample is ignored when its target equals
    /// <paramref name="ignoreIndex"/>; its weight is then neither used nor checked).
    /// </summary>
    internal static void CheckKept<TTarget>(ReadOnlySpan<double> sampleWeight, ReadOnlySpan<TTarget> target,
        int? ignoreIndex)
        where TTarget : unmanaged, System.Numerics.INumberBase<TTarget>
    {
        if (sampleWeight.IsEmpty)
        {
            return;
        }

        var ignore = ignoreIndex.GetValueOrDefault();
        for (var i = 0; i < sampleWeight.Length; i++)
        {
            if (ignoreIndex is null || double.CreateTruncating(target[i]) != ignore)
            {
                Check(sampleWeight[i], i);
            }
        }
    }

    /// <summary>Throws unless the weight is finite and not negative.</summary>
    internal static void Check(double weight, long index)
    {
        if (!(weight >= 0 && double.IsFinite(weight)))
        {
            ThrowHelper.ThrowArgument("sampleWeight",
                $"`sampleWeight[{index}]` = {ThrowHelper.Format(weight)} is not a valid weight: weights must be " +
                "finite and not negative (zero is allowed).", index);
        }
    }

    /// <summary>
    /// Validates class weights (one per class, finite, not negative) and copies them; null or empty gives null.
    /// </summary>
    internal static double[]? ClassWeights(IReadOnlyList<double>? classWeights, int classes, string what,
        string paramName = "classWeights")
    {
        if (classWeights is null || classWeights.Count == 0)
        {
            return null;
        }

        return ClassWeights(classWeights.ToArray(), classes, what, paramName);
    }

    /// <inheritdoc cref="ClassWeights(IReadOnlyList{double}?, int, string, string)"/>
    internal static double[]? ClassWeights(ReadOnlySpan<double> classWeights, int classes, string what,
        string paramName = "classWeights")
    {
        if (classWeights.IsEmpty)
        {
            return null;
        }

        if (classWeights.Length != classes)
        {
            ThrowHelper.ThrowArgument(paramName,
                $"`{paramName}` has {classWeights.Length} values but {what} needs {classes}, one each.");
        }

        for (var i = 0; i < classWeights.Length; i++)
        {
            var w = classWeights[i];
            if (!(w >= 0 && double.IsFinite(w)))
            {
                ThrowHelper.ThrowArgument(paramName,
                    $"`{paramName}[{i}]` = {ThrowHelper.Format(w)} is not a valid weight: weights must be finite " +
                    "and not negative.", i);
            }
        }

        return classWeights.ToArray();
    }
}

/// <summary>
/// Binary weighted sums: plain <c>Σ loss</c> and count, <c>Σ w·loss</c> and <c>Σ w</c> with
/// <c>w = sampleWeight[i] · classWeights[label]</c>, and (on request) the moments of the losses, chunk by chunk.
/// </summary>
internal ref struct BinaryWeightSink : IBinaryElementSink
{
    private readonly ReadOnlySpan<double> _sampleWeight;
    private readonly ReadOnlySpan<double> _classWeights;
    private readonly bool _moments;

    internal BinaryWeightSink(ReadOnlySpan<double> sampleWeight, ReadOnlySpan<double> classWeights, bool moments)
    {
        _sampleWeight = sampleWeight;
        _classWeights = classWeights;
        _moments = moments;
        Moments = LossMoments.Empty;
    }

    internal double Plain { get; private set; }

    internal long Count { get; private set; }

    // Compensated (Neumaier) sums: a weighted mean is then within a few ulps of the unit-weight mean for equal
    // weights of any scale (docs/numerics.md, "Weights of any scale").
    private NeumaierSum _weighted;
    private NeumaierSum _weightSum;

    internal readonly double Weighted => _weighted.Value;

    internal readonly double WeightSum => _weightSum.Value;

    internal LossMoments Moments { get; private set; }

    public void Accept(int offset, scoped ReadOnlySpan<double> margins, scoped ReadOnlySpan<double> losses,
        scoped ReadOnlySpan<sbyte> labels)
    {
        Span<double> keptLoss = stackalloc double[losses.Length];
        Span<double> keptWeight = stackalloc double[losses.Length];
        var n = 0;
        double plain = 0;
        for (var i = 0; i < losses.Length; i++)
        {
            if (labels[i] < 0)
            {
                continue;
            }

            var w = 1.0;
            if (!_sampleWeight.IsEmpty)
            {
                w = _sampleWeight[offset + i];
                Weights.Check(w, offset + i);
            }

            if (!_classWeights.IsEmpty)
            {
                w *= _classWeights[labels[i]];
            }

            var h = losses[i];
            plain += h;
            _weighted.Add(w * h);
            _weightSum.Add(w);
            keptLoss[n] = h;
            keptWeight[n] = w;
            n++;
        }

        Plain += plain;
        Count += n;
        if (_moments)
        {
            Moments += MomentKernels.Chunk(keptLoss[..n], keptWeight[..n]);
        }
    }
}

/// <summary>
/// Multiclass weighted sums per kept row. Crammer–Singer: one loss per row, weight
/// <c>sampleWeight[row] · classWeights[target]</c>. One-vs-all: C losses per row, weight <c>sampleWeight[row]</c>
/// (class weights scale the result per class at compute time).
/// </summary>
internal ref struct MulticlassWeightSink : IMulticlassRowSink
{
    private readonly ReadOnlySpan<double> _sampleWeight;
    private readonly ReadOnlySpan<double> _classWeights;
    private readonly Span<double> _plain;
    private readonly Span<double> _weighted;
    private readonly MulticlassMode _mode;
    private readonly bool _squared;
    private readonly bool _moments;

    internal MulticlassWeightSink(ReadOnlySpan<double> sampleWeight, ReadOnlySpan<double> classWeights,
        MulticlassMode mode, bool squared, bool moments, Span<double> plain, Span<double> weighted)
    {
        _sampleWeight = sampleWeight;
        _classWeights = classWeights;
        _mode = mode;
        _squared = squared;
        _moments = moments;
        _plain = plain;
        _weighted = weighted;
        Moments = LossMoments.Empty;
    }

    private NeumaierSum _weightSum;
    private NeumaierSum _crammerSinger;

    internal readonly double WeightSum => _weightSum.Value;

    /// <summary>Crammer–Singer's <c>Σ w·h</c> (compensated); call once the rows are in.</summary>
    internal readonly double CrammerSingerSum => _crammerSinger.Value;

    internal long Count { get; private set; }

    internal LossMoments Moments { get; private set; }

    public void Accept<T>(int row, int target, scoped ReadOnlySpan<T> scores)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = 1.0;
        if (!_sampleWeight.IsEmpty)
        {
            w = _sampleWeight[row];
            Weights.Check(w, row);
        }

        if (_mode == MulticlassMode.CrammerSinger)
        {
            if (!_classWeights.IsEmpty)
            {
                w *= _classWeights[target];
            }

            var margin = MarginKernels.CrammerSingerMargin(scores, target, out _);
            var h = double.CreateTruncating(SimdMath.Hinge(margin, _squared));
            _plain[0] += h;
            _crammerSinger.Add(w * h);
            if (_moments)
            {
                Moments += LossMoments.Of(h, w);
            }
        }
        else
        {
            for (var j = 0; j < scores.Length; j++)
            {
                var s = j == target ? scores[j] : -scores[j];
                var h = double.CreateTruncating(SimdMath.Hinge(s, _squared));
                _plain[j] += h;
                _weighted[j] += w * h;
            }
        }

        _weightSum.Add(w);
        Count++;
    }
}

/// <summary>Neumaier's compensated sum (Kahan–Babuška): the rounding error of each addition is kept and added back at
/// the end, so the sum is within a few ulps of the exact one whatever the order of magnitude of the terms.</summary>
internal struct NeumaierSum
{
    private double _sum;
    private double _compensation;

    /// <summary>The sum so far (±∞ or NaN as the plain sum gives them).</summary>
    internal readonly double Value => double.IsFinite(_sum) ? _sum + _compensation : _sum;

    /// <summary>Adds a term.</summary>
    internal void Add(double x)
    {
        var t = _sum + x;
        _compensation += Math.Abs(_sum) >= Math.Abs(x) ? (_sum - t) + x : (x - t) + _sum;
        _sum = t;
    }
}
