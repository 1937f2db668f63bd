using System.Buffers.Binary;
using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Cli.Tests.Infrastructure;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// Issue 15: <c>hinge report</c> adds the accuracy and the confusion matrix (the core metrics' values, the keys of
/// <c>hinge eval --metrics</c>), writes the confusion-matrix heatmap beside the margin histogram, all or nothing, and
/// takes ±1 labels with margins.
/// </summary>
public sealed class ReportClassificationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string P, string T, float[] Preds, long[] Target) Multiclass(int n, int c, int seed)
    {
        var random = new Random(seed);
        var preds = Enumerable.Range(0, n * c).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var target = Enumerable.Range(0, n).Select(_ => (long)random.Next(c)).ToArray();
        return (NpyWriter.Write(_dir, "p.npy", "<f4", [n, c], preds.Select(x => (double)x).ToArray()),
            NpyWriter.Write(_dir, "t.npy", "<i8", [n], target.Select(x => (double)x).ToArray()), preds, target);
    }

    private static double[][] Rows(JsonElement matrix) =>
        [.. matrix.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray())];

    [Theory]
    [InlineData(3, 7)]
    [InlineData(5, 2000)]
    public void ReportJson_Multiclass_AddsTheCoreAccuracyAndConfusionMatrix(int classes, int chunkRows)
    {
        var (p, t, preds, target) = Multiclass(400, classes, 11);
        var json = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t, "--format", "json",
            "--chunk-rows", chunkRows.ToString(System.Globalization.CultureInfo.InvariantCulture)).Json();

        var accuracy = new MulticlassAccuracy(classes, ClassificationAverage.Micro);
        accuracy.Update<float, long>(preds, target);
        var matrix = new MulticlassConfusionMatrix(classes);
        matrix.Update<float, long>(preds, target);
        Assert.Equal(accuracy.Compute().Value, json.GetProperty("accuracy").GetDouble());
        Assert.Equal(matrix.Compute().ToRows(), Rows(json.GetProperty("confusionMatrix")));
        Assert.Equal(400, Rows(json.GetProperty("confusionMatrix")).Sum(r => r.Sum()));
    }

    [Theory]
    [InlineData("margins", 0.5)]
    [InlineData("logits", 1.0)]
    [InlineData("probabilities", 0.5)]
    public void ReportJson_Binary_AddsTheCoreAccuracyAndConfusionMatrix(string kind, double spread)
    {
        var random = new Random(4);
        var preds = Enumerable.Range(0, 300).Select(_ => kind == "probabilities"
            ? random.NextDouble()
            : (random.NextDouble() - 0.5) * 6 * spread).ToArray();
        var target = Enumerable.Range(0, 300).Select(_ => (long)random.Next(2)).ToArray();
        var p = NpyWriter.Write(_dir, "p.npy", "<f8", [300], preds);
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [300], target.Select(x => (double)x).ToArray());
        var json = Hinge.Run("report", "--task", "binary", "--preds", p, "--target", t, "--input-kind", kind,
            "--format", "json").Json();

        var inputKind = Enum.Parse<HingeInputKind>(kind, ignoreCase: true);
        var accuracy = new BinaryAccuracy(inputKind: inputKind);
        accuracy.Update<double, long>(preds, target);
        var matrix = new BinaryConfusionMatrix(inputKind: inputKind);
        matrix.Update<double, long>(preds, target);
        Assert.Equal(accuracy.Compute(), json.GetProperty("accuracy").GetDouble());
        Assert.Equal(matrix.Compute().ToRows(), Rows(json.GetProperty("confusionMatrix")));
    }

    [Fact]
    public void ReportText_ShowsAccuracyAndTheMatrix()
    {
        var (p, t, preds, target) = Multiclass(120, 3, 5);
        var run = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t);
        Assert.True(run.ExitCode == 0, run.Error);
        var accuracy = new MulticlassAccuracy(3, ClassificationAverage.Micro);
        accuracy.Update<float, long>(preds, target);
        var lines = run.Out.Split('\n', StringSplitOptions.TrimEntries);
        var shown = lines.Single(l => l.StartsWith("accuracy\t", StringComparison.Ordinal))["accuracy\t".Length..];
        Assert.Equal(accuracy.Compute().Value, double.Parse(shown, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("confusion matrix (rows: true class, columns: predicted class)", lines);
    }

    [Fact]
    public void ReportOut_WritesHistogramAndHeatmapPngs()
    {
        var (p, t, _, _) = Multiclass(200, 4, 6);
        var folder = _dir.File("plots");
        var run = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t, "--out", folder,
            "--format", "json");
        Assert.True(run.ExitCode == 0, run.Error);
        foreach (var name in new[] { "margins.png", "confusion-matrix.png" })
        {
            var png = File.ReadAllBytes(Path.Combine(folder, name));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
            Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
            var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)),
                BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            Assert.InRange(width, 200, 4000);
            Assert.InRange(height, 200, 4000);
        }

        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void ReportOut_WhenTheHeatmapCannotBeWritten_WritesNeitherFileAndExits2()
    {
        var (p, t, _, _) = Multiclass(100, 3, 7);
        var folder = _dir.File("taken");
        Directory.CreateDirectory(Path.Combine(folder, "confusion-matrix.png"));
        var run = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t, "--out", folder);
        Assert.Contains("confusion-matrix.png", run.BadInput(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "margins.png")));
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void ReportOverManyClasses_GivesAccuracyButNoMatrixOrHeatmap()
    {
        var (p, t, preds, target) = Multiclass(300, 60, 8);
        var folder = _dir.File("many");
        var json = Hinge.Run("report", "--task", "multiclass", "--preds", p, "--target", t, "--format", "json",
            "--out", folder).Json();
        var accuracy = new MulticlassAccuracy(60, ClassificationAverage.Micro);
        accuracy.Update<float, long>(preds, target);
        Assert.Equal(accuracy.Compute().Value, json.GetProperty("accuracy").GetDouble());
        Assert.False(json.TryGetProperty("confusionMatrix", out _));
        Assert.Equal(["margins.png"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Report_SignedLabelsWithMargins_EqualZeroOneLabels()
    {
        var random = new Random(9);
        var preds = Enumerable.Range(0, 200).Select(_ => (random.NextDouble() - 0.5) * 5).ToArray();
        var target = Enumerable.Range(0, 200).Select(_ => (double)random.Next(2)).ToArray();
        var p = NpyWriter.Write(_dir, "p.npy", "<f8", [200], preds);
        var zero = NpyWriter.Write(_dir, "t01.npy", "<i8", [200], target);
        var signed = NpyWriter.Write(_dir, "tpm.npy", "<i8", [200], [.. target.Select(x => (2 * x) - 1)]);
        string Report(string t) => Hinge.Run("report", "--task", "binary", "--preds", p, "--target", t,
            "--input-kind", "margins", "--format", "json").Json().GetRawText();
        Assert.Equal(Report(zero), Report(signed));

        var w = NpyWriter.Write(_dir, "w.npy", "<f8", [200], [.. preds.Select(_ => random.NextDouble())]);
        string Eval(string t, params string[] extra) => Hinge.Run([
            "eval", "--task", "binary", "--preds", p, "--target", t, "--input-kind", "margins", "--format", "json",
            .. extra]).Json().GetRawText();
        Assert.Equal(Eval(zero, "--sample-weight", w), Eval(signed, "--sample-weight", w));
        Assert.Equal(Eval(zero, "--ci", "0.9"), Eval(signed, "--ci", "0.9"));
    }
}
