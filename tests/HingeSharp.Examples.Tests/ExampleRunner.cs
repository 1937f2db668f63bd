using System.Diagnostics;
using System.Reflection;

namespace HingeSharp.Examples.Tests;

/// <summary>Runs <c>dotnet run examples/&lt;name&gt;.cs</c> from the repository root and returns what it printed.</summary>
internal static class ExampleRunner
{
    public static string RepositoryRoot { get; } = typeof(ExampleRunner).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>Runs the example; fails the test unless it exits 0 within 10 minutes (the first run builds it).</summary>
    /// <returns>Its standard output, lines without trailing blanks.</returns>
    public static string[] Run(string name, params string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("run");
        info.ArgumentList.Add(Path.Combine("examples", name + ".cs"));
        if (args.Length > 0)
        {
            info.ArgumentList.Add("--");
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }
        }

        // The test host's MSBuild variables would redirect the example's own build.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                     || k is "MSBUILD_EXE_PATH" or "MSBuildExtensionsPath" or "MSBuildSDKsPath").ToArray())
        {
            info.Environment.Remove(key);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet run examples/{name}.cs did not finish in 10 minutes");
        }

        Assert.True(process.ExitCode == 0,
            $"dotnet run examples/{name}.cs exited {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd()).ToArray();
    }
}
