using HingeSharp.Functional;
using HingeSharp.Statistics;

namespace HingeSharp.Metrics;

/// <summary>Which part of a state a rule is about (the C# parameter a setter reports it under).</summary>
internal enum StatePart
{
    /// <summary>The plain sums and count.</summary>
    Plain,

    /// <summary>The weighted sums, weight sum and count.</summary>
    Weighted,

    /// <summary>The loss moments.</summary>
    Moments,
}

/// <summary>A state that breaks a rule: the field (as the file spells it), the part and the message.</summary>
internal sealed record StateViolation(string Field, StatePart Part, string Message);

/// <summary>
/// What a metric state must satisfy beyond the type and range of each field (docs/state-format.md, "What a state must
/// satisfy"): sums consistent with their counts, the weighted part consistent with the plain one, sums the metric's
/// input kind can produce, and no NaN/±∞ sum unless non-finite predictions propagate. The file loader and the API's
/// state setters apply the same rules, so a state the one refuses the other refuses too.
/// </summary>
internal static class StateRules
{
    /// <summary>Slack for the rounding of a double sum of n values each at most the bound.</summary>
    private const double Slack = 1 + 1e-9;

    /// <summary>The settings the rules depend on.</summary>
    /// <param name="Squared">The loss is squared (bound 4 instead of 2).</param>
    /// <param name="InputKind">Margins are unbounded; the other kinds give losses in [0, 2] (squared [0, 4]).</param>
    /// <param name="NonFinite">Throw: no NaN sum, and no +∞ plain sum for a bounded kind.</param>
    /// <param name="Weighted">Class (label) weights are set: the weighted sums are then not bounded by the weight sum
    /// in the same way, so that bound is skipped.</param>
    internal readonly record struct Settings(bool Squared, HingeInputKind InputKind, NonFiniteHandling NonFinite,
        bool Weighted)
    {
        /// <summary>The largest per-element loss, or +∞ for margins.</summary>
        public double Bound => InputKind == HingeInputKind.Margins ? double.PositiveInfinity : Squared ? 4 : 2;

        public string KindName => MetricStateDocument.Name(InputKind);
    }

    /// <summary>Binary and multiclass states. The per-field checks come first, in the loader's order and with its
    /// words, then the rules that relate fields.</summary>
    /// <returns>The first violation, or null.</returns>
    internal static StateViolation? CheckSums(Settings s, ReadOnlySpan<double> measures, long total,
        ReadOnlySpan<double> weightedMeasures, double? weightSum, long? weightedTotal, LossMoments? moments,
        int weightExponent = 0)
    {
        if (total < 0)
        {
            return new("total", StatePart.Plain, $"`total` = {total} must not be negative.");
        }

        if (Negative("measures", StatePart.Plain, measures) is { } negative)
        {
            return negative;
        }

        if (total == 0 && measures.ContainsAnyExcept(0.0))
        {
            return new("measures", StatePart.Plain,
                "`measures` must all be 0 when `total` is 0 (no element was counted).");
        }

        if (weightSum is { } ws)
        {
            if (Negative("weighted.measures", StatePart.Weighted, weightedMeasures) is { } v)
            {
                return v;
            }

            if (WeightSum("weighted.weight_sum", StatePart.Weighted, ws) is { } w)
            {
                return w;
            }

            if (Exponent("weighted.weight_exponent", StatePart.Weighted, weightExponent) is { } e)
            {
                return e;
            }

            if (weightedTotal is < 0)
            {
                return new("weighted.total", StatePart.Weighted,
                    $"`weighted.total` must be an integer ≥ 0, but got {weightedTotal}.");
            }
        }

        for (var i = 0; i < measures.Length; i++)
        {
            var field = $"measures[{i}]";
            var x = measures[i];
            if (!double.IsFinite(x))
            {
                if (Finite(field, StatePart.Plain, x, s, overflowPossible: s.Bound == double.PositiveInfinity) is { } v)
                {
                    return v;
                }
            }
            else if (x > s.Bound * total * Slack)
            {
                return Exceeds(field, StatePart.Plain, x, "`total`", total, s);
            }
        }

        if (weightSum is not { } sum)
        {
            return CheckMoments(s, moments, total);
        }

        if (weightedTotal is { } wt && wt != total)
        {
            return new("weighted.total", StatePart.Weighted,
                $"`weighted.total` = {wt} differs from `total` = {total}: both count the same kept elements.");
        }

        if (total == 0 && sum != 0)
        {
            return new("weighted.weight_sum", StatePart.Weighted,
                $"`weighted.weight_sum` = {ThrowHelper.Format(sum)} must be 0 when `total` is 0 (no element was " +
                "counted).");
        }

        for (var i = 0; i < weightedMeasures.Length; i++)
        {
            if (Weighted($"weighted.measures[{i}]", StatePart.Weighted, weightedMeasures[i], "`weighted.weight_sum`",
                    sum, s) is { } v)
            {
                return v;
            }
        }

        return CheckMoments(s, moments, total);
    }

