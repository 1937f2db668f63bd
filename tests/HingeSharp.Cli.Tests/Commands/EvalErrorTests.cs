using HingeSharp.Cli.Tests.Infrastructure;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// Every bad-input path of <c>hinge eval</c>: exit 2, nothing on stdout, one line on stderr naming the file and the
/// place (line/column for .csv, element for .npy, byte or header for a broken .npy).
/// </summary>
public sealed class EvalErrorTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _target3;
    private readonly string _preds3;

    public EvalErrorTests()
    {
        _target3 = NpyWriter.Write(_dir, "target.npy", "<i8", [3], [0, 1, 1]);
        _preds3 = NpyWriter.Write(_dir, "preds.npy", "<f4", [3], [0.5, 0.7, 0.1]);
    }

    public void Dispose() => _dir.Dispose();

    private static CliRun Binary(string preds, string target, params string[] extra) =>
        Hinge.Run(["eval", "--task", "binary", "--preds", preds, "--target", target, "--format", "json", .. extra]);

    [Fact]
    public void Eval_WrongMagic_Exit2NamingFile()
    {
        var bad = _dir.Write("bad.npy", "this is not numpy at all"u8.ToArray());
        var line = Binary(bad, _target3).BadInput();
        Assert.Contains("bad.npy: byte 0: not a .npy file (wrong magic", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_TruncatedHeader_Exit2()
    {
        var full = NpyWriter.Bytes("<f4", [3], [0.5, 0.7, 0.1]);
        var bad = _dir.Write("short.npy", full[..40]);
        var line = Binary(bad, _target3).BadInput();
        Assert.Contains("short.npy: byte 40: truncated header", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_TruncatedPreamble_Exit2()
    {
        var full = NpyWriter.Bytes("<f4", [3], [0.5, 0.7, 0.1]);
        var line = Binary(_dir.Write("tiny.npy", full[..7]), _target3).BadInput();
        Assert.Contains("tiny.npy: byte 7: truncated header", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_TruncatedData_Exit2NamingFirstMissingElement()
    {
        var full = NpyWriter.Bytes("<f4", [3], [0.5, 0.7, 0.1]);
        var bad = _dir.Write("cut.npy", full[..^6]); // element 1 is cut in half, element 2 missing
        var line = Binary(bad, _target3).BadInput();
        Assert.Contains("cut.npy: element [1]: truncated data", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_UnsupportedVersion_Exit2()
    {
        var bytes = NpyWriter.Bytes("<f4", [3], [0.5, 0.7, 0.1]);
        bytes[6] = 4;
        var line = Binary(_dir.Write("v4.npy", bytes), _target3).BadInput();
        Assert.Contains("v4.npy: byte 6: unsupported .npy format version 4.0", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_ComplexDtype_Exit2()
    {
        var bad = NpyWriter.Write(_dir, "complex.npy", "<c8", [3], [0.5, 0.7, 0.1]);
        var line = Binary(bad, _target3).BadInput();
        Assert.Contains("complex.npy: header: unsupported dtype '<c8'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_IntegerPreds_Exit2()
    {
        var bad = NpyWriter.Write(_dir, "ints.npy", "<i8", [3], [0, 1, 1]);
        var line = Binary(bad, _target3).BadInput();
        Assert.Contains("ints.npy: header: predictions must be float32 or float64, got '<i8'", line,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_FloatTarget_Exit2()
    {
        var bad = NpyWriter.Write(_dir, "ftarget.npy", "<f4", [3], [0, 1, 1]);
        var line = Binary(_preds3, bad).BadInput();
        Assert.Contains("ftarget.npy: header: targets must be integers or bools", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_FortranOrder_Exit2()
    {
        var bad = _dir.Write("fortran.npy", NpyWriter.Bytes("<f4", [3, 2], [0, 0, 0, 0, 0, 0], fortran: true));
        var line = Binary(bad, _target3).BadInput();
        Assert.Contains("fortran.npy: header: Fortran-ordered arrays are not supported", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_MalformedHeaderDict_Exit2()
    {
        var bad = _dir.Write("dict.npy", NpyWriter.Bytes("<f4", [1], [0.5], headerOverride: "{'descr': '<f4', 'shape': (1,"));
        var line = Binary(bad, _target3).BadInput();
        Assert.Contains("dict.npy: header: malformed header dict", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_CsvNonNumberCell_Exit2WithLineAndColumn()
    {
        var preds = _dir.Write("preds.csv", "a,b\n0.1,0.2\n0.3,x7\n");
        var target = _dir.Write("target.csv", "0,1\n1,0\n");
        var line = Binary(preds, target).BadInput();
        Assert.Contains("preds.csv: line 3, column 2: 'x7' is not a number", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_CsvNonIntegerTarget_Exit2WithLineAndColumn()
    {
        var preds = _dir.Write("preds.csv", "0.1\n0.2\n");
        var target = _dir.Write("target.csv", "0\n0.5\n");
        var line = Binary(preds, target).BadInput();
        Assert.Contains("target.csv: line 2, column 1: '0.5' is not an integer label", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_CsvRaggedRows_Exit2WithLine()
    {
        var preds = _dir.Write("preds.csv", "0.1,0.2,0.7\n0.3,0.3,0.4\n\n0.5,0.5\n");
        var target = _dir.Write("target.csv", "0\n1\n2\n");
        var line = Hinge.Run("eval", "--task", "multiclass", "--preds", preds, "--target", target).BadInput();
        Assert.Contains("preds.csv: line 4: expected 3 columns (as on line 1) but found 2", line,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_RowCountMismatchNpy_Exit2NamingBothFiles()
    {
        var target = NpyWriter.Write(_dir, "target4.npy", "<i8", [4], [0, 1, 1, 0]);
        var line = Binary(_preds3, target).BadInput();
        Assert.Contains("preds.npy has 3 rows but", line, StringComparison.Ordinal);
        Assert.Contains("target4.npy has 4", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_RowCountMismatchCsvAcrossChunks_Exit2WithExactCounts()
    {
        var preds = CsvWriter.Write(_dir, "preds.csv", Enumerable.Repeat(0.5, 10).ToArray(), 1);
        var target = CsvWriter.Write(_dir, "target.csv", Enumerable.Repeat(1.0, 7).ToArray(), 1);
        var line = Binary(preds, target, "--chunk-rows", "3").BadInput();
        Assert.Contains("preds.csv has 10 rows but", line, StringComparison.Ordinal);
        Assert.Contains("target.csv has 7", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_EmptyCsv_Exit2()
    {
        var line = Binary(_dir.Write("empty.csv", ""), _target3).BadInput();
        Assert.Contains("empty.csv: the file is empty", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_HeaderOnlyCsv_Exit2()
    {
        var line = Binary(_dir.Write("header.csv", "p\n"), _target3).BadInput();
        Assert.Contains("header.csv: holds no data rows (only a header on line 1)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_EmptyNpyFile_Exit2()
    {
        var line = Binary(_dir.Write("empty.npy", []), _target3).BadInput();
        Assert.Contains("empty.npy: byte 0: the file is empty", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_ZeroRowNpy_Exit2()
    {
        var line = Binary(NpyWriter.Write(_dir, "zero.npy", "<f4", [0], []), _target3).BadInput();
        Assert.Contains("zero.npy: header: holds no rows (shape (0,))", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_MissingFile_Exit2()
    {
        var line = Binary(_dir.File("nope.npy"), _target3).BadInput();
        Assert.Contains("nope.npy: no such file", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_Directory_Exit2()
    {
        var line = Binary(_preds3, _dir.Path).BadInput();
        Assert.Contains($"{_dir.Path}: is a directory", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_BadBinaryTargetInLaterChunk_Exit2WithFileLineAndGlobalIndex()
    {
        var preds = CsvWriter.Write(_dir, "preds.csv", Enumerable.Repeat(0.5, 12).ToArray(), 1, header: "p");
        var labels = Enumerable.Repeat(1.0, 12).ToArray();
        labels[10] = 2;
        var target = CsvWriter.Write(_dir, "target.csv", labels, 1, header: "y");
        var line = Binary(preds, target, "--chunk-rows", "4").BadInput();
        // Row 10 is in the third chunk (local index 2); line 12 counts the header.
        Assert.Contains("target.csv: line 12, column 1: ", line, StringComparison.Ordinal);
        Assert.Contains("`target[10]` = 2", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_OutOfRangeClassIndexNpy_Exit2WithElement()
    {
        var preds = NpyWriter.Write(_dir, "scores.npy", "<f4", [5, 3], Enumerable.Repeat(0.3, 15).ToArray());
        var target = NpyWriter.Write(_dir, "classes.npy", "<i4", [5], [0, 1, 2, 0, 3]);
        var line = Hinge.Run("eval", "--task", "multiclass", "--preds", preds, "--target", target, "--chunk-rows",
            "2").BadInput();
        Assert.Contains("classes.npy: element [4]: ", line, StringComparison.Ordinal);
        Assert.Contains("`target[4]` = 3", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_NotAProbabilityWithExplicitKind_Exit2WithRowAndColumn()
    {
        var scores = Enumerable.Repeat(0.3, 12).ToArray();
        scores[7] = 1.5; // row 2, column 1
        var preds = NpyWriter.Write(_dir, "scores.npy", "<f8", [4, 3], scores);
        var target = NpyWriter.Write(_dir, "classes.npy", "<i8", [4], [0, 1, 2, 0]);
        var line = Hinge.Run("eval", "--task", "multiclass", "--preds", preds, "--target", target, "--input-kind",
            "probabilities", "--chunk-rows", "2").BadInput();
        Assert.Contains("scores.npy: element [2, 1]: ", line, StringComparison.Ordinal);
        Assert.Contains("`preds[7]` = 1.5", line, StringComparison.Ordinal);
        Assert.DoesNotContain("HingeInputKind", line, StringComparison.Ordinal); // command-line words, not C# ones
    }

    [Fact]
    public void Eval_NaNPrediction_Exit2WithLine()
    {
        var preds = _dir.Write("preds.csv", "0.1\n0.2\nnan\n0.4\n");
        var target = _dir.Write("target.csv", "0\n1\n1\n0\n");
        var line = Binary(preds, target, "--chunk-rows", "2").BadInput();
        Assert.Contains("preds.csv: line 3, column 1: ", line, StringComparison.Ordinal);
        Assert.Contains("`preds[2]` = NaN", line, StringComparison.Ordinal);
        Assert.DoesNotContain("NonFiniteHandling", line, StringComparison.Ordinal); // command-line words, not C# ones
    }

    [Fact]
    public void Eval_BinaryShapesDiffer_Exit2()
    {
        var preds = NpyWriter.Write(_dir, "wide.npy", "<f4", [3, 2], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
        var line = Binary(preds, _target3).BadInput();
        Assert.Contains("target.npy: has 1 value per row but", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_NumClassesDisagreesWithColumns_Exit2()
    {
        var preds = NpyWriter.Write(_dir, "scores.npy", "<f4", [2, 3], [0.1, 0.2, 0.7, 0.3, 0.3, 0.4]);
        var target = NpyWriter.Write(_dir, "classes.npy", "<i8", [2], [0, 1]);
        var line = Hinge.Run("eval", "--task", "multiclass", "--num-classes", "4", "--preds", preds, "--target",
            target).BadInput();
        Assert.Contains("scores.npy: has 3 scores per row but --num-classes is 4", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_AllRowsIgnoredCrammerSinger_Exit2()
    {
        var preds = NpyWriter.Write(_dir, "scores.npy", "<f4", [2, 3], [0.1, 0.2, 0.7, 0.3, 0.3, 0.4]);
        var target = NpyWriter.Write(_dir, "classes.npy", "<i8", [2], [-1, -1]);
        var line = Hinge.Run("eval", "--task", "multiclass", "--ignore-index", "-1", "--preds", preds, "--target",
            target, "--chunk-rows", "1").BadInput();
        Assert.Contains("classes.npy: all 2 rows equal the ignore index -1", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eval", "--preds", "p.npy", "--target", "t.npy")]
    [InlineData("eval", "--task", "multilabel", "--preds", "p.npy", "--target", "t.npy")]
    [InlineData("eval", "--task", "binary", "--preds", "p.npy", "--target", "t.npy", "--num-classes", "three")]
    [InlineData("frobnicate")]
    public void CommandLine_Invalid_Exit2(params string[] args) => Hinge.Run(args).BadInput();
}
