using System.Diagnostics;
using System.Text.Json;

namespace HingeSharp.Demo.Tests;

/// <summary>The built <c>hinge-demo</c> tool run as a real process with redirected output.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int ExitCode, string Out, string Error) RunProcess(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "hinge-demo.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "hinge-demo did not finish in 2 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void DemoBinary_AsProcess_PrintsOneJsonObjectMatchingGolden()
    {
        var (code, stdout, stderr) = RunProcess("demo", "binary", "--format", "json", "--out", _dir.File("out"));
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        using var doc = JsonDocument.Parse(lines[0]);
        var expected = Tensor.Doubles(Fixtures.Case("hinge_wrapper.json", "wrapper/binary/tutorial")
            .GetProperty("expected"))[0];
        Approx.Equal(expected, doc.RootElement.GetProperty("binary").GetDouble(), Approx.Float32Relative);
    }
}
