using System.Numerics;
using HingeSharp.Kernels;
using Xunit;

namespace HingeSharp.Tests.Kernels;

/// <summary>
/// The fused binary kernels at every width this machine runs (scalar, Vector128/256/512) against the plain double
/// loop in <c>Reference/ScalarHinge.cs</c>: every length 0..1000 at every alignment, every target type, the Auto
/// decision, the index of the first offending element, and threads.
/// </summary>
public sealed class BinaryKernelsTests
{
    public static TheoryData<int> Widths => [.. KernelOptions.Available.Select(w => (int)w)];

    private static readonly KernelConfig[] Configs =
    [
        new(HingeInputKind.Auto, false, null),
        new(HingeInputKind.Auto, true, -1),
        new(HingeInputKind.Probabilities, false, 0),
        new(HingeInputKind.Logits, false, null),
        new(HingeInputKind.Logits, true, -1),
        new(HingeInputKind.Margins, false, 1),
        new(HingeInputKind.Margins, true, null),
        new(HingeInputKind.Auto, false, -1, Validate: false),
        new(HingeInputKind.Auto, false, null, NonFinite: NonFiniteHandling.Propagate),
        new(HingeInputKind.Margins, false, -1, NonFinite: NonFiniteHandling.Propagate),
    ];

    /// <summary>Data for one length: probabilities for even configs of kind Auto/Probabilities, logits otherwise.</summary>
    private static (double[] Preds, int[] Target) Data(int n, KernelConfig config, int seed)
    {
        var rnd = new Random(seed);
        var preds = new double[n];
        var target = new int[n];
        var logits = config.Kind is HingeInputKind.Logits or HingeInputKind.Margins || seed % 3 == 0;
        for (var i = 0; i < n; i++)
        {
            preds[i] = logits ? (rnd.NextDouble() - 0.5) * 8 : rnd.NextDouble();
            target[i] = rnd.Next(2);
            if (config.IgnoreIndex is { } ii && rnd.Next(7) == 0)
            {
                target[i] = ii;
            }

            if (!config.Validate && rnd.Next(11) == 0)
            {
                target[i] = 2;
            }
        }

        if (config.NonFinite == NonFiniteHandling.Propagate && n > 0 && seed % 2 == 0)
        {
            preds[rnd.Next(n)] = seed % 4 == 0 ? double.NaN : double.NegativeInfinity;
        }

        if (config.Kind == HingeInputKind.Probabilities && n > 0)
        {
            preds[rnd.Next(n)] = 1; // the exact bounds are probabilities
            preds[rnd.Next(n)] = 0;
        }

        return (preds, target);
    }

    private static T[] Place<T>(double[] values, int offset)
        where T : INumberBase<T>
    {
        var result = new T[values.Length + 16];
        for (var i = 0; i < values.Length; i++)
        {
            result[offset + i] = T.CreateTruncating(values[i]);
        }

        return result;
    }

