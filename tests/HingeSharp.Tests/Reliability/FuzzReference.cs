namespace HingeSharp.Tests.Reliability;

/// <summary>
/// What a fuzz case must give, from a plain reading of the rules (tests/fixtures/README.md 1–9 plus HingeSharp's own
/// checks): either a value (and how far the kernels may be from it) or the set of acceptable errors. Element errors
/// are a set because which offending element is met first is the kernels' business; any of them is a right answer.
/// </summary>
internal sealed class FuzzExpectation
{
    /// <summary>(param, index) pairs the error may name; index null for structural errors.</summary>
    public HashSet<(string Param, long? Index)> Errors { get; } = [];

    public double[] Sums { get; set; } = [];
    public long Total { get; set; }

    /// <summary>For weighted means: Σ w (the value is Sums / Divisor); null for plain means (Sums / Total).</summary>
    public double? Divisor { get; set; }
    public bool AllFinite { get; set; }
    public bool IsError => Errors.Count > 0;
}

/// <summary>Plain double loops; float predictions are rounded to float after each step, as the kernels compute.</summary>
internal static class FuzzReference
{
    public static FuzzExpectation Binary(double[] preds, double[] target, bool single, bool squared, int? ignore,
        bool validate, HingeInputKind kind, NonFiniteHandling nonFinite, double[]? weights = null)
    {
        var e = new FuzzExpectation();
        if (preds.Length != target.Length)
        {
            e.Errors.Add(("target", null));
            return e;
        }

        if (weights is { Length: > 0 } && weights.Length != target.Length)
        {
            e.Errors.Add(("sampleWeight", null));
            return e;
        }

        var kept = Enumerable.Range(0, preds.Length).Where(i => ignore is not { } ii || target[i] != ii).ToArray();
        foreach (var i in kept.Where(i => weights is { Length: > 0 } && !(weights[i] >= 0 && double.IsFinite(weights[i]))))
        {
            e.Errors.Add(("sampleWeight", i));
        }

        foreach (var i in kept.Where(i => validate && target[i] != 0 && target[i] != 1))
        {
            e.Errors.Add(("target", i));
        }

        foreach (var i in kept)
        {
            var finite = double.IsFinite(preds[i]);
            if ((nonFinite == NonFiniteHandling.Throw && !finite) ||
                (kind == HingeInputKind.Probabilities && !(preds[i] >= 0 && preds[i] <= 1)))
            {
                e.Errors.Add(("preds", i));
            }
        }

        if (e.IsError)
        {
            return e;
        }

        var sigmoid = kind == HingeInputKind.Logits ||
                      (kind == HingeInputKind.Auto && kept.Any(i => !(preds[i] >= 0 && preds[i] <= 1)));
        double sum = 0, weightSum = 0;
        foreach (var i in kept)
        {
            var p = sigmoid ? Round(1 / (1 + Math.Exp(-preds[i])), single) : preds[i];
            var y = target[i] != 0 ? 1.0 : -1.0;
            var w = weights is { Length: > 0 } ? weights[i] : 1;
            sum += w * Hinge(Round(y * p, single), squared, single);
            weightSum += w;
        }

        e.Sums = [sum];
        e.Total = kept.Length;
        e.Divisor = weights is null ? null : weightSum;
        e.AllFinite = kept.All(i => double.IsFinite(preds[i]));
        return e;
    }

    /// <summary>
    /// Multiclass over (N, C, inner) scores in the caller's layout: element (s, k, p) is at (s·C + k)·inner + p and
    /// row (s, p) has target index s·inner + p. <paramref name="classes"/> is C as the data gives it.
    /// </summary>
    public static FuzzExpectation Multiclass(double[] preds, double[] target, int classes, int inner, bool single,
        bool squared, MulticlassMode mode, int? ignore, HingeInputKind kind, NonFiniteHandling nonFinite)
    {
        var e = new FuzzExpectation();
        var rows = target.Length;
        long Flat(int r, int k) => ((long)(r / inner) * classes + k) * inner + (r % inner);
        var kept = new List<int>();
        for (var r = 0; r < rows; r++)
        {
            var t = target[r];
            if (ignore is { } ii && t == ii)
            {
                continue;
            }

            if (!(t >= 0 && t < classes && t == Math.Floor(t)))
            {
                e.Errors.Add(("target", r));
                continue;
            }

            kept.Add(r);
            for (var k = 0; k < classes; k++)
            {
                var x = preds[Flat(r, k)];
                if ((nonFinite == NonFiniteHandling.Throw && !double.IsFinite(x)) ||
                    (kind == HingeInputKind.Probabilities && !(x >= 0 && x <= 1)))
                {
                    e.Errors.Add(("preds", Flat(r, k)));
                }
            }
        }

        if (!e.IsError && mode == MulticlassMode.CrammerSinger && kept.Count == 0)
        {
            e.Errors.Add(("target", null));
        }

        if (e.IsError)
        {
            return e;
        }

        var softmax = kind == HingeInputKind.Logits || (kind == HingeInputKind.Auto &&
            kept.Any(r => Enumerable.Range(0, classes).Any(k => !(preds[Flat(r, k)] >= 0 && preds[Flat(r, k)] <= 1))));
        var sums = new double[mode == MulticlassMode.CrammerSinger ? 1 : classes];
        foreach (var r in kept)
        {
            var row = Enumerable.Range(0, classes).Select(k => preds[Flat(r, k)]).ToArray();
            if (softmax)
            {
                var max = row.Max();
                var exp = row.Select(x => Math.Exp(x - max)).ToArray();
                var total = exp.Sum();
                row = exp.Select(x => Round(x / total, single)).ToArray();
                if (row.Any(double.IsNaN) || double.IsNaN(max))
                {
                    row = row.Select(_ => double.NaN).ToArray();
                }
            }

            var y = (int)target[r];
            if (mode == MulticlassMode.CrammerSinger)
            {
                var others = row.Where((_, k) => k != y).ToArray();
                var other = others.Any(double.IsNaN) ? double.NaN : others.Max();
                sums[0] += Hinge(Round(row[y] - other, single), squared, single);
            }
            else
            {
                for (var k = 0; k < classes; k++)
                {
                    sums[k] += Hinge(k == y ? row[k] : -row[k], squared, single);
                }
            }
        }

        e.Sums = sums;
        e.Total = kept.Count;
        e.AllFinite = kept.All(r => Enumerable.Range(0, classes).All(k => double.IsFinite(preds[Flat(r, k)])));
        return e;
    }

    /// <summary>max(0, 1 − m), NaN kept, squared after the clamp; in float steps for float predictions.</summary>
    private static double Hinge(double margin, bool squared, bool single)
    {
        var h = double.IsNaN(margin) ? margin : Math.Max(0, Round(1 - margin, single));
        return squared ? Round(h * h, single) : h;
    }

    private static double Round(double x, bool single) => single ? (float)x : x;
}
