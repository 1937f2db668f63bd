using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace HingeSharp.Tests.Docs;

/// <summary>docs/linear-svm.md shows <see cref="LinearSvmDocExamples"/> verbatim and its <c>// =&gt;</c> values are
/// what the code returns.</summary>
public sealed partial class LinearSvmDocTests
{
    private static string RepositoryFile(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HingeSharp.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return Path.Combine([dir!.FullName, .. parts]);
    }

    private static string Snippet()
    {
        var lines = File.ReadAllText(RepositoryFile("tests", "HingeSharp.Tests", "Docs", "LinearSvmDocExamples.cs"))
            .Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "// snippet: linear-svm") + 1;
        var end = Array.FindIndex(lines, start, l => l.Trim() == "// end snippet");
        var body = lines[start..end];
        var indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));
    }

    [GeneratedRegex(@"// => ([-0-9.]+)")]
    private static partial Regex Value();

    [Fact]
    public void LinearSvmDoc_ShowsTheTestedCodeVerbatim()
    {
        var markdown = File.ReadAllText(RepositoryFile("docs", "linear-svm.md"));
        var match = Regex.Match(markdown, @"<!-- snippet: linear-svm -->\s*```csharp\n(.*?)\n```", RegexOptions.Singleline);
        Assert.True(match.Success, "snippet linear-svm not found in docs/linear-svm.md");
        Assert.Equal(Snippet(), match.Groups[1].Value);
    }

    [Fact]
    public void LinearSvmDoc_Values_AreWhatTheCodeReturns()
    {
        var values = LinearSvmDocExamples.FitAndScore();
        var shown = Value().Matches(Snippet()).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(3, shown.Length);
        for (var i = 0; i < shown.Length; i++)
        {
            Assert.Equal(shown[i], values[i], 5e-5);
        }

        Assert.Equal(1, values[3]);
    }
}
