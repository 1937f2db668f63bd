using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Kernels;
using HingeSharp.Metrics;
using HingeSharp.Tests.Kernels;
using HingeSharp.Tests.Reference;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>The fused binary pass against a plain scalar reference (every width, lengths 0..67 and a threaded
/// batch), and the one-pass guarantee: its hinge part equals the hinge-only kernel bit for bit.</summary>
public sealed class StatKernelTests
{
    public static TheoryData<int> Widths => [.. KernelOptions.Available.Select(w => (int)w)];

    /// <summary>torchmetrics' stat scores, written plainly: sigmoid if any value leaves [0, 1], then p &gt; t.</summary>
    private static StatScores Reference(float[] preds, int[] target, double threshold, int? ignore, bool keptOnly)
    {
        var logits = preds.Where((_, i) => !keptOnly || target[i] != ignore).Any(p => !(p >= 0 && p <= 1));
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < preds.Length; i++)
        {
            if (target[i] == ignore)
            {
                continue;
            }

            var p = logits ? 1f / (1f + MathF.Exp(-preds[i])) : preds[i];
            var predicted = p > (float)threshold;
            if (target[i] == 1)
            {
                if (predicted) { tp++; } else { fn++; }
            }
            else if (predicted) { fp++; }
            else { tn++; }
        }

        return new StatScores(tp, fp, tn, fn);
    }

    [Theory, MemberData(nameof(Widths))]
    public void FusedPass_AllTailLengths_MatchesScalarReferenceAndHingeKernel(int width)
    {
        var options = new KernelOptions((SimdWidth)width, 1);
        var rnd = new Random(42);
        for (var n = 0; n <= 67; n++)
        {
            foreach (var logits in new[] { false, true })
            {
                // An ignore index of 1 or 0 ignores one of the labels too (the padded last vector must not count).
                foreach (var ignore in new int?[] { null, -1, 1, 0 })
                {
                    var preds = Enumerable.Range(0, n).Select(_ => logits ? (rnd.NextSingle() * 8) - 4 : rnd.NextSingle()).ToArray();
                    var target = Enumerable.Range(0, n).Select(_ => ignore is { } k && rnd.Next(5) == 0 ? k : rnd.Next(2)).ToArray();
                    foreach (var threshold in new[] { 0.5, 0.3, 1.0, 0.0 })
                    {
                        var sums = BinaryStatKernels.Sum<float, int>(preds, target, true, false, ignore, true,
                            HingeInputKind.Auto, NonFiniteHandling.Throw, threshold, options);
                        var what = $"n={n} logits={logits} ignore={ignore} t={threshold}";
                        Assert.True(Reference(preds, target, threshold, ignore, false) == sums.Scores, what);
                        Assert.True(Reference(preds, target, threshold, ignore, true) == sums.Confusion, what);
                        var hinge = BinaryKernels.Sum<float, int>(preds, target, false, ignore, true, HingeInputKind.Auto,
                            NonFiniteHandling.Throw, options);
                        Assert.Equal(hinge.Measures, sums.Hinge.Measures);
                        Assert.Equal(hinge.Total, sums.Hinge.Total);
                    }
                }
            }
        }
    }

    /// <summary>Margins with ±1 labels (−1 and 0 both negative, a margin above 0 predicted positive), for int, long
    /// and byte targets and the ignore indices that change how the vector loops read them.</summary>
    [Theory, MemberData(nameof(Widths))]
    public void FusedPass_SignedLabelsUnderMargins_MatchesScalarReferenceAndHingeKernel(int width)
    {
        var options = new KernelOptions((SimdWidth)width, 1);
        var rnd = new Random(5);
        foreach (var n in new[] { 0, 1, 16, 17, 67, 1000 })
        {
            foreach (var ignore in new int?[] { null, -1, 0, 1 })
            {
                var preds = Enumerable.Range(0, n).Select(_ => (rnd.NextSingle() * 8) - 4).ToArray();
                var target = Enumerable.Range(0, n).Select(_ => rnd.Next(3) - 1).ToArray();
                var what = $"n={n} ignore={ignore}";
                long tp = 0, fp = 0, tn = 0, fn = 0;
                for (var i = 0; i < n; i++)
                {
                    if (target[i] == ignore)
                    {
                        continue;
                    }

                    var predicted = preds[i] > 0;
                    if (target[i] == 1)
                    {
                        if (predicted) { tp++; } else { fn++; }
                    }
                    else if (predicted) { fp++; }
                    else { tn++; }
                }

                Check(preds, target);
                Check(preds, target.Select(x => (long)x).ToArray());
                if (ignore != -1)
                {
                    // Bytes cannot hold −1: the same batch with 0 for it (and 255 as the stand-in ignore index).
                    var bytes = target.Select(x => (byte)Math.Max(x, 0)).ToArray();
                    var sums = BinaryStatKernels.Sum<float, byte>(preds, bytes, true, false, ignore, true,
                        HingeInputKind.Margins, NonFiniteHandling.Throw, 0.5, options);
                    var hinge = BinaryKernels.Sum<float, byte>(preds, bytes, false, ignore, true,
                        HingeInputKind.Margins, NonFiniteHandling.Throw, options);
                    Assert.Equal(hinge.Measures, sums.Hinge.Measures);
                }

                void Check<TTarget>(float[] p, TTarget[] t)
                    where TTarget : unmanaged, System.Numerics.INumberBase<TTarget>
                {
                    var sums = BinaryStatKernels.Sum<float, TTarget>(p, t, true, false, ignore, true,
                        HingeInputKind.Margins, NonFiniteHandling.Throw, 0.5, options);
                    Assert.True(new StatScores(tp, fp, tn, fn) == sums.Confusion, $"{what} {typeof(TTarget).Name}");
                    var hinge = BinaryKernels.Sum<float, TTarget>(p, t, false, ignore, true, HingeInputKind.Margins,
                        NonFiniteHandling.Throw, options);
                    Assert.Equal(hinge.Measures, sums.Hinge.Measures);
                    Assert.Equal(hinge.Total, sums.Hinge.Total);
                    var expected = ScalarHinge.Binary(KernelCheck.Widen<float>(p), KernelCheck.Widen<TTarget>(t), false,
                        ignore, HingeInputKind.Margins);
                    KernelCheck.Close(expected.Values[0], hinge.Measures, expected.Count, KernelCheck.Float32PerElement,
                        what);
                }
            }
        }
    }

    [Fact]
    public void FusedPass_LargeThreadedBatch_EqualsOneThread()
    {
        var n = (int)UnitScheduler.ParallelThreshold + 4099;
        var rnd = new Random(7);
        var preds = Enumerable.Range(0, n).Select(_ => (rnd.NextSingle() * 8) - 4).ToArray();
        var target = Enumerable.Range(0, n).Select(_ => rnd.Next(2)).ToArray();
        var one = BinaryStatKernels.Sum<float, int>(preds, target, true, false, null, true, HingeInputKind.Auto,
            NonFiniteHandling.Throw, 0.5, KernelOptions.Default with { MaxThreads = 1 });
        var many = BinaryStatKernels.Sum<float, int>(preds, target, true, false, null, true, HingeInputKind.Auto,
            NonFiniteHandling.Throw, 0.5, KernelOptions.Default with { MaxThreads = 4 });
        Assert.Equal(one, many);
        Assert.Equal(Reference(preds, target, 0.5, null, false), one.Scores);
    }

    [Fact]
    public void IgnoredLogit_AmongProbabilities_StatScoresSigmoidButConfusionMatrixDoesNot()
    {
        // torchmetrics: binary_stat_scores decides over every value (the ignored 3.0 makes all logits), the confusion
        // matrix over kept values only (all probabilities).
        float[] preds = [0.6f, 0.4f, 3f];
        int[] target = [1, 0, -1];
        var sums = BinaryStatKernels.Sum<float, int>(preds, target, false, false, -1, true, HingeInputKind.Auto,
            NonFiniteHandling.Throw, 0.5, KernelOptions.Default);
        Assert.Equal(new StatScores(1, 1, 0, 0), sums.Scores);     // sigmoid(0.4) > 0.5
        Assert.Equal(new StatScores(1, 0, 1, 0), sums.Confusion);
    }

    [Fact]
    public void Margins_PlusMinusOneLabels_EqualZeroOneLabels()
    {
        float[] margins = [1.5f, -0.3f, 0.2f, -2f, 0.7f];
        int[] signed = [1, -1, -1, 1, 1];
        int[] binary = [1, 0, 0, 1, 1];
        Assert.Equal(
            HingeFunctional.BinaryHingeLoss<float, int>(margins, binary, inputKind: HingeInputKind.Margins),
            HingeFunctional.BinaryHingeLoss<float, int>(margins, signed, inputKind: HingeInputKind.Margins));
        Assert.Equal(
            ClassificationFunctional.BinaryStatScores<float, int>(margins, binary, inputKind: HingeInputKind.Margins),
            ClassificationFunctional.BinaryStatScores<float, int>(margins, signed, inputKind: HingeInputKind.Margins));
        // Margins: positive above 0 → predicted [1, 0, 1, 0, 1] against [1, 0, 0, 1, 1].
        Assert.Equal(new StatScores(2, 1, 1, 1),
            ClassificationFunctional.BinaryStatScores<float, int>(margins, signed, inputKind: HingeInputKind.Margins));
        Assert.Throws<HingeArgumentException>(() =>
            ClassificationFunctional.BinaryAccuracy<float, int>([0.2f], [-1]));   // −1 is no label for probabilities
    }
}
