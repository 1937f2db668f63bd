using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Svm;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary><c>hinge svm fit</c> and <c>hinge svm predict</c> end to end, on svm_sklearn.json's data sets.</summary>
public sealed class SvmCommandTests
{
    private const string File = "svm_sklearn.json";

    private static (double[][] Rows, long[] Labels) Data(string set, string part)
    {
        var d = Fixtures.Root(File).GetProperty("datasets").GetProperty(set);
        var rows = d.GetProperty($"x_{part}").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(Tensor.ParseDouble).ToArray()).ToArray();
        return (rows, d.GetProperty($"y_{part}").EnumerateArray().Select(v => v.GetInt64()).ToArray());
    }

    private static (string X, string Y) WriteSet(TempDir dir, string set, string part, string descr = "<f4")
    {
        var (rows, labels) = Data(set, part);
        var x = NpyWriter.Write(dir, $"{set}_{part}_x.npy", descr, [rows.Length, rows[0].Length],
            rows.SelectMany(r => r).ToArray());
        var y = NpyWriter.Write(dir, $"{set}_{part}_y.npy", "<i8", [labels.Length], labels.Select(v => (double)v).ToArray());
        return (x, y);
    }

    [Theory]
    [InlineData("binary/hinge/C=1.0", "hinge", "ovr")]
    [InlineData("binary/squared_hinge/C=10.0", "squared-hinge", "ovr")]
    [InlineData("multiclass4/ovr/squared_hinge", "squared-hinge", "ovr")]
    [InlineData("multiclass4/ovr/hinge", "hinge", "ovr")]
    public void Fit_FixtureCase_ObjectiveAndAccuracyMatchScikitLearn(string name, string loss, string multiClass)
    {
        var c = Fixtures.Case(File, name);
        var set = c.GetProperty("data").GetString()!;
        using var dir = new TempDir();
        var (x, y) = WriteSet(dir, set, "train");
        var (tx, ty) = WriteSet(dir, set, "test", "<f8");
        var cValue = c.GetProperty("args").GetProperty("C").GetDouble().ToString(CultureInfo.InvariantCulture);

        var json = Hinge.Run("svm", "fit", "--x", x, "--y", y, "--test-x", tx, "--test-y", ty, "--c", cValue,
            "--loss", loss, "--multi-class", multiClass, "--max-iter", "200000", "--format", "json").Json();

        var objective = json.GetProperty("objective").GetDouble();
        Assert.True(objective <= c.GetProperty("primal_objective").GetDouble() * 1.001, $"objective {objective}");
        Assert.InRange(json.GetProperty("trainAccuracy").GetDouble(), c.GetProperty("train_accuracy").GetDouble() - 0.01, 1);
        Assert.InRange(json.GetProperty("testAccuracy").GetDouble(), c.GetProperty("test_accuracy").GetDouble() - 0.01, 1);
        Assert.InRange(json.GetProperty("iterations").GetInt32(), 1, 200_000);
        Assert.True(json.GetProperty("seconds").GetDouble() >= 0);
    }

    [Fact]
    public void FitThenPredict_SavedModel_PredictsAsTheLibraryModel()
    {
        using var dir = new TempDir();
        var (x, y) = WriteSet(dir, "multiclass4", "train");
        var (tx, _) = WriteSet(dir, "multiclass4", "test");
        var model = dir.File("m.json");
        var output = dir.File("pred.npy");
        Assert.Equal(0, Hinge.Run("svm", "fit", "--x", x, "--y", y, "--multi-class", "crammer-singer", "--seed", "3",
            "--model", model).ExitCode);
        var run = Hinge.Run("svm", "predict", "--model", model, "--x", tx, "--out", output, "--format", "json").Json();

        var (rows, labels) = Data("multiclass4", "train");
        var (testRows, _) = Data("multiclass4", "test");
        var svc = new LinearSvc(multiClass: SvmMultiClass.CrammerSinger, seed: 3)
            .Fit(rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), rows[0].Length, labels.AsSpan());
        var expected = svc.Predict(testRows.SelectMany(r => r.Select(v => (float)v)).ToArray());

        var bytes = System.IO.File.ReadAllBytes(output);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        var predicted = Enumerable.Range(0, expected.Length)
            .Select(i => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(10 + headerLength + 8 * i))).ToArray();
        Assert.Equal(expected, predicted);
        Assert.Equal(expected.Length, run.GetProperty("count").GetInt32());
        Assert.Equal(bytes.Length, 10 + headerLength + 8 * expected.Length);
    }

    [Fact]
    public void Fit_CsvFeaturesAndLabels_SameModelAsNpy()
    {
        using var dir = new TempDir();
        var (rows, labels) = Data("binary", "train");
        var (x, y) = WriteSet(dir, "binary", "train", "<f8");
        var csvX = dir.Write("x.csv", "a,b,c,d,e,f,g,h\n" + string.Join("\n",
            rows.Select(r => string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))));
        var csvY = dir.Write("y.csv", "label\n" + string.Join("\n", labels));
        var fromNpy = Hinge.Run("svm", "fit", "--x", x, "--y", y, "--format", "json").Json();
        var fromCsv = Hinge.Run("svm", "fit", "--x", csvX, "--y", csvY, "--format", "json").Json();
        Assert.Equal(fromNpy.GetProperty("objective").GetDouble(), fromCsv.GetProperty("objective").GetDouble());
        Assert.Equal(fromNpy.GetProperty("trainAccuracy").GetDouble(), fromCsv.GetProperty("trainAccuracy").GetDouble());
    }

    [Fact]
    public void Fit_LabelCountDiffers_ExitsTwoAndWritesNoModel()
    {
        using var dir = new TempDir();
        var (x, _) = WriteSet(dir, "binary", "train");
        var (_, y) = WriteSet(dir, "multiclass4", "train");
        var model = dir.File("m.json");
        var line = Hinge.Run("svm", "fit", "--x", x, "--y", y, "--model", model).BadInput();
        Assert.Contains("holds 180 labels", line, StringComparison.Ordinal);
        Assert.Contains("225 rows", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.json*"));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*"));
    }

    [Fact]
    public void Fit_TruncatedNpy_NamesTheFile()
    {
        using var dir = new TempDir();
        var (x, y) = WriteSet(dir, "binary", "train");
        var bytes = System.IO.File.ReadAllBytes(x);
        var cut = dir.Write("cut.npy", bytes[..(bytes.Length / 2)]);
        var line = Hinge.Run("svm", "fit", "--x", cut, "--y", y).BadInput();
        Assert.Contains("cut.npy: is truncated", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_BadCsvCell_NamesLineAndColumn()
    {
        using var dir = new TempDir();
        var x = dir.Write("x.csv", "1,2\n3,4\n5,oops\n");
        var y = dir.Write("y.csv", "0\n1\n0\n");
        var line = Hinge.Run("svm", "fit", "--x", x, "--y", y).BadInput();
        Assert.Contains("x.csv: line 3, column 2: 'oops' is not a number", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--c", "0", "--c: Expected `C`")]
    [InlineData("--tol", "-1", "--tol: Expected `tol`")]
    [InlineData("--max-iter", "0", "--max-iter: Expected `max_iter`")]
    public void Fit_BadSetting_NamesTheOption(string option, string value, string expected)
    {
        using var dir = new TempDir();
        var (x, y) = WriteSet(dir, "binary", "train");
        var line = Hinge.Run("svm", "fit", "--x", x, "--y", y, option, value).BadInput();
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains(value, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_TestFeaturesWithoutTestLabels_NamesBothOptions()
    {
        using var dir = new TempDir();
        var (x, y) = WriteSet(dir, "binary", "train");
        var line = Hinge.Run("svm", "fit", "--x", x, "--y", y, "--test-x", x).BadInput();
        Assert.Equal("error: --test-x needs --test-y (the test labels).", line);
    }

    [Fact]
    public void Predict_TruncatedOrForeignModel_ExitsTwoAndWritesNoOutput()
    {
        using var dir = new TempDir();
        var (x, y) = WriteSet(dir, "binary", "train");
        var model = dir.File("m.json");
        Assert.Equal(0, Hinge.Run("svm", "fit", "--x", x, "--y", y, "--model", model).ExitCode);
        var text = System.IO.File.ReadAllText(model);
        var truncated = dir.Write("cut.json", text[..(text.Length / 2)]);
        var foreign = dir.Write("state.json", "{\"format\": \"hingesharp.metric-state\", \"version\": 1}");
        var output = dir.File("pred.npy");

        var cut = Hinge.Run("svm", "predict", "--model", truncated, "--x", x, "--out", output).BadInput();
        Assert.Contains("cut.json: not valid JSON at line", cut, StringComparison.Ordinal);
        var other = Hinge.Run("svm", "predict", "--model", foreign, "--x", x, "--out", output).BadInput();
        Assert.Contains("state.json: not a HingeSharp linear model", other, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(output));
    }

    [Fact]
    public void Predict_WrongFeatureCount_NamesBothFiles()
    {
        using var dir = new TempDir();
        var (x, y) = WriteSet(dir, "binary", "train");
        var (other, _) = WriteSet(dir, "multiclass4", "test");
        var model = dir.File("m.json");
        Assert.Equal(0, Hinge.Run("svm", "fit", "--x", x, "--y", y, "--model", model).ExitCode);
        var line = Hinge.Run("svm", "predict", "--model", model, "--x", other).BadInput();
        Assert.Contains("has 5 features per row, but the model", line, StringComparison.Ordinal);
        Assert.Contains("fitted on 8", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_Json_ListsLabelsFromTheTrainingSet()
    {
        using var dir = new TempDir();
        var (x, y) = WriteSet(dir, "multiclass4", "train");
        var model = dir.File("m.json");
        Assert.Equal(0, Hinge.Run("svm", "fit", "--x", x, "--y", y, "--model", model).ExitCode);
        var json = Hinge.Run("svm", "predict", "--model", model, "--x", x, "--format", "json").Json();
        var predictions = json.GetProperty("predictions").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var (_, labels) = Data("multiclass4", "train");
        Assert.Equal(labels.Length, predictions.Length);
        Assert.All(predictions, p => Assert.Contains(p, labels));
        Assert.True(predictions.Zip(labels).Count(p => p.First == p.Second) >= 0.98 * labels.Length);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("count").ValueKind);
    }
}
