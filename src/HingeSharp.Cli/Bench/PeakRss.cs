using System.Diagnostics;

namespace HingeSharp.Cli.Bench;

/// <summary>
/// The peak resident memory of a <c>hinge eval</c> run in a process of its own: the tool starts itself on the files
/// with <see cref="Variable"/> naming a file, and that process writes its high-water mark (<c>VmHWM</c> of
/// <c>/proc/self/status</c>, Linux) there as it exits — the whole process, runtime included, not this benchmark's
/// arrays.
/// </summary>
internal static class PeakRss
{
    /// <summary>The environment variable that asks <c>hinge eval</c> to write its peak RSS (bytes) to a file at exit.
    /// </summary>
    public const string Variable = "HINGE_PEAK_RSS_FILE";

    /// <summary>Called by <c>hinge eval</c>: when <see cref="Variable"/> is set, writes the process's peak RSS to
    /// that file as the process exits.</summary>
    public static void ReportAtExitIfAsked()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                if (Current() is { } bytes)
                {
                    File.WriteAllText(path, bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            };
        }
    }

    /// <summary>Peak RSS in bytes of <c>hinge eval --task binary</c> on the pair; null off Linux, when this process
    /// is not the tool (<c>hinge</c>, <c>hinge-demo</c>) or when the run fails.</summary>
    public static long? OfEval(string preds, string target)
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessPath is not { } self)
        {
            return null;
        }

        var start = new ProcessStartInfo(self)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // `dotnet hinge.dll`: the entry assembly is the tool (a native AOT tool is its own process path).
            var name = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;
            var entry = Path.Combine(AppContext.BaseDirectory, name + ".dll");
            if (name is not ("hinge" or "hinge-demo") || !File.Exists(entry))
            {
                return null;
            }

            start.ArgumentList.Add(entry);
        }
        else if (Path.GetFileNameWithoutExtension(self) is not ("hinge" or "hinge-demo"))
        {
            return null; // hosted elsewhere (a test host): nothing to start
        }

        foreach (var a in new[] { "eval", "--task", "binary", "--preds", preds, "--target", target, "--format", "json" })
        {
            start.ArgumentList.Add(a);
        }

        var report = Path.Combine(Path.GetDirectoryName(preds)!, "peak-rss-" + Guid.NewGuid().ToString("N"));
        start.Environment[Variable] = report;
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Task.WaitAll(output, error);
            return process.ExitCode == 0 && File.Exists(report) &&
                long.TryParse(File.ReadAllText(report), System.Globalization.CultureInfo.InvariantCulture,
                    out var bytes)
                ? bytes
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>This process's peak RSS (VmHWM) in bytes, or null where /proc does not say.</summary>
    private static long? Current()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
