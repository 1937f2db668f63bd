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

    internal static (int ExitCode, string Out, string Error) RunProcess(params string[] args) =>
        RunProcess(new Dictionary<string, string?>(), args);

    internal static (int ExitCode, string Out, string Error) RunProcess(IReadOnlyDictionary<string, string?> environment,
        params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "hinge.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

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
    public void BenchIoRows_AsProcess_ReportPeakRssOfAnEvalProcess()
    {
        var (code, stdout, stderr) = RunProcess("bench", "--quick", "--no-torch", "--sizes", "64", "--io-rows",
            "20000", "--format", "json");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var io = json.RootElement.EnumerateArray()
            .Where(r => r.GetProperty("workload").GetString()!.StartsWith("eval-", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, io.Length);
        foreach (var row in io)
        {
            // A whole .NET process: more than its 1 MB of files, far less than the machine.
            var rss = row.GetProperty("peakRssBytes").GetInt64();
            Assert.InRange(rss, 1L << 20, 4L << 30);
        }
    }

    [Fact]
    public void Eval_WithPeakRssVariable_WritesItsHighWaterMark()
    {
        var p = NpyWriter.Write(_dir, "p.npy", "<f4", [3], [0.2, 0.9, 0.4]);
        var t = NpyWriter.Write(_dir, "t.npy", "<i8", [3], [0, 1, 1]);
        var report = Path.Combine(_dir.Path, "rss.txt");
        var (code, _, stderr) = RunProcess(new Dictionary<string, string?> { ["HINGE_PEAK_RSS_FILE"] = report },
            "eval", "--task", "binary", "--preds", p, "--target", t);
        Assert.True(code == 0, stderr);
        Assert.InRange(long.Parse(File.ReadAllText(report), System.Globalization.CultureInfo.InvariantCulture),
            1L << 20, 4L << 30);
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

    /// <summary>
    /// Two processes each evaluate one half of a file with <c>--save-state</c>; <c>hinge merge</c> (a third process)
    /// of the two states equals <c>hinge eval</c> of the whole file. With the input kind fixed (<c>--input-kind
    /// logits</c>; Auto would decide per file) and the whole file read in the halves' chunks (one chunk per half),
    /// the value is bit-identical; in one chunk it agrees to float32 summation error.
    /// </summary>
    [Fact]
    public void MergeOfTwoProcessHalves_EqualsEvalOfWholeFile()
    {
        const int half = 500;
        var random = new Random(17);
        var preds = Enumerable.Range(0, 2 * half).Select(_ => (double)((random.NextSingle() * 6) - 3)).ToArray();
        var target = Enumerable.Range(0, 2 * half).Select(_ => (double)random.Next(2)).ToArray();
        var states = new string[2];
        for (var k = 0; k < 2; k++)
        {
            var p = NpyWriter.Write(_dir, $"p{k}.npy", "<f4", [half], preds[(k * half)..((k + 1) * half)]);
            var t = NpyWriter.Write(_dir, $"t{k}.npy", "<i8", [half], target[(k * half)..((k + 1) * half)]);
            states[k] = _dir.File($"state{k}.json");
            var (code, _, stderr) = RunProcess("eval", "--task", "binary", "--preds", p, "--target", t,
                "--input-kind", "logits", "--save-state", states[k]);
            Assert.True(code == 0, stderr);
        }

        var (mergeCode, mergeOut, mergeErr) = RunProcess("merge", states[0], states[1], "--format", "json");
        Assert.True(mergeCode == 0, mergeErr);
        var whole = (P: NpyWriter.Write(_dir, "p.npy", "<f4", [2 * half], preds),
            T: NpyWriter.Write(_dir, "t.npy", "<i8", [2 * half], target));
        var (evalCode, evalOut, evalErr) = RunProcess("eval", "--task", "binary", "--preds", whole.P, "--target",
            whole.T, "--input-kind", "logits", "--chunk-rows", $"{half}", "--format", "json");
        Assert.True(evalCode == 0, evalErr);

        using var merged = JsonDocument.Parse(mergeOut);
        using var evaluated = JsonDocument.Parse(evalOut);
        var value = merged.RootElement.GetProperty("value").GetDouble();
        Assert.Equal(evaluated.RootElement.GetProperty("value").GetDouble(), value);
        Assert.Equal(2 * half, merged.RootElement.GetProperty("count").GetInt64());
        Assert.Equal("binary", merged.RootElement.GetProperty("task").GetString());

        var oneChunk = HingeFunctional.BinaryHingeLoss<float, long>(preds.Select(x => (float)x).ToArray(),
            target.Select(x => (long)x).ToArray(), inputKind: HingeInputKind.Logits);
        Approx.Equal(oneChunk, value, Approx.Float32Chunking);
    }
}
