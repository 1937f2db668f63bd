using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TorchSharp;

namespace HingeSharp.Torch.Tutorial;

/// <summary>Settings of <see cref="RecipeBenchmark.Run"/>.</summary>
/// <param name="Threads">Threads for libtorch (<c>torch.set_num_threads</c>) and for the PyTorch script
/// (<c>--threads</c>, <c>OMP_NUM_THREADS</c>, <c>OPENBLAS_NUM_THREADS</c>), &gt;= 1.</param>
/// <param name="Repeat">Measured runs of each recipe after one warm-up run; the best is reported.</param>
/// <param name="PyTorch">Whether to run the PyTorch script when <c>python3 -c "import torch"</c> works.</param>
/// <param name="Python">The Python interpreter; with the default <c>python3</c>, <c>/usr/bin/python3</c> (the
/// system's, where Debian's <c>python3-torch</c> lives) is tried when the first one on the path lacks torch.</param>
/// <param name="PyTorchTimeout">Longest wait for the PyTorch script.</param>
/// <param name="Notice">Called with a line the user should read about the comparison, e.g. that PyTorch multiplied
/// its matrices with the reference BLAS (Debian's python3-torch without OpenBLAS), which makes it several times
/// slower than a PyTorch user's; <see langword="null"/> to drop such lines.</param>
public sealed record RecipeBenchmarkOptions(
    int Threads = 1,
    int Repeat = 3,
    bool PyTorch = true,
    string Python = "python3",
    TimeSpan? PyTorchTimeout = null,
    Action<string>? Notice = null);

/// <summary>One recipe's timing.</summary>
/// <param name="Workload"><c>method1</c> (Sequential on make_circles, 200 epochs with validation) or
/// <c>method2</c> (the FakeData MLP with HingeEmbeddingLoss and Adam, 5 epochs).</param>
/// <param name="Seconds">HingeSharp's warm training time, best of the runs.</param>
/// <param name="PyTorchSeconds">The same work in PyTorch eager in the same run; <see langword="null"/> without
/// PyTorch.</param>
/// <param name="RatioToPyTorch"><see cref="Seconds"/> / <see cref="PyTorchSeconds"/>; below 1 is faster.</param>
public sealed record RecipeBenchmarkRecord(string Workload, double Seconds, double? PyTorchSeconds,
    double? RatioToPyTorch);

/// <summary>
/// Times the tutorial's training recipes in HingeSharp and, in the same run, in PyTorch: the training loops only
/// (data made before the clock starts), warm, on <see cref="RecipeBenchmarkOptions.Threads"/> threads. The
/// PyTorch side is <c>benchmarks/pytorch/recipes.py</c>, embedded in this assembly and written to a temporary
/// file, so it runs from an installed tool too.
/// </summary>
public static class RecipeBenchmark
{
    /// <summary>The workload names, in the order <see cref="Run"/> reports them.</summary>
    public static IReadOnlyList<string> Workloads { get; } = ["method1", "method2"];

    /// <summary>Runs both recipes (and the PyTorch script when available).</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <returns>One record per workload.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Threads or Repeat below 1.</exception>
    public static IReadOnlyList<RecipeBenchmarkRecord> Run(RecipeBenchmarkOptions? options = null)
    {
        options ??= new RecipeBenchmarkOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Repeat, 1, nameof(options));
        int previousThreads = torch.get_num_threads();
        torch.set_num_threads(options.Threads);
        double method1, method2;
        try
        {
            method1 = Best(options.Repeat, () => SequentialHingeDemo.Run().Seconds);
            method2 = Best(options.Repeat, () => EmbeddingHingeDemo.Run(new EmbeddingDemoOptions(NumWorkers: 1)).Seconds);
        }
        finally
        {
            torch.set_num_threads(previousThreads);
        }

