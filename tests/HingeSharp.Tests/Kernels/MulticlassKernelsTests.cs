using System.Globalization;
using System.Numerics;
using HingeSharp.Kernels;
using Xunit;

namespace HingeSharp.Tests.Kernels;

/// <summary>
/// The multiclass row kernels (Crammer–Singer and one-vs-all, probabilities, softmax and margins) at every width
/// against the plain double loop in <c>Reference/ScalarHinge.cs</c>: every class count 2..40 (below, at and across
/// vector widths) with 0..23 rows at several alignments, every target type, errors and threads.
/// </summary>
public sealed class MulticlassKernelsTests
{
    public static TheoryData<int> Widths => [.. KernelOptions.Available.Select(w => (int)w)];

    /// <summary>The widths with transposed blocks (512 and 256 bits) that this machine runs.</summary>
    public static TheoryData<int> TransposedWidths =>
        [.. KernelOptions.Available.Where(w => w >= SimdWidth.V256).Select(w => (int)w)];

    private static readonly KernelConfig[] Configs =
    [
        new(HingeInputKind.Auto, false, null),
        new(HingeInputKind.Auto, true, -1, Mode: MulticlassMode.OneVsAll),
        new(HingeInputKind.Auto, false, -100),
        new(HingeInputKind.Probabilities, true, null, Mode: MulticlassMode.OneVsAll),
        new(HingeInputKind.Logits, false, 0),
        new(HingeInputKind.Logits, true, null, Mode: MulticlassMode.OneVsAll),
        new(HingeInputKind.Margins, false, -1),
        new(HingeInputKind.Margins, true, null, Mode: MulticlassMode.OneVsAll),
        new(HingeInputKind.Auto, false, null, NonFinite: NonFiniteHandling.Propagate, Mode: MulticlassMode.OneVsAll),
        new(HingeInputKind.Margins, false, -1, NonFinite: NonFiniteHandling.Propagate),
    ];

    private static (T[] Preds, TTarget[] Target) Data<T, TTarget>(int rows, int c, int offset, KernelConfig config,
        int seed)
        where T : INumberBase<T>
        where TTarget : INumberBase<TTarget>
    {
        var rnd = new Random(seed);
        var preds = new T[offset + (rows * c)];
        var target = new TTarget[rows];
        var logits = config.Kind is HingeInputKind.Logits or HingeInputKind.Margins || seed % 3 == 0;
        for (var i = 0; i < rows * c; i++)
        {
            preds[offset + i] = T.CreateTruncating(logits ? (rnd.NextDouble() - 0.5) * 8 : rnd.NextDouble());
        }

        for (var r = 0; r < rows; r++)
        {
            var ignored = config.IgnoreIndex is { } ii && rnd.Next(5) == 0;
            target[r] = TTarget.CreateTruncating(ignored ? config.IgnoreIndex!.Value : rnd.Next(c));
            if (r % 4 == 1 && !ignored)
            {
                // Ties with the true class, as in the fixtures.
                preds[offset + (r * c) + rnd.Next(c)] = preds[offset + (r * c) + int.CreateTruncating(target[r])];
            }
        }

        if (config.NonFinite == NonFiniteHandling.Propagate && rows > 0 && seed % 2 == 0)
        {
            double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity];
            preds[offset + rnd.Next(rows * c)] = T.CreateTruncating(specials[seed / 2 % 3]);
        }

