using System.Numerics;
using HingeSharp.Kernels;
using Xunit;

namespace HingeSharp.Tests.Kernels;

/// <summary>
/// The fused multiclass pass (hinge and top-1 confusion counts from one read) against the two separate passes it
/// replaces: <see cref="MulticlassKernels.Sum{T, TTarget}(ReadOnlySpan{T}, ReadOnlySpan{TTarget}, int, MulticlassMode, bool, int?, HingeInputKind, NonFiniteHandling, Span{double}, KernelOptions)"/>
/// and <see cref="MulticlassStatKernels.Confusion{T, TTarget}"/>. Counts must be equal, hinge sums equal to 1e-12
/// relative, and a batch either separate pass rejects must be refused (false) by the fused pass.
/// </summary>
public sealed class MulticlassFusedKernelsTests
{
    public static TheoryData<int> Widths => [.. KernelOptions.Available.Select(w => (int)w)];

    private static readonly int[] Classes = [2, 3, 10, 17, 64];

    private sealed record Setting(MulticlassMode Mode, bool Squared, int? IgnoreIndex, HingeInputKind Kind,
        NonFiniteHandling NonFinite, bool Logits);

    private static Setting RandomSetting(Random rnd, int c)
    {
        HingeInputKind[] kinds = [HingeInputKind.Auto, HingeInputKind.Auto, HingeInputKind.Probabilities,
            HingeInputKind.Logits, HingeInputKind.Margins];
        var kind = kinds[rnd.Next(kinds.Length)];
        int?[] ignores = [null, -1, 0, c - 1, -100];
        return new Setting(rnd.Next(2) == 0 ? MulticlassMode.CrammerSinger : MulticlassMode.OneVsAll,
            rnd.Next(2) == 0, ignores[rnd.Next(ignores.Length)], kind,
            rnd.Next(3) == 0 ? NonFiniteHandling.Propagate : NonFiniteHandling.Throw,
            kind is HingeInputKind.Logits or HingeInputKind.Margins || (kind == HingeInputKind.Auto && rnd.Next(2) == 0));
    }

    /// <summary>Scores with ties (a copy of the true-class score, or of another score) in every fourth row.</summary>
    private static (T[] Preds, TTarget[] Target) Data<T, TTarget>(Random rnd, int rows, int c, Setting s)
        where T : INumberBase<T>
        where TTarget : INumberBase<TTarget>
    {
        var preds = new T[rows * c];
        var target = new TTarget[rows];
        for (var i = 0; i < preds.Length; i++)
        {
            preds[i] = T.CreateTruncating(s.Logits ? (rnd.NextDouble() - 0.5) * 8 : rnd.NextDouble());
        }

        for (var r = 0; r < rows; r++)
        {
            var ignored = s.IgnoreIndex is not null && rnd.Next(6) == 0;
            var y = rnd.Next(c);
            target[r] = TTarget.CreateTruncating(ignored ? s.IgnoreIndex!.Value : y);
            if (r % 4 == 1)
            {
                preds[(r * c) + rnd.Next(c)] = preds[(r * c) + (rnd.Next(2) == 0 ? y : rnd.Next(c))];
            }
        }

        return (preds, target);
    }

    /// <summary>Runs both separate passes and the fused one and compares them.</summary>
    private static void Check<T, TTarget>(T[] preds, TTarget[] target, int c, Setting s, KernelOptions options,
        string what)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var width = s.Mode == MulticlassMode.CrammerSinger ? 1 : c;
        var expected = new double[width];
        var expectedCounts = new long[c * c];
        long expectedKept = 0, expectedRows = 0;
        Exception? rejected = null;
        try
        {
            expectedRows = MulticlassStatKernels.Confusion<T, TTarget>(preds, target, c, s.IgnoreIndex,
                expectedCounts);
            expectedKept = MulticlassKernels.Sum<T, TTarget>(preds, target, c, s.Mode, s.Squared, s.IgnoreIndex,
                s.Kind, s.NonFinite, expected, options);
        }
        catch (HingeArgumentException ex)
        {
            rejected = ex;
        }

        var measures = new double[width];
        var counts = new long[c * c];
        var ok = MulticlassFusedKernels.TrySum<T, TTarget>(preds, target, c, s.Mode, s.Squared, s.IgnoreIndex,
            s.Kind, s.NonFinite, measures, counts, options, out var kept);
        if (rejected is not null)
        {
            Assert.False(ok, $"{what}: the separate passes reject the batch ({rejected.Message}), the fused one accepts it");
            return;
        }

