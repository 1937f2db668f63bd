namespace HingeSharp.Plots;

/// <summary>
/// Margins already counted into bins, for <see cref="MarginHistogram"/> without the raw values (constant memory):
/// <c>Counts[i]</c> margins in <c>[Edges[i], Edges[i + 1])</c> (the last bin may also hold margins equal to the last
/// edge, as numpy's and HingeSharp's margin report's last bin does), <see cref="Below"/> margins left of the first edge
/// and <see cref="Above"/> right of the last.
/// </summary>
/// <example><code>
/// var bins = new MarginBins([-1, -0.5, 0, 0.5, 1, 1.5, 2], [3, 9, 20, 41, 60, 12]);
/// using Chart chart = MarginHistogram.Create(bins);   // regions derived: 12 | 61 | 72
/// </code></example>
public sealed record MarginBins
{
    /// <summary>Checks the bins and, when <paramref name="regions"/> is null, derives the region counts.</summary>
    /// <param name="edges">Bin edges, k + 1 finite values, strictly increasing (k ≥ 1).</param>
    /// <param name="counts">Margins per bin, k values ≥ 0.</param>
    /// <param name="below">Margins left of the first edge, ≥ 0.</param>
    /// <param name="above">Margins right of the last edge, ≥ 0.</param>
    /// <param name="min">The exact smallest margin, if known (finite).</param>
    /// <param name="max">The exact largest margin, if known (finite, ≥ <paramref name="min"/>).</param>
    /// <param name="regions">The exact counts of m &lt; 0, 0 ≤ m &lt; 1 and m ≥ 1, adding up to the total; null
    /// derives them, which needs every bin (and the margins below and above, bounded by <paramref name="min"/> and
    /// <paramref name="max"/>) to lie on one side of 0 and of 1, e.g. 0 and 1 inner edges.</param>
    /// <exception cref="ArgumentNullException"><paramref name="edges"/> or <paramref name="counts"/> is null.
    /// </exception>
    /// <exception cref="ArgumentException">A length, edge, count, bound or region count is out of place (the message
    /// names the argument, the index and the value), or <paramref name="regions"/> is null and cannot be derived.
    /// </exception>
    public MarginBins(IReadOnlyList<double> edges, IReadOnlyList<long> counts, long below = 0, long above = 0,
        double? min = null, double? max = null, MarginRegionCounts? regions = null)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(counts);
        if (edges.Count < 2)
        {
            throw new ArgumentException(
                $"Expected argument `edges` to hold at least 2 values, but got {edges.Count}", nameof(edges));
        }

        if (counts.Count != edges.Count - 1)
        {
            throw new ArgumentException(
                $"Expected argument `counts` to hold edges.Count - 1 = {edges.Count - 1} values, but got " +
                $"{counts.Count}", nameof(counts));
        }

