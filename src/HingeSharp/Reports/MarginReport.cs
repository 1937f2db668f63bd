using System.Buffers;
using System.Numerics;
using HingeSharp.Functional;
using HingeSharp.Kernels;
using HingeSharp.Metrics;
using HingeSharp.Statistics;

namespace HingeSharp.Reports;

/// <summary>
/// A streaming, mergeable margin report: in one pass over the batches it gathers, overall and per true class, the
/// weighted hinge and squared hinge, the shares of margins below 1 (inside the margin) and below 0 (misclassified), the
/// exact margin range and a fixed-bin histogram from which margin quantiles are read (error bound: one bin width, see
/// <see cref="MarginBinning"/>); for Crammer–Singer also the most-confused (true, rival) class pairs.
/// </summary>
/// <remarks>
/// <para>Margins: binary <c>m = y·f(p)</c> with <c>y = ±1</c> and <c>f</c> the identity or sigmoid exactly as the binary
/// hinge chooses it (so <c>max(0, 1 − m)</c> is the hinge loss of the element); Crammer–Singer
/// <c>m = p[y] − max_{j≠y} p[j]</c> on the scores the multiclass hinge uses (softmaxed when it softmaxes).</para>
/// <para>Non-finite predictions are rejected. A rejected batch leaves the report untouched. Not thread-safe; use one
/// report per thread and <see cref="Merge"/>.</para>
/// </remarks>
/// <example><code>
/// var report = MarginReport.Binary();
/// report.Update([0.25f, 0.25f, 0.55f, 0.75f, 0.75f], [0, 0, 1, 1, 1]);
/// var result = report.Compute();
/// result.Overall.Hinge;              // 0.69, as BinaryHingeLoss
/// result.Overall.MisclassifiedShare; // 0.4 (the two negatives have m = −0.25)
/// string json = result.ToJson();
/// </code></example>
public sealed partial class MarginReport : Metric<MarginReportResult>
{
    private readonly MarginGroup _overall;
    private readonly MarginGroup[] _perClass;
    private readonly Dictionary<(int True, int Rival), PairStats> _pairs = [];

    // The weighted sums are kept divided by 2^_weightExponent (docs/numerics.md, "Weights of any scale").
    private int _weightExponent;

    private MarginReport(bool multiclass, int numClasses, HingeInputKind inputKind, int? ignoreIndex,
        bool validateArgs, MarginBinning? binning)
    {
        BinaryHinge.ValidateOptions(inputKind, NonFiniteHandling.Throw);
        Binning = binning ?? MarginBinning.For(inputKind);
        Binning.Validate();
        IsMulticlass = multiclass;
        NumClasses = numClasses;
        InputKind = inputKind;
        IgnoreIndex = ignoreIndex;
        ValidateArgs = validateArgs;
        _overall = new MarginGroup(Binning.Bins);
        _perClass = new MarginGroup[numClasses];
        for (var c = 0; c < numClasses; c++)
        {
            _perClass[c] = new MarginGroup(Binning.Bins);
        }
    }

    /// <summary>The quantiles <see cref="Compute()"/> reports: 1, 5, 10, 25, 50, 75, 90, 95 and 99 %.</summary>
    public static IReadOnlyList<double> DefaultQuantiles { get; } = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

    /// <summary>True for a Crammer–Singer report, false for binary.</summary>
    public bool IsMulticlass { get; }

    /// <summary>2 for binary, C for multiclass.</summary>
    public int NumClasses { get; }

    /// <summary>How predictions are read.</summary>
    public HingeInputKind InputKind { get; }

    /// <summary>The target value whose elements (rows) are ignored, if any.</summary>
    public int? IgnoreIndex { get; }

    /// <summary>Whether binary targets are validated (class indices are always checked).</summary>
    public bool ValidateArgs { get; }

    /// <summary>The histogram's bins.</summary>
    public MarginBinning Binning { get; }