        return (preds, target);
    }

    private static void EveryShape<T>(SimdWidth width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var options = new KernelOptions(width, 1);
        var shape = 0;
        for (var c = 2; c <= 40; c++)
        {
            for (var rows = 0; rows <= 23; rows++, shape++)
            {
                var config = Configs[shape % Configs.Length];
                if (config.Kind == HingeInputKind.Probabilities && rows > 0 && config.Mode == MulticlassMode.CrammerSinger)
                {
                    config = config with { IgnoreIndex = null };
                }

                var offset = shape % 5;
                var (preds, target) = Data<T, int>(rows, c, offset, config, shape);
                KernelCheck.Multiclass(preds, offset, target, rows, c, config, options,
                    $"{width} C={c} rows={rows} offset={offset} {config}");
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_Float32EveryClassCountAndRowCount_MatchesScalarReference(int width) =>
        EveryShape<float>((SimdWidth)width);

    [Theory, MemberData(nameof(Widths))]
    public void Sum_Float64EveryClassCountAndRowCount_MatchesScalarReference(int width) =>
        EveryShape<double>((SimdWidth)width);

    private static void TargetType<T, TTarget>(SimdWidth width, int ignore)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        foreach (var c in new[] { 3, 8, 10, 17 })
        {
            foreach (var config in Configs)
            {
                var cfg = config with { IgnoreIndex = config.IgnoreIndex is null ? null : ignore };
                var (preds, target) = Data<T, TTarget>(37, c, 1, cfg, c * 31);
                KernelCheck.Multiclass(preds, 1, target, 37, c, cfg, new KernelOptions(width, 1),
                    $"{width} {typeof(T).Name}/{typeof(TTarget).Name} C={c} {cfg}");
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_EveryTargetType_MatchesScalarReference(int width)
    {
        var w = (SimdWidth)width;
        TargetType<float, byte>(w, 255);
        TargetType<float, int>(w, -1);
        TargetType<float, long>(w, -100);
        TargetType<float, short>(w, 0);
        TargetType<float, float>(w, -1);
        TargetType<double, long>(w, -1);
        TargetType<double, double>(w, 0);
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_NegativeZero_IsAProbability(int width)
    {
        var options = new KernelOptions((SimdWidth)width, 1);
        foreach (var c in new[] { 3, 5, 10, 17 })
        {
            foreach (var mode in new[] { MulticlassMode.CrammerSinger, MulticlassMode.OneVsAll })
            {
                var config = new KernelConfig(HingeInputKind.Auto, false, null, Mode: mode);
                var (preds, target) = Data<float, int>(40, c, 0, config, 2);
                preds[(20 * c) + 1] = -0f;
                KernelCheck.Multiclass(preds, 0, target, 40, c, config, options, $"C={c} {mode}");
                KernelCheck.Multiclass(preds, 0, target, 40, c, config with { Kind = HingeInputKind.Probabilities },
                    options, $"C={c} {mode} probabilities");
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sum_BadInputs_ReportTheFirstOffendingElement(int width)
    {
        var options = new KernelOptions((SimdWidth)width, 1);
        var rnd = new Random(13);
        HingeInputKind[] kinds = [HingeInputKind.Auto, HingeInputKind.Probabilities, HingeInputKind.Logits,
            HingeInputKind.Margins];
        for (var trial = 0; trial < 300; trial++)
        {
            var c = 2 + rnd.Next(20);
            var rows = 1 + rnd.Next(30);
            var mode = trial % 2 == 0 ? MulticlassMode.CrammerSinger : MulticlassMode.OneVsAll;
            var config = new KernelConfig(kinds[trial % 4], trial % 3 == 0, trial % 5 == 0 ? -1 : null, Mode: mode);
            var preds = Enumerable.Range(0, rows * c).Select(_ => rnd.NextSingle()).ToArray();
            var target = Enumerable.Range(0, rows).Select(_ => rnd.Next(c)).ToArray();
            for (var bad = rnd.Next(1, 4); bad > 0; bad--)
            {
                var i = rnd.Next(rows * c);
                switch (rnd.Next(6))
                {
                    case 0: target[i / c] = c + rnd.Next(3); break;
                    case 1: target[i / c] = -1; break;
                    case 2: preds[i] = float.NaN; break;
                    case 3: preds[i] = float.NegativeInfinity; break;
                    case 4: target[i / c] = config.IgnoreIndex ?? 0; break;
                    default: preds[i] = -0.25f; break;
                }
            }

            KernelCheck.Multiclass(preds, 0, target, rows, c, config, options, $"trial {trial} C={c} {config}");
        }

        // Crammer–Singer needs a kept row; one-vs-all gives NaN per class instead.
        var all = new KernelConfig(HingeInputKind.Auto, false, -1);
        KernelCheck.Multiclass(new float[30], 0, Enumerable.Repeat(-1, 3).ToArray(), 3, 10, all, options, "all ignored");
        KernelCheck.Multiclass(new float[30], 0, Enumerable.Repeat(-1, 3).ToArray(), 3, 10,
            all with { Mode = MulticlassMode.OneVsAll }, options, "all ignored, one-vs-all");
    }

    [Fact]
    public void Sum_LargeInput_ThreadsGiveTheSameBitsAsOneThread()
    {
        const int C = 10;
        var rows = ((int)UnitScheduler.ParallelThreshold / C) + 777;
        foreach (var mode in new[] { MulticlassMode.CrammerSinger, MulticlassMode.OneVsAll })
        {
            var config = new KernelConfig(HingeInputKind.Auto, false, -1, Mode: mode);
            var (preds, target) = Data<float, long>(rows, C, 0, config, 9);
            var one = new double[mode == MulticlassMode.CrammerSinger ? 1 : C];
            var four = new double[one.Length];
            var keptOne = MulticlassKernels.Sum<float, long>(preds, target, C, mode, false, -1, HingeInputKind.Auto,
                NonFiniteHandling.Throw, one, KernelOptions.Default with { MaxThreads = 1 });
            var keptFour = MulticlassKernels.Sum<float, long>(preds, target, C, mode, false, -1, HingeInputKind.Auto,
                NonFiniteHandling.Throw, four, KernelOptions.Default with { MaxThreads = 4 });
            Assert.Equal(keptOne, keptFour);
            Assert.Equal(one, four);
            KernelCheck.Multiclass(preds, 0, target, rows, C, config, KernelOptions.Default with { MaxThreads = 4 },
                $"threaded {mode}");

            // One logit turns the whole batch into softmax; a later bad class index is still the error reported.
            preds[(rows / 2 * C) + 3] = 4f;
            KernelCheck.Multiclass(preds, 0, target, rows, C, config, KernelOptions.Default with { MaxThreads = 4 },
                $"threaded softmax {mode}");
            target[rows - 3] = C;
            preds[C * 5] = float.NaN;
            KernelCheck.Multiclass(preds, 0, target, rows, C, config, KernelOptions.Default with { MaxThreads = 4 },
                $"threaded error {mode}");
        }
    }

    [Fact]
    public void OneVsAllBlocks_BadScoreAtEveryVectorOfABlock_AsTheScalarReference()
    {
        // Float rows of 10, 12 and 16 classes at 512 bits go through MulticlassOneVsAllBlocks (16 rows = C vectors);
        // a bad score in any of a block's vectors, an ignored or invalid row in any block, and the rows after the last
        // block give the reference's sums and errors; the bits are the same wherever the scores lie.
        if (!KernelOptions.Available.Contains(SimdWidth.V512))
        {
            return;
        }

        var options = new KernelOptions(SimdWidth.V512, 1);
        KernelConfig[] configs =
        [
            new(HingeInputKind.Auto, false, null, Mode: MulticlassMode.OneVsAll),
            new(HingeInputKind.Probabilities, true, 3, Mode: MulticlassMode.OneVsAll),
            new(HingeInputKind.Margins, false, -1, Mode: MulticlassMode.OneVsAll),
            new(HingeInputKind.Margins, true, null, NonFinite: NonFiniteHandling.Propagate,
                Mode: MulticlassMode.OneVsAll),
        ];
        float[] bad = [float.NaN, 1.5f, -0.25f, -0f, float.PositiveInfinity];
        foreach (var c in new[] { 10, 12, 16 })
        {
            foreach (var rows in new[] { 16, 48, (16 * 7) + 5, (65536 / c) + 40 })
            {
                for (var k = 0; k < configs.Length; k++)
                {
                    var config = configs[k];
                    var (preds, target) = Data<float, int>(rows, c, 0, config, (c * 100) + rows + k);
                    KernelCheck.Multiclass(preds, 0, target, rows, c, config, options, $"C={c} rows={rows} {config}");

                    // Same bits (or the same error) at every offset of a cache line.
                    var sums = new double[c];
                    string? first = null;
                    for (var offset = 0; offset < 16; offset += 5)
                    {
                        var shifted = new float[offset + preds.Length];
                        preds.CopyTo(shifted, offset);
                        Array.Clear(sums);
                        string outcome;
                        try
                        {
                            var kept = MulticlassKernels.Sum<float, int>(shifted.AsSpan(offset), target, c,
                                config.Mode, config.Squared, config.IgnoreIndex, config.Kind, config.NonFinite, sums,
                                options);
                            var bits = sums.Select(x => x.ToString("R", CultureInfo.InvariantCulture));
                            outcome = $"{kept}: {string.Join(' ', bits)}";
                        }
                        catch (HingeArgumentException ex)
                        {
                            outcome = ex.Message;
                        }

                        first ??= outcome;
                        Assert.True(first == outcome,
                            $"C={c} rows={rows} {config} offset {offset}: {outcome} against {first}");
                    }

                    // One bad score in vector q of the second block (or the first), and a bad label elsewhere.
                    for (var q = 0; q < c; q++)
                    {
                        var p = (float[])preds.Clone();
                        var t = (int[])target.Clone();
                        var block = rows >= 32 ? 16 : 0;
                        p[(block * c) + (16 * q) + (q % 16)] = bad[q % bad.Length];
                        if (q % 3 == 0 && rows > 40)
                        {
                            t[40 + (q % 8)] = q % 2 == 0 ? c : -7;
                        }

                        KernelCheck.Multiclass(p, 0, t, rows, c, config, options,
                            $"C={c} rows={rows} {config} bad score in vector {q}");
                    }
                }
            }
        }
    }

    [Fact]
    public void OneVsAllBlocks_Probabilities_ExactSumsOfTheFloatMargins()
    {
        // Probabilities' one-vs-all hinges are added as integer codes in the blocks (32-bit sums flushed into 64 bits
        // every 127 / (C / P) blocks): each class's sum must be the exact sum of its float margins fl(1 ∓ s), the bits
        // of the sequential double sum and of the row loop alone, across flushes and units, with ignored rows. The
        // scores hit the grid's edges (tiny scores whose 1 ± s rounds to 1, the last floats below 1, 0 and 1).
        if (!KernelOptions.Available.Contains(SimdWidth.V512))
        {
            return;
        }

        float[] edges = [0f, 1f, 0.5f, float.Epsilon, 1e-30f, 1f / (1 << 25), 3f / (1 << 25), float.BitDecrement(1f),
            float.BitDecrement(0.5f), 0.1f];
        var rnd = new Random(41);
        foreach (var c in new[] { 10, 12, 16 })
        {
            foreach (var rows in new[] { 16, 16 * 8, (16 * 64) + 3, (3 * 65536 / c) + 21 })
            {
                foreach (int? ignore in new int?[] { null, 2 })
                {
                    var preds = new float[rows * c];
                    var target = new int[rows];
                    for (var i = 0; i < preds.Length; i++)
                    {
                        preds[i] = rnd.Next(3) == 0 ? edges[rnd.Next(edges.Length)] : rnd.NextSingle();
                    }

                    for (var r = 0; r < rows; r++)
                    {
                        target[r] = rnd.Next(c);
                    }

                    var expected = new double[c];
                    for (var r = 0; r < rows; r++)
                    {
                        if (target[r] == ignore)
                        {
                            continue;
                        }

                        for (var j = 0; j < c; j++)
                        {
                            var s = preds[(r * c) + j];
                            expected[j] += 1f - (j == target[r] ? s : -s);
                        }
                    }

                    var blocks = new double[c];
                    var plain = new double[c];
                    var options = new KernelOptions(SimdWidth.V512, 1);
                    MulticlassKernels.Sum<float, int>(preds, target, c, MulticlassMode.OneVsAll, false, ignore,
                        HingeInputKind.Auto, NonFiniteHandling.Throw, blocks, options);
                    MulticlassKernels.Sum<float, int>(preds, target, c, MulticlassMode.OneVsAll, false, ignore,
                        HingeInputKind.Auto, NonFiniteHandling.Throw, plain, options with { PlainBlocksOnly = true });
                    for (var j = 0; j < c; j++)
                    {
                        Assert.True(expected[j] == blocks[j],
                            $"C={c} rows={rows} ignore={ignore} class {j}: {blocks[j]:R} != {expected[j]:R}");
                        Assert.True(plain[j] == blocks[j],
                            $"C={c} rows={rows} ignore={ignore} class {j}: row loop {plain[j]:R} != {blocks[j]:R}");
                    }
                }
            }
        }
    }

    [Theory, MemberData(nameof(TransposedWidths))]
    public void Sum_SameScoresAtEveryAddress_SameBitsAsThePlainBlocks(int width)
    {
        // At 512 and 256 bits, float rows of 9 to 16 classes go through the transposed blocks (MulticlassTransposedBlocks),
        // blocks with ignored rows and the last rows through the plain blocks: wherever the scores lie (each of the 16
        // offsets of a cache line), the bits are those of the plain blocks alone, and the same at every offset.
        KernelConfig[] configs =
        [
            new(HingeInputKind.Auto, false, null), new(HingeInputKind.Auto, true, -1),
            new(HingeInputKind.Margins, false, 3), new(HingeInputKind.Logits, true, null),
            new(HingeInputKind.Margins, false, null, NonFinite: NonFiniteHandling.Propagate),
        ];
        var options = new KernelOptions((SimdWidth)width, 1);
        var plain = options with { PlainBlocksOnly = true };
        foreach (var c in new[] { 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 })
        {
            foreach (var rows in new[] { 33, 200, (16 * 41) + 5, (65536 / c) + 77 })
            {
                for (var k = 0; k < configs.Length; k++)
                {
                    var config = configs[k];
                    var (data, target) = Data<float, int>(rows, c, 0, config, (c * 1000) + rows + k);
                    double[]? expected = null;
                    long expectedKept = 0;
                    for (var offset = 0; offset < 16; offset++)
                    {
                        var preds = new float[offset + data.Length];
                        data.CopyTo(preds, offset);
                        var scores = preds.AsSpan(offset);
                        var sums = new double[config.Mode == MulticlassMode.CrammerSinger ? 1 : c];
                        var plainSums = new double[sums.Length];
                        var kept = MulticlassKernels.Sum<float, int>(scores, target, c, config.Mode, config.Squared,
                            config.IgnoreIndex, config.Kind, config.NonFinite, sums, options);
                        var plainKept = MulticlassKernels.Sum<float, int>(scores, target, c, config.Mode,
                            config.Squared, config.IgnoreIndex, config.Kind, config.NonFinite, plainSums, plain);
                        var what = $"C={c} rows={rows} offset={offset} {config}";
                        Assert.True(kept == plainKept && sums.SequenceEqual(plainSums),
                            $"{what}: {sums[0]:R} ({kept}) against the plain blocks' {plainSums[0]:R} ({plainKept})");
                        expected ??= sums;
                        expectedKept = offset == 0 ? kept : expectedKept;
                        Assert.True(kept == expectedKept && sums.SequenceEqual(expected),
                            $"{what}: {sums[0]:R} ({kept}) against offset 0's {expected[0]:R} ({expectedKept})");
                    }
                }
            }
        }
    }
}
