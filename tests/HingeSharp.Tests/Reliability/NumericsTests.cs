using HingeSharp.Classification;
using HingeSharp.Functional;
using Xunit;
using Xunit.Abstractions;

namespace HingeSharp.Tests.Reliability;

/// <summary>
/// Accumulation accuracy at scale (docs/numerics.md). Each data set has 2^21 (about 2.1 million) float32 predictions built so that
/// every per-element loss is exactly representable in float32 (dyadic values with few bits), so float and double
/// implementations agree element by element and only the summation differs. The reference is the exact sum
/// (integers scaled by 2^60, added in Int128). HingeSharp must be within 1e-9 relative through the functional call
/// and through a metric fed 4096-element updates; the same sums kept as torchmetrics keeps them (float32 state)
/// are computed alongside and reported.
/// </summary>
public sealed class NumericsTests(ITestOutputHelper output)
{
    private const int N = 1 << 21;
    private const int BatchLength = 4096;
    private const double Scale = 1152921504606846976.0; // 2^60

    public static TheoryData<string> DataSets => new("huge-then-tiny", "huge-then-tiny-squared", "alternating",
        "near-kink-probabilities");

    [Theory, MemberData(nameof(DataSets))]
    public void BinaryHingeSum_AdversarialFloat32_StaysWithin1e9OfExactSum(string name)
    {
        var (preds, target, kind, squared) = Make(name);
        var losses = Losses(preds, target, squared);
        var exact = ExactMean(losses);

        var functional = HingeFunctional.BinaryHingeLoss<float, byte>(preds, target, squared, inputKind: kind);
        var metric = new BinaryHingeLoss(squared, inputKind: kind);
        for (var start = 0; start < N; start += BatchLength)
        {
            metric.Update<float, byte>(preds.AsSpan(start, BatchLength), target.AsSpan(start, BatchLength));
        }

        var torchState = Float32State(losses);
        var naive = NaiveFloat32(losses);
        output.WriteLine($"{name}: exact mean {exact:R}");
        output.WriteLine($"  HingeSharp functional  rel. error {Relative(functional, exact):E2}");
        output.WriteLine($"  HingeSharp metric      rel. error {Relative(metric.Compute(), exact):E2}");
        output.WriteLine($"  float32 state (torchmetrics-style, exact batch sums) rel. error {Relative(torchState, exact):E2}");
        output.WriteLine($"  float32 running sum    rel. error {Relative(naive, exact):E2}");

        Assert.True(Relative(functional, exact) <= 1e-9, $"functional {functional:R} vs exact {exact:R}");
        Assert.True(Relative(metric.Compute(), exact) <= 1e-9, $"metric {metric.Compute():R} vs exact {exact:R}");
        // The data is adversarial: a float32 running sum is far off.
        Assert.True(Relative(naive, exact) > 1e-6, $"float32 running sum is unexpectedly accurate on {name}");
    }

    [Fact]
    public void MulticlassOneVsAllSums_AdversarialFloat32_StayWithin1e9OfExactSums()
    {
        const int classes = 4;
        const int rows = N / classes;
        var random = new Random(5);
        var preds = new float[N];
        var target = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            target[r] = random.Next(classes);
            for (var c = 0; c < classes; c++)
            {
                // True class just below the kink at +1, others just above −1: tiny losses k·2^-20; every 4096th row
                // has a huge wrong score (loss 2^22 + 1).
                var k = random.Next(1, 16);
                preds[(r * classes) + c] = c == target[r] ? 1f - (k * (1f / (1 << 20))) : -1f + (k * (1f / (1 << 20)));
            }

            if (r % 4096 == 0)
            {
                preds[(r * classes) + ((target[r] + 1) % classes)] = 1 << 22;
            }
        }