    /// <summary>A report for binary predictions (flat preds, 0/1 targets).</summary>
    /// <param name="inputKind">How to read predictions (as <see cref="Classification.BinaryHingeLoss"/>).</param>
    /// <param name="ignoreIndex">Elements whose target equals it take no part.</param>
    /// <param name="validateArgs">Check that targets are 0, 1 or the ignore index.</param>
    /// <param name="binning">The histogram's bins; by default <see cref="MarginBinning.For"/> the input kind.</param>
    /// <exception cref="HingeArgumentException">An option is not defined, or the binning is unusable.</exception>
    public static MarginReport Binary(HingeInputKind inputKind = HingeInputKind.Auto, int? ignoreIndex = null,
        bool validateArgs = true, MarginBinning? binning = null) =>
        new(multiclass: false, 2, inputKind, ignoreIndex, validateArgs, binning);

    /// <summary>A Crammer–Singer report for row-major <c>(N, C)</c> scores and class-index targets.</summary>
    /// <param name="numClasses">C, larger than 1.</param>
    /// <param name="inputKind">How to read scores (as <see cref="Classification.MulticlassHingeLoss"/>).</param>
    /// <param name="ignoreIndex">Rows whose target equals it take no part.</param>
    /// <param name="binning">The histogram's bins; by default <see cref="MarginBinning.For"/> the input kind.</param>
    /// <exception cref="HingeArgumentException"><paramref name="numClasses"/> is smaller than 2, an option is not
    /// defined, or the binning is unusable.</exception>
    public static MarginReport Multiclass(int numClasses, HingeInputKind inputKind = HingeInputKind.Auto,
        int? ignoreIndex = null, MarginBinning? binning = null)
    {
        MulticlassHinge.ValidateNumClasses(numClasses);
        return new MarginReport(multiclass: true, numClasses, inputKind, ignoreIndex, validateArgs: true, binning);
    }

