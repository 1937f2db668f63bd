namespace HingeSharp.Tests.Reference;

/// <summary>
/// Plain double-loop reference of torchmetrics' hinge rules (tests/fixtures/README.md rules 1–9), written without
/// SIMD, chunking or shared code so the kernels can be checked against it.
/// </summary>
internal static class ScalarHinge
{
    public static double Binary(IReadOnlyList<double> preds, IReadOnlyList<long> target, bool squared, long? ignore,
        HingeInputKind kind = HingeInputKind.Auto)
    {
        var kept = Enumerable.Range(0, preds.Count).Where(i => ignore is null || target[i] != ignore).ToList();
        var sigmoid = kind == HingeInputKind.Logits ||
                      (kind == HingeInputKind.Auto && kept.Any(i => !(preds[i] >= 0 && preds[i] <= 1)));
        double sum = 0;
        foreach (var i in kept)
        {
            var p = sigmoid ? 1 / (1 + Math.Exp(-preds[i])) : preds[i];
            var y = target[i] != 0 ? 1.0 : -1.0;
            var h = Math.Max(0, 1 - y * p);
            sum += squared ? h * h : h;
        }

        return sum / kept.Count;
    }

    public static double[] Multiclass(IReadOnlyList<double> preds, IReadOnlyList<long> target, int classes,
        bool squared, MulticlassMode mode, long? ignore, HingeInputKind kind = HingeInputKind.Auto)
    {
        var rows = Enumerable.Range(0, target.Count).Where(r => ignore is null || target[r] != ignore).ToList();
        var softmax = kind == HingeInputKind.Logits || (kind == HingeInputKind.Auto &&
            rows.Any(r => Enumerable.Range(0, classes).Any(j => !(preds[r * classes + j] >= 0 && preds[r * classes + j] <= 1))));
        var sums = new double[mode == MulticlassMode.CrammerSinger ? 1 : classes];
        foreach (var r in rows)
        {
            var row = Enumerable.Range(0, classes).Select(j => preds[r * classes + j]).ToArray();
            if (softmax)
            {
                var max = row.Max();
                var e = row.Select(x => Math.Exp(x - max)).ToArray();
                var s = e.Sum();
                row = e.Select(x => x / s).ToArray();
            }

            var y = (int)target[r];
            if (mode == MulticlassMode.CrammerSinger)
            {
                var other = Enumerable.Range(0, classes).Where(j => j != y).Max(j => row[j]);
                var h = Math.Max(0, 1 - (row[y] - other));
                sums[0] += squared ? h * h : h;
            }
            else
            {
                for (var j = 0; j < classes; j++)
                {
                    var h = Math.Max(0, 1 - (j == y ? row[j] : -row[j]));
                    sums[j] += squared ? h * h : h;
                }
            }
        }

        return sums.Select(s => s / rows.Count).ToArray();
    }
}