        Dictionary<string, double>? anchor = options.PyTorch ? RunPyTorch(options) : null;
        return [Record("method1", method1, anchor), Record("method2", method2, anchor)];
    }

    /// <summary>The PyTorch script's text (<c>benchmarks/pytorch/recipes.py</c>).</summary>
    /// <returns>The script.</returns>
    public static string PyTorchScript()
    {
        using Stream stream = typeof(RecipeBenchmark).Assembly
            .GetManifestResourceStream("HingeSharp.Torch.Tutorial.recipes.py")
            ?? throw new InvalidOperationException("The embedded PyTorch recipes script is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Seconds per workload from the script's JSON output, e.g.
    /// <c>{"method1": {"seconds": 0.4}, "method2": {"seconds": 2.1}}</c>.</summary>
    internal static Dictionary<string, double> ParsePyTorch(string json)
    {
        using var document = JsonDocument.Parse(json);
        var seconds = new Dictionary<string, double>();
        foreach (string workload in Workloads)
        {
            if (document.RootElement.TryGetProperty(workload, out JsonElement entry)
                && entry.TryGetProperty("seconds", out JsonElement value))
            {
                seconds[workload] = value.GetDouble();
            }
        }

        return seconds;
    }

    /// <summary>A notice when the script's <c>"blas"</c> list shows the reference BLAS (a <c>libblas</c> library and
    /// no optimized one: OpenBLAS, MKL, BLIS or ATLAS), else <see langword="null"/>.</summary>
    internal static string? ReferenceBlasNotice(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("blas", out JsonElement blas) || blas.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        string[] paths = [.. blas.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()!)];
        string[] optimized = ["openblas", "mkl", "blis", "atlas"];
        bool reference = paths.Any(p => Path.GetFileName(p).StartsWith("libblas", StringComparison.Ordinal)) &&
            !paths.Any(p => optimized.Any(o => p.Contains(o, StringComparison.OrdinalIgnoreCase)));
        return reference
            ? $"note: PyTorch ran on the reference BLAS ({string.Join(", ", paths)}), several times slower than with " +
              "an optimized one: apt-get install libopenblas0-pthread for a fair anchor"
            : null;
    }

    private static RecipeBenchmarkRecord Record(string workload, double seconds, Dictionary<string, double>? anchor)
    {
        double? pytorch = anchor is not null && anchor.TryGetValue(workload, out double s) ? s : null;
        return new RecipeBenchmarkRecord(workload, seconds, pytorch, pytorch is > 0 ? seconds / pytorch : null);
    }

    private static double Best(int repeat, Func<double> run)
    {
        run();
        double best = double.PositiveInfinity;
        for (int i = 0; i < repeat; i++)
        {
            best = Math.Min(best, run());
        }

        return best;
    }

    private static Dictionary<string, double>? RunPyTorch(RecipeBenchmarkOptions options)
    {
        TimeSpan timeout = options.PyTorchTimeout ?? TimeSpan.FromMinutes(10);
        string[] candidates = options.Python == "python3" ? ["python3", "/usr/bin/python3"] : [options.Python];
        string? python = candidates.FirstOrDefault(
            c => Python(c, options.Threads, ["-c", "import torch, sklearn"], TimeSpan.FromMinutes(1)) is (0, _));
        if (python is null)
        {
            return null;
        }

        string path = Path.Combine(Path.GetTempPath(), $"hingesharp-recipes-{Environment.ProcessId}-{Guid.NewGuid():N}.py");
        try
        {
            File.WriteAllText(path, PyTorchScript());
            string threads = options.Threads.ToString(CultureInfo.InvariantCulture);
            if (Python(python, options.Threads, [path, "--threads", threads, "--repeat",
                    options.Repeat.ToString(CultureInfo.InvariantCulture), "--format", "json"], timeout)
                is not (0, string output))
            {
                return null;
            }

            string json = output.Trim().Split('\n')[^1];
            if (options.Notice is { } notice && ReferenceBlasNotice(json) is { } line)
            {
                notice(line);
            }

            return ParsePyTorch(json);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (int ExitCode, string Output)? Python(string python, int threadCount, string[] arguments,
        TimeSpan timeout)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        string threads = threadCount.ToString(CultureInfo.InvariantCulture);
        start.Environment["OMP_NUM_THREADS"] = threads;
        start.Environment["OPENBLAS_NUM_THREADS"] = threads;
        start.Environment["MKL_NUM_THREADS"] = threads;
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            process.WaitForExit();
            _ = error.Result;
            return (process.ExitCode, output.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;   // no such interpreter
        }
    }
}
