using System.Reflection;
using System.Xml.Linq;
using Xunit;

namespace HingeSharp.Tests;

/// <summary>Code rules for the core (ScottPlot's ForbiddenCodeTests habit): no native package, no native assembly.</summary>
public sealed class CoreDependencyRulesTests
{
    private static string RepositoryFile(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HingeSharp.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return Path.Combine([directory!.FullName, .. parts]);
    }

    [Fact]
    public void CoreProject_ReferencesOnlySystemNumericsTensors()
    {
        var project = XDocument.Load(RepositoryFile("src", "HingeSharp", "HingeSharp.csproj"));
        var packages = project.Descendants("PackageReference").Select(e => (string)e.Attribute("Include")!).ToArray();
        var projects = project.Descendants("ProjectReference").ToArray();
        Assert.Equal(new[] { "System.Numerics.Tensors" }, packages);
        Assert.Empty(projects);
    }

    [Fact]
    public void CoreAssembly_ReferencesNoTorchScottPlotOrCommandLine()
    {
        var references = typeof(HingeInputKind).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(references, name =>
            name.StartsWith("TorchSharp", StringComparison.Ordinal) ||
            name.StartsWith("ScottPlot", StringComparison.Ordinal) ||
            name.StartsWith("SkiaSharp", StringComparison.Ordinal) ||
            name.StartsWith("System.CommandLine", StringComparison.Ordinal) ||
            name.StartsWith("Spectre", StringComparison.Ordinal));
    }
}
