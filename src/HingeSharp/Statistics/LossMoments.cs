namespace HingeSharp.Statistics;

/// <summary>
/// Mergeable weighted moments of per-sample losses (West's weighted Welford update, combined with Chan et al.'s
/// pairwise formula): the kept count, <c>W = Σ w</c>, <c>Σ w²</c>, the weighted mean and
/// <c>M2 = Σ w·(x − mean)²</c>. Without weights every sample has <c>w = 1</c>.
/// </summary>
/// <param name="Count">Number of samples, zero-weight ones included.</param>
/// <param name="WeightSum"><c>W = Σ w</c>.</param>
/// <param name="WeightSquaredSum"><c>Σ w²</c>, for Kish's effective sample size.</param>
/// <param name="Mean">The weighted mean <c>Σ w·x / W</c> (NaN while <c>W = 0</c>).</param>
/// <param name="M2"><c>Σ w·(x − mean)²</c>.</param>
/// <param name="WeightExponent">The weights are kept divided by <c>2^WeightExponent</c> (docs/numerics.md, "Weights of
/// any scale"): <c>W</c> and <c>M2</c> by that power, <c>Σ w²</c> by its square. Every derived quantity
/// (<see cref="EffectiveCount"/>, <see cref="Variance"/>, <see cref="StandardError"/>) is a ratio in which it cancels.
/// 0 for unit weights.</param>
public readonly record struct LossMoments(long Count, double WeightSum, double WeightSquaredSum, double Mean, double M2,
    int WeightExponent = 0)
{
    /// <summary>The moments of no samples.</summary>
    public static LossMoments Empty { get; } = new(0, 0, 0, double.NaN, 0);

    /// <summary>
    /// Kish's effective sample size <c>(Σ w)² / Σ w²</c>: the count for equal weights, fewer when a few weights
    /// dominate. Zero when <c>W = 0</c>.
    /// </summary>
    public double EffectiveCount => WeightSquaredSum == 0 ? 0 : WeightSum * WeightSum / WeightSquaredSum;

    /// <summary>
    /// The unbiased variance for reliability weights, <c>M2 / (W − Σ w² / W)</c>; with all weights 1 it is the usual
    /// sample variance <c>Σ (x − mean)² / (n − 1)</c>. NaN when the effective sample size is at most 1.
    /// </summary>
    public double Variance
    {
        get
        {
            var denominator = WeightSum - (WeightSum == 0 ? 0 : WeightSquaredSum / WeightSum);
            return WeightSum > 0 && denominator > 1e-12 * WeightSum ? M2 / denominator : double.NaN;
        }
    }

    /// <summary>
    /// The standard error of the weighted mean, <c>sqrt(Variance / EffectiveCount)</c>; with all weights 1 it is
    /// <c>s / √n</c>. NaN when the effective sample size is at most 1.
    /// </summary>
    public double StandardError => Math.Sqrt(Variance / EffectiveCount);

    /// <summary>The moments of one sample.</summary>
    /// <param name="value">The sample's loss.</param>
    /// <param name="weight">Its weight (finite, not negative).</param>
    public static LossMoments Of(double value, double weight = 1) =>
        weight == 0 ? new(1, 0, 0, double.NaN, 0) : new(1, weight, weight * weight, value, 0);

    /// <summary>
    /// The moments of the concatenated samples (Chan, Golub and LeVeque's pairwise update, weighted):
    /// <c>mean = a.mean + δ·W_b / W</c>, <c>M2 = a.M2 + b.M2 + δ²·W_a·W_b / W</c> with <c>δ = b.mean − a.mean</c>.
    /// </summary>
    /// <param name="left">One part.</param>
    /// <param name="right">The other part.</param>
    public static LossMoments operator +(LossMoments left, LossMoments right)
    {
        var e = WeightScale.Common(left.WeightExponent, left.WeightSum != 0, right.WeightExponent,
            right.WeightSum != 0);
        left = left.At(e);
        right = right.At(e);
        var count = left.Count + right.Count;
        var weightSquared = left.WeightSquaredSum + right.WeightSquaredSum;
        if (right.WeightSum == 0)
        {
            return left with { Count = count, WeightSquaredSum = weightSquared };
        }

        if (left.WeightSum == 0)
        {
            return right with { Count = count, WeightSquaredSum = weightSquared };
        }

        var weight = left.WeightSum + right.WeightSum;
        var delta = right.Mean - left.Mean;
        var mean = left.Mean + delta * (right.WeightSum / weight);
        var m2 = left.M2 + right.M2 + delta * delta * (left.WeightSum * right.WeightSum / weight);
        return new LossMoments(count, weight, weightSquared, mean, m2, e);
    }

    /// <summary>The same moments with the weights kept at another exponent.</summary>
    private LossMoments At(int exponent) => exponent == WeightExponent
        ? this
        : new LossMoments(Count, WeightScale.Rescale(WeightSum, WeightExponent, exponent),
            Math.ScaleB(WeightSquaredSum, 2 * (WeightExponent - exponent)), Mean,
            WeightScale.Rescale(M2, WeightExponent, exponent), exponent);

    /// <summary>The moments of the concatenated samples.</summary>
    /// <param name="left">One part.</param>
    /// <param name="right">The other part.</param>
    public static LossMoments Add(LossMoments left, LossMoments right) => left + right;

    /// <summary>
    /// A normal-approximation interval for the mean loss: <c>mean ± z·StandardError</c> with
    /// <c>z = Φ⁻¹((1 + level) / 2)</c>.
    /// </summary>
    /// <param name="level">Coverage in (0, 1), e.g. 0.95.</param>
    /// <param name="mean">The centre; by default <see cref="Mean"/>. Metrics pass their own <c>Compute()</c>
    /// value so that the interval is centred exactly on it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not in (0, 1).</exception>
    public HingeInterval Interval(double level, double? mean = null)
    {
        var z = NormalDistribution.ZForLevel(level);
        var centre = mean ?? Mean;
        var se = StandardError;
        return new HingeInterval(level, centre, centre - z * se, centre + z * se, se, Count, EffectiveCount);
    }
}

/// <summary>
/// A normal-approximation confidence interval for a mean loss: <c>[Mean − z·SE, Mean + z·SE]</c>. The bounds and
/// the standard error are NaN when fewer than two (effective) samples were seen.
/// </summary>
/// <param name="Level">The coverage asked for, e.g. 0.95.</param>
/// <param name="Mean">The mean loss (the metric's <c>Compute()</c> value).</param>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="StandardError">Standard error of the mean.</param>
/// <param name="Count">Number of samples (kept elements or rows).</param>
/// <param name="EffectiveCount">Kish's effective sample size (equals <paramref name="Count"/> without weights).</param>
public readonly record struct HingeInterval(double Level, double Mean, double Lower, double Upper,
    double StandardError, long Count, double EffectiveCount);