    /// <summary>Adds a batch: binary preds and targets of equal length, or multiclass <c>(N, C)</c> scores and N
    /// targets.</summary>
    /// <param name="preds">Predictions.</param>
    /// <param name="target">Targets.</param>
    /// <param name="sampleWeight">One finite, non-negative weight per element (binary) or row (multiclass), or empty for
    /// none; an ignored sample's weight is neither used nor checked.</param>
    /// <exception cref="HingeArgumentException">Bad shapes, targets, non-finite or out-of-range predictions, or bad
    /// weights (naming the value and index).</exception>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target,
        ReadOnlySpan<double> sampleWeight = default)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        // Everything that can throw is checked before the first sample reaches the state.
        Weights.CheckLength(sampleWeight, target.Length, IsMulticlass ? "rows" : "elements");
        Weights.CheckKept(sampleWeight, target, IgnoreIndex);
        var classes = IsMulticlass ? MulticlassHinge.ClassesOf(preds.Length, target.Length, NumClasses, strict: true) : 2;
        var scaled = ScaleFor(sampleWeight, target, out var unit, out var exponent);
        try
        {
            var weights = scaled is null ? sampleWeight : scaled.AsSpan(0, sampleWeight.Length);
            if (IsMulticlass)
            {
                var sink = new RowSink(this, weights, unit, exponent);
                MarginKernels.MulticlassRows(preds, target, classes, IgnoreIndex, InputKind, NonFiniteHandling.Throw,
                    throwIfNoRow: false, ref sink);
            }
            else
            {
                var sink = new ElementSink(this, weights, unit, exponent);
                MarginKernels.BinaryElements(preds, target, squared: false, IgnoreIndex, ValidateArgs, InputKind,
                    NonFiniteHandling.Throw, ref sink);
            }
        }
        finally
        {
            WeightScale.Return(scaled);
        }

        MarkUpdated();
    }

    /// <summary>
    /// The exponent this batch needs (the larger of the kept one and the batch's largest weight's) and the batch's
    /// weights at that exponent: a rented copy (null: use them as they are) and the weight of an unweighted sample
    /// (<paramref name="unit"/>). The state is brought to that exponent by the sinks, once the batch has passed its
    /// checks (a rejected batch leaves the state as it was).
    /// </summary>
    private double[]? ScaleFor<TTarget>(ReadOnlySpan<double> sampleWeight, ReadOnlySpan<TTarget> target,
        out double unit, out int exponent)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        int? batch = sampleWeight.IsEmpty
            ? (target.IsEmpty ? null : 0)
            : WeightScale.LargestExponent(sampleWeight, target, IgnoreIndex);
        var e = WeightScale.Common(_weightExponent, _overall.WeightSum != 0, batch ?? 0, batch is not null);
        exponent = e;
        unit = Math.ScaleB(1.0, -e);
        return WeightScale.RentScaled(sampleWeight, e);
    }

    /// <summary>Adds a multiclass batch of <c>(N, C, d1, …)</c> scores with <c>(N, d1, …)</c> targets.</summary>
    /// <param name="preds">Scores in row-major order of <paramref name="predsShape"/>.</param>
    /// <param name="predsShape">Shape of <paramref name="preds"/>.</param>
    /// <param name="target">Class indices in row-major order of <paramref name="targetShape"/>.</param>
    /// <param name="targetShape">Shape of <paramref name="target"/>.</param>
    /// <param name="sampleWeight">One weight per target element, or empty for none.</param>
    /// <exception cref="InvalidOperationException">The report is binary.</exception>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
        ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape, ReadOnlySpan<double> sampleWeight = default)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (!IsMulticlass)
        {
            throw new InvalidOperationException("Shaped (N, C, ...) updates are for multiclass reports.");
        }

        MulticlassHinge.ValidateShapes(preds.Length, predsShape, target.Length, targetShape, NumClasses,
            validateArgs: true);
        var rented = MulticlassHinge.MoveClassLast(preds, predsShape, out var moved);
        try
        {
            Update(moved, target, sampleWeight);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<TPred>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The report with the <see cref="DefaultQuantiles"/> and the 10 most-confused pairs.</summary>
    public override MarginReportResult Compute() => Compute(10, DefaultQuantiles);

    /// <summary>The report over everything added.</summary>
    /// <param name="topPairs">How many (true, rival) pairs to list (multiclass), not negative.</param>
    /// <param name="quantiles">Probabilities in [0, 1]; <see cref="DefaultQuantiles"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topPairs"/> is negative or a probability is
    /// outside [0, 1].</exception>
    public MarginReportResult Compute(int topPairs, IReadOnlyList<double>? quantiles = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topPairs);
        quantiles ??= DefaultQuantiles;
        for (var i = 0; i < quantiles.Count; i++)
        {
            if (!(quantiles[i] >= 0 && quantiles[i] <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(quantiles), quantiles[i],
                    $"`quantiles[{i}]` = {ThrowHelper.Format(quantiles[i])} is not a probability in [0, 1].");
            }
        }

        var perClass = new MarginSummary[NumClasses];
        for (var c = 0; c < NumClasses; c++)
        {
            perClass[c] = _perClass[c].Summarize(c, Binning, quantiles, _weightExponent);
        }

        var pairs = _pairs
            .Select(p => new ConfusedPair(p.Key.True, p.Key.Rival, p.Value.Misclassified, p.Value.Inside,
                WeightScale.Unscale(p.Value.WeightSum, _weightExponent),
                WeightScale.Unscale(p.Value.HingeSum, _weightExponent)))
            .OrderByDescending(p => p.MisclassifiedCount)
            .ThenByDescending(p => p.InsideMarginCount)
            .ThenByDescending(p => p.HingeSum)
            .ThenBy(p => p.TrueClass)
            .ThenBy(p => p.RivalClass)
            .Take(topPairs)
            .ToArray();
        return new MarginReportResult(IsMulticlass ? "multiclass" : "binary", InputKind.ToString(),
            IsMulticlass ? "p[y]-max_{j!=y} p[j]" : "y*f(p)", NumClasses,
            _overall.Summarize(null, Binning, quantiles, _weightExponent), perClass, pairs);
    }

    /// <summary>Adds another report's data, as if its batches had been given to this one.</summary>
    /// <param name="other">A report with the same task, classes, input kind, ignore index and binning.</param>
    /// <exception cref="ArgumentException">The settings differ.</exception>
    public void Merge(MarginReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsMulticlass != IsMulticlass || other.NumClasses != NumClasses || other.InputKind != InputKind ||
            other.IgnoreIndex != IgnoreIndex || other.Binning != Binning)
        {
            throw new ArgumentException(
                $"Cannot merge MarginReport(multiclass: {other.IsMulticlass}, classes: {other.NumClasses}, " +
                $"inputKind: {other.InputKind}, ignoreIndex: {other.IgnoreIndex}, binning: {other.Binning}) into " +
                $"MarginReport(multiclass: {IsMulticlass}, classes: {NumClasses}, inputKind: {InputKind}, " +
                $"ignoreIndex: {IgnoreIndex}, binning: {Binning}): settings differ.", nameof(other));
        }

        var (theirs, e) = (other._weightExponent, WeightScale.Common(_weightExponent, _overall.WeightSum != 0,
            other._weightExponent, other._overall.WeightSum != 0));
        RescaleTo(e);

        _overall.Merge(other._overall, theirs, e);
        for (var c = 0; c < NumClasses; c++)
        {
            _perClass[c].Merge(other._perClass[c], theirs, e);
        }

        foreach (var (key, stats) in other._pairs)
        {
            var mine = _pairs.GetValueOrDefault(key);
            _pairs[key] = new PairStats(mine.Misclassified + stats.Misclassified, mine.Inside + stats.Inside,
                mine.WeightSum + WeightScale.Rescale(stats.WeightSum, theirs, e),
                mine.HingeSum + WeightScale.Rescale(stats.HingeSum, theirs, e));
        }

        MarkMerged(other);
    }

    /// <inheritdoc/>
    protected override void ResetState()
    {
        _overall.Clear();
        foreach (var group in _perClass)
        {
            group.Clear();
        }

        _pairs.Clear();
        _weightExponent = 0;
    }

    /// <summary>Keeps every weighted sum at exponent <paramref name="e"/> from now on.</summary>
    private void RescaleTo(int e)
    {
        if (e == _weightExponent)
        {
            return;
        }

        _overall.Rescale(_weightExponent, e);
        foreach (var group in _perClass)
        {
            group.Rescale(_weightExponent, e);
        }

        foreach (var key in _pairs.Keys.ToArray())
        {
            var p = _pairs[key];
            _pairs[key] = p with
            {
                WeightSum = WeightScale.Rescale(p.WeightSum, _weightExponent, e),
                HingeSum = WeightScale.Rescale(p.HingeSum, _weightExponent, e),
            };
        }

        _weightExponent = e;
    }

    private void Add(double margin, double weight, int cls)
    {
        _overall.Add(margin, weight, Binning);
        _perClass[cls].Add(margin, weight, Binning);
    }

    private void AddPair(int cls, int rival, double margin, double weight)
    {
        var stats = _pairs.GetValueOrDefault((cls, rival));
        _pairs[(cls, rival)] = new PairStats(stats.Misclassified + (margin < 0 ? 1 : 0), stats.Inside + 1,
            stats.WeightSum + weight, stats.HingeSum + weight * (1 - margin));
    }

    private readonly record struct PairStats(long Misclassified, long Inside, double WeightSum, double HingeSum);

    private readonly ref struct ElementSink(MarginReport report, ReadOnlySpan<double> sampleWeight, double unit,
        int exponent) : IBinaryElementSink
    {
        private readonly ReadOnlySpan<double> _sampleWeight = sampleWeight;

        public void Accept(int offset, scoped ReadOnlySpan<double> margins, scoped ReadOnlySpan<double> losses,
            scoped ReadOnlySpan<sbyte> labels)
        {
            report.RescaleTo(exponent);
            for (var i = 0; i < margins.Length; i++)
            {
                if (labels[i] >= 0)
                {
                    report.Add(margins[i], _sampleWeight.IsEmpty ? unit : _sampleWeight[offset + i], labels[i]);
                }
            }
        }
    }

    private readonly ref struct RowSink(MarginReport report, ReadOnlySpan<double> sampleWeight, double unit,
        int exponent) : IMulticlassRowSink
    {
        private readonly ReadOnlySpan<double> _sampleWeight = sampleWeight;

        public void Accept<T>(int row, int target, scoped ReadOnlySpan<T> scores)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            report.RescaleTo(exponent);
            var margin = double.CreateTruncating(MarginKernels.CrammerSingerMargin(scores, target, out var rival));
            var weight = _sampleWeight.IsEmpty ? unit : _sampleWeight[row];
            report.Add(margin, weight, target);
            if (margin < 1)
            {
                report.AddPair(target, rival, margin, weight);
            }
        }
    }
}
