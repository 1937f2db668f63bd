using System.Globalization;
using System.Text;
using HingeSharp.Classification;
using HingeSharp.Cli.Eval;
using HingeSharp.Cli.IO;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Functional;

namespace HingeSharp.Cli.Tests.IO;

/// <summary>
/// The ways <c>hinge eval</c> reads a file pair — one thread or the predictions and targets at once on two, .npy
/// read into a buffer or memory-mapped, .csv through Sep — give the core functional's value on the same numbers over
/// many chunks, and the same message for an error in a late chunk.
/// </summary>
[Collection(NpyMappingGroup.Name)]
public sealed class ChunkedReadTests : IDisposable
{
    private const int Rows = 50_000;
    private readonly TempDir _dir = new();
    private readonly double[] _preds;
    private readonly double[] _target;

    public ChunkedReadTests()
    {
        var random = new Random(20261203);
        _preds = Enumerable.Range(0, Rows).Select(_ => (double)(float)random.NextDouble()).ToArray();
        _target = Enumerable.Range(0, Rows).Select(_ => (double)random.Next(2)).ToArray();
    }

    public void Dispose() => _dir.Dispose();

    private double Expected => HingeFunctional.BinaryHingeLoss<float, long>(
        _preds.Select(x => (float)x).ToArray(), _target.Select(x => (long)x).ToArray());

