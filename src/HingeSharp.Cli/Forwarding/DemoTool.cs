using System.CommandLine;
using System.Diagnostics;

namespace HingeSharp.Cli.Forwarding;

/// <summary>
/// The slim <c>hinge</c> tool has no TorchSharp: <c>hinge demo …</c> and the torch benchmarks
/// (<c>hinge bench --recipes</c>, <c>hinge bench --torch</c>) run in the <c>hinge-demo</c> tool (package
/// HingeSharp.Demo). This forwards such a command line to it unchanged and relays its output and exit code; where
/// no <c>hinge-demo</c> is found it says in one line which tool to install and exits 2.
/// </summary>
internal static class DemoTool
{
    /// <summary>The demo tool's command name.</summary>
    public const string CommandName = "hinge-demo";

    /// <summary>Names the demo tool to run instead of searching for it (an executable, or a <c>.dll</c>).</summary>
    public const string PathVariable = "HINGESHARP_DEMO_TOOL";

    /// <summary>The one line printed when no demo tool is found.</summary>
    public const string NotFoundMessage =
        "error: this command runs in the HingeSharp.Demo tool (TorchSharp), and no `hinge-demo` was found: " +
        "install it with `dotnet tool install -g HingeSharp.Demo`.";

    /// <summary>The project a clone builds the demo tool from, relative to the repository root.</summary>
    internal static readonly string ClonePath = Path.Combine("src", "HingeSharp.Demo", "HingeSharp.Demo.csproj");

    private static readonly string[] TorchBenchOptions = ["--recipes", "--torch"];

    /// <summary>True for the command lines that <c>hinge-demo</c> runs: <c>demo …</c>, and <c>bench</c> with
    /// <c>--recipes</c> or <c>--torch</c>.</summary>
    public static bool Handles(IReadOnlyList<string> args) =>
        args.Count > 0 && (args[0] == "demo" || (args[0] == "bench" && args.Skip(1).Any(TorchBenchOptions.Contains)));

    /// <summary>The <c>demo</c> entry of <c>hinge --help</c>; its command lines never reach the parser.</summary>
    public static Command CreateCommand() =>
        new("demo", "Run the tutorial's five hinge-loss methods (forwarded to the hinge-demo tool, HingeSharp.Demo).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };

    /// <summary>Runs <paramref name="args"/> in the demo tool found by <see cref="Locate"/>.</summary>
    /// <returns>The demo tool's exit code, or 2 (one line on standard error) when there is none.</returns>
    public static int Forward(IReadOnlyList<string> args, CliEnvironment environment)
    {
        var tool = Locate(DemoToolProbe.FromProcess());
        if (tool is null)
        {
            environment.Error.WriteLine(NotFoundMessage);
            return CliRunner.BadInput;
        }

        return Run(tool, args, environment);
    }

    /// <summary>
    /// Finds the demo tool: <see cref="PathVariable"/> if set; else <c>hinge-demo</c> next to the <c>hinge</c>
    /// executable (also beside the shims of a <c>dotnet tool install</c>, whose <c>.store</c> holds the real
    /// executable); else on <c>PATH</c>; else, in a clone of the repository (found upwards from the executable or the
    /// current folder), <c>dotnet run --project src/HingeSharp.Demo</c>.
    /// </summary>
    /// <returns>How to start it, or null when there is none.</returns>
    internal static DemoToolCommand? Locate(DemoToolProbe probe)
    {
        if (!string.IsNullOrEmpty(probe.Override))
        {
            return File.Exists(probe.Override) ? Direct(probe.Override, probe.DotnetHost) : null;
        }

        foreach (var folder in probe.ExecutableFolders.SelectMany(ToolFolders).Distinct(StringComparer.Ordinal))
        {
            var candidate = Path.Combine(folder, CommandName);
            if (File.Exists(candidate))
            {
                return Direct(candidate, probe.DotnetHost);
            }
        }

        foreach (var folder in probe.SearchPath)
        {
            var candidate = Path.Combine(folder, CommandName);
            if (folder.Length > 0 && File.Exists(candidate))
            {
                return Direct(candidate, probe.DotnetHost);
            }
        }

        foreach (var start in probe.CloneStarts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var project = Path.Combine(dir.FullName, ClonePath);
                if (File.Exists(project))
                {
                    // Under mpirun every rank forwards at once: `dotnet run` would build the project in every rank
                    // at the same time (and fail on locked files), so the ranks build it one after another first
                    // (CloneBuild) and run it without building.
                    return probe.UnderMpirun
                        ? new DemoToolCommand(probe.DotnetHost, ["run", "--no-build", "--project", project, "--"], project)
                        : new DemoToolCommand(probe.DotnetHost, ["run", "--project", project, "--"]);
                }
            }
        }

        return null;
    }

