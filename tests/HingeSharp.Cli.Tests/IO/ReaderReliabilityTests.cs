using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Functional;

namespace HingeSharp.Cli.Tests.IO;

/// <summary>
/// The file readers behind <c>hinge eval</c>/<c>report</c> on the inputs of issue 14 (numeric pandas headers, byte-order
/// marks, huge shapes, pipes and standard input, other delimiters, weight files, 1-D Fortran order) and on every
/// target dtype: each either gives the value of the core functional on the same numbers or exits 2 with one line.
/// </summary>
public sealed class ReaderReliabilityTests : IDisposable
{
    private static readonly double[] Preds = [0.1, 0.8, 0.35, 0.6, 0.95, 0.2];
    private static readonly long[] Target = [0, 1, 1, 0, 1, 0];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static double Expected => HingeFunctional.BinaryHingeLoss<double, long>(Preds, Target);

    private static double Value(params string[] args) =>
        Hinge.Run(["eval", "--task", "binary", .. args, "--format", "json"]).Json().GetProperty("value").GetDouble();

    private static string Lines<T>(IEnumerable<T> values, string? header = null) =>
        (header is null ? string.Empty : header + "\n") +
        string.Join("\n", values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))) +
        "\n";

    [Fact]
    public void Issue14_3_PandasLabelHeaderInBothCsvFiles_IsSkipped()
    {
        var p = _dir.Write("p.csv", Lines(Preds, "0"));
        var t = _dir.Write("t.csv", Lines(Target, "0"));
        var json = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--format", "json").Json();
        Assert.Equal(Preds.Length, json.GetProperty("count").GetInt64());
        Assert.Equal(Expected, json.GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public void Issue14_3_PandasLabelHeaderMulticlass_IsSkipped()
    {
        double[] scores = [0.25, 0.20, 0.55, 0.55, 0.05, 0.40, 0.10, 0.30, 0.60, 0.90, 0.05, 0.05];
        long[] labels = [0, 1, 2, 0];
        var rows = Enumerable.Range(0, 4).Select(r => string.Join(",", scores.Skip(3 * r).Take(3)
            .Select(x => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        var p = _dir.Write("p.csv", "0,1,2\n" + string.Join("\n", rows) + "\n");
        var t = _dir.Write("t.csv", Lines(labels, "0"));
        var json = Hinge.Run("eval", "--task", "multiclass", "--preds", p, "--target", t, "--format", "json").Json();
        Assert.Equal(4, json.GetProperty("count").GetInt64());
        Assert.Equal((double)HingeFunctional.MulticlassHingeLoss<double, long>(scores, labels, 3),
            json.GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public void Issue14_3_PandasLabelHeaderWithNpyTargets_IsSkipped()
    {
        var p = _dir.Write("p.csv", Lines(Preds, "0"));
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [Target.Length], Target.Select(x => (double)x).ToArray());
        Assert.Equal(Expected, Value("--preds", p, "--target", t), 12);
    }

    [Fact]
    public void Issue14_3_LabelHeaderOnlyInTargets_Exit2NamingTheHeader()
    {
        // Targets "0" over integers cannot tell a header from a label; the npy row count shows the extra row.
        var p = NpyWriter.Write(_dir, "p.npy", "<f8", [Preds.Length], Preds);
        var t = _dir.Write("t.csv", Lines(Target, "0"));
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t).BadInput();
        Assert.Contains($"has {Preds.Length} rows but {t} has {Preds.Length + 1}", line, StringComparison.Ordinal);
        Assert.Contains("--csv-header present", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public void Issue14_4_BomCsvWithoutHeader_IsRead(string encoding)
    {
        var enc = Encoding.GetEncoding(encoding);
        var p = _dir.Write("p.csv", [.. enc.GetPreamble(), .. enc.GetBytes(Lines(Preds))]);
        var t = _dir.Write("t.csv", [.. enc.GetPreamble(), .. enc.GetBytes(Lines(Target))]);
        Assert.Equal(Expected, Value("--preds", p, "--target", t), 12);
    }

    [Theory]
    [InlineData("(2305843009213693952,)")]
    [InlineData("(4611686018427387904, 2)")]
    public void Issue14_6_HugeNpyShape_Exit2NamingTheShape(string shape)
    {
        var bad = _dir.Write("huge.npy", NpyWriter.Bytes("<f4", [1], [0.5],
            headerOverride: $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}"));
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [1], [1]);
        var line = Hinge.Run("eval", "--task", "binary", "--preds", bad, "--target", t).BadInput();
        Assert.Contains("huge.npy: header: shape " + shape, line, StringComparison.Ordinal);
        Assert.Contains("too large", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("npy")]
    [InlineData("csv")]
    public async Task Issue14_6_PredsFromAPipe_AreReadInOnePass(string format)
    {
        Assert.True(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "named pipes need a POSIX system");
        var fifo = _dir.File("preds.fifo");
        Assert.Equal(0, MakeFifo(fifo, Convert.ToUInt32("600", 8)));
        var bytes = format == "npy"
            ? NpyWriter.Bytes("<f8", [Preds.Length], Preds)
            : Encoding.UTF8.GetBytes(Lines(Preds));
        var writer = Task.Run(() => File.WriteAllBytes(fifo, bytes));
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [Target.Length], Target.Select(x => (double)x).ToArray());
        var value = Value("--preds", fifo, "--target", t);
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Expected, value, 12);
    }

    [Fact]
    public async Task Issue14_6_DashIsStandardInput()
    {
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [Target.Length], Target.Select(x => (double)x).ToArray());
        var dll = Path.Combine(AppContext.BaseDirectory, "hinge.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "eval", "--task", "binary", "--preds", "-", "--target", t, "--format", "json" })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(NpyWriter.Bytes("<f4", [Preds.Length], Preds));
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "hinge did not finish");
        Assert.True(process.ExitCode == 0, await stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(await stdout);
        Assert.Equal(HingeFunctional.BinaryHingeLoss<float, long>(Preds.Select(x => (float)x).ToArray(), Target),
            doc.RootElement.GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public void Issue14_6_DashTwice_Exit2()
    {
        var line = Hinge.Run("eval", "--task", "binary", "--preds", "-", "--target", "-").BadInput();
        Assert.Contains("only one of --preds, --target and --sample-weight can be '-'", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    public void Issue14_12_SemicolonOrTabSeparatedCsv_IsRead(char separator)
    {
        double[] scores = [0.25, 0.20, 0.55, 0.55, 0.05, 0.40, 0.10, 0.30, 0.60];
        long[] labels = [0, 1, 2];
        var rows = Enumerable.Range(0, 3).Select(r => string.Join(separator, scores.Skip(3 * r).Take(3)
            .Select(x => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        var p = _dir.Write("p.csv", string.Join("\n", rows) + "\n");
        var t = _dir.Write("t.csv", Lines(labels));
        var json = Hinge.Run("eval", "--task", "multiclass", "--preds", p, "--target", t, "--format", "json").Json();
        Assert.Equal((double)HingeFunctional.MulticlassHingeLoss<double, long>(scores, labels, 3),
            json.GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public void Issue14_12_DecimalCommaSemicolonCsv_Exit2NamingTheDelimiter()
    {
        var p = _dir.Write("p.csv", "0,25;0,75\n0,5;0,5\n");
        var t = _dir.Write("t.csv", "0\n1\n");
        var line = Hinge.Run("eval", "--task", "multiclass", "--num-classes", "3", "--preds", p, "--target", t)
            .BadInput();
        Assert.Contains("p.csv: line 1, column 2: '25;0' is not a number", line, StringComparison.Ordinal);
        Assert.Contains("the delimiter here is ','", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue14_12_Int32SampleWeightFile_Exit2AboutWeights()
    {
        var p = NpyWriter.Write(_dir, "p.npy", "<f8", [Preds.Length], Preds);
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [Target.Length], Target.Select(x => (double)x).ToArray());
        var w = NpyWriter.Write(_dir, "w.npy", "<i4", [Target.Length], Target.Select(_ => 1d).ToArray());
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--sample-weight", w)
            .BadInput();
        Assert.Contains("w.npy: header: sample weights must be float32 or float64, got '<i4'", line,
            StringComparison.Ordinal);
        Assert.DoesNotContain("predictions", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("npy")]
    [InlineData("csv")]
    public void Issue14_12_ShortWeightFile_Exit2NamingTheWeightFileAndBothCounts(string format)
    {
        var p = NpyWriter.Write(_dir, "p.npy", "<f8", [Preds.Length], Preds);
        var t = _dir.Write("t.csv", Lines(Target));
        var w = format == "npy"
            ? NpyWriter.Write(_dir, "w.npy", "<f8", [4], [1, 1, 1, 1])
            : _dir.Write("w.csv", Lines(new[] { 1, 1, 1, 1 }));
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--sample-weight", w)
            .BadInput();
        Assert.Contains($"{w} has 4 rows but {t} has {Preds.Length}: sample weights and targets", line,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Issue14_12_FortranOrderOneDimensional_IsRead(int dims)
    {
        int[] shape = dims == 1 ? [Preds.Length] : [Preds.Length, 1];
        var p = _dir.Write("p.npy", NpyWriter.Bytes("<f8", shape, Preds, fortran: true));
        var t = _dir.Write("t.npy", NpyWriter.Bytes("<i8", shape, Target.Select(x => (double)x).ToArray(),
            fortran: true));
        Assert.Equal(Expected, Value("--preds", p, "--target", t), 12);
    }

    [Theory]
    [InlineData("|u1")]
    [InlineData("|b1")]
    [InlineData("|i1")]
    [InlineData("<i2")]
    [InlineData("<u2")]
    [InlineData("<i4")]
    [InlineData(">i4")]
    [InlineData("<u4")]
    [InlineData("<i8")]
    [InlineData(">i8")]
    public void Npy_EveryTargetDtype_GivesTheInt64Value(string descr)
    {
        var random = new Random(7);
        var n = 5000;
        var preds = Enumerable.Range(0, n).Select(_ => (double)random.NextSingle()).ToArray();
        var target = Enumerable.Range(0, n).Select(_ => (double)random.Next(2)).ToArray();
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [n], preds);
        var t = _dir.Write("t.npy", Big(descr, [n], target));
        var expected = HingeFunctional.BinaryHingeLoss<float, long>(preds.Select(x => (float)x).ToArray(),
            target.Select(x => (long)x).ToArray());
        foreach (var chunk in new[] { "7", "4096", "65536" })
        {
            Assert.Equal(expected, Value("--preds", p, "--target", t, "--chunk-rows", chunk), 12);
        }
    }

    [Fact]
    public void Npy_BoolTargetBytesAboveOne_CountAsTrue()
    {
        // numpy reads any non-zero byte of a bool array as True.
        var p = NpyWriter.Write(_dir, "p.npy", "<f8", [Preds.Length], Preds);
        var t = NpyWriter.Write(_dir, "t.npy", "|b1", [Target.Length], Target.Select(x => x * 7d).ToArray());
        Assert.Equal(Expected, Value("--preds", p, "--target", t), 12);
    }

    [Theory]
    [InlineData(">f4")]
    [InlineData(">f8")]
    [InlineData("<f8")]
    public void Npy_OtherPredsLayouts_GiveTheSameValue(string descr)
    {
        var p = _dir.Write("p.npy", Big(descr, [Preds.Length], Preds));
        var t = NpyWriter.Write(_dir, "t.npy", "<i4", [Target.Length], Target.Select(x => (double)x).ToArray());
        var expected = descr.EndsWith('4')
            ? HingeFunctional.BinaryHingeLoss<float, long>(Preds.Select(x => (float)x).ToArray(), Target)
            : Expected;
        Assert.Equal(expected, Value("--preds", p, "--target", t, "--chunk-rows", "4"), 12);
    }

    /// <summary>NpyWriter's bytes for any byte order (it writes big-endian when the descr says so).</summary>
    private static byte[] Big(string descr, int[] shape, double[] values) => NpyWriter.Bytes(descr, shape, values);

    [DllImport("libc", EntryPoint = "mkfifo")]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
