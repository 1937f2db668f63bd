using System.CommandLine;
using HingeSharp.Demo.Methods;
using HingeSharp.Cli;
using HingeSharp.Cli.Commands;
using HingeSharp.Cli.Output;

namespace HingeSharp.Demo.Commands;

/// <summary>
/// <c>hinge demo</c>: the tutorial's five ways of computing hinge loss, in C#. Prints what the tutorial prints (or one
/// JSON object with <c>--format json</c>) and writes its plots into the output folder, all or nothing.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The sections in the tutorial's order, by the name the command line uses.</summary>
    internal static readonly IReadOnlyList<(string Name, Action<DemoReport> Run)> Sections =
    [
        ("sequential", TorchDemos.Sequential),
        ("embedding", TorchDemos.Embedding),
        ("binary", MetricDemos.Binary),
        ("multiclass", MetricDemos.Multiclass),
        ("plot", report => MetricDemos.Plot(report)),
    ];

    public static Command Create(CliEnvironment env)
    {
        var method = new Argument<string>("method")
        {
            Description = "Which method to run: all, or one of " + string.Join(", ", Sections.Select(s => s.Name)) + ".",
            DefaultValueFactory = _ => "all",
        }.AcceptOnlyFromAmong(["all", .. Sections.Select(s => s.Name)]);
        var output = new Option<string>("--out")
        {
            Description = "Folder for the plots (created if missing).",
            DefaultValueFactory = _ => "hinge-demo",
        };
        var format = new Option<string>("--format")
        {
            Description = "text (the tutorial's output) or json (one object with the sections that ran).",
            DefaultValueFactory = _ => "text",
        }.AcceptOnlyFromAmong("text", "json");

        var threads = new Option<int>("--threads")
        {
            Description = "libtorch threads for the training demos (sequential, embedding); 1 is fastest for " +
                "these small networks.",
            DefaultValueFactory = _ => 1,
        };
        CliChecks.BoundThreads(threads, allowZero: false);

        var distributed = new Option<bool>("--distributed")
        {
            Description = "Under mpirun: train Method 1 data-parallel over the ranks; rank 0 alone prints and " +
                "writes (docs/distributed.md).",
        };

        var command = new Command("demo", "Run the tutorial's hinge-loss methods in C#.")
        {
            method, output, format, threads, distributed,
        };
        command.SetAction(result =>
        {
            var chosen = result.GetValue(method)!;
            var folder = result.GetValue(output)!;
            CliChecks.NotEmpty("--out", folder);
            OutputFiles.CheckFolder(folder);
            if (chosen is "all" or "sequential" or "embedding")
            {
                TorchDemos.SetThreads(result.GetValue(threads));
            }

            // Remembered by DistributedRun, so that a rank that fails ends the whole job (CliRunner.Run).
            var comm = DistributedRun.Start(result.GetValue(distributed));
            TorchDemos.Communicator = comm;
            var quiet = env with { Out = TextWriter.Null, OutIsTerminal = false };
            var report = new DemoReport(comm.IsRoot ? env : quiet, result.GetValue(format) == "json");
            foreach (var (name, run) in Sections)
            {
                // The other ranks take part in the data-parallel training only.
                if ((chosen == "all" || chosen == name) && (comm.IsRoot || name == "sequential"))
                {
                    run(report);
                }
            }

            if (comm.IsRoot)
            {
                report.Finish(folder);
            }

            return CliRunner.Success;
        });
        return command;
    }
}