    /// <summary>Starts the demo tool with <paramref name="args"/>; relays standard output, standard error and the
    /// exit code. On the process console the child inherits it (terminal detection and colours as if run
    /// directly); otherwise its output is copied to the environment's writers.</summary>
    internal static int Run(DemoToolCommand tool, IReadOnlyList<string> args, CliEnvironment environment)
    {
        if (tool.BuildFirst is { } project && CloneBuild.Build(tool.FileName, project, environment) is var built and not 0)
        {
            return built;
        }

        var inherit = ReferenceEquals(environment.Out, Console.Out) && ReferenceEquals(environment.Error, Console.Error);
        var info = new ProcessStartInfo(tool.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = !inherit,
            RedirectStandardError = !inherit,
        };
        foreach (var a in tool.Prefix.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            environment.Error.WriteLine($"error: cannot start '{tool.FileName}': {CliRunner.OneLine(e.Message)}");
            return CliRunner.BadInput;
        }

        using (process)
        {
            if (!inherit)
            {
                var stdout = Relay(process.StandardOutput, environment.Out);
                var stderr = Relay(process.StandardError, environment.Error);
                process.WaitForExit();
                Task.WaitAll(stdout, stderr);
            }
            else
            {
                process.WaitForExit();
            }

            return process.ExitCode;
        }
    }

    private static async Task Relay(StreamReader from, TextWriter to)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await from.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (to)
            {
                to.Write(buffer, 0, read);
            }
        }
    }

    /// <summary>A found tool: an executable, or a <c>.dll</c> run by the dotnet host.</summary>
    private static DemoToolCommand Direct(string path, string dotnetHost) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new DemoToolCommand(dotnetHost, [path])
            : new DemoToolCommand(path, []);

    /// <summary>The folder of an executable, and for one inside a tool install's <c>.store</c> the folder that
    /// holds the <c>.store</c> (where <c>dotnet tool install</c> puts the commands' shims).</summary>
    private static IEnumerable<string> ToolFolders(string folder)
    {
        yield return folder;
        for (var dir = new DirectoryInfo(folder); dir?.Parent is not null; dir = dir.Parent)
        {
            if (dir.Name == ".store")
            {
                yield return dir.Parent.FullName;
                yield break;
            }
        }
    }
}

/// <summary>How to start the demo tool: <paramref name="FileName"/> with <paramref name="Prefix"/> before the
/// forwarded arguments, after building <paramref name="BuildFirst"/> (a clone's project, under mpirun) when set.</summary>
internal sealed record DemoToolCommand(string FileName, IReadOnlyList<string> Prefix, string? BuildFirst = null);

/// <summary>Where <see cref="DemoTool.Locate"/> looks (the process's own view, or a test's).</summary>
/// <param name="Override">The value of <see cref="DemoTool.PathVariable"/>, or null.</param>
/// <param name="ExecutableFolders">The folders of the running <c>hinge</c> (process path, app base).</param>
/// <param name="SearchPath">The folders of <c>PATH</c>.</param>
/// <param name="CloneStarts">Where to start looking upwards for a clone of the repository.</param>
/// <param name="DotnetHost">The dotnet host that runs <c>.dll</c> tools and <c>dotnet run</c>.</param>
/// <param name="UnderMpirun">Whether this process is a rank started by OpenMPI's mpirun (its ranks forward at
/// once).</param>
internal sealed record DemoToolProbe(string? Override, IReadOnlyList<string> ExecutableFolders,
    IReadOnlyList<string> SearchPath, IReadOnlyList<string> CloneStarts, string DotnetHost, bool UnderMpirun = false)
{
    /// <summary>This process: its environment, executable and current folder.</summary>
    public static DemoToolProbe FromProcess()
    {
        var executables = new List<string> { AppContext.BaseDirectory };
        if (Environment.ProcessPath is { } processPath && Path.GetDirectoryName(processPath) is { } processFolder)
        {
            executables.Insert(0, processFolder);
        }

        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new DemoToolProbe(Environment.GetEnvironmentVariable(DemoTool.PathVariable), executables, path,
            [AppContext.BaseDirectory, Environment.CurrentDirectory], host,
            Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is { Length: > 0 });
    }
}
