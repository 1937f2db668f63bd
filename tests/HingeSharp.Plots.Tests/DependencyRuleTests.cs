namespace HingeSharp.Plots.Tests;

/// <summary>Code rules (ScottPlot's ForbiddenCodeTests habit): the plots take plain data.</summary>
public class DependencyRuleTests
{
    [Fact]
    public void PlotsAssembly_ReferencesNeitherTorchSharpNorTheCore()
    {
        string[] references = typeof(Chart).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(references, n => n.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain("HingeSharp", references);
        Assert.DoesNotContain("HingeSharp.Torch", references);
        Assert.Contains("ScottPlot", references);
    }

    [Fact]
    public void PlotsAssembly_EmbedsTheFallbackFont()
    {
        Assert.Contains("HingeSharp.Plots.Fonts.DejaVuSans-Subset.ttf",
            typeof(Chart).Assembly.GetManifestResourceNames());
    }
}
