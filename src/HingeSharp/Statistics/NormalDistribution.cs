namespace HingeSharp.Statistics;

/// <summary>The standard normal distribution's quantile function, for normal-approximation intervals.</summary>
public static class NormalDistribution
{
    /// <summary>
    /// <c>Φ⁻¹(p)</c>, the standard normal quantile, by Wichura's algorithm AS 241 (PPND16, Applied Statistics 37,
    /// 1988): rational approximations accurate to about 1e-16 relative over the open unit interval.
    /// </summary>
    /// <param name="p">A probability; 0 gives −∞ and 1 gives +∞.</param>
    /// <returns>The z with <c>Φ(z) = p</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is NaN or outside [0, 1].</exception>
    /// <example><code>
    /// NormalDistribution.InverseCdf(0.975); // 1.959963984540054
    /// </code></example>
    public static double InverseCdf(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p,
                $"`p` = {ThrowHelper.Format(p)} is not a probability in [0, 1].");
        }

        if (p == 0)
        {
            return double.NegativeInfinity;
        }

        if (p == 1)
        {
            return double.PositiveInfinity;
        }

        var q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            var r = 0.180625 - q * q;
            return q * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                        + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                    + 133.14166789178437745) * r + 3.3871328727963666080)
                / (((((((5226.4952788528545610 * r + 28729.085735721942674) * r + 39307.895800092710610) * r
                        + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.18700749205790830) * r
                    + 42.313330701600911252) * r + 1.0);
        }

        var t = Math.Sqrt(-Math.Log(q < 0 ? p : 1 - p));
        double value;
        if (t <= 5.0)
        {
            t -= 1.6;
            value = (((((((7.7454501427834140764e-4 * t + 0.0227238449892691845833) * t
                                + 0.24178072517745061177) * t + 1.27045825245236838258) * t
                            + 3.64784832476320460504) * t + 5.7694972214606914055) * t
                        + 4.6303378461565452959) * t + 1.42343711074968357734)
                / (((((((1.05075007164441684324e-9 * t + 5.475938084995344946e-4) * t
                                + 0.0151986665636164571966) * t + 0.14810397642748007459) * t
                            + 0.68976733498510000455) * t + 1.6763848301838038494) * t
                        + 2.05319162663775882187) * t + 1.0);
        }
        else
        {
            t -= 5.0;
            value = (((((((2.01033439929228813265e-7 * t + 2.71155556874348757815e-5) * t
                                + 0.0012426609473880784386) * t + 0.026532189526576123093) * t
                            + 0.29656057182850489123) * t + 1.7848265399172913358) * t
                        + 5.4637849111641143699) * t + 6.6579046435011037772)
                / (((((((2.04426310338993978564e-15 * t + 1.4215117583164458887e-7) * t
                                + 1.8463183175100546818e-5) * t + 7.868691311456132591e-4) * t
                            + 0.0148753612908506148525) * t + 0.13692988092273580531) * t
                        + 0.59983220655588793769) * t + 1.0);
        }

        return q < 0 ? -value : value;
    }

    /// <summary>The two-sided critical value for a coverage level: <c>Φ⁻¹((1 + level) / 2)</c>.</summary>
    /// <param name="level">Coverage in (0, 1), e.g. 0.95 (→ 1.959963984540054).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is NaN or not in (0, 1).</exception>
    public static double ZForLevel(double level)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level,
                $"`level` = {ThrowHelper.Format(level)} is not a coverage in (0, 1), e.g. 0.95.");
        }

        // Near 1, (1 + level) / 2 rounds to 1 (Φ⁻¹ = ∞) although level < 1: use the upper tail (1 − level) / 2,
        // which is exact there, and the symmetry Φ⁻¹(1 − t) = −Φ⁻¹(t).
        return level > 0.999999 ? -InverseCdf((1 - level) / 2) : InverseCdf(0.5 + level / 2);
    }
}
