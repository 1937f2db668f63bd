using HingeSharp.Statistics;

namespace HingeSharp.Reports;

/// <summary>The mergeable accumulator of one margin group (overall or one class).</summary>
internal sealed class MarginGroup
{
    private readonly int _binCount;

    /// <summary>The bins, allocated on the first margin that lands in one: a report with many classes keeps memory for
    /// the classes that occur only (issue 14, item 11).</summary>
    private double[]? _bins;

    internal MarginGroup(int bins)
    {
        _binCount = bins;
    }

    internal long Count { get; private set; }

    internal long InsideCount { get; private set; }

    internal long MisclassifiedCount { get; private set; }

    internal double WeightSum { get; private set; }

    private double HingeSum { get; set; }

    private double SquaredHingeSum { get; set; }

    private double InsideWeight { get; set; }

    private double MisclassifiedWeight { get; set; }

    private double MarginSum { get; set; }

    private double Min { get; set; } = double.PositiveInfinity;

    private double Max { get; set; } = double.NegativeInfinity;

    private double Underflow { get; set; }

    private double Overflow { get; set; }

    /// <summary>Adds one finite margin with a finite, non-negative weight.</summary>
    internal void Add(double margin, double weight, MarginBinning binning)
    {
        var hinge = Math.Max(0, 1 - margin);
        Count++;
        WeightSum += weight;
        HingeSum += weight * hinge;
        SquaredHingeSum += weight * hinge * hinge;
        MarginSum += weight * margin;
        if (margin < 1)
        {
            InsideCount++;
            InsideWeight += weight;
        }

        if (margin < 0)
        {
            MisclassifiedCount++;
            MisclassifiedWeight += weight;
        }

        if (weight == 0)
        {
            return;
        }

        Min = Math.Min(Min, margin);
        Max = Math.Max(Max, margin);
        var bin = binning.BinOf(margin);
        if (bin < 0)
        {
            Underflow += weight;
        }
        else if (bin >= _binCount)
        {
            Overflow += weight;
        }
        else
        {
            _bins ??= new double[_binCount];
            _bins[bin] += weight;
        }
    }

    internal void Clear()
    {
        Count = InsideCount = MisclassifiedCount = 0;
        WeightSum = HingeSum = SquaredHingeSum = InsideWeight = MisclassifiedWeight = MarginSum = 0;
        Underflow = Overflow = 0;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
        _bins = null;
    }

    /// <summary>Writes every field exactly (for <see cref="MarginReport.ExportState"/>).</summary>
    /// <summary>Brings every weighted sum from exponent <paramref name="from"/> to <paramref name="to"/>
    /// (<see cref="WeightScale"/>).</summary>
    internal void Rescale(int from, int to)
    {
        if (from == to)
        {
            return;
        }

        WeightSum = WeightScale.Rescale(WeightSum, from, to);
        HingeSum = WeightScale.Rescale(HingeSum, from, to);
        SquaredHingeSum = WeightScale.Rescale(SquaredHingeSum, from, to);
        InsideWeight = WeightScale.Rescale(InsideWeight, from, to);
        MisclassifiedWeight = WeightScale.Rescale(MisclassifiedWeight, from, to);
        MarginSum = WeightScale.Rescale(MarginSum, from, to);
        Underflow = WeightScale.Rescale(Underflow, from, to);
        Overflow = WeightScale.Rescale(Overflow, from, to);
        if (_bins is not null)
        {
            WeightScale.Rescale(_bins, from, to);
        }
    }

