using System.CommandLine;
using HingeSharp.Classification;
using HingeSharp.Cli.Eval;
using HingeSharp.Cli.IO;
using HingeSharp.Cli.Output;
using HingeSharp.Cli.Report;
using HingeSharp.Reports;
using Spectre.Console;

namespace HingeSharp.Cli.Commands;

/// <summary>
/// <c>hinge report</c>: a <see cref="MarginReport"/> of a predictions file against a targets file (margins, hinge,
/// shares inside the margin and misclassified, quantiles, most-confused class pairs), streamed in chunks; with
/// <c>--out</c> also a margin histogram PNG.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliEnvironment env)
    {
        var task = new Option<string>("--task") { Description = "binary or multiclass.", Required = true }
            .AcceptOnlyFromAmong("binary", "multiclass");
        var preds = new Option<string>("--preds")
        {
            Description = "Predictions: .npy (float32/float64, (N,) or (N, C)) or .csv.",
            Required = true,
        };
        var target = new Option<string>("--target")
        {
            Description = "Targets: .npy (integers, bool) or .csv (one integer column).",
            Required = true,
        };
        var numClasses = new Option<int?>("--num-classes")
        {
            Description = "Number of classes C (multiclass); default: the predictions' column count.",
        };
        var ignoreIndex = new Option<long?>("--ignore-index")
        {
            Description = "Rows (binary: elements) whose target equals this value take no part (any 64-bit integer).",
        };
        var inputKind = new Option<string>("--input-kind")
        {
            Description = "auto (decided once over the whole file, as hinge eval does), probabilities, logits or " +
                "margins.",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("auto", "probabilities", "logits", "margins");
        var csvHeader = new Option<string>("--csv-header")
        {
            Description = "auto: the first .csv line is a header when none of its cells is a number, or when every " +
                ".csv starts with pandas' labels 0,1,… over a non-integer; present; absent.",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("auto", "present", "absent");
        var format = new Option<string>("--format")
        {
            Description = "text (tables on a terminal, plain lines otherwise) or json (the report as one object).",
            DefaultValueFactory = _ => "text",
        }.AcceptOnlyFromAmong("text", "json");
        var output = new Option<string>("--out")
        {
            Description = $"Folder for the margin histogram ({ReportRunner.HistogramFile}) and the confusion-matrix " +
                $"heatmap ({ReportClassification.HeatmapFile}, up to {ReportClassification.MaxMatrixClasses} " +
                "classes); created if missing, both written or neither.",
        };
        var chunkRows = new Option<int>("--chunk-rows")
        {
            Description = "Rows per chunk.",
            DefaultValueFactory = _ => EvalSettings.DefaultChunkRows,
            Hidden = true,
        };

        var distributed = new Option<bool>("--distributed")
        {
            Description = "Under mpirun: each rank reads only its share of the rows; rank 0 prints and writes " +
                "(docs/distributed.md).",
        };

        var command = new Command("report",
            "Margin report of a predictions file against a targets file: hinge, margin shares and quantiles per " +
            "class, most-confused pairs.")
        {
            task, preds, target, numClasses, ignoreIndex, inputKind, csvHeader, format, output, chunkRows,
            distributed,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(task) == "binary")
            {
                CliChecks.NotGiven(result, numClasses, "binary", "binary has no classes (use --task multiclass)");
            }

            var settings = new EvalSettings(
                HingeLoss.ParseTask(result.GetValue(task)!),
                result.GetValue(numClasses),
                IgnoreIndex: result.GetValue(ignoreIndex),
                InputKind: HingeNames.ParseInputKind(result.GetValue(inputKind)!),
                ChunkRows: result.GetValue(chunkRows),
                CsvHeader: Enum.Parse<CsvHeader>(result.GetValue(csvHeader)!, ignoreCase: true));
            var folder = result.GetValue(output);
            var (predsPath, targetPath) = (result.GetValue(preds)!, result.GetValue(target)!);
            CliChecks.NotEmpty("--preds", predsPath);
            CliChecks.NotEmpty("--target", targetPath);
            CliChecks.NotEmpty("--out", folder);
            if (folder is not null)
            {
                OutputFiles.CheckFolder(folder);
                CliChecks.NotAnInput("--out", Path.Combine(folder, ReportRunner.HistogramFile),
                    [("--preds", predsPath), ("--target", targetPath)]);
                CliChecks.NotAnInput("--out", Path.Combine(folder, ReportClassification.HeatmapFile),
                    [("--preds", predsPath), ("--target", targetPath)]);
            }

            var comm = DistributedRun.Start(result.GetValue(distributed));
            var run = ReportRunner.RunAll(predsPath, targetPath, settings, comm);
            if (!comm.IsRoot)
            {
                return HingeCli.Success; // rank 0 alone prints and writes
            }

            var computed = ReportRunner.AsPrinted(run.Report.Compute(), run.Loss);
            if (folder is not null)
            {
                var files = new List<(string, byte[])> { (ReportRunner.HistogramFile, ReportRunner.HistogramPng(computed)) };
                if (run.ConfusionMatrix is { } matrix)
                {
                    files.Add((ReportClassification.HeatmapFile, ReportClassification.HeatmapPng(matrix)));
                }

                OutputFiles.WriteAll(folder, files);
            }

            if (result.GetValue(format) == "json")
            {
                env.Out.WriteLine(ReportClassification.AddToJson(computed.ToJson(indented: false), run.Accuracy,
                    run.ConfusionMatrix));
            }
            else
            {
                PrintText(env, computed, run);
            }

            return HingeCli.Success;
        });
        return command;
    }

    private static readonly string[] SummaryColumns =
        ["group", "count", "hinge", "squared hinge", "inside margin", "misclassified", "mean margin", "min", "median",
            "max"];

    private static readonly string[] PairColumns = ["true", "rival", "misclassified", "inside margin", "hinge sum"];

    private static void PrintText(CliEnvironment env, MarginReportResult r, ReportRun run)
    {
        var summaries = new List<string[]> { SummaryRow("overall", r.Overall) };
        summaries.AddRange(r.PerClass.Select(s => SummaryRow($"class {s.Class}", s)));
        var pairs = r.ConfusedPairs.Select(p => new[]
        {
            Formats.Integer(p.TrueClass), Formats.Integer(p.RivalClass), Formats.Integer(p.MisclassifiedCount),
            Formats.Integer(p.InsideMarginCount), Formats.Number(p.HingeSum),
        }).ToList();
        var matrix = run.ConfusionMatrix?.Select((row, i) =>
            (string[])[Formats.Integer(i), .. row.Select(v => Formats.Integer((long)v))]).ToList() ?? [];
        string[] matrixColumns =
            ["true \\ predicted", .. Enumerable.Range(0, run.ConfusionMatrix?.Length ?? 0).Select(j => Formats.Integer(j))];
        var heading = $"{r.Task} margin report, margin {r.Margin}, input kind {r.InputKind.ToLowerInvariant()}";
        if (!env.OutIsTerminal)
        {
            env.Out.WriteLine(heading);
            WritePlain(env.Out, SummaryColumns, summaries);
            if (pairs.Count > 0)
            {
                env.Out.WriteLine("most-confused pairs");
                WritePlain(env.Out, PairColumns, pairs);
            }

            env.Out.WriteLine($"accuracy\t{Formats.Number(run.Accuracy)}");
            if (matrix.Count > 0)
            {
                env.Out.WriteLine(MatrixTitle);
                WritePlain(env.Out, matrixColumns, matrix);
            }

            return;
        }

        var console = env.OutConsole();
        console.Write(Table(heading, SummaryColumns, summaries));
        if (pairs.Count > 0)
        {
            console.Write(Table("most-confused pairs", PairColumns, pairs));
        }

        console.WriteLine($"accuracy {Formats.Number(run.Accuracy)}");
        if (matrix.Count > 0)
        {
            console.Write(Table(MatrixTitle, matrixColumns, matrix));
        }
    }

    private const string MatrixTitle = "confusion matrix (rows: true class, columns: predicted class)";

    private static string[] SummaryRow(string group, MarginSummary s) =>
    [
        group, Formats.Integer(s.Count), Formats.Number(s.Hinge), Formats.Number(s.SquaredHinge),
        Formats.Number(s.InsideMarginShare), Formats.Number(s.MisclassifiedShare), Formats.Number(s.MeanMargin),
        Formats.Number(s.Min), Formats.Number(Median(s)), Formats.Number(s.Max),
    ];

    private static double Median(MarginSummary s) =>
        s.Quantiles.FirstOrDefault(q => q.Probability == 0.5)?.Value ?? double.NaN;

    /// <summary>Tab-separated lines: a header, then one line per row.</summary>
    private static void WritePlain(TextWriter writer, string[] columns, List<string[]> rows)
    {
        writer.WriteLine(string.Join('\t', columns));
        foreach (var row in rows)
        {
            writer.WriteLine(string.Join('\t', row));
        }
    }

    private static Table Table(string title, string[] columns, List<string[]> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        return table;
    }
}
