using System.Text.Json;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Functional;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// <c>hinge eval --sample-weight</c>: the weighted cases of sklearn_hinge.json written to files and evaluated with
/// <c>--input-kind margins</c> give scikit-learn's <c>hinge_loss(..., sample_weight=w)</c>; streaming in small chunks
/// equals the core's weighted functional; bad weights exit 2 naming the weight file and row.
/// </summary>
public sealed class EvalWeightTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The weighted sklearn cases with numeric labels.</summary>
    public static TheoryData<string> WeightedCases() => Fixtures.Names("sklearn_hinge.json", c =>
        c.GetProperty("inputs").Opt("sample_weight") is { ValueKind: JsonValueKind.Object } &&
        Tensor.Dtype(c.GetProperty("inputs").GetProperty("y_true")) == "int64");

    [Theory, MemberData(nameof(WeightedCases))]
    public void SampleWeight_Margins_MatchesSklearn(string name)
    {
        var c = Fixtures.Case("sklearn_hinge.json", name);
        var inputs = c.GetProperty("inputs");
        var decision = inputs.GetProperty("pred_decision");
        var shape = Tensor.Shape(decision);
        var columns = shape.Length == 2 ? shape[1] : 1;
        var yTrue = Tensor.Doubles(inputs.GetProperty("y_true"));
        double[] target;
        if (columns == 1)
        {
            // scikit-learn's LabelBinarizer(neg_label=-1) fitted on y_true: the greater of two labels is positive,
            // a single class is all negative.
            var fitted = yTrue.Distinct().Order().ToArray();
            target = yTrue.Select(y => fitted.Length == 2 && y == fitted[1] ? 1.0 : 0.0).ToArray();
        }
        else
        {
            var labels = c.GetProperty("args").Opt("labels") is { ValueKind: JsonValueKind.Object } l
                ? Tensor.Doubles(l)
                : yTrue;
            var sorted = labels.Distinct().Order().ToList();
            target = yTrue.Select(y => (double)sorted.IndexOf(y)).ToArray();
        }

        var rows = shape[0];
        var p = NpyWriter.Write(_dir, "p.npy", "<f8", shape, Tensor.Doubles(decision));
        var t = CsvWriter.Write(_dir, "t.csv", target, 1);
        var w = NpyWriter.Write(_dir, "w.npy", "<f8", [rows], Tensor.Doubles(inputs.GetProperty("sample_weight")));
        var json = Hinge.Run("eval", "--task", columns == 1 ? "binary" : "multiclass", "--preds", p, "--target", t,
            "--sample-weight", w, "--input-kind", "margins", "--chunk-rows", "7", "--format", "json").Json();

        var expected = Tensor.Doubles(c.GetProperty("expected"))[0];
        Approx.Equal(expected, json.GetProperty("value").GetDouble(), Approx.Float64Relative, name);
        Assert.Equal(rows, json.GetProperty("count").GetInt64());
    }

    [Fact]
    public void SampleWeight_CsvChunked_EqualsWeightedFunctional()
    {
        var random = new Random(7);
        const int n = 101;
        var preds = Enumerable.Range(0, n).Select(_ => (double)random.NextSingle()).ToArray();
        var target = Enumerable.Range(0, n).Select(_ => (long)random.Next(2)).ToArray();
        var weights = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 3).ToArray();
        var p = CsvWriter.Write(_dir, "p.csv", preds, 1);
        var t = CsvWriter.Write(_dir, "t.csv", target.Select(x => (double)x).ToArray(), 1);
        var w = CsvWriter.Write(_dir, "w.csv", weights, 1, header: "weight");
        var expected = HingeFunctional.BinaryHingeLoss<double, long>(preds, target, weights,
            inputKind: HingeInputKind.Probabilities);
        foreach (var chunk in new[] { "1", "10", "1000" })
        {
            var json = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--sample-weight", w,
                "--chunk-rows", chunk, "--format", "json").Json();
            Approx.Equal(expected, json.GetProperty("value").GetDouble(), Approx.Float64Relative, $"chunk {chunk}");
        }
    }

    [Theory]
    [InlineData("-0.5", "negative")]
    [InlineData("nan", "not finite")]
    [InlineData("inf", "not finite")]
    public void BadWeight_Exits2NamingFileAndRow(string bad, string what)
    {
        var p = CsvWriter.Write(_dir, "p.csv", [0.1, 0.7, 0.4, 0.9], 1);
        var t = CsvWriter.Write(_dir, "t.csv", [0, 1, 0, 1], 1);
        var w = _dir.Write("w.csv", $"1\n2\n{bad}\n1\n");
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--sample-weight", w,
            "--chunk-rows", "2").BadInput();
        Assert.Contains($"{w}: line 3", line, StringComparison.Ordinal);
        Assert.Contains("(row 2, counting from 0)", line, StringComparison.Ordinal);
        Assert.Contains(what, line, StringComparison.Ordinal);
    }

    [Fact]
    public void BadWeight_InNpy_NamesElement()
    {
        var p = CsvWriter.Write(_dir, "p.csv", [0.1, 0.7, 0.4, 0.9], 1);
        var t = CsvWriter.Write(_dir, "t.csv", [0, 1, 0, 1], 1);
        var w = NpyWriter.Write(_dir, "w.npy", "<f4", [4], [1, 1, 1, -2]);
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--sample-weight", w).BadInput();
        Assert.Contains(w, line, StringComparison.Ordinal);
        Assert.Contains("(row 3, counting from 0)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightRowsDiffer_Exits2NamingWeightFile()
    {
        var p = CsvWriter.Write(_dir, "p.csv", [0.1, 0.7, 0.4], 1);
        var t = CsvWriter.Write(_dir, "t.csv", [0, 1, 0], 1);
        var w = CsvWriter.Write(_dir, "w.csv", [1, 1], 1);
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--sample-weight", w).BadInput();
        Assert.Contains($"{w} has 2 rows but {t} has 3", line, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightColumnsDiffer_Exits2()
    {
        var p = CsvWriter.Write(_dir, "p.csv", [0.1, 0.7, 0.4, 0.2, 0.3, 0.5], 3);
        var t = CsvWriter.Write(_dir, "t.csv", [0, 2], 1);
        var w = CsvWriter.Write(_dir, "w.csv", [1, 1, 1, 1], 2);
        var line = Hinge.Run("eval", "--task", "multiclass", "--preds", p, "--target", t, "--sample-weight", w)
            .BadInput();
        Assert.Contains($"{w}: has 2 values per row but {t} has 1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void IgnoredRowWeight_IsStillChecked()
    {
        var p = CsvWriter.Write(_dir, "p.csv", [0.1, 0.7, 0.4], 1);
        var t = CsvWriter.Write(_dir, "t.csv", [0, -1, 1], 1);
        var w = CsvWriter.Write(_dir, "w.csv", [1, -1, 1], 1);
        var line = Hinge.Run("eval", "--task", "binary", "--preds", p, "--target", t, "--sample-weight", w,
            "--ignore-index", "-1").BadInput();
        Assert.Contains("(row 1, counting from 0)", line, StringComparison.Ordinal);
    }
}