    public static TheoryData<bool, bool> Modes => new() { { false, false }, { true, false }, { false, true }, { true, true } };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Npy_EveryReadMode_EqualsFunctional(bool parallel, bool mapped)
    {
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [Rows], _preds);
        var t = NpyWriter.Write(_dir, "t.npy", "<i4", [Rows], _target);
        var result = WithMapping(mapped, () => EvalRunner.Run(p, t, Settings(parallel)));
        Assert.Equal(Rows, result.Rows);
        Assert.Equal(Expected, (double)result.Value, 12);
    }

    /// <summary>Auto's decision over a file (its one-pass bit test, then the exact test for a chunk it flags): −0
    /// and exactly 0 or 1 keep probabilities; one value just outside [0, 1], a NaN's neighbour or −0 beside a negative,
    /// in a late chunk, makes the whole file logits, as the functional decides for one update. float32 and float64
    /// .npy and .csv alike.</summary>
    [Theory]
    [InlineData("<f4", 0d, "probabilities")]
    [InlineData("<f8", 0d, "probabilities")]
    [InlineData("csv", 0d, "probabilities")]
    [InlineData("<f4", 1.0000001d, "logits")]
    [InlineData("<f8", 1.0000000000000002d, "logits")]
    [InlineData("csv", -1e-30d, "logits")]
    [InlineData("<f8", -5e-324d, "logits")]
    public void Auto_EdgeValuesInALateChunk_DecideAsTheFunctional(string type, double late, string kind)
    {
        var preds = _preds.Select(x => (double)(float)x).ToArray();
        preds[10] = -0d;
        preds[11] = 0d;
        preds[12] = 1d;
        preds[Rows - 7] = late == 0 ? -0d : late;
        var p = type == "csv"
            ? _dir.Write("p.csv", Lines(preds.Select(x => x.ToString("R", CultureInfo.InvariantCulture))))
            : NpyWriter.Write(_dir, "p.npy", type, [Rows], preds);
        var t = NpyWriter.Write(_dir, "t.npy", "<i4", [Rows], _target);
        var result = EvalRunner.Run(p, t, Settings(true) with { ChunkRows = 999 });
        Assert.Equal(kind, result.InputKind == HingeInputKind.Probabilities ? "probabilities" : "logits");
        var target = _target.Select(x => (long)x).ToArray();
        var expected = type == "<f4"
            ? HingeFunctional.BinaryHingeLoss<float, long>(preds.Select(x => (float)x).ToArray(), target)
            : HingeFunctional.BinaryHingeLoss<double, long>(preds, target);
        Assert.Equal(expected, (double)result.Value, 1e-12 * expected);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Csv_BothReadModes_EqualFunctional(bool parallel)
    {
        var p = _dir.Write("p.csv", Lines(_preds.Select(x => ((float)x).ToString("R", CultureInfo.InvariantCulture))));
        var t = _dir.Write("t.csv", Lines(_target.Select(x => x.ToString(CultureInfo.InvariantCulture))));
        var result = EvalRunner.Run(p, t, Settings(parallel) with { ChunkRows = 999 });
        Assert.Equal(Rows, result.Rows);

        // .csv predictions are float64: the value of the same numbers as doubles (summed chunk by chunk here, so
        // equal to rounding).
        var expected = HingeFunctional.BinaryHingeLoss<double, long>(
            _preds.Select(x => (double)(float)x).ToArray(), _target.Select(x => (long)x).ToArray());
        Assert.Equal(expected, (double)result.Value, 1e-12 * expected);
    }

    /// <summary>Numbers written in 1 to 40 chars (leading and trailing zeros, signs: the split walk copies 4 to 16
    /// chars with two overlapping moves, others with a span copy) read as the same doubles in both read modes, and a
    /// bad cell of each length is named with its text.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Csv_CellsOfEveryLength_ReadAsTheirNumbers(bool parallel)
    {
        var random = new Random(77);
        var values = new List<double>();
        var cells = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var digits = random.Next(0, 8);
            var text = (random.Next(8) switch
            {
                0 => random.Next(10).ToString(CultureInfo.InvariantCulture),
                1 => "0." + random.Next(100).ToString(CultureInfo.InvariantCulture),
                2 => ((float)random.NextDouble()).ToString("R", CultureInfo.InvariantCulture),
                3 => random.NextDouble().ToString("R", CultureInfo.InvariantCulture),
                _ => Math.Round(random.NextDouble(), digits).ToString("F" + digits, CultureInfo.InvariantCulture),
            }).PadLeft(1 + random.Next(20), '0');
            text = random.Next(5) == 0 ? "+" + text : text;
            values.Add(double.Parse(text, CultureInfo.InvariantCulture));
            cells.Add(text);
        }

        Assert.InRange(cells.Max(c => c.Length), 20, 40);
        Assert.Equal(1, cells.Min(c => c.Length));
        var target = values.Select((_, i) => (long)(i % 2)).ToArray();
        var t = _dir.Write("t.csv", Lines(target.Select(x => x.ToString(CultureInfo.InvariantCulture))));
        var p = _dir.Write("p.csv", Lines(cells));
        var result = EvalRunner.Run(p, t,
            Settings(parallel) with { ChunkRows = 4_096, InputKind = HingeInputKind.Margins });
        var expected = HingeFunctional.BinaryHingeLoss<double, long>([.. values], target,
            inputKind: HingeInputKind.Margins);
        Assert.Equal(expected, (double)result.Value, 1e-12 * expected);

        foreach (var length in new[] { 1, 3, 4, 7, 8, 12, 16, 17, 33 })
        {
            var bad = new List<string>(cells) { [1234] = new string('x', length) };
            var file = _dir.Write($"bad{length}.csv", Lines(bad));
            var e = Assert.Throws<CliInputException>(() =>
                EvalRunner.Run(file, t, Settings(parallel) with { ChunkRows = 999 }));
            Assert.Equal($"{file}: line 1235, column 1: '{new string('x', length)}' is not a number", e.Message);
        }
    }

    /// <summary>Cells padded with blanks (spaces, tabs, no-break spaces, a Unicode em space) or wrapped in quotes,
    /// read as the bare numbers are, in both read modes.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Csv_PaddedAndQuotedCells_ReadAsTheBareNumbers(bool parallel)
    {
        string[] pads = ["", " ", "\t", "\u00A0", "\u2003", " \u00A0"];
        string Cell(string text, int i) => (i % 7) switch
        {
            0 => pads[i % pads.Length] + text,
            1 => text + pads[(i / 7) % pads.Length],
            2 => "\"" + text + "\"",
            3 => " \"" + text + "\"\u00A0",
            _ => text,
        };

        var bare = EvalRunner.Run(
            _dir.Write("p0.csv", Lines(_preds.Take(5000).Select(x => x.ToString("R", CultureInfo.InvariantCulture)))),
            _dir.Write("t0.csv", Lines(_target.Take(5000).Select(x => x.ToString(CultureInfo.InvariantCulture)))),
            Settings(parallel) with { ChunkRows = 999 });
        var padded = EvalRunner.Run(
            _dir.Write("p1.csv", Lines(_preds.Take(5000).Select((x, i) =>
                Cell(x.ToString("R", CultureInfo.InvariantCulture), i)))),
            _dir.Write("t1.csv", Lines(_target.Take(5000).Select((x, i) =>
                Cell(x.ToString(CultureInfo.InvariantCulture), i + 3)))),
            Settings(parallel) with { ChunkRows = 999 });
        Assert.Equal(bare.Rows, padded.Rows);
        Assert.Equal((double)bare.Value, (double)padded.Value);
    }

    /// <summary>In a chunk of many parse blocks (the two threads parse blocks as the walk publishes them, in any
    /// order), the first bad cell in file order is the one reported, whichever block is parsed first; a ragged row
    /// after it does not hide it, and one before it is reported instead.</summary>
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    public void Csv_SeveralBadCellsInOneLargeChunk_FirstInFileOrderReported(bool parallel, int raggedFirst)
    {
        var cells = _preds.Select(x => x.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        cells[31_000] = "nope";
        cells[23_456] = "0.5x";
        cells[raggedFirst == 1 ? 12_000 : 36_000] = "0.5,0.5";
        var p = _dir.Write("p.csv", Lines(cells));
        var t = _dir.Write("t.csv", Lines(_target.Select(x => x.ToString(CultureInfo.InvariantCulture))));
        var e = Assert.Throws<CliInputException>(() =>
            EvalRunner.Run(p, t, Settings(parallel) with { ChunkRows = 40_000 }));
        Assert.Equal(raggedFirst == 1
            ? $"{p}: line 12001: expected 1 column (as on line 1) but found 2"
            : $"{p}: line 23457, column 1: '0.5x' is not a number", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Csv_BadCellInLateChunk_SameMessageInBothReadModes(bool parallel)
    {
        var cells = _preds.Select(x => x.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        cells[40_000] = "0.5x";
        var p = _dir.Write("p.csv", "score\n\n" + Lines(cells));
        var t = _dir.Write("t.csv", Lines(_target.Select(x => x.ToString(CultureInfo.InvariantCulture))));
        var e = Assert.Throws<CliInputException>(() => EvalRunner.Run(p, t, Settings(parallel) with { ChunkRows = 777 }));

        // Line 1 is the header, line 2 blank: data row 40,000 (from 0) is on line 40,003.
        Assert.Equal($"{p}: line 40003, column 1: '0.5x' is not a number", e.Message);
    }

    /// <summary>With chunks of 20,000 rows the parallel read splits each chunk's number parsing over two threads: the
    /// value equals the sequential read's, and the first bad cell in file order is the one named, whichever half (or
    /// both) holds a bad cell.</summary>
    [Theory]
    [InlineData(new[] { 5_000 })]
    [InlineData(new[] { 15_000 })]
    [InlineData(new[] { 15_000, 5_000 })]
    [InlineData(new[] { 45_000, 31_000 })]
    public void Csv_SplitParse_FirstBadCellInFileOrder(int[] badRows)
    {
        var cells = _preds.Select(x => ((float)x).ToString("R", CultureInfo.InvariantCulture)).ToArray();
        var p0 = _dir.Write("p0.csv", Lines(cells));
        var t = _dir.Write("t.csv", Lines(_target.Select(x => x.ToString(CultureInfo.InvariantCulture))));
        var parallel = EvalRunner.Run(p0, t, Settings(true) with { ChunkRows = 20_000 });
        var sequential = EvalRunner.Run(p0, t, Settings(false) with { ChunkRows = 20_000 });
        Assert.Equal(sequential.Value, parallel.Value);
        Assert.Equal(Rows, parallel.Rows);

        foreach (var r in badRows)
        {
            cells[r] = "x" + r.ToString(CultureInfo.InvariantCulture);
        }

        var p = _dir.Write("p.csv", Lines(cells));
        var first = badRows.Min();
        foreach (var mode in new[] { false, true })
        {
            var e = Assert.Throws<CliInputException>(() =>
                EvalRunner.Run(p, t, Settings(mode) with { ChunkRows = 20_000 }));
            Assert.Equal($"{p}: line {first + 1}, column 1: 'x{first}' is not a number", e.Message);
        }
    }

    /// <summary>Cells long enough to grow the split parse's text buffer in the middle of a chunk: the value equals the
    /// sequential read's at the same chunk size, and the first bad cell (at random places, in any chunk and either
    /// half) is the one named, run after run.</summary>
    [Fact]
    public void Csv_SplitParse_GrowingTextAndRandomBadCells_AsTheSequentialRead()
    {
        var random = new Random(23);
        var cells = _preds.Select((x, i) => (i % 997 == 5 ? new string('0', 3000 + (i % 7)) : string.Empty) +
            ((float)x).ToString("R", CultureInfo.InvariantCulture)).ToArray();
        var t = _dir.Write("t.csv", Lines(_target.Select(x => x.ToString(CultureInfo.InvariantCulture))));
        var p0 = _dir.Write("p0.csv", Lines(cells));
        var sequential = EvalRunner.Run(p0, t, Settings(false) with { ChunkRows = 30_000 });
        Assert.Equal(sequential.Value, EvalRunner.Run(p0, t, Settings(true) with { ChunkRows = 30_000 }).Value);
        Assert.Equal(EvalRunner.Run(p0, t, Settings(false) with { ChunkRows = 4_321 }).Value,
            EvalRunner.Run(p0, t, Settings(true) with { ChunkRows = 4_321 }).Value);

        for (var run = 0; run < 6; run++)
        {
            var bad = (string[])cells.Clone();
            var rows = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => random.Next(Rows)).ToArray();
            foreach (var r in rows)
            {
                bad[r] = "bad" + r.ToString(CultureInfo.InvariantCulture);
            }

            var p = _dir.Write($"p{run + 1}.csv", Lines(bad));
            var first = rows.Min();
            var e = Assert.Throws<CliInputException>(() =>
                EvalRunner.Run(p, t, Settings(true) with { ChunkRows = run % 2 == 0 ? 30_000 : 2_500 }));
            Assert.Equal($"{p}: line {first + 1}, column 1: 'bad{first}' is not a number", e.Message);
        }
    }

    /// <summary>In one split chunk, a bad number before a ragged row is reported, and a ragged row before a bad
    /// number is; a bad target in the same chunk comes after the predictions' error, as in a sequential read.
    /// </summary>
    [Theory]
    [InlineData(3_000, 12_000, "number")]
    [InlineData(12_000, 3_000, "ragged")]
    public void Csv_SplitParse_ErrorsInFileOrder(int badNumberRow, int raggedRow, string expected)
    {
        var cells = _preds.Select(x => ((float)x).ToString("R", CultureInfo.InvariantCulture)).ToArray();
        cells[badNumberRow] = "nope";
        cells[raggedRow] = "0.5,0.5";
        var labels = _target.Select(x => x.ToString(CultureInfo.InvariantCulture)).ToArray();
        labels[100] = "0.5";
        var p = _dir.Write("p.csv", Lines(cells));
        var t = _dir.Write("t.csv", Lines(labels));
        foreach (var mode in new[] { false, true })
        {
            var e = Assert.Throws<CliInputException>(() =>
                EvalRunner.Run(p, t, Settings(mode) with { ChunkRows = 20_000 }));
            Assert.Equal(expected == "number"
                ? $"{p}: line {badNumberRow + 1}, column 1: 'nope' is not a number"
                : $"{p}: line {raggedRow + 1}: expected 1 column (as on line 1) but found 2", e.Message);
        }
    }

    /// <summary>Line numbers count every line ending as a text editor does (\n, \r\n and a lone \r), blank and
    /// whitespace-only lines included, in a late chunk: the bad cell's line is found independently here.</summary>
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Csv_LineEndingsAndBlankLines_NameTheBadCellsLine(string newline)
    {
        var random = new Random(7);
        var text = new StringBuilder("score").Append(newline);
        var labels = new StringBuilder();
        const int bad = 4_321;
        for (var i = 0; i < 6_000; i++)
        {
            while (random.Next(10) == 0)
            {
                text.Append(random.Next(2) == 0 ? string.Empty : " \t").Append(newline); // blank lines
            }

            text.Append(i == bad ? "0.5x" : "0.25").Append(newline);
            labels.Append(i % 2).Append('\n');
        }

        var before = text.ToString()[..text.ToString().IndexOf("0.5x", StringComparison.Ordinal)];
        var expectedLine = before.Split(newline).Length;
        var p = _dir.Write("p.csv", text.ToString());
        var t = _dir.Write("t.csv", labels.ToString());
        var e = Assert.Throws<CliInputException>(() => EvalRunner.Run(p, t, Settings(true) with { ChunkRows = 500 }));
        Assert.Equal($"{p}: line {expectedLine}, column 1: '0.5x' is not a number", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Csv_BadLabelInLateChunk_NamesTargetFileAndLine(bool parallel)
    {
        var labels = _target.Select(x => x.ToString(CultureInfo.InvariantCulture)).ToArray();
        labels[33_333] = "0.5";
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [Rows], _preds);
        var t = _dir.Write("t.csv", Lines(labels));
        var e = Assert.Throws<CliInputException>(() => EvalRunner.Run(p, t, Settings(parallel) with { ChunkRows = 500 }));
        Assert.Equal($"{t}: line 33334, column 1: '0.5' is not an integer label", e.Message);
    }

    /// <summary>
    /// A .npy pair read with the next chunk read ahead on pool threads while the sinks run (the parallel mode) gives
    /// the sequential read's bits and messages: Auto turning to logits in a late chunk, an invalid label, a NaN and a
    /// short file late in the pass, and byte-swapped and converted dtypes (whose per-chunk copies must not be
    /// overwritten by the read-ahead).
    /// </summary>
    [Theory]
    [InlineData("logits", "<f4", "<i4")]
    [InlineData("label", "<f4", "<i4")]
    [InlineData("nan", "<f8", "<i8")]
    [InlineData("short", "<f4", "|i1")]
    [InlineData("logits", ">f4", ">i2")]
    [InlineData("none", ">f8", "|u1")]
    public void Npy_ReadAheadLateChunkCases_AsTheSequentialRead(string late, string predsType, string targetType)
    {
        var preds = _preds.ToArray();
        var target = _target.ToArray();
        switch (late)
        {
            case "logits":
                for (var i = 40_000; i < Rows; i++)
                {
                    preds[i] = (preds[i] - 0.5) * 9;
                }

                break;
            case "label":
                target[33_333] = 2;
                break;
            case "nan":
                preds[45_001] = double.NaN;
                break;
        }

        var p = NpyWriter.Write(_dir, "p.npy", predsType, [Rows], preds);
        var t = late == "short"
            ? NpyWriter.Write(_dir, "t.npy", targetType, [Rows - 5], target.Take(Rows - 5).ToArray())
            : NpyWriter.Write(_dir, "t.npy", targetType, [Rows], target);
        foreach (var chunk in new[] { 1_000, 4_096, 7_777 })
        {
            EvalResult Run(bool parallel) =>
                EvalRunner.Run(p, t, Settings(parallel) with { ChunkRows = chunk });

            if (late is "label" or "nan" or "short")
            {
                var sequential = Assert.Throws<CliInputException>(() => Run(false));
                Assert.Equal(sequential.Message, Assert.Throws<CliInputException>(() => Run(true)).Message);
                continue;
            }

            var one = Run(false);
            var two = Run(true);
            Assert.Equal(late == "logits" ? HingeInputKind.Logits : HingeInputKind.Probabilities, two.InputKind);
            Assert.Equal(one.InputKind, two.InputKind);
            Assert.Equal(((double)one.Value).ToString("R", CultureInfo.InvariantCulture),
                ((double)two.Value).ToString("R", CultureInfo.InvariantCulture));
            Assert.Equal(Rows, two.Rows);
        }
    }

    /// <summary>
    /// .csv predictions walked a chunk ahead (the parallel mode starts the next chunk's walk before the current one
    /// goes through the sinks): an error the sinks find in a chunk names that chunk's line (blank lines make lines and
    /// rows differ) and comes before a bad cell of the chunk walked ahead; short targets count the rows walked ahead
    /// (a ragged row among them too), exactly as the sequential read reports them.
    /// </summary>
    [Theory]
    [InlineData("nan-before-bad-cell")]
    [InlineData("label-before-ragged")]
    [InlineData("short-targets")]
    [InlineData("short-targets-ragged-ahead")]
    [InlineData("bad-cell-ahead")]
    public void Csv_ChunkWalkedAhead_SameMessagesAsTheSequentialRead(string scenario)
    {
        var cells = _preds.Select(x => ((float)x).ToString("R", CultureInfo.InvariantCulture)).ToList();
        var labels = _target.Select(x => x.ToString(CultureInfo.InvariantCulture)).ToList();
        var targetRows = Rows;
        switch (scenario)
        {
            case "nan-before-bad-cell":
                cells[2_500] = "nan";          // chunk 2 (1000 rows a chunk): the sinks reject it
                cells[3_100] = "x";            // chunk 3, walked ahead meanwhile
                break;
            case "label-before-ragged":
                labels[4_321] = "2";
                cells[5_050] += ",1";
                break;
            case "short-targets":
                targetRows = 7_500;
                break;
            case "short-targets-ragged-ahead":
                targetRows = 6_500;            // targets end in chunk 6; chunk 7 is walked ahead
                cells[7_400] += ",1";
                break;
            case "bad-cell-ahead":
                cells[9_999] = "1.2.3";
                break;
        }

        // Blank lines between rows (so that line numbers are not row numbers), in both files.
        var pText = new StringBuilder();
        for (var i = 0; i < Rows; i++)
        {
            pText.Append(cells[i]).Append('\n');
            if (i % 777 == 0)
            {
                pText.Append('\n');
            }
        }

        var p = _dir.Write("p.csv", pText.ToString());
        var t = _dir.Write("t.csv", Lines(labels.Take(targetRows)));
        foreach (var chunk in new[] { 1_000, 999 })
        {
            var sequential = Assert.Throws<CliInputException>(() =>
                EvalRunner.Run(p, t, Settings(false) with { ChunkRows = chunk }));
            var parallel = Assert.Throws<CliInputException>(() =>
                EvalRunner.Run(p, t, Settings(true) with { ChunkRows = chunk }));
            Assert.Equal(sequential.Message, parallel.Message);
            var expected = scenario switch
            {
                "nan-before-bad-cell" => $"{p}: line {2_500 + 1 + 4}",
                "label-before-ragged" => $"{t}: line {4_321 + 1}",
                "bad-cell-ahead" => $"{p}: line {9_999 + 1 + 13}, column 1: '1.2.3' is not a number",
                _ => Rows.ToString(CultureInfo.InvariantCulture),
            };
            Assert.Contains(expected, parallel.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Npy_ShortTargets_SameRowMismatchInBothReadModes(bool parallel)
    {
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [Rows], _preds);
        var t = NpyWriter.Write(_dir, "t.npy", "<i4", [Rows - 3], _target.Take(Rows - 3).ToArray());
        var sequential = Assert.Throws<CliInputException>(() => EvalRunner.Run(p, t, Settings(false)));
        var e = Assert.Throws<CliInputException>(() => EvalRunner.Run(p, t, Settings(parallel)));
        Assert.Equal(sequential.Message, e.Message);
        Assert.Contains((Rows - 3).ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    private static EvalSettings Settings(bool parallel) =>
        new(HingeTask.Binary, ChunkRows: 4096, ParallelRead: parallel);

    private static string Lines(IEnumerable<string> cells)
    {
        var sb = new StringBuilder();
        foreach (var cell in cells)
        {
            sb.Append(cell).Append('\n');
        }

        return sb.ToString();
    }

    private static T WithMapping<T>(bool mapped, Func<T> run)
    {
        var before = NpyData.MapFiles;
        NpyData.MapFiles = mapped;
        try
        {
            return run();
        }
        finally
        {
            NpyData.MapFiles = before;
        }
    }
}

/// <summary>Tests that switch <see cref="NpyData.MapFiles"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NpyMappingGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "NpyMapping";
}