        for (int i = 0; i < edges.Count; i++)
        {
            if (!double.IsFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1])))
            {
                throw new ArgumentException(
                    $"Expected argument `edges` to be finite and strictly increasing, but edges[{i}] = " +
                    $"{Guard.Format(edges[i])}" + (i > 0 ? $" after edges[{i - 1}] = {Guard.Format(edges[i - 1])}" : ""),
                    nameof(edges));
            }
        }

        for (int i = 0; i < counts.Count; i++)
        {
            if (counts[i] < 0)
            {
                throw new ArgumentException(
                    $"Expected argument `counts` to be non-negative, but counts[{i}] = {counts[i]}", nameof(counts));
            }
        }

        NonNegative(below, nameof(below));
        NonNegative(above, nameof(above));
        FiniteOrNull(min, nameof(min));
        FiniteOrNull(max, nameof(max));
        if (min > max)
        {
            throw new ArgumentException(
                $"Expected `min` ≤ `max`, but got min = {Guard.Format(min.Value)}, max = {Guard.Format(max!.Value)}",
                nameof(min));
        }

        Edges = edges.ToArray();
        Counts = counts.ToArray();
        Below = below;
        Above = above;
        Min = min;
        Max = max;
        Total = checked(below + above + Counts.Sum());
        Regions = regions is { } r ? Checked(r, Total) : Derive();
    }

    /// <summary>Bin edges (k + 1, strictly increasing).</summary>
    public IReadOnlyList<double> Edges { get; }

    /// <summary>Margins per bin (k).</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>Margins left of the first edge.</summary>
    public long Below { get; }

    /// <summary>Margins right of the last edge.</summary>
    public long Above { get; }

    /// <summary>The exact smallest margin, if known.</summary>
    public double? Min { get; }

    /// <summary>The exact largest margin, if known.</summary>
    public double? Max { get; }

    /// <summary>All margins: <see cref="Below"/> + Σ <see cref="Counts"/> + <see cref="Above"/>.</summary>
    public long Total { get; }

    /// <summary>The counts of m &lt; 0, 0 ≤ m &lt; 1 and m ≥ 1, given or derived from the bins.</summary>
    public MarginRegionCounts Regions { get; }

    /// <summary>
    /// Counts finite margins into bins with the given <paramref name="edges"/> (<c>[Edges[i], Edges[i + 1])</c>, the
    /// last bin half-open too), with the exact min, max and region counts; non-finite margins are skipped.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="edges"/> is not finite and strictly increasing.</exception>
    public static MarginBins Of(IEnumerable<double> margins, IReadOnlyList<double> edges)
    {
        ArgumentNullException.ThrowIfNull(margins);
        ArgumentNullException.ThrowIfNull(edges);
        var counts = new long[Math.Max(0, edges.Count - 1)];
        long below = 0, above = 0, bad = 0, inside = 0, outside = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        var upper = edges.Skip(1).ToArray();
        foreach (double m in margins)
        {
            if (!double.IsFinite(m))
            {
                continue;
            }

            min = Math.Min(min, m);
            max = Math.Max(max, m);
            if (m < 0)
            {
                bad++;
            }
            else if (m < 1)
            {
                inside++;
            }
            else
            {
                outside++;
            }

            if (edges.Count < 2 || m < edges[0])
            {
                below++;
                continue;
            }

            int i = Array.BinarySearch(upper, m);
            i = i >= 0 ? i + 1 : ~i;   // first upper edge > m
            if (i >= counts.Length)
            {
                above++;
            }
            else
            {
                counts[i]++;
            }
        }

        bool any = max >= min;
        return new MarginBins(edges, counts, below, above, any ? min : null, any ? max : null,
            new MarginRegionCounts(bad, inside, outside));
    }

    private MarginRegionCounts Derive()
    {
        var sums = new long[3];
        int k = Counts.Count;
        void Add(long n, double lo, int hiRegion, string where)
        {
            if (n == 0)
            {
                return;
            }

            int loRegion = RegionOf(lo);
            if (loRegion != hiRegion)
            {
                throw new ArgumentException(
                    $"Expected argument `regions` (the counts of m < 0, 0 ≤ m < 1, m ≥ 1): they cannot be derived " +
                    $"because {where} holds {n} margins on both sides of 0 or 1", "regions");
            }

            sums[loRegion] += n;
        }

        Add(Below, Min ?? double.NegativeInfinity, UpperRegionOf(Edges[0]),
            $"the range below edges[0] = {Guard.Format(Edges[0])}");
        for (int i = 0; i < k; i++)
        {
            // The last bin may hold its right edge.
            int hi = i == k - 1 ? RegionOf(Edges[k]) : UpperRegionOf(Edges[i + 1]);
            Add(Counts[i], Edges[i], hi,
                $"bin {i} [{Guard.Format(Edges[i])}, {Guard.Format(Edges[i + 1])}{(i == k - 1 ? "]" : ")")}");
        }

        Add(Above, Edges[k], Max is { } mx ? RegionOf(mx) : 2,
            $"the range above edges[{k}] = {Guard.Format(Edges[k])}");
        return new MarginRegionCounts(sums[0], sums[1], sums[2]);
    }

    /// <summary>Region of a margin: 0 (m &lt; 0), 1 (0 ≤ m &lt; 1) or 2 (m ≥ 1).</summary>
    private static int RegionOf(double m) => m < 0 ? 0 : m < 1 ? 1 : 2;

    /// <summary>Region of the margins just below <paramref name="edge"/>.</summary>
    private static int UpperRegionOf(double edge) => edge <= 0 ? 0 : edge <= 1 ? 1 : 2;

    private static MarginRegionCounts Checked(MarginRegionCounts r, long total)
    {
        if (r.Misclassified < 0 || r.InsideMargin < 0 || r.OutsideMargin < 0 || r.Total != total)
        {
            throw new ArgumentException(
                $"Expected argument `regions` to be non-negative and add up to the {total} binned margins, but got " +
                $"{r.Misclassified} + {r.InsideMargin} + {r.OutsideMargin}", "regions");
        }

        return r;
    }

    private static void NonNegative(long value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentException($"Expected argument `{name}` to be non-negative, but got {value}", name);
        }
    }

    private static void FiniteOrNull(double? value, string name)
    {
        if (value is { } v && !double.IsFinite(v))
        {
            throw new ArgumentException(
                $"Expected argument `{name}` to be finite or null, but got {Guard.Format(v)}", name);
        }
    }
}

/// <summary>Counts of margins on each side of the hinge's thresholds 0 and 1.</summary>
/// <param name="Misclassified">Count of m &lt; 0.</param>
/// <param name="InsideMargin">Count of 0 ≤ m &lt; 1.</param>
/// <param name="OutsideMargin">Count of m ≥ 1.</param>
public readonly record struct MarginRegionCounts(long Misclassified, long InsideMargin, long OutsideMargin)
{
    /// <summary>All three counts together.</summary>
    public long Total => Misclassified + InsideMargin + OutsideMargin;
}
