using System.Text;
using HingeSharp.Svm;
using Xunit;

namespace HingeSharp.Tests.Svm;

/// <summary>Saving and loading linear models (versioned JSON, atomic write, strict read).</summary>
public sealed class LinearModelFileTests : IDisposable
{
    private static readonly SvmSet Four = SvmSet.Of("multiclass4");
    private readonly string _dir = Directory.CreateTempSubdirectory("hinge-svm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(SvmMultiClass.OneVsRest)]
    [InlineData(SvmMultiClass.CrammerSinger)]
    public void SaveLoad_LinearSvc_DecidesBitForBit(SvmMultiClass multiClass)
    {
        var svc = new LinearSvc(multiClass: multiClass, seed: 5).Fit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan());
        var path = Path.Combine(_dir, "m.json");
        svc.Save(path);
        var loaded = Assert.IsType<LinearSvc>(LinearClassifier.Load(path));
        Assert.Equal(svc.DecisionFunction(Four.XTest), loaded.DecisionFunction(Four.XTest));
        Assert.Equal(svc.Classes, loaded.Classes);
        Assert.Equal(svc.MultiClass, loaded.MultiClass);
        Assert.Equal(svc.PrimalObjective, loaded.PrimalObjective);
        Assert.Equal(svc.Iterations, loaded.Iterations);
        Assert.Equal(["m.json"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void SaveLoad_SgdSvm_ContinuesPartialFitAsTheOriginal()
    {
        var half = Four.YTrain.Length / 2 * Four.Columns;
        var original = new SgdSvm(shuffle: false).PartialFit(Four.XTrain.AsSpan(0, half), Four.Columns,
            Four.YTrain.AsSpan(0, half / Four.Columns), [0, 1, 2, 3]);
        using var stream = new MemoryStream();
        original.Save(stream);
        stream.Position = 0;
        var loaded = Assert.IsType<SgdSvm>(LinearClassifier.Load(stream));
        original.PartialFit(Four.XTrain.AsSpan(half), Four.Columns, Four.YTrain.AsSpan(half / Four.Columns));
        loaded.PartialFit(Four.XTrain.AsSpan(half), Four.Columns, Four.YTrain.AsSpan(half / Four.Columns));
        // The saved weights are scale·v folded into one number, so the continuation agrees to rounding.
        var (a, b) = (original.Coef, loaded.Coef);
        for (var k = 0; k < 4; k++)
        {
            for (var j = 0; j < Four.Columns; j++)
            {
                Assert.Equal(a[k, j], b[k, j], 1e-9 * Math.Max(1, Math.Abs(a[k, j])));
            }

            Assert.Equal(original.Intercept[k], loaded.Intercept[k], 1e-9);
        }

        Assert.Equal(original.TimeStep, loaded.TimeStep);
    }

    [Fact]
    public void Load_TruncatedFile_NamesFileAndLine()
    {
        var svc = new LinearSvc().Fit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan());
        var path = Path.Combine(_dir, "m.json");
        svc.Save(path);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.Length * 2 / 3)]);
        var e = Assert.Throws<LinearModelException>(() => LinearClassifier.Load(path));
        Assert.StartsWith($"{path}: not valid JSON at line ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"format\": \"hingesharp.metric-state\", \"version\": 1}", "not a HingeSharp linear model")]
    [InlineData("[1, 2]", "not a HingeSharp linear model")]
    [InlineData("{\"format\": \"hingesharp.linear-model\", \"version\": 2}", "`version` is 2")]
    public void Load_ForeignOrNewerFile_SaysWhat(string json, string expected)
    {
        var e = Assert.Throws<LinearModelException>(() =>
            LinearClassifier.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CoefRowOfWrongLength_NamesTheField()
    {
        var svc = new LinearSvc().Fit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan());
        using var stream = new MemoryStream();
        svc.Save(stream);
        var text = Encoding.UTF8.GetString(stream.ToArray()).Replace("\"num_features\": 5", "\"num_features\": 6",
            StringComparison.Ordinal);
        var e = Assert.Throws<LinearModelException>(() =>
            LinearClassifier.Load(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        Assert.Contains("`coef[0]` must be an array of 6 numbers", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_Unfitted_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new LinearSvc().Save(Path.Combine(_dir, "x.json")));
}
