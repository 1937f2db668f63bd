namespace HingeSharp.Tests.Reference;

/// <summary>One kept binary element: its margin y·f(p), hinge loss and label (0/1), and its flat index.</summary>
internal readonly record struct Element(int Index, double Margin, double Loss, int Label);

/// <summary>One kept multiclass row: Crammer–Singer margin, loss, rival and the scores as used (softmaxed or not).</summary>
internal readonly record struct Row(int Index, int Target, double Margin, double Loss, int Rival, double[] Scores);

/// <summary>
/// Plain double-precision loops written straight from the documented formulas, independent of the library's kernels:
/// the reference every weighted, multilabel, report and interval result is compared with.
/// </summary>
internal static class ScalarMargins
{
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>torchmetrics' rule: probabilities when every kept value is in [0, 1], else sigmoid on all.</summary>
    public static bool UsesSigmoid(IReadOnlyList<double> preds, IReadOnlyList<double> target, int? ignoreIndex,
        HingeInputKind kind)
    {
        if (kind == HingeInputKind.Logits)
        {
            return true;
        }

        if (kind != HingeInputKind.Auto)
        {
            return false;
        }

        for (var i = 0; i < preds.Count; i++)
        {
            if (!IsIgnored(target[i], ignoreIndex) && !(preds[i] >= 0 && preds[i] <= 1))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsIgnored(double target, int? ignoreIndex) => ignoreIndex is { } ii && target == ii;

    public static List<Element> Binary(IReadOnlyList<double> preds, IReadOnlyList<double> target, bool squared,
        int? ignoreIndex, HingeInputKind kind)
    {
        var sigmoid = UsesSigmoid(preds, target, ignoreIndex, kind);
        var result = new List<Element>();
        for (var i = 0; i < preds.Count; i++)
        {
            if (IsIgnored(target[i], ignoreIndex))
            {
                continue;
            }

            var y = target[i] != 0 ? 1.0 : -1.0;
            var m = y * (sigmoid ? Sigmoid(preds[i]) : preds[i]);
            var h = Math.Max(0, 1 - m);
            result.Add(new Element(i, m, squared ? h * h : h, target[i] != 0 ? 1 : 0));
        }

        return result;
    }

    public static double[] Softmax(ReadOnlySpan<double> row)
    {
        var max = double.NegativeInfinity;
        foreach (var x in row)
        {
            max = Math.Max(max, x);
        }

        var e = new double[row.Length];
        double sum = 0;
        for (var j = 0; j < row.Length; j++)
        {
            e[j] = Math.Exp(row[j] - max);
            sum += e[j];
        }

        for (var j = 0; j < row.Length; j++)
        {
            e[j] /= sum;
        }

        return e;
    }

    public static List<Row> Multiclass(double[] preds, IReadOnlyList<double> target, int classes, bool squared,
        int? ignoreIndex, HingeInputKind kind)
    {
        var kept = Enumerable.Range(0, target.Count).Where(i => !IsIgnored(target[i], ignoreIndex)).ToList();
        var softmax = kind == HingeInputKind.Logits || (kind == HingeInputKind.Auto &&
            kept.Any(i => preds.Skip(i * classes).Take(classes).Any(x => !(x >= 0 && x <= 1))));
        var rows = new List<Row>();
        foreach (var i in kept)
        {
            var raw = preds.AsSpan(i * classes, classes);
            var p = softmax ? Softmax(raw) : raw.ToArray();
            var y = (int)target[i];
            var rival = -1;
            for (var j = 0; j < classes; j++)
            {
                if (j != y && (rival < 0 || p[j] > p[rival]))
                {
                    rival = j;
                }
            }

            var m = p[y] - p[rival];
            var h = Math.Max(0, 1 - m);
            rows.Add(new Row(i, y, m, squared ? h * h : h, rival, p));
        }

        return rows;
    }

    /// <summary>One-vs-all term of row r, class c: max(0, 1 − s·p[c]), s = +1 for the true class.</summary>
    public static double OneVsAll(Row row, int c, bool squared)
    {
        var s = c == row.Target ? 1.0 : -1.0;
        var h = Math.Max(0, 1 - s * row.Scores[c]);
        return squared ? h * h : h;
    }

    public static double WeightedMean(IEnumerable<(double Value, double Weight)> items)
    {
        double num = 0, den = 0;
        foreach (var (v, w) in items)
        {
            num += w * v;
            den += w;
        }

        return den == 0 ? double.NaN : num / den;
    }

    /// <summary>Two-pass weighted moments: mean, reliability-weighted variance, Kish n_eff and the standard error.</summary>
    public static (double Mean, double Variance, double EffectiveCount, double StandardError) Moments(
        IReadOnlyList<(double Value, double Weight)> items)
    {
        double w = 0, w2 = 0, wx = 0;
        foreach (var (v, wi) in items)
        {
            w += wi;
            w2 += wi * wi;
            wx += wi * v;
        }

        var mean = wx / w;
        double m2 = 0;
        foreach (var (v, wi) in items)
        {
            m2 += wi * (v - mean) * (v - mean);
        }

        var variance = m2 / (w - w2 / w);
        var neff = w * w / w2;
        return (mean, variance, neff, Math.Sqrt(variance / neff));
    }

    /// <summary>The weighted inverse-CDF quantile: the smallest value whose cumulative weight reaches q·W.</summary>
    public static double Quantile(IEnumerable<(double Value, double Weight)> items, double q)
    {
        var sorted = items.Where(x => x.Weight > 0).OrderBy(x => x.Value).ToList();
        var total = sorted.Sum(x => x.Weight);
        double cum = 0;
        foreach (var (v, w) in sorted)
        {
            cum += w;
            if (cum >= q * total)
            {
                return v;
            }
        }

        return sorted[^1].Value;
    }
}

/// <summary>Seeded random inputs.</summary>
internal static class RandomData
{
    public static double[] Doubles(Random rng, int n, double low, double high) =>
        Enumerable.Range(0, n).Select(_ => low + (high - low) * rng.NextDouble()).ToArray();

    public static int[] Labels(Random rng, int n, int classes) =>
        Enumerable.Range(0, n).Select(_ => rng.Next(classes)).ToArray();

    public static double[] Weights(Random rng, int n) =>
        Enumerable.Range(0, n).Select(_ => rng.Next(5) == 0 ? 0.0 : 3 * rng.NextDouble()).ToArray();

    /// <summary>Marks about a fifth of the targets with the ignore index.</summary>
    public static int[] WithIgnored(Random rng, int[] target, int ignoreIndex) =>
        target.Select(t => rng.Next(5) == 0 ? ignoreIndex : t).ToArray();

    /// <summary>Cuts [0, n) into a few random consecutive pieces.</summary>
    public static List<(int Start, int Length)> Pieces(Random rng, int n, int maxPieces = 4)
    {
        var cuts = Enumerable.Range(0, rng.Next(1, maxPieces)).Select(_ => rng.Next(n + 1)).Append(0).Append(n)
            .Distinct().Order().ToList();
        return cuts.Zip(cuts.Skip(1), (a, b) => (a, b - a)).ToList();
    }
}
