using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Metrics;
using HingeSharp.Reports;

namespace HingeSharp.Cli.Tests.Fuzz;

/// <summary>
/// The CLI fuzz harness (issue 14): thousands of seeded command lines (<see cref="FuzzGenerator"/>) run in-process
/// through <see cref="HingeCli.Run(string[], CliEnvironment)"/>, a few through a real process and a pipe. For every
/// case: exit 0 with the library's value on the same data, or exit 2 with one line on standard error and nothing on
/// standard output; never exit 1 or a stack trace; the input files unchanged; no temporary file left behind.
/// </summary>
public sealed class CliFuzzTests : IDisposable
{
    private const int CasesPerBlock = 600;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EvalAndReport_GeneratedCases_ExitZeroWithLibraryValueOrTwoWithOneLine(int block)
    {
        var outcomes = new int[3];
        for (var i = 0; i < CasesPerBlock; i++)
        {
            var seed = (block * CasesPerBlock) + i;
            var folder = Directory.CreateDirectory(Path.Combine(_dir.Path, seed.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
            var fuzz = FuzzGenerator.Generate(seed, folder);
            var hashes = Hashes(fuzz);
            var run = Hinge.Run(fuzz.Args);
            Check(fuzz, run, hashes, folder);
            outcomes[run.ExitCode]++;
            Directory.Delete(folder, recursive: true);
        }

        // Both outcomes are exercised in every block.
        Assert.True(outcomes[0] > CasesPerBlock / 5, $"exit 0: {outcomes[0]}");
        Assert.True(outcomes[2] > CasesPerBlock / 10, $"exit 2: {outcomes[2]}");
    }

    [Fact]
    public void Merge_TamperedStates_ExitZeroWithTheSavedValueOrTwo()
    {
        var random = new Random(1414);
        for (var seed = 0; seed < 300; seed++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_dir.Path, $"m{seed}")).FullName;
            FuzzCase fuzz;
            var attempt = 0;
            do
            {
                fuzz = FuzzGenerator.Generate(10_000 + (seed * 17) + attempt++, folder);
            }
            while (fuzz.Expect != Expect.Value || fuzz.Report || fuzz.Oracle() is null || fuzz.Data!.Weights is not null);

            var state = Path.Combine(folder, "s.json");
            var eval = Hinge.Run([.. fuzz.Args.Where(a => a != "--save-state"), "--save-state", state]);
            if (eval.ExitCode != 0 || !File.Exists(state))
            {
                Directory.Delete(folder, recursive: true);
                continue; // e.g. the generated --save-state path took the place of the value of another option
            }

            var text = File.ReadAllText(state);
            var tampered = Tamper(random, text);
            var second = Path.Combine(folder, "t.json");
            File.WriteAllText(second, tampered);
            var mergeCase = new FuzzCase
            {
                Name = $"merge {seed}",
                Args = ["merge", state, second, "--format", "json"],
                Expect = tampered == text ? Expect.Value : Expect.Either,
            };
            mergeCase.Inputs.AddRange(Directory.GetFileSystemEntries(folder));
            var hashes = Hashes(mergeCase);
            var run = Hinge.Run(mergeCase.Args);
            CheckContract(mergeCase, run, hashes, folder);
            if (tampered == text)
            {
                // The state merged with itself: the same mean, twice the count.
                var once = Hinge.Run("merge", state, "--format", "json").Json();
                var twice = run.Json();
                Assert.Equal(2 * once.GetProperty("count").GetInt64(), twice.GetProperty("count").GetInt64());
                Assert.Equal(Hinge.Values(once.GetProperty("value")), Hinge.Values(twice.GetProperty("value")),
                    (a, b) => (double.IsNaN(a) && double.IsNaN(b)) || Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(a)));
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void RealProcess_PipesAndSampleCases_ExitZeroOrTwoNeverOne()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir.Path, "process")).FullName;
        var p = NpyWriter.Write(_dir, "process/p.npy", "<f4", [4], [0.2, 0.9, 0.4, 0.6]);
        var t = NpyWriter.Write(_dir, "process/t.npy", "<i8", [4], [0, 1, 1, 0]);
        var hashes = new[] { p, t }.ToDictionary(x => x, Hash);

        // Piped predictions (non-seekable) as /dev/stdin and as "-": a value or a clear error, never exit 1.
        foreach (var stdinPath in new[] { "/dev/stdin", "-" })
        {
            var (code, stdout, stderr) = Process(["eval", "--task", "binary", "--preds", stdinPath, "--target", t,
                "--format", "json"], File.ReadAllBytes(p));
            AssertProcessContract(code, stdout, stderr);
        }

        for (var seed = 50_000; seed < 50_006; seed++)
        {
            var caseFolder = Directory.CreateDirectory(Path.Combine(folder, $"c{seed}")).FullName;
            var fuzz = FuzzGenerator.Generate(seed, caseFolder);
            var (code, stdout, stderr) = Process(fuzz.Args, null);
            AssertProcessContract(code, stdout, stderr);
            Check(fuzz, new CliRun(code, stdout, stderr), Hashes(fuzz), caseFolder, inProcess: false);
        }

