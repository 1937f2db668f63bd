namespace HingeSharp.Tests.Reference;

/// <summary>
/// A plain double-precision reading of torchmetrics' hinge rules (tests/fixtures/README.md, points 1–9), written
/// without looking at the kernels: drop ignored elements, decide probabilities vs logits over what is left, then one
/// double loop. Inputs arrive widened to double, so a float32 kernel differs from it only by the float rounding of each
/// element's loss. Errors are reported as (argument, index) of the first offending element: invalid targets first
/// (torchmetrics validates targets before anything else), then kept predictions.
/// </summary>
internal static class ScalarHinge
{
    public readonly record struct Sums(double[] Values, long Count);

    public readonly record struct Failure(string ParamName, long? Index);

    private static bool InUnit(double x) => x >= 0 && x <= 1;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Hinge(double margin, bool squared)
    {
        var h = double.IsNaN(margin) ? double.NaN : Math.Max(0, 1 - margin);
        return squared ? h * h : h;
    }

    private static bool Ignored(double t, int? ignoreIndex) => ignoreIndex is { } ii && t == ii;

    public static Sums Binary(IReadOnlyList<double> preds, IReadOnlyList<double> target, bool squared,
        int? ignoreIndex, HingeInputKind kind)
    {
        var sigmoid = kind == HingeInputKind.Logits;
        for (var i = 0; kind == HingeInputKind.Auto && i < preds.Count; i++)
        {
            sigmoid |= !Ignored(target[i], ignoreIndex) && !InUnit(preds[i]);
        }

        double sum = 0;
        long count = 0;
        for (var i = 0; i < preds.Count; i++)
        {
            if (Ignored(target[i], ignoreIndex))
            {
                continue;
            }

            var p = sigmoid ? Sigmoid(preds[i]) : preds[i];
            // With margins, −1 is a negative label too (±1 labels, as scikit-learn and Keras use them).
            var positive = target[i] != 0 && !(kind == HingeInputKind.Margins && target[i] == -1);
            sum += Hinge(positive ? p : -p, squared);
            count++;
        }

        return new Sums([sum], count);
    }

    public static Failure? BinaryFailure(IReadOnlyList<double> preds, IReadOnlyList<double> target, int? ignoreIndex,
        bool validate, HingeInputKind kind, NonFiniteHandling nonFinite)
    {
        for (var i = 0; validate && i < target.Count; i++)
        {
            if (!Ignored(target[i], ignoreIndex) && target[i] != 0 && target[i] != 1 &&
                !(kind == HingeInputKind.Margins && target[i] == -1))
            {
                return new Failure("target", i);
            }
        }

        for (var i = 0; i < preds.Count; i++)
        {
            if (Ignored(target[i], ignoreIndex))
            {
                continue;
            }

            if ((nonFinite == NonFiniteHandling.Throw && !double.IsFinite(preds[i])) ||
                (kind == HingeInputKind.Probabilities && !InUnit(preds[i])))
            {
                return new Failure("preds", i);
            }
        }

        return null;
    }

    /// <summary>Crammer–Singer (one sum) or one-vs-all (C sums) over row-major (rows, C) scores.</summary>
    public static Sums Multiclass(IReadOnlyList<double> preds, IReadOnlyList<double> target, int c,
        MulticlassMode mode, bool squared, int? ignoreIndex, HingeInputKind kind)
    {
        var softmax = kind == HingeInputKind.Logits;
        for (var i = 0; kind == HingeInputKind.Auto && i < preds.Count; i++)
        {
            softmax |= !Ignored(target[i / c], ignoreIndex) && !InUnit(preds[i]);
        }

        var sums = new double[mode == MulticlassMode.CrammerSinger ? 1 : c];
        var row = new double[c];
        long count = 0;
        for (var r = 0; r < target.Count; r++)
        {
            if (Ignored(target[r], ignoreIndex))
            {
                continue;
            }

            count++;
            double max = double.NegativeInfinity, total = 0;
            for (var j = 0; j < c; j++)
            {
                row[j] = preds[(r * c) + j];
                max = double.IsNaN(row[j]) || double.IsNaN(max) ? double.NaN : Math.Max(max, row[j]);
            }

            for (var j = 0; softmax && j < c; j++)
            {
                row[j] = Math.Exp(row[j] - max);
                total += row[j];
            }

            for (var j = 0; softmax && j < c; j++)
            {
                row[j] /= total;
            }

            var y = (int)target[r];
            if (mode == MulticlassMode.CrammerSinger)
            {
                var other = double.NegativeInfinity;
                for (var j = 0; j < c; j++)
                {
                    other = j == y ? other : double.IsNaN(row[j]) || double.IsNaN(other) ? double.NaN : Math.Max(other, row[j]);
                }

                sums[0] += Hinge(row[y] - other, squared);
                continue;
            }

            for (var j = 0; j < c; j++)
            {
                sums[j] += Hinge(j == y ? row[j] : -row[j], squared);
            }
        }

        return new Sums(sums, count);
    }

    public static Failure? MulticlassFailure(IReadOnlyList<double> preds, IReadOnlyList<double> target, int c,
        MulticlassMode mode, int? ignoreIndex, HingeInputKind kind, NonFiniteHandling nonFinite)
    {
        for (var r = 0; r < target.Count; r++)
        {
            var t = target[r];
            if (!Ignored(t, ignoreIndex) && !(t >= 0 && t < c && t == Math.Floor(t)))
            {
                return new Failure("target", r);
            }
        }

        var kept = 0;
        for (var r = 0; r < target.Count; r++)
        {
            if (Ignored(target[r], ignoreIndex))
            {
                continue;
            }

            kept++;
            for (var j = 0; j < c; j++)
            {
                var x = preds[(r * c) + j];
                if ((nonFinite == NonFiniteHandling.Throw && !double.IsFinite(x)) ||
                    (kind == HingeInputKind.Probabilities && !InUnit(x)))
                {
                    return new Failure("preds", ((long)r * c) + j);
                }
            }
        }

        return mode == MulticlassMode.CrammerSinger && kept == 0 ? new Failure("target", null) : null;
    }
}
