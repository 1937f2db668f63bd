using System.Diagnostics;

namespace HingeSharp.Distributed.Tests;

/// <summary>Runs a program under <c>mpirun</c> with a hard time limit, so that a hung job fails the test instead of
/// hanging CI.</summary>
internal static class Mpirun
{
    internal static readonly TimeSpan Limit = TimeSpan.FromSeconds(300);

    internal sealed record Result(int ExitCode, string Output, TimeSpan Elapsed);

    /// <summary>The dotnet host running the tests (so that the ranks use the same runtime).</summary>
    internal static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";

    internal static string WorkerDll => Path.Combine(AppContext.BaseDirectory, "HingeSharp.Distributed.Worker.dll");

    /// <summary>Runs <c>mpirun … -np <paramref name="ranks"/> dotnet <paramref name="dll"/> args</c>.</summary>
    internal static Result Run(int ranks, string dll, params string[] args) => Run(ranks, dll, null, args);

    /// <summary>Runs <c>mpirun … -np <paramref name="ranks"/> dotnet <paramref name="dll"/> args</c> with extra
    /// environment variables, exported to every rank (<c>-x NAME</c>).</summary>
    internal static Result Run(int ranks, string dll, IReadOnlyDictionary<string, string>? environment,
        params string[] args)
    {
        var mpirun = Find("mpirun") ?? throw new InvalidOperationException(
            "mpirun was not found: install openmpi-bin (apt-get install -y openmpi-bin); .ci/run does it.");
        var start = new ProcessStartInfo(mpirun)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--allow-run-as-root", "--oversubscribe", "--bind-to", "none", "-x", "TERM=dumb" })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
            start.ArgumentList.Add("-x");
            start.ArgumentList.Add(name);
        }

        foreach (var a in new[] { "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), Dotnet, dll })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"mpirun -np {ranks} {Path.GetFileName(dll)} {string.Join(' ', args)} did " +
                $"not end within {Limit.TotalSeconds} s (a hang). Output so far:\n{stdout.Result}{stderr.Result}");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result + stderr.Result, clock.Elapsed);
    }

    /// <summary>Runs <c>dotnet <paramref name="dll"/> args</c> as one process, without mpirun.</summary>
    internal static Result RunAlone(string dll, params string[] args)
    {
        var start = new ProcessStartInfo(Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(dll)} {string.Join(' ', args)} did not end within " +
                $"{Limit.TotalSeconds} s.");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result + stderr.Result, clock.Elapsed);
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