        Assert.All(hashes, h => Assert.Equal(h.Value, Hash(h.Key)));
    }

    private static void AssertProcessContract(int code, string stdout, string stderr)
    {
        Assert.True(code is 0 or 2, $"exit {code}: {stderr}");
        if (code == 2)
        {
            Assert.Equal(string.Empty, stdout);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    private static void Check(FuzzCase fuzz, CliRun run, Dictionary<string, string> hashes, string folder,
        bool inProcess = true)
    {
        CheckContract(fuzz, run, hashes, folder);
        if (fuzz.Expect != Expect.Value || !inProcess && run.ExitCode != 0)
        {
            return;
        }

        var oracle = fuzz.Oracle();
        if (oracle is not { } expected)
        {
            Assert.True(run.ExitCode == 2, $"{fuzz}\nthe library rejects this data, but hinge exited {run.ExitCode}: " +
                $"{run.Out}");
            return;
        }

        Assert.True(run.ExitCode == 0, $"{fuzz}\nthe library accepts this data, but hinge said: {run.Error}");
        var json = run.Json();
        double[] actual;
        long count;
        if (fuzz.Report)
        {
            var report = MarginReportResult.FromJson(run.Out);
            (actual, count) = ([report.Overall.Hinge], report.Overall.Count);
        }
        else
        {
            (actual, count) = (Hinge.Values(json.GetProperty("value")), json.GetProperty("count").GetInt64());
        }

        Assert.True(expected.Count == count, $"{fuzz}\ncount {count}, library {expected.Count}");
        Assert.Equal(expected.Value.Length, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Close(fuzz, expected.Value[i], actual[i], "value");
        }

        if (expected.Interval is { } ci)
        {
            var printed = json.GetProperty("ci");
            Close(fuzz, ci.Lower, Hinge.Number(printed.GetProperty("lower")), "ci lower");
            Close(fuzz, ci.Upper, Hinge.Number(printed.GetProperty("upper")), "ci upper");
        }

        if (fuzz.Output is { } state)
        {
            var loaded = MetricState.Load(state).ComputeValue().Values;
            Assert.Equal(actual.Length, loaded.Count);
            for (var i = 0; i < actual.Length; i++)
            {
                Close(fuzz, actual[i], loaded[i], "saved state");
            }
        }
    }

    /// <summary>The contract every case keeps, whatever its input.</summary>
    private static void CheckContract(FuzzCase fuzz, CliRun run, Dictionary<string, string> hashes, string folder)
    {
        Assert.True(run.ExitCode is 0 or 2, $"{fuzz}\nexit {run.ExitCode}: {run.Error}");
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", run.Error, StringComparison.Ordinal);
        if (run.ExitCode == 2)
        {
            Assert.True(run.Out.Length == 0, $"{fuzz}\nexit 2 with output: {run.Out}");
            var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal),
                $"{fuzz}\nstderr: {run.Error}");
        }
        else
        {
            Assert.True(fuzz.Expect != Expect.BadInput, $"{fuzz}\nexpected exit 2, got 0: {run.Out}");
            Assert.True(run.Error.Length == 0, $"{fuzz}\nexit 0 with stderr: {run.Error}");
            if (fuzz.Args.Contains("json") && fuzz.Args[0] is "eval" or "merge")
            {
                var json = run.Json();
                Assert.True(json.TryGetProperty("value", out _), $"{fuzz}\n{run.Out}");
            }
        }

        foreach (var (path, hash) in hashes)
        {
            Assert.True(hash == Hash(path), $"{fuzz}\ninput {path} was modified");
        }

        var allowed = new HashSet<string>(fuzz.Inputs);
        if (run.ExitCode == 0 && fuzz.Output is { } output)
        {
            allowed.Add(output);
            allowed.Add(Path.GetDirectoryName(output)!);
        }

        var left = Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Where(e => !allowed.Contains(e)).ToArray();
        Assert.True(left.Length == 0, $"{fuzz}\nleft behind: {string.Join(", ", left)}");
    }

    private static void Close(FuzzCase fuzz, double expected, double actual, string what)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(double.IsNaN(actual), $"{fuzz}\n{what}: expected {expected} (null in JSON), got {actual}");
            return;
        }

        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)),
            $"{fuzz}\n{what}: expected {expected}, got {actual}");
    }

    private static string Tamper(Random random, string text)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        var keys = node.Select(p => p.Key).ToArray();
        switch (random.Next(8))
        {
            case 0:
                return text;
            case 1:
                return text[..random.Next(text.Length)];
            case 2:
                node.Remove(keys[random.Next(keys.Length)]);
                break;
            case 3:
                node["total"] = long.MaxValue - random.Next(3);
                break;
            default:
            {
                System.Text.Json.Nodes.JsonNode?[] values =
                [
                    -1, 0, 1e308, "NaN", "Infinity", "x", null, true, new System.Text.Json.Nodes.JsonArray(5000.0),
                    new System.Text.Json.Nodes.JsonArray(), long.MaxValue, 2.5, int.MaxValue,
                    new System.Text.Json.Nodes.JsonObject(),
                ];
                node[keys[random.Next(keys.Length)]] = values[random.Next(values.Length)]?.DeepClone();
                break;
            }
        }

        return node.ToJsonString();
    }

    private static Dictionary<string, string> Hashes(FuzzCase fuzz) =>
        fuzz.Inputs.Where(File.Exists).ToDictionary(p => p, Hash);

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static (int Code, string Out, string Error) Process(string[] args, byte[]? stdin)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "hinge.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "hinge did not finish in 2 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
