using System.Diagnostics;

namespace HingeSharp.Cli.Forwarding;

/// <summary>
/// Builds a clone's demo project before the ranks of an mpirun job run it with <c>dotnet run --no-build</c>: one rank
/// at a time (an exclusive lock file in the project's <c>obj/</c>), so that no two MSBuilds write the same outputs at
/// once; after the first, the others find the build up to date. The build's output is shown only when it fails.
/// </summary>
internal static class CloneBuild
{
    /// <summary>How long a rank waits for the others' builds before it gives up.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    /// <summary>Runs <c>dotnet build <paramref name="project"/></c> under the project's lock.</summary>
    /// <param name="dotnetHost">The dotnet host.</param>
    /// <param name="project">The project file.</param>
    /// <param name="environment">Where a failed build's output goes.</param>
    /// <returns>0 when built; the build's exit code (its output on standard error), or 2 when the lock never
    /// came.</returns>
    public static int Build(string dotnetHost, string project, CliEnvironment environment)
    {
        var folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(project))!, "obj");
        Directory.CreateDirectory(folder);
        var lockPath = Path.Combine(folder, "hinge-forward.lock");
        using var gate = Acquire(lockPath);
        if (gate is null)
        {
            environment.Error.WriteLine($"error: waited {Patience.TotalMinutes} minutes for another rank's build of " +
                $"{project} (lock file {lockPath}); build it first with `dotnet build {project}`");
            return CliRunner.BadInput;
        }

        var info = new ProcessStartInfo(dotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "build", project, "-nologo", "-v", "q" })
        {
            info.ArgumentList.Add(a);
        }

        using var build = Process.Start(info) ?? throw new InvalidOperationException("no process");
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            environment.Error.Write(stdout.Result);
            environment.Error.Write(stderr.Result);
            environment.Error.WriteLine($"error: building {project} for the ranks failed (exit {build.ExitCode})");
        }

        return build.ExitCode;
    }

    /// <summary>The lock file opened exclusively (other processes wait for it), or null after
    /// <see cref="Patience"/>.</summary>
    private static FileStream? Acquire(string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < Patience)
            {
                Thread.Sleep(200);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