        Assert.True(ok, $"{what}: the fused pass refused a batch the separate passes accept");
        Assert.Equal(expectedKept, kept);
        Assert.Equal(expectedRows, kept);
        Assert.True(expectedCounts.AsSpan().SequenceEqual(counts), $"{what}: confusion counts differ");
        for (var j = 0; j < width; j++)
        {
            var e = expected[j];
            var a = measures[j];
            Assert.True(e.Equals(a) || Math.Abs(e - a) <= 1e-12 * Math.Abs(e),
                $"{what}: hinge sum [{j}] expected {e:R}, got {a:R}");
        }
    }

    private static void Shapes<T, TTarget>(SimdWidth width, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var options = new KernelOptions(width, 1);
        var rnd = new Random(seed);
        foreach (var c in Classes)
        {
            var perUnit = Math.Max(1, UnitScheduler.UnitElements / c);
            int[] rows = [0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64 + rnd.Next(40), 257];
            foreach (var n in rows.Concat(c <= 17 ? [perUnit - 1, perUnit + 1, (2 * perUnit) + 13] : []))
            {
                var s = RandomSetting(rnd, c);
                var (preds, target) = Data<T, TTarget>(rnd, n, c, s);
                Check(preds, target, c, s, options, $"{width} {typeof(T).Name}/{typeof(TTarget).Name} C={c} N={n} {s}");
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void TrySum_ManyShapes_EqualsSeparatePasses(int width)
    {
        Shapes<float, int>((SimdWidth)width, 1);
        Shapes<double, int>((SimdWidth)width, 2);
        Shapes<float, long>((SimdWidth)width, 3);
        Shapes<double, byte>((SimdWidth)width, 4);
    }

    [Theory, MemberData(nameof(Widths))]
    public void TrySum_EverySettingAtTenClasses_EqualsSeparatePasses(int width)
    {
        var options = new KernelOptions((SimdWidth)width, 1);
        var rnd = new Random(5);
        foreach (var mode in new[] { MulticlassMode.CrammerSinger, MulticlassMode.OneVsAll })
        {
            foreach (var squared in new[] { false, true })
            {
                foreach (var kind in new[] { HingeInputKind.Auto, HingeInputKind.Probabilities, HingeInputKind.Logits,
                    HingeInputKind.Margins })
                {
                    foreach (var ignore in new int?[] { null, 3, -1 })
                    {
                        var s = new Setting(mode, squared, ignore, kind, NonFiniteHandling.Throw,
                            kind != HingeInputKind.Probabilities && rnd.Next(2) == 0);
                        var (preds, target) = Data<float, int>(rnd, 203, 10, s);
                        Check(preds, target, 10, s, options, $"{width} {s}");
                    }
                }
            }
        }
    }

    /// <summary>Scores of an accurate classifier (the true class usually above the others: the block kernel's rows
    /// that skip the argmax scan), with ties between the true class and another one (before and after it), rows with
    /// several equal maxima and wrong rows at every place in a block.</summary>
    [Theory, MemberData(nameof(Widths))]
    public void TrySum_AccurateScoresWithTies_EqualsSeparatePasses(int width)
    {
        var options = new KernelOptions((SimdWidth)width, 1);
        var rnd = new Random(17);
        foreach (var c in new[] { 3, 5, 8, 10, 16, 17 })
        {
            foreach (var n in new[] { 16, 33, 200, 1031 })
            {
                var s = new Setting(MulticlassMode.CrammerSinger, rnd.Next(2) == 0, rnd.Next(3) == 0 ? 1 : null,
                    rnd.Next(2) == 0 ? HingeInputKind.Probabilities : HingeInputKind.Margins, NonFiniteHandling.Throw,
                    false);
                var preds = new float[n * c];
                var target = new int[n];
                for (var r = 0; r < n; r++)
                {
                    var y = rnd.Next(c);
                    target[r] = s.IgnoreIndex is { } ii && rnd.Next(10) == 0 ? ii : y;
                    for (var j = 0; j < c; j++)
                    {
                        preds[(r * c) + j] = rnd.NextSingle() * 0.5f;
                    }

                    var kind = rnd.Next(10);
                    var other = (y + 1 + rnd.Next(c - 1)) % c;
                    preds[(r * c) + y] = kind switch
                    {
                        0 => preds[(r * c) + other],                               // tie with another class
                        1 => preds[(r * c) + other] * 0.5f,                        // wrong
                        _ => 0.6f + (rnd.NextSingle() * 0.4f),                     // right
                    };
                    if (kind == 2)
                    {
                        preds[(r * c) + other] = preds[(r * c) + y];              // a tie at the maximum
                    }
                }

                Check(preds, target, c, s, options, $"{width} C={c} N={n} {s}");
            }
        }
    }

    /// <summary>
    /// At 512 and 256 bits, float rows of 9 to 16 classes go through the transposed blocks (MulticlassTransposedBlocks),
    /// blocks with ignored rows and the last rows through the plain blocks: at every offset of a cache line, for int and
    /// long targets, the hinge sums are those of the plain blocks alone bit for bit and the counts equal (other widths:
    /// the plain blocks against themselves).
    /// </summary>
    [Theory, MemberData(nameof(Widths))]
    public void TrySum_TransposedBlocks_SameBitsAndCountsAsThePlainBlocks(int width)
    {
        var options = new KernelOptions((SimdWidth)width, 1);
        var plain = options with { PlainBlocksOnly = true };
        var rnd = new Random(23);
        foreach (var c in new[] { 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 })
        {
            foreach (var rows in new[] { 16, 47, 333, (65536 / c) + 77 })
            {
                Setting[] settings =
                [
                    new(MulticlassMode.CrammerSinger, false, null, HingeInputKind.Auto, NonFiniteHandling.Throw, false),
                    new(MulticlassMode.CrammerSinger, true, c - 1, HingeInputKind.Probabilities,
                        NonFiniteHandling.Throw, false),
                    new(MulticlassMode.CrammerSinger, false, 0, HingeInputKind.Margins, NonFiniteHandling.Throw, true),
                    new(MulticlassMode.CrammerSinger, true, null, HingeInputKind.Margins, NonFiniteHandling.Propagate,
                        true),
                ];
                foreach (var s in settings)
                {
                    var (data, target) = Data<float, int>(rnd, rows, c, s);
                    var longs = target.Select(t => (long)t).ToArray();
                    for (var offset = 0; offset < 16; offset++)
                    {
                        var preds = new float[offset + data.Length];
                        data.CopyTo(preds, offset);
                        var scores = preds.AsSpan(offset);
                        var what = $"C={c} rows={rows} offset={offset} {s}";
                        Same(scores, target, c, s, options, plain, what);
                        if (offset == 5)
                        {
                            Same<long>(scores, longs, c, s, options, plain, what + " (long targets)");
                        }
                    }
                }
            }
        }

        static void Same<TTarget>(ReadOnlySpan<float> scores, TTarget[] target, int c, Setting s, KernelOptions options,
            KernelOptions plain, string what)
            where TTarget : unmanaged, INumberBase<TTarget>
        {
            var (sums, counts) = (new double[1], new long[c * c]);
            var (plainSums, plainCounts) = (new double[1], new long[c * c]);
            Assert.True(MulticlassFusedKernels.TrySum<float, TTarget>(scores, target, c, s.Mode, s.Squared,
                s.IgnoreIndex, s.Kind, s.NonFinite, sums, counts, options, out var kept), what);
            Assert.True(MulticlassFusedKernels.TrySum<float, TTarget>(scores, target, c, s.Mode, s.Squared,
                s.IgnoreIndex, s.Kind, s.NonFinite, plainSums, plainCounts, plain, out var plainKept), what);
            Assert.True(kept == plainKept && sums[0].Equals(plainSums[0]),
                $"{what}: {sums[0]:R} ({kept}) against the plain blocks' {plainSums[0]:R} ({plainKept})");
            Assert.True(counts.AsSpan().SequenceEqual(plainCounts), $"{what}: confusion counts differ");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void TrySum_NonFiniteScores_NaNIsTheArgmaxAndErrorsRefuse(int width)
    {
        var options = new KernelOptions((SimdWidth)width, 1);
        var rnd = new Random(6);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f];
        for (var trial = 0; trial < 120; trial++)
        {
            var c = Classes[trial % Classes.Length];
            var s = RandomSetting(rnd, c) with
            {
                NonFinite = trial % 2 == 0 ? NonFiniteHandling.Propagate : NonFiniteHandling.Throw,
            };
            var n = 1 + rnd.Next(70);
            var (preds, target) = Data<float, int>(rnd, n, c, s);
            for (var k = rnd.Next(1, 4); k > 0; k--)
            {
                preds[rnd.Next(preds.Length)] = specials[rnd.Next(specials.Length)];
            }

            if (trial % 5 == 0)
            {
                // A whole row of NaN and one of −∞ (the argmax is the first index).
                var r = rnd.Next(n);
                preds.AsSpan(r * c, c).Fill(trial % 10 == 0 ? float.NaN : float.NegativeInfinity);
            }

            Check(preds, target, c, s, options, $"{width} trial {trial} C={c} N={n} {s}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void TrySum_InvalidTargets_Refused(int width)
    {
        var options = new KernelOptions((SimdWidth)width, 1);
        var rnd = new Random(8);
        for (var trial = 0; trial < 60; trial++)
        {
            var c = Classes[trial % Classes.Length];
            var s = RandomSetting(rnd, c);
            var n = 1 + rnd.Next(90);
            var (preds, target) = Data<float, int>(rnd, n, c, s);
            target[rnd.Next(n)] = trial % 3 == 0 ? c : trial % 3 == 1 ? -2 : c + 1000;
            Check(preds, target, c, s, options, $"{width} trial {trial} C={c} N={n} {s}");
        }

        // Fractional and NaN class indices.
        var floats = new Setting(MulticlassMode.CrammerSinger, false, null, HingeInputKind.Auto,
            NonFiniteHandling.Throw, false);
        var (scores, labels) = Data<float, float>(rnd, 40, 10, floats);
        labels[17] = 1.5f;
        Check(scores, labels, 10, floats, options, "fractional target");
        labels[17] = float.NaN;
        Check(scores, labels, 10, floats, options, "NaN target");

        // A length that is not N·C, and a Crammer–Singer batch whose every row is ignored.
        Assert.False(MulticlassFusedKernels.TrySum<float, int>(new float[29], new int[3], 10,
            MulticlassMode.CrammerSinger, false, null, HingeInputKind.Auto, NonFiniteHandling.Throw, new double[1],
            new long[100], options, out _));
        Assert.False(MulticlassFusedKernels.TrySum<float, int>(new float[30], [-1, -1, -1], 10,
            MulticlassMode.CrammerSinger, false, -1, HingeInputKind.Auto, NonFiniteHandling.Throw, new double[1],
            new long[100], options, out _));
    }

    [Fact]
    public void TrySum_LargeBatch_ThreadsGiveTheSameResultAsOneThread()
    {
        var rnd = new Random(9);
        // C = 300: a C×C matrix too large for one copy per worker, so the pass keeps to one thread.
        foreach (var c in new[] { 3, 10, 64, 300 })
        {
            var rows = (int)(UnitScheduler.ParallelThreshold / c) + 4099;
            foreach (var s in new[]
            {
                new Setting(MulticlassMode.CrammerSinger, false, -1, HingeInputKind.Auto, NonFiniteHandling.Throw, false),
                new Setting(MulticlassMode.OneVsAll, true, null, HingeInputKind.Auto, NonFiniteHandling.Throw, true),
                new Setting(MulticlassMode.CrammerSinger, true, 2, HingeInputKind.Margins, NonFiniteHandling.Propagate,
                    true),
            })
            {
                var (preds, target) = Data<float, long>(rnd, rows, c, s);
                if (s.NonFinite == NonFiniteHandling.Propagate)
                {
                    preds[rnd.Next(preds.Length)] = float.NaN;
                }

                var width = s.Mode == MulticlassMode.CrammerSinger ? 1 : c;
                var one = (Measures: new double[width], Counts: new long[c * c]);
                var four = (Measures: new double[width], Counts: new long[c * c]);
                Assert.True(MulticlassFusedKernels.TrySum<float, long>(preds, target, c, s.Mode, s.Squared,
                    s.IgnoreIndex, s.Kind, s.NonFinite, one.Measures, one.Counts,
                    KernelOptions.Default with { MaxThreads = 1 }, out var keptOne));
                Assert.True(MulticlassFusedKernels.TrySum<float, long>(preds, target, c, s.Mode, s.Squared,
                    s.IgnoreIndex, s.Kind, s.NonFinite, four.Measures, four.Counts,
                    KernelOptions.Default with { MaxThreads = 4 }, out var keptFour));
                Assert.Equal(keptOne, keptFour);
                Assert.Equal(one.Measures, four.Measures);
                Assert.Equal(one.Counts, four.Counts);
                Check(preds, target, c, s, KernelOptions.Default with { MaxThreads = 4 }, $"threaded C={c} {s}");

                // A bad class index near the end is refused on several threads too.
                var bad = (long[])target.Clone();
                bad[rows - 5] = c;
                Check(preds, bad, c, s, KernelOptions.Default with { MaxThreads = 4 }, $"threaded error C={c} {s}");
            }
        }
    }
}
