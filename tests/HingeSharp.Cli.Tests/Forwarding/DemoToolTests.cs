using HingeSharp.Cli.Forwarding;
using HingeSharp.Cli.Tests.Infrastructure;

namespace HingeSharp.Cli.Tests.Forwarding;

/// <summary>
/// The slim <c>hinge</c> forwards <c>demo</c> and the torch benchmarks to <c>hinge-demo</c>: which command lines,
/// where it looks, and that arguments, both output streams and the exit code are relayed unchanged. A stand-in
/// <c>hinge-demo</c> (a shell script that echoes its arguments) plays the tool.
/// </summary>
public sealed class DemoToolTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes an executable stand-in that prints each argument on its own line, one line on standard error,
    /// and exits with <paramref name="exitCode"/>.</summary>
    private static string FakeTool(string folder, int exitCode = 3)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, DemoTool.CommandName);
        File.WriteAllText(path,
            $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\necho \"stand-in stderr\" >&2\nexit {exitCode}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static DemoToolProbe Probe(string? overridePath = null, string[]? executables = null, string[]? path = null,
        string[]? cloneStarts = null, bool underMpirun = false) =>
        new(overridePath, executables ?? [], path ?? [], cloneStarts ?? [], "dotnet", underMpirun);

    [Theory]
    [InlineData(true, "demo")]
    [InlineData(true, "demo", "binary", "--format", "json")]
    [InlineData(true, "bench", "--quick", "--recipes")]
    [InlineData(true, "bench", "--torch")]
    [InlineData(false, "bench", "--quick")]
    [InlineData(false, "eval", "--task", "binary", "--preds", "demo")]
    [InlineData(false)]
    public void Handles_CommandLine_OnlyDemoAndTorchBenchmarks(bool expected, params string[] args) =>
        Assert.Equal(expected, DemoTool.Handles(args));

    [Fact]
    public void Locate_NothingAnywhere_Null() =>
        Assert.Null(DemoTool.Locate(Probe(executables: [_dir.Path], path: [_dir.Path], cloneStarts: [_dir.Path])));

    [Fact]
    public void Locate_OverrideToMissingFile_NullEvenWhenOnPath()
    {
        var onPath = Path.GetDirectoryName(FakeTool(_dir.File("bin")))!;
        Assert.Null(DemoTool.Locate(Probe(overridePath: _dir.File("missing"), path: [onPath])));
    }

    [Fact]
    public void Locate_DllOverride_RunByTheDotnetHost()
    {
        var dll = _dir.Write("hinge-demo.dll", "stand-in");
        var found = DemoTool.Locate(Probe(overridePath: dll));
        Assert.Equal("dotnet", found?.FileName);
        Assert.Equal([dll], found!.Prefix);
    }

    [Fact]
    public void Locate_NextToExecutable_BeatsPath()
    {
        var beside = FakeTool(_dir.File("tools"));
        FakeTool(_dir.File("elsewhere"));
        var found = DemoTool.Locate(Probe(executables: [_dir.File("tools")], path: [_dir.File("elsewhere")]));
        Assert.Equal(beside, found?.FileName);
        Assert.Empty(found!.Prefix);
    }

    [Fact]
    public void Locate_InsideToolStore_FindsTheShimFolder()
    {
        var shim = FakeTool(_dir.File("tools"));
        var store = _dir.File(Path.Combine("tools", ".store", "hingesharp.cli", "1.0.0", "hingesharp.cli", "1.0.0",
            "tools", "net10.0", "linux-x64"));
        Directory.CreateDirectory(store);
        Assert.Equal(shim, DemoTool.Locate(Probe(executables: [store]))?.FileName);
    }

    [Fact]
    public void Locate_OnPath_Found()
    {
        var onPath = FakeTool(_dir.File("bin"));
        Assert.Equal(onPath, DemoTool.Locate(Probe(executables: [_dir.Path], path: ["", _dir.File("bin")]))?.FileName);
    }

    [Fact]
    public void Locate_InsideAClone_DotnetRunOfTheDemoProject()
    {
        var project = _dir.File(DemoTool.ClonePath);
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        File.WriteAllText(project, "<Project />");
        var deep = _dir.File(Path.Combine("src", "HingeSharp.Cli", "bin", "Debug", "net10.0"));
        Directory.CreateDirectory(deep);
        var found = DemoTool.Locate(Probe(cloneStarts: [deep]));
        Assert.Equal("dotnet", found?.FileName);
        Assert.Equal(["run", "--project", project, "--"], found!.Prefix);
    }

    [Fact]
    public void Locate_InsideACloneUnderMpirun_BuildsFirstThenRunsWithoutBuilding()
    {
        // Every rank forwards at once: `dotnet run` would build the project in all of them concurrently.
        var project = _dir.File(DemoTool.ClonePath);
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        File.WriteAllText(project, "<Project />");
        var found = DemoTool.Locate(Probe(cloneStarts: [_dir.Path], underMpirun: true));
        Assert.Equal("dotnet", found?.FileName);
        Assert.Equal(["run", "--no-build", "--project", project, "--"], found!.Prefix);
        Assert.Equal(project, found.BuildFirst);
    }

    [Fact]
    public void Run_CloneBuildFails_ReportsTheBuildAndReturnsItsExitCode()
    {
        var project = _dir.File(Path.Combine("clone", "Broken.csproj"));
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        File.WriteAllText(project, "<Project />");   // no SDK: `dotnet build` fails (no Build target)
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = DemoTool.Run(new DemoToolCommand("dotnet", ["--version"], project), ["demo"],
            new CliEnvironment(output, error));
        Assert.NotEqual(0, code);
        Assert.Empty(output.ToString());   // the tool itself never started
        Assert.Contains($"building {project} for the ranks failed", error.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(project)!, "obj", "hinge-forward.lock")));
    }

    [Fact]
    public void Run_StandIn_RelaysArgumentsOutputAndExitCode()
    {
        var tool = FakeTool(_dir.File("bin"), exitCode: 5);
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["demo", "plot", "--out", "a folder with spaces", "--format", "json"];
        var code = DemoTool.Run(new DemoToolCommand(tool, []), args, new CliEnvironment(output, error));
        Assert.Equal(5, code);
        Assert.Equal(args, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("stand-in stderr\n", error.ToString());
    }

    [Fact]
    public void Process_DemoWithStandIn_RelaysArgumentsOutputAndExitCode()
    {
        var tool = FakeTool(_dir.File("bin"), exitCode: 3);
        var (code, stdout, stderr) = ProcessTests.RunProcess(
            new Dictionary<string, string?> { [DemoTool.PathVariable] = tool }, "demo", "binary", "--format", "json");
        Assert.Equal(3, code);
        Assert.Equal(["demo", "binary", "--format", "json"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("stand-in stderr\n", stderr);
    }

    [Fact]
    public void Process_BenchRecipesWithStandIn_Forwarded()
    {
        var tool = FakeTool(_dir.File("bin"), exitCode: 0);
        var (code, stdout, _) = ProcessTests.RunProcess(
            new Dictionary<string, string?> { [DemoTool.PathVariable] = tool }, "bench", "--recipes", "--quick");
        Assert.Equal(0, code);
        Assert.Equal(["bench", "--recipes", "--quick"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Process_DemoToolNotFound_Exit2WithOneLineNamingThePackage()
    {
        var (code, stdout, stderr) = ProcessTests.RunProcess(
            new Dictionary<string, string?> { [DemoTool.PathVariable] = _dir.File("missing") }, "demo");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(DemoTool.NotFoundMessage, line);
        Assert.Contains("dotnet tool install -g HingeSharp.Demo", line, StringComparison.Ordinal);
    }
}