    private static void EveryLengthAndAlignment<T>(SimdWidth width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var options = new KernelOptions(width, 1);
        // Every offset within a 64-byte line (the scalar loop has no alignment to care about).
        var alignments = width == SimdWidth.Scalar ? 1 : 64 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var p = new T[1000 + alignments];
        var t = new int[1000 + 16];
        for (var n = 0; n <= 1000; n++)
        {
            var config = Configs[n % Configs.Length];
            var (preds, target) = Data(n, config, n);
            var expected = KernelCheck.BinaryExpected(KernelCheck.Widen<T>([.. preds.Select(T.CreateTruncating)]),
                [.. target.Select(x => (double)x)], config);
            for (var a = 0; a < alignments; a++)
            {
                var ta = (a * 5) % 16;
                for (var i = 0; i < n; i++)
                {
                    p[a + i] = T.CreateTruncating(preds[i]);
                    t[ta + i] = target[i];
                }

                KernelCheck.Binary(p, a, t, ta, n, config, options, $"{width} n={n} a={a} {config}", expected);
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_Float32EveryLengthAndAlignment_MatchesScalarReference(int width) =>
        EveryLengthAndAlignment<float>((SimdWidth)width);

    [Theory, MemberData(nameof(Widths))]
    public void Sum_Float64EveryLengthAndAlignment_MatchesScalarReference(int width) =>
        EveryLengthAndAlignment<double>((SimdWidth)width);

    private static void TargetType<T, TTarget>(SimdWidth width, int ignore)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        int[] lengths = [.. Enumerable.Range(0, 68), 1000, 4099];
        foreach (var n in lengths)
        {
            var config = Configs[n % Configs.Length] with { IgnoreIndex = n % 2 == 0 ? ignore : null };
            var (preds, target) = Data(n, config, n + 7);
            var a = n % 5;
            KernelCheck.Binary(Place<T>(preds, a), a, Place<TTarget>([.. target.Select(x => (double)x)], 3), 3, n,
                config, new KernelOptions(width, 1), $"{width} {typeof(T).Name}/{typeof(TTarget).Name} n={n} {config}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_EveryTargetType_MatchesScalarReference(int width)
    {
        var w = (SimdWidth)width;
        TargetType<float, byte>(w, 255);
        TargetType<float, int>(w, -1);
        TargetType<float, long>(w, -100);
        TargetType<float, short>(w, -1);
        TargetType<float, sbyte>(w, 0);
        TargetType<float, float>(w, -1);
        TargetType<double, byte>(w, 1);
        TargetType<double, int>(w, -1);
        TargetType<double, long>(w, 0);
        TargetType<double, double>(w, -1);
    }

    /// <summary>±1 labels under margins, for every route the vector loops take (byte targets as they are, −1 written
    /// as 0 for int/long, byte codes when 0 is the ignore index): −1, 0 and 1 in one batch, each ignore index that
    /// changes the route, an invalid label for the error index.</summary>
    private static void SignedLabels<T, TTarget>(SimdWidth width)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var labels = typeof(TTarget) == typeof(byte) ? new[] { 0, 1, 255 } : new[] { -1, 0, 1 };
        foreach (var ignore in new int?[] { null, -1, 0, 1, 255 })
        {
            foreach (var n in new[] { 0, 1, 15, 16, 17, 63, 100, 1000, 4099 })
            {
                var rnd = new Random(n + (ignore ?? 7));
                var preds = Enumerable.Range(0, n).Select(_ => (rnd.NextDouble() - 0.5) * 6).ToArray();
                var target = Enumerable.Range(0, n).Select(_ => (double)labels[rnd.Next(3)]).ToArray();
                foreach (var invalid in new[] { false, true })
                {
                    if (invalid && n > 0)
                    {
                        target[rnd.Next(n)] = 2;
                    }

                    var config = new KernelConfig(HingeInputKind.Margins, n % 2 == 0, ignore);
                    var a = n % 3;
                    KernelCheck.Binary(Place<T>(preds, a), a, Place<TTarget>(target, 5), 5, n, config,
                        new KernelOptions(width, 1),
                        $"{width} {typeof(T).Name}/{typeof(TTarget).Name} n={n} ignore={ignore} invalid={invalid}");
                }
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_SignedLabelsUnderMargins_MatchScalarReference(int width)
    {
        var w = (SimdWidth)width;
        SignedLabels<float, int>(w);
        SignedLabels<float, long>(w);
        SignedLabels<float, byte>(w);
        SignedLabels<double, int>(w);
        SignedLabels<double, long>(w);
        SignedLabels<float, short>(w);
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_OneKeptValueOutsideUnitInterval_SigmoidsEverything(int width)
    {
        // A single value just outside [0, 1] turns the whole call into logits; the same value on an ignored element
        // does not (torchmetrics decides over kept elements only).
        var options = new KernelOptions((SimdWidth)width, 1);
        var rnd = new Random(5);
        float[] outliers = [MathF.BitIncrement(1f), -1e-7f, float.NaN];
        for (var n = 1; n <= 70; n++)
        {
            for (var k = 0; k < n; k++)
            {
                var preds = Enumerable.Range(0, n).Select(_ => rnd.NextSingle()).ToArray();
                var target = Enumerable.Range(0, n).Select(_ => rnd.Next(2)).ToArray();
                preds[k] = outliers[k % outliers.Length];
                var config = new KernelConfig(HingeInputKind.Auto, k % 2 == 0, k % 4 == 1 ? -1 : null,
                    NonFinite: NonFiniteHandling.Propagate);
                if (k % 4 == 1)
                {
                    target[k] = -1;
                }

                KernelCheck.Binary(preds, 0, target, 0, n, config, options, $"n={n} outlier at {k}");
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_NegativeZero_IsAProbability(int width)
    {
        // −0.0 ≥ 0 holds, so it keeps the batch in probabilities (the fast range check flags it, the exact scan clears it).
        var options = new KernelOptions((SimdWidth)width, 1);
        foreach (var n in new[] { 1, 7, 16, 33, 100, 70_000 })
        {
            var preds = Enumerable.Range(0, n).Select(i => (i % 5) / 4f).ToArray();
            var target = Enumerable.Range(0, n).Select(i => i % 2).ToArray();
            preds[n / 2] = -0f;
            foreach (var kind in new[] { HingeInputKind.Auto, HingeInputKind.Probabilities })
            {
                KernelCheck.Binary(preds, 0, target, 0, n, new KernelConfig(kind, false, null), options, $"n={n} {kind}");
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_BadInputs_ReportTheFirstOffendingElement(int width)
    {
        var options = new KernelOptions((SimdWidth)width, 1);
        var rnd = new Random(11);
        HingeInputKind[] kinds = [HingeInputKind.Auto, HingeInputKind.Probabilities, HingeInputKind.Logits,
            HingeInputKind.Margins];
        for (var trial = 0; trial < 600; trial++)
        {
            var n = 1 + rnd.Next(trial < 300 ? 40 : 300);
            var config = new KernelConfig(kinds[trial % 4], trial % 3 == 0, trial % 5 == 0 ? -1 : null);
            var preds = Enumerable.Range(0, n).Select(_ => rnd.NextSingle()).ToArray();
            var target = Enumerable.Range(0, n).Select(_ => rnd.Next(2)).ToArray();
            for (var bad = rnd.Next(1, 4); bad > 0; bad--)
            {
                var i = rnd.Next(n);
                switch (rnd.Next(5))
                {
                    case 0: target[i] = 2 + rnd.Next(3); break;
                    case 1: target[i] = rnd.Next(3) switch { 0 => -1, 1 => int.MinValue, _ => int.MaxValue }; break;
                    case 2: preds[i] = float.NaN; break;
                    case 3: preds[i] = rnd.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity; break;
                    default: preds[i] = 1.5f; break;
                }
            }

            KernelCheck.Binary(preds, 0, target, 0, n, config, options, $"trial {trial} {config}");
        }
    }

    [Fact]
    public void Sum_LargeInput_ThreadsGiveTheSameBitsAsOneThread()
    {
        var n = (int)UnitScheduler.ParallelThreshold + 4099;
        var rnd = new Random(3);
        var preds = new float[n];
        var target = new long[n];
        for (var i = 0; i < n; i++)
        {
            preds[i] = rnd.NextSingle();
            target[i] = rnd.Next(2);
        }

        foreach (var kind in new[] { HingeInputKind.Auto, HingeInputKind.Margins })
        {
            var one = BinaryKernels.Sum<float, long>(preds, target, false, null, true, kind, NonFiniteHandling.Throw,
                KernelOptions.Default with { MaxThreads = 1 });
            var four = BinaryKernels.Sum<float, long>(preds, target, false, null, true, kind, NonFiniteHandling.Throw,
                KernelOptions.Default with { MaxThreads = 4 });
            Assert.Equal(one, four);
            KernelCheck.Binary(preds, 0, target, 0, n, new KernelConfig(kind, false, null),
                KernelOptions.Default with { MaxThreads = 4 }, $"threaded {kind}");
        }

        // Errors are the same as on one thread: the first invalid target wins over an earlier non-finite value.
        preds[n / 3] = float.NaN;
        target[n - 5] = 7;
        preds[2 * n / 3] = 3f;
        KernelCheck.Binary(preds, 0, target, 0, n, new KernelConfig(HingeInputKind.Auto, false, null),
            KernelOptions.Default with { MaxThreads = 4 }, "threaded errors");
        target[n - 5] = 1;
        KernelCheck.Binary(preds, 0, target, 0, n, new KernelConfig(HingeInputKind.Auto, true, null),
            KernelOptions.Default with { MaxThreads = 4 }, "threaded auto to logits, then NaN");
        KernelCheck.Binary(preds, 0, target, 0, n,
            new KernelConfig(HingeInputKind.Auto, true, null, NonFinite: NonFiniteHandling.Propagate),
            KernelOptions.Default with { MaxThreads = 4 }, "threaded NaN propagates");
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_ProbabilitiesWithIntLabels_ExactSumOfTheFloatMargins(int width)
    {
        // Float probabilities with validated int 0/1 labels add their margins as integer multiples of 2⁻²⁴ (32-bit
        // lanes flushed into 64 every 64 vectors). The sum must be the exact sum of the float margins fl(1 − y·p):
        // the same bits as the sequential double sum, as long labels (the widening loop) and at every address. The
        // data hit the grid's edges: tiny probabilities whose 1 ± p rounds to 1, the last floats below 1, 0 and 1.
        var options = new KernelOptions((SimdWidth)width, 1);
        float[] edges = [0f, 1f, 0.5f, float.Epsilon, 1e-30f, 1f / (1 << 25), 1f / (1 << 24), 3f / (1 << 25),
            float.BitDecrement(1f), 1f - (3f / (1 << 24)), 0.1f, float.BitDecrement(0.5f), float.BitIncrement(0.5f)];
        var rnd = new Random(29);
        int[] lengths = [1, 15, 16, 17, 1023, 1024, 1025, 2049, UnitScheduler.UnitElements,
            (3 * UnitScheduler.UnitElements) + 5];
        foreach (var n in lengths)
        {
            var preds = new float[n + 16];
            var labels = new int[n + 16];
            for (var i = 0; i < preds.Length; i++)
            {
                preds[i] = rnd.Next(3) == 0 ? edges[rnd.Next(edges.Length)] : rnd.NextSingle();
                labels[i] = rnd.Next(2);
            }

            foreach (var offset in new[] { 0, 1, 7, 15 })
            {
                var p = preds.AsSpan(offset, n);
                var t = labels.AsSpan(offset, n);
                double expected = 0;
                for (var i = 0; i < n; i++)
                {
                    expected += 1f - (t[i] == 1 ? p[i] : -p[i]);
                }

                var sums = BinaryKernels.Sum<float, int>(p, t, false, null, true, HingeInputKind.Auto,
                    NonFiniteHandling.Throw, options);
                var wide = BinaryKernels.Sum<float, long>(p, [.. t.ToArray().Select(x => (long)x)], false, null, true,
                    HingeInputKind.Auto, NonFiniteHandling.Throw, options);
                Assert.True(expected == sums.Measures, $"{width} n={n} offset {offset}: {sums.Measures:R} != {expected:R}");
                Assert.Equal(n, sums.Total);
                Assert.True(wide == sums, $"{width} n={n} offset {offset}: long labels {wide} != {sums}");
            }
        }
    }

    private static void SameBitsAtEveryAddress<T>(SimdWidth width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The vector loops read from the predictions' first aligned vector and rotate their lanes back: the same data
        // at each of the 64 / sizeof(T) offsets of a cache line must give the same bits (and so the bits of the
        // offset whose data is aligned, a loop from the first element).
        var options = new KernelOptions(width, 1);
        var offsets = 64 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        int[] lengths = [31, 32, 33, 47, 64, 100, 1000, 1003, UnitScheduler.UnitElements + 37];
        var configs = new[]
        {
            new KernelConfig(HingeInputKind.Auto, false, null), new KernelConfig(HingeInputKind.Auto, true, -1),
            new KernelConfig(HingeInputKind.Logits, false, 1), new KernelConfig(HingeInputKind.Margins, true, null),
        };
        foreach (var n in lengths)
        {
            foreach (var config in configs)
            {
                var (preds, target) = Data(n, config, n + 11);
                BinarySums? hinge = null;
                BinaryStatSums? stats = null;
                for (var a = 0; a < offsets; a++)
                {
                    var p = Place<T>(preds, a).AsSpan(a, n);
                    var t = Place<int>([.. target.Select(x => (double)x)], a % 16).AsSpan(a % 16, n);
                    var h = BinaryKernels.Sum<T, int>(p, t, config.Squared, config.IgnoreIndex, config.Validate,
                        config.Kind, config.NonFinite, options);
                    var s = BinaryStatKernels.Sum<T, int>(p, t, true, config.Squared, config.IgnoreIndex,
                        config.Validate, config.Kind, config.NonFinite, 0.5, options);
                    hinge ??= h;
                    stats ??= s;
                    Assert.True(hinge == h, $"{width} {typeof(T).Name} n={n} offset {a} {config}: {h} != {hinge}");
                    Assert.True(stats == s, $"{width} {typeof(T).Name} n={n} offset {a} {config}: {s} != {stats}");
                }
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_SameDataAtEveryAddress_SameBits(int width)
    {
        SameBitsAtEveryAddress<float>((SimdWidth)width);
        SameBitsAtEveryAddress<double>((SimdWidth)width);
    }
}