    internal void Write(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(InsideCount);
        writer.Write(MisclassifiedCount);
        foreach (var value in (ReadOnlySpan<double>)[WeightSum, HingeSum, SquaredHingeSum, InsideWeight,
            MisclassifiedWeight, MarginSum, Min, Max, Underflow, Overflow])
        {
            writer.Write(value);
        }

        writer.Write(_binCount);
        for (var i = 0; i < _binCount; i++)
        {
            writer.Write(_bins is null ? 0d : _bins[i]);   // bins not allocated yet are empty
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote into this (empty) group.</summary>
    /// <exception cref="InvalidDataException">The bin count differs.</exception>
    internal void Read(BinaryReader reader)
    {
        Count = reader.ReadInt64();
        InsideCount = reader.ReadInt64();
        MisclassifiedCount = reader.ReadInt64();
        WeightSum = reader.ReadDouble();
        HingeSum = reader.ReadDouble();
        SquaredHingeSum = reader.ReadDouble();
        InsideWeight = reader.ReadDouble();
        MisclassifiedWeight = reader.ReadDouble();
        MarginSum = reader.ReadDouble();
        Min = reader.ReadDouble();
        Max = reader.ReadDouble();
        Underflow = reader.ReadDouble();
        Overflow = reader.ReadDouble();
        if (reader.ReadInt32() != _binCount)
        {
            throw new InvalidDataException("the histogram has another number of bins.");
        }

        _bins = null;
        for (var i = 0; i < _binCount; i++)
        {
            var bin = reader.ReadDouble();
            if (bin != 0)
            {
                _bins ??= new double[_binCount];
                _bins[i] = bin;
            }
        }
    }

    /// <summary>Adds another group whose weighted sums are kept at exponent <paramref name="from"/> to this one's,
    /// kept at <paramref name="to"/>.</summary>
    internal void Merge(MarginGroup other, int from = 0, int to = 0)
    {
        Count += other.Count;
        InsideCount += other.InsideCount;
        MisclassifiedCount += other.MisclassifiedCount;
        WeightSum += WeightScale.Rescale(other.WeightSum, from, to);
        HingeSum += WeightScale.Rescale(other.HingeSum, from, to);
        SquaredHingeSum += WeightScale.Rescale(other.SquaredHingeSum, from, to);
        InsideWeight += WeightScale.Rescale(other.InsideWeight, from, to);
        MisclassifiedWeight += WeightScale.Rescale(other.MisclassifiedWeight, from, to);
        MarginSum += WeightScale.Rescale(other.MarginSum, from, to);
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        Underflow += WeightScale.Rescale(other.Underflow, from, to);
        Overflow += WeightScale.Rescale(other.Overflow, from, to);
        if (other._bins is { } theirs)
        {
            _bins ??= new double[_binCount];
            for (var i = 0; i < _bins.Length; i++)
            {
                _bins[i] += WeightScale.Rescale(theirs[i], from, to);
            }
        }
    }

    /// <summary>The group's summary; weight sums and histogram weights in the weights' own units
    /// (<c>·2^exponent</c>), means as ratios of the kept sums.</summary>
    internal MarginSummary Summarize(int? cls, MarginBinning binning, IReadOnlyList<double> probabilities,
        int exponent = 0)
    {
        if (Count == 0)
        {
            return Empty(cls, binning, probabilities);
        }

        var w = WeightSum;
        var quantiles = new MarginQuantile[probabilities.Count];
        for (var i = 0; i < quantiles.Length; i++)
        {
            quantiles[i] = Quantile(probabilities[i], binning);
        }

        var any = Max >= Min;
        return new MarginSummary(cls, Count, WeightScale.Unscale(w, exponent), Ratio(HingeSum, w), Ratio(SquaredHingeSum, w),
            Ratio(InsideWeight, w), Ratio(MisclassifiedWeight, w), InsideCount, MisclassifiedCount,
            Ratio(MarginSum, w), any ? Min : double.NaN, any ? Max : double.NaN, quantiles,
            new MarginHistogramBins(binning.Lower, binning.Upper, binning.BinWidth,
                _bins is null ? new double[_binCount] : [.. _bins.Select(b => WeightScale.Unscale(b, exponent))],
                WeightScale.Unscale(Underflow, exponent), WeightScale.Unscale(Overflow, exponent)));
    }

    /// <summary>The summary of a group without samples: NaN statistics, NaN quantiles and no bins (so that a report
    /// over many classes stays small where few occur).</summary>
    private static MarginSummary Empty(int? cls, MarginBinning binning, IReadOnlyList<double> probabilities) =>
        new(cls, 0, 0, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, double.NaN, double.NaN, double.NaN,
            [.. probabilities.Select(q => new MarginQuantile(q, double.NaN, double.NaN))],
            new MarginHistogramBins(binning.Lower, binning.Upper, binning.BinWidth, [], 0, 0));

    private static double Ratio(double numerator, double denominator) =>
        denominator == 0 ? double.NaN : numerator / denominator;

    /// <summary>
    /// The weighted quantile: finds the region (underflow, a bin, overflow) where the cumulative weight reaches
    /// <c>q·W</c> and interpolates linearly across it, clipped to [min, max].
    /// </summary>
    private MarginQuantile Quantile(double q, MarginBinning binning)
    {
        var bins = _bins ?? [];
        var total = Underflow + Overflow;
        foreach (var b in bins)
        {
            total += b;
        }

        if (total == 0 || !(Max >= Min))
        {
            return new MarginQuantile(q, double.NaN, double.NaN);
        }

        if (q <= 0)
        {
            return new MarginQuantile(q, Min, 0);
        }

        if (q >= 1)
        {
            return new MarginQuantile(q, Max, 0);
        }

        var rank = q * total;
        if (Underflow > 0)
        {
            if (rank <= Underflow)
            {
                return Interpolate(q, Min, Math.Min(binning.Lower, Max), rank / Underflow);
            }

            rank -= Underflow;
        }

        var last = Array.FindLastIndex(bins, b => b > 0);
        for (var i = 0; i <= last; i++)
        {
            var b = bins[i];
            if (b <= 0)
            {
                continue;
            }

            // The last filled bin also takes a rank that rounding pushed past it (when nothing overflows).
            if (rank <= b || (i == last && Overflow == 0))
            {
                return Interpolate(q, Math.Max(binning.EdgeAt(i), Min), Math.Min(binning.EdgeAt(i + 1), Max),
                    Math.Min(1, rank / b));
            }

            rank -= b;
        }

        return Overflow > 0
            ? Interpolate(q, Math.Max(binning.Upper, Min), Max, Math.Min(1, rank / Overflow))
            : new MarginQuantile(q, Max, 0);
    }

    private static MarginQuantile Interpolate(double q, double low, double high, double fraction)
    {
        if (high < low)
        {
            high = low;
        }

        return new MarginQuantile(q, low + (high - low) * fraction, high - low);
    }
}
