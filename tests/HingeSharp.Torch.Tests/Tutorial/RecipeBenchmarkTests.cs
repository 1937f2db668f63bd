using HingeSharp.Torch.Tutorial;

namespace HingeSharp.Torch.Tests.Tutorial;

public sealed class RecipeBenchmarkTests
{
    [Fact]
    public void PyTorchScript_IsTheRepositoryScript()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "../../../../../benchmarks/pytorch/recipes.py");

        Assert.Equal(File.ReadAllText(path), RecipeBenchmark.PyTorchScript());
    }

    [Fact]
    public void ParsePyTorch_ScriptJson_GivesSecondsPerWorkload()
    {
        const string json = """{"torch": "1.13.0", "threads": 1, "method1": {"seconds": 0.47, "testAccuracy": 0.84}, "method2": {"seconds": 2.33, "finalLoss": 0.002}}""";

        Dictionary<string, double> seconds = RecipeBenchmark.ParsePyTorch(json);

        Assert.Equal(new Dictionary<string, double> { ["method1"] = 0.47, ["method2"] = 2.33 }, seconds);
    }

    [Fact]
    public void ParsePyTorch_OneWorkloadMissing_LeavesItOut()
    {
        Dictionary<string, double> seconds = RecipeBenchmark.ParsePyTorch("""{"method2": {"seconds": 2.0}}""");

        Assert.Equal(["method2"], seconds.Keys);
    }

    [Theory]
    [InlineData("""["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"]""", true)]
    [InlineData("""["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"]""", false)]
    [InlineData("""["/usr/lib/x86_64-linux-gnu/libblas.so.3", "/opt/intel/mkl/lib/libmkl_rt.so"]""", false)]
    [InlineData("[]", false)]
    public void ReferenceBlasNotice_ScriptBlasList_FlagsOnlyTheReferenceBlas(string blas, bool flagged)
    {
        string json = $$$"""{"torch": "1.13.0", "blas": {{{blas}}}, "method1": {"seconds": 0.6}}""";

        string? notice = RecipeBenchmark.ReferenceBlasNotice(json);

        Assert.Equal(flagged, notice is not null);
        if (flagged)
        {
            Assert.Contains("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0", notice);
            Assert.Contains("libopenblas0-pthread", notice);
        }
    }

    [Fact]
    public void ReferenceBlasNotice_ScriptWithoutBlasList_SaysNothing()
    {
        Assert.Null(RecipeBenchmark.ReferenceBlasNotice("""{"method2": {"seconds": 2.0}}"""));
    }

    [Fact]
    public void Run_NonPositiveSettings_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RecipeBenchmark.Run(new RecipeBenchmarkOptions(Threads: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecipeBenchmark.Run(new RecipeBenchmarkOptions(Repeat: 0)));
    }
}
