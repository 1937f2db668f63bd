using System.Text.RegularExpressions;
using Xunit;

namespace HingeSharp.Tests.Kernels;

/// <summary>Code rules of the core (ScottPlot's ForbiddenCodeTests style): hot loops and unsafe code stay in Kernels/.</summary>
public sealed partial class KernelCodeRulesTests
{
    private static string CoreDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HingeSharp.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "src", "HingeSharp");
    }

    private static IEnumerable<(string Path, string Text)> Sources() =>
        Directory.EnumerateFiles(CoreDirectory(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(CoreDirectory(), f), File.ReadAllText(f)));

    [GeneratedRegex(@"\bVector(64|128|256|512)\b")]
    private static partial Regex VectorType();

    [GeneratedRegex(@"\bunsafe\b")]
    private static partial Regex UnsafeKeyword();

    [Fact]
    public void VectorTypes_AppearOnlyInKernels()
    {
        var offenders = Sources().Where(s => VectorType().IsMatch(s.Text) && !s.Path.StartsWith("Kernels", StringComparison.Ordinal))
            .Select(s => s.Path).ToList();
        Assert.True(offenders.Count == 0, "Vector types outside Kernels/: " + string.Join(", ", offenders));
    }

    [Fact]
    public void UnsafeCode_AppearsOnlyInTheThreadedJobsAndBlockMemory()
    {
        // The jobs pin their inputs; BlockMemory takes addresses only for prefetch hints and a stack table's alignment.
        var files = Sources().Where(s => UnsafeKeyword().IsMatch(s.Text)).Select(s => s.Path).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Matches(@"^Kernels[/\\](\w+Job|BlockMemory)\.cs$", f));
    }
}