    /// <summary>Multilabel states: per label weighted sum, weight sum and count; per-field checks first, in the
    /// loader's order and words.</summary>
    /// <returns>The first violation, or null.</returns>
    internal static StateViolation? CheckLabels(Settings s, ReadOnlySpan<double> weightedMeasures,
        ReadOnlySpan<double> weightSums, ReadOnlySpan<long> totals, int weightExponent = 0)
    {
        if (Exponent("weight_exponent", StatePart.Plain, weightExponent) is { } e)
        {
            return e;
        }

        for (var l = 0; l < totals.Length; l++)
        {
            if (totals[l] < 0)
            {
                return new($"totals[{l}]", StatePart.Plain,
                    $"`totals[{l}]` must be an integer ≥ 0, but got {totals[l]}.");
            }
        }

        if (Negative("weighted_measures", StatePart.Plain, weightedMeasures) is { } negative)
        {
            return negative;
        }

        for (var l = 0; l < weightSums.Length; l++)
        {
            if (WeightSum($"weight_sums[{l}]", StatePart.Plain, weightSums[l]) is { } w)
            {
                return w;
            }
        }

        for (var l = 0; l < totals.Length; l++)
        {
            var (x, w, n) = (weightedMeasures[l], weightSums[l], totals[l]);
            if (n == 0 && (x != 0 || w != 0))
            {
                return new($"weighted_measures[{l}]", StatePart.Plain,
                    $"`weighted_measures[{l}]` and `weight_sums[{l}]` must be 0 when `totals[{l}]` is 0 (no element " +
                    "was counted).");
            }

            if (Weighted($"weighted_measures[{l}]", StatePart.Plain, x, $"`weight_sums[{l}]`", w, s) is { } v)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="HingeArgumentException"/> for a violation (the API's setters).</summary>
    internal static void ThrowIfAny(StateViolation? violation, string plain, string weighted, string moments)
    {
        if (violation is { } v)
        {
            throw new HingeArgumentException(
                v.Part switch { StatePart.Weighted => weighted, StatePart.Moments => moments, _ => plain },
                v.Message);
        }
    }

    /// <summary>Throws <see cref="MetricStateException"/> for a violation (the file loader).</summary>
    internal static void ThrowStateIfAny(StateViolation? violation)
    {
        if (violation is { } v)
        {
            throw new MetricStateException(v.Message, v.Field);
        }
    }

    /// <summary>The first negative value, in the loader's words.</summary>
    private static StateViolation? Negative(string name, StatePart part, ReadOnlySpan<double> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < 0)
            {
                return new($"{name}[{i}]", part,
                    $"`{name}[{i}]` = {ThrowHelper.Format(values[i])} is negative, but hinge losses are never negative.");
            }
        }

        return null;
    }

    /// <summary>A weight sum: a number ≥ 0 (+∞ included), in the loader's words.</summary>
    /// <summary>A weight exponent must be one a weight can have (<see cref="WeightScale"/>).</summary>
    private static StateViolation? Exponent(string field, StatePart part, long e) =>
        WeightScale.IsValid(e)
            ? null
            : new(field, part, $"`{field}` = {e} is not the exponent of a weight: it must lie in " +
                $"[{WeightScale.MinExponent}, {WeightScale.MaxExponent}].");

    private static StateViolation? WeightSum(string field, StatePart part, double w) =>
        w < 0 ? new(field, part, $"`{field}` = {ThrowHelper.Format(w)} is negative, but weights are never negative.")
        : double.IsNaN(w) ? new(field, part, $"`{field}` is NaN, but weight sums are numbers ≥ 0.")
        : null;

    /// <summary>A weighted loss sum against its weight sum: finite (or an overflow), 0 without weight, within the
    /// kind's bound times the weight sum.</summary>
    private static StateViolation? Weighted(string field, StatePart part, double x, string weightName, double weight,
        Settings s)
    {
        // An unbounded (margins) loss can overflow to +∞, and a zero weight times +∞ is NaN.
        if (Finite(field, part, x, s, overflowPossible: true, nanPossible: s.Bound == double.PositiveInfinity) is { } v)
        {
            return v;
        }

        if (x != 0 && !double.IsNaN(x) && weight == 0)
        {
            return new(field, part,
                $"`{field}` = {ThrowHelper.Format(x)} is not 0, but {weightName} is 0: a weighted loss sum needs " +
                "weights.");
        }

        return !s.Weighted && x > s.Bound * weight * Slack ? Exceeds(field, part, x, weightName, weight, s) : null;
    }

    private static StateViolation Exceeds(string field, StatePart part, double x, string byName, double by,
        Settings s) =>
        new(field, part,
            $"`{field}` = {ThrowHelper.Format(x)} exceeds {ThrowHelper.Format(s.Bound)} × {byName} = " +
            $"{ThrowHelper.Format(s.Bound * by)}: with input_kind \"{s.KindName}\" every " +
            $"{(s.Squared ? "squared " : "")}loss lies in [0, {ThrowHelper.Format(s.Bound)}].");

    /// <summary>With non_finite throw a sum is +∞ only where finite inputs can overflow (margins, or a weighted sum
    /// with huge weights) and NaN only where such an overflow meets a zero weight; with propagate both are
    /// possible.</summary>
    private static StateViolation? Finite(string field, StatePart part, double x, Settings s, bool overflowPossible,
        bool nanPossible = false)
    {
        if (s.NonFinite != NonFiniteHandling.Throw || double.IsFinite(x) ||
            (double.IsPositiveInfinity(x) && overflowPossible) || (double.IsNaN(x) && nanPossible))
        {
            return null;
        }

        return new(field, part,
            $"`{field}` = {ThrowHelper.Format(x)}, but with non_finite \"throw\" NaN and ±∞ predictions are rejected, " +
            "so this sum cannot be reached (a state with non_finite \"propagate\" may hold it).");
    }

    private static StateViolation? CheckMoments(Settings s, LossMoments? moments, long total)
    {
        if (moments is not { } m)
        {
            return null;
        }

        if (Exponent("moments.weight_exponent", StatePart.Moments, m.WeightExponent) is { } e)
        {
            return e;
        }

        if (m.Count > total)
        {
            return new("moments.count", StatePart.Moments,
                $"`moments.count` = {m.Count} exceeds `total` = {total}: the moments cover the kept elements only.");
        }

        if (s.NonFinite == NonFiniteHandling.Throw && (double.IsNaN(m.M2) || (m.WeightSum > 0 && double.IsNaN(m.Mean))))
        {
            return new("moments.m2", StatePart.Moments,
                "`moments` hold NaN, but with non_finite \"throw\" every loss is a number.");
        }

        return null;
    }
}
