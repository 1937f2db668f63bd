using System.Diagnostics;
using System.Text.Json;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Functional;

namespace HingeSharp.Cli.Tests;

/// <summary>The built <c>hinge</c> tool run as a real process with redirected output.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int ExitCode, string Out, string Error) RunProcess(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "hinge.dll");
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
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "hinge did not finish in 2 minutes");
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

    [Fact]
    public void EvalText_AsProcessRedirected_PrintsPlainLines()
    {
        float[] preds = [0.2f, 0.9f, 0.4f, 0.6f];
        long[] target = [0, 1, 1, 0];
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [4], preds.Select(x => (double)x).ToArray());
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [4], target.Select(x => (double)x).ToArray());
        var (code, stdout, stderr) = RunProcess("eval", "--task", "binary", "--preds", p, "--target", t);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("\u001b", stdout, StringComparison.Ordinal);
        var value = stdout.Split('\n').Single(l => l.StartsWith("value: ", StringComparison.Ordinal))["value: ".Length..];
        Assert.Equal(HingeFunctional.BinaryHingeLoss<float, long>(preds, target),
            double.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void EvalBadFile_AsProcess_Exits2WithOneLineOnStderr()
    {
        var p = _dir.Write("p.csv", "0.1\n0.2\n");
        var t = _dir.Write("t.csv", "0\n1\n1\n");
        var (code, stdout, stderr) = RunProcess("eval", "--task", "binary", "--preds", p, "--target", t);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("p.csv has 2 rows but", line, StringComparison.Ordinal);
    }
}