        var value = HingeFunctional.MulticlassHingeLoss<float, int>(preds, target, classes,
            multiclassMode: MulticlassMode.OneVsAll, inputKind: HingeInputKind.Margins);
        for (var c = 0; c < classes; c++)
        {
            var losses = new double[rows];
            for (var r = 0; r < rows; r++)
            {
                var s = c == target[r] ? 1.0 : -1.0;
                losses[r] = Math.Max(0, 1 - (s * preds[(r * classes) + c]));
            }

            var exact = ExactMean(losses);
            output.WriteLine($"class {c}: rel. error {Relative(value.Values[c], exact):E2}, float32 running sum " +
                $"{Relative(NaiveFloat32(losses), exact):E2}");
            Assert.True(Relative(value.Values[c], exact) <= 1e-9, $"class {c}: {value.Values[c]:R} vs exact {exact:R}");
            Assert.True(Relative(NaiveFloat32(losses), exact) > 1e-8, $"class {c}: float32 is unexpectedly accurate");
        }
    }

    private static (float[] Preds, byte[] Target, HingeInputKind Kind, bool Squared) Make(string name)
    {
        var random = new Random(name.Length);
        var preds = new float[N];
        var target = new byte[N];
        switch (name)
        {
            case "huge-then-tiny":
                // One loss of 2^23 (margin 1 − 2^23), then 2^21 − 1 losses of k·2^-10 (margins just below +1).
                return HugeThenTiny(random, 1 << 23, 1024f, squared: false);
            case "huge-then-tiny-squared":
                // Squared: one loss of 2^24 (margin 1 − 2^12), then squared losses of (k·2^-5)².
                return HugeThenTiny(random, 1 << 12, 32f, squared: true);
            case "alternating":
                // Losses alternate between 3·2^10 + k·2^-10 and k·2^-20.
                for (var i = 0; i < N; i++)
                {
                    target[i] = (byte)random.Next(2);
                    var y = target[i] == 1 ? 1f : -1f;
                    var loss = i % 2 == 0 ? 3072f + (random.Next(1, 1024) / 1024f) : random.Next(1, 9) / (float)(1 << 20);
                    preds[i] = y * (1 - loss);
                }

                return (preds, target, HingeInputKind.Margins, false);
            default:
                // Probabilities at the kink: positives at 1 − k·2^-24 (loss k·2^-24), every 1000th element a
                // negative at j·2^-23 (loss 1 + j·2^-23).
                for (var i = 0; i < N; i++)
                {
                    var negative = i % 1000 == 0;
                    target[i] = (byte)(negative ? 0 : 1);
                    preds[i] = negative ? random.Next(0, 64) / (float)(1 << 23) : 1f - (random.Next(1, 64) / (float)(1 << 24));
                }

                return (preds, target, HingeInputKind.Probabilities, false);
        }
    }

    private static (float[] Preds, byte[] Target, HingeInputKind Kind, bool Squared) HugeThenTiny(Random random,
        int huge, float tinyDenominator, bool squared)
    {
        var preds = new float[N];
        var target = new byte[N];
        Array.Fill(target, (byte)1);
        preds[0] = 1 - huge;
        for (var i = 1; i < N; i++)
        {
            preds[i] = 1f - (random.Next(1, 9) / tinyDenominator);
        }

        return (preds, target, HingeInputKind.Margins, squared);
    }

    /// <summary>Per-element losses, computed in double (exact here: every value has few significant bits).</summary>
    private static double[] Losses(float[] preds, byte[] target, bool squared)
    {
        var losses = new double[preds.Length];
        for (var i = 0; i < preds.Length; i++)
        {
            var h = Math.Max(0, 1 - ((target[i] == 1 ? 1.0 : -1.0) * preds[i]));
            losses[i] = squared ? h * h : h;
        }

        return losses;
    }

    /// <summary>The exact mean: losses scaled to integers by 2^60 and summed in Int128 (one rounding at the end).</summary>
    private static double ExactMean(double[] losses)
    {
        Int128 sum = 0;
        foreach (var l in losses)
        {
            var scaled = l * Scale;
            if (scaled != Math.Floor(scaled) || scaled >= 1e30)
            {
                Assert.Fail($"loss {l:R} is not a multiple of 2^-60 below 2^39");
            }

            sum += (Int128)scaled;
        }

        return (double)sum / Scale / losses.Length;
    }

    /// <summary>
    /// torchmetrics' state: each update's sum (taken exactly here, the best case for torch's float32 reduction) is
    /// added to a float32 state; the result is float32 state / count.
    /// </summary>
    private static double Float32State(double[] losses)
    {
        var state = 0f;
        for (var start = 0; start < losses.Length; start += BatchLength)
        {
            double batch = 0;
            for (var i = start; i < start + BatchLength; i++)
            {
                batch += losses[i];
            }

            state += (float)batch;
        }

        return (float)(state / (float)losses.Length);
    }

    private static double NaiveFloat32(double[] losses)
    {
        var sum = 0f;
        foreach (var l in losses)
        {
            sum += (float)l;
        }

        return sum / (float)losses.Length;
    }

    private static double Relative(double actual, double exact) => Math.Abs(actual - exact) / Math.Abs(exact);
}
