using System.Globalization;
using System.Text.RegularExpressions;
using HingeSharp.Reports;
using HingeSharp.Tests.Infrastructure;
using HingeSharp.Tests.Reference;
using Xunit;

namespace HingeSharp.Tests.Docs;

/// <summary>
/// docs/beyond-torchmetrics.md shows the code of <see cref="DocExamples"/> verbatim, every <c>// =&gt;</c> value in it
/// is what the code returns, and those values agree with the scalar reference.
/// </summary>
public sealed partial class DocTests
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HingeSharp.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root (HingeSharp.slnx) not found.");
    });

    public static TheoryData<string> Snippets => ["weights-functional", "weights-streaming", "multilabel",
        "margin-report", "interval"];

    private static string Markdown => File.ReadAllText(Path.Combine(Root.Value, "docs", "beyond-torchmetrics.md"));

    private static string Source =>
        File.ReadAllText(Path.Combine(Root.Value, "tests", "HingeSharp.Tests", "Docs", "DocExamples.cs"));

    private static string CodeSnippet(string name)
    {
        var lines = Source.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == $"// snippet: {name}") + 1;
        var end = Array.FindIndex(lines, start, l => l.Trim() == "// end snippet");
        Assert.True(start > 0 && end > start, $"snippet {name} not found in DocExamples.cs");
        var body = lines[start..end];
        var indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));
    }

    private static string MarkdownSnippet(string name)
    {
        var match = Regex.Match(Markdown, $@"<!-- snippet: {Regex.Escape(name)} -->\s*```csharp\n(.*?)\n```",
            RegexOptions.Singleline);
        Assert.True(match.Success, $"snippet {name} not found in docs/beyond-torchmetrics.md");
        return match.Groups[1].Value;
    }

    private static double[] Run(string name) => name switch
    {
        "weights-functional" => DocExamples.WeightsFunctional(),
        "weights-streaming" => DocExamples.WeightsStreaming(),
        "multilabel" => DocExamples.Multilabel(),
        "margin-report" => DocExamples.Report(out _),
        "interval" => DocExamples.Interval(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory, MemberData(nameof(Snippets))]
    public void Markdown_ShowsTheTestedCodeVerbatim(string name) =>
        Assert.Equal(CodeSnippet(name), MarkdownSnippet(name));

    [Theory, MemberData(nameof(Snippets))]
    public void Snippet_ShownValues_AreWhatTheCodeReturns(string name)
    {
        var shown = new List<double>();
        foreach (Match m in ShownValue().Matches(CodeSnippet(name)))
        {
            var text = m.Groups[1].Value.Trim('[', ']');
            shown.AddRange(text.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)));
        }

        var actual = Run(name);
        Assert.Equal(shown.Count, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(shown[i] - actual[i]) <= 5e-5, $"{name}[{i}]: shown {shown[i]}, got {actual[i]:R}");
        }
    }

    [Fact]
    public void WeightsFunctional_AgreesWithScalarReference()
    {
        var values = DocExamples.WeightsFunctional();
        var elements = ScalarMargins.Binary([2.0, -0.5, 0.25], [1, 0, 1], false, null, HingeInputKind.Margins);
        double[] w = [1, 2, 1];
        Approx.Equal(ScalarMargins.WeightedMean(elements.Select(e => (e.Loss, w[e.Index]))), values[0], 1e-15);
        var rows = ScalarMargins.Multiclass([2.0, 0.5, 0.1, 0.3, 0.2, 1.5, 0.9, 1.1, 0.4], [0, 2, 1], 3, false, null,
            HingeInputKind.Margins);
        double[] cw = [1, 1, 4];
        Approx.Equal(ScalarMargins.WeightedMean(rows.Select(r => (r.Loss, cw[r.Target]))), values[1], 1e-15);
    }

    [Fact]
    public void WeightsStreaming_AgreesWithScalarReference()
    {
        double[] preds = [(float)2.0, -1.0, 0.5, (float)-0.3, (float)1.2];
        double[] target = [1, 0, 0, 1, 1];
        double[] w = [1.0, 0.5, 2.0, 1.0, 0.0];
        var elements = ScalarMargins.Binary(preds, target, false, null, HingeInputKind.Logits);
        var expected = ScalarMargins.WeightedMean(elements.Select(e => (e.Loss, w[e.Index] * (e.Label == 1 ? 3 : 1))));
        Approx.Equal(expected, DocExamples.WeightsStreaming()[0], 1e-6);
    }

    [Fact]
    public void Report_AgreesWithScalarReference()
    {
        var values = DocExamples.Report(out var json);
        var rows = ScalarMargins.Multiclass([2.0, 0.5, 0.1, 0.3, 0.2, 1.5, 0.9, 1.1, 0.4, 0.2, 0.1, 1.0],
            [0, 2, 1, 1], 3, false, null, HingeInputKind.Margins);
        Approx.Equal(rows.Average(r => r.Loss), values[0], 1e-15);
        Approx.Equal(rows.Count(r => r.Margin < 0) / (double)rows.Count, values[1], 1e-15);
        var worst = rows.Where(r => r.Margin < 0).GroupBy(r => (r.Target, r.Rival)).MaxBy(g => g.Count())!;
        Assert.Equal([worst.Key.Target, worst.Key.Rival, worst.Count()], values[3..].Select(v => (int)v));
        Assert.Equal(json, MarginReportResult.FromJson(json).ToJson());
    }

    [Fact]
    public void Multilabel_AgreesWithScalarReference()
    {
        var values = DocExamples.Multilabel();
        float[] preds = [0.9f, 0.2f, 0.6f, 0.1f, 0.8f, 0.4f];
        var elements = ScalarMargins.Binary(preds.Select(p => (double)p).ToArray(), [1, 0, 1, 0, 1, 0], false, null,
            HingeInputKind.Auto);
        double[] w = [3, 1], lw = [1, 1, 2];
        var perLabel = Enumerable.Range(0, 3).Select(l => elements.Where(e => e.Index % 3 == l).ToList()).ToArray();
        Approx.Equal(perLabel.Select(g => g.Average(e => e.Loss)).ToArray(), values[..3], 1e-6);
        Approx.Equal(perLabel.Select((g, l) => lw[l] * ScalarMargins.WeightedMean(g.Select(e => (e.Loss, w[e.Index / 3]))))
            .Average(), values[3], 1e-6);
    }

    [Fact]
    public void Interval_AgreesWithScalarReference()
    {
        var values = DocExamples.Interval();
        float[] preds = [0.25f, 0.25f, 0.55f, 0.75f, 0.75f];
        var losses = ScalarMargins.Binary(preds.Select(p => (double)p).ToArray(), [0, 0, 1, 1, 1], false, null,
            HingeInputKind.Auto).Select(e => (e.Loss, 1.0)).ToList();
        var (mean, _, _, se) = ScalarMargins.Moments(losses);
        var z = HingeSharp.Statistics.NormalDistribution.InverseCdf(0.975);
        Approx.Equal([mean, mean - z * se, mean + z * se, se], values, 1e-6);
    }

    [GeneratedRegex(@"// => (\[[^\]]*\]|-?[0-9.]+)")]
    private static partial Regex ShownValue();
}
