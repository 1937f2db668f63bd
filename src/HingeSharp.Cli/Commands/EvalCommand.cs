using System.CommandLine;
using HingeSharp.Classification;
using HingeSharp.Metrics;
using HingeSharp.Statistics;
using HingeSharp.Cli.Eval;
using HingeSharp.Cli.IO;
using HingeSharp.Cli.Output;
using Spectre.Console;

namespace HingeSharp.Cli.Commands;

/// <summary>
/// <c>hinge eval</c>: the binary or multiclass hinge loss of a predictions file against a targets file (.npy or
/// .csv), streamed in chunks so memory stays flat for any file size.
/// </summary>
internal static class EvalCommand
{
    /// <summary>Files at least this large get a progress bar on a terminal.</summary>
    private const long ProgressBytes = 32L << 20;

    public static Command Create(CliEnvironment env)
    {
        var task = new Option<string>("--task")
        {
            Description = "binary or multiclass.",
            Required = true,
        }.AcceptOnlyFromAmong("binary", "multiclass");
        var preds = new Option<string>("--preds")
        {
            Description = "Predictions: .npy (float32/float64, (N,) or (N, C), C order) or .csv (numbers; C " +
                "columns for multiclass); - for standard input.",
            Required = true,
        };
        var target = new Option<string>("--target")
        {
            Description = "Targets: .npy (int8…int64, uint8…uint32, bool) or .csv (one integer column).",
            Required = true,
        };
        var numClasses = new Option<int?>("--num-classes")
        {
            Description = "Number of classes C (multiclass); default: the predictions' column count.",
        };
        var squared = new Option<bool>("--squared") { Description = "Square the clamped loss." };
        var mode = new Option<string>("--multiclass-mode")
        {
            Description = "crammer-singer (one value) or one-vs-all (one value per class).",
            DefaultValueFactory = _ => "crammer-singer",
        }.AcceptOnlyFromAmong("crammer-singer", "one-vs-all");
        var ignoreIndex = new Option<long?>("--ignore-index")
        {
            Description = "Rows (binary: elements) whose target equals this value take no part (any 64-bit integer, " +
                "e.g. the uint32 sentinel 4294967295).",
        };
        var inputKind = new Option<string>("--input-kind")
        {
            Description = "auto: probabilities if every kept prediction of the whole file is in [0, 1], else " +
                "logits (sigmoid/softmax), as torchmetrics decides for one update; or probabilities, logits, margins.",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("auto", "probabilities", "logits", "margins");
        var nonFinite = new Option<string>("--non-finite")
        {
            Description = "throw: a NaN/±inf prediction is an error; propagate: it makes the result NaN (torchmetrics).",
            DefaultValueFactory = _ => "throw",
        }.AcceptOnlyFromAmong("throw", "propagate");
        var csvHeader = new Option<string>("--csv-header")
        {
            Description = "auto: the first .csv line is a header when none of its cells is a number, or when every " +
                ".csv starts with pandas' labels 0,1,… over a non-integer; present; absent.",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("auto", "present", "absent");
        var format = new Option<string>("--format")
        {
            Description = "text (a table on a terminal, plain lines otherwise) or json (one object).",
            DefaultValueFactory = _ => "text",
        }.AcceptOnlyFromAmong("text", "json");
        var sampleWeight = new Option<string>("--sample-weight")
        {
            Description = "Sample weights: .npy (float32/float64) or .csv, the targets' shape (one finite weight ≥ 0 " +
                "per target), read in the same chunks; the result is Σ w·loss / Σ w.",
        };
        var ci = new Option<double?>("--ci")
        {
            Description = "Add a normal-approximation confidence interval at this level, e.g. 0.95 (binary and " +
                "crammer-singer).",
        };
        var saveState = new Option<string>("--save-state")
        {
            Description = "After a successful run, also write the metric's state to this file (for 'hinge merge').",
        };
        var metrics = new Option<string>("--metrics")
        {
            Description = "Also compute these, comma-separated (torchmetrics 1.9 semantics): hinge, accuracy, " +
                "precision, recall, f1, confusion-matrix. Adds \"metrics\" to the JSON.",
        };
        var average = new Option<string>("--average")
        {
            Description = "Multiclass reduction of --metrics: micro, macro (default, as torchmetrics), weighted or none.",
            DefaultValueFactory = _ => "macro",
        }.AcceptOnlyFromAmong("micro", "macro", "weighted", "none");
        var threshold = new Option<double>("--threshold")
        {
            Description = "Binary --metrics: probability above which a prediction is positive (default 0.5).",
            DefaultValueFactory = _ => 0.5,
        };
        var topK = new Option<int>("--top-k")
        {
            Description = "Multiclass --metrics: a row predicts each of its k best classes (default 1).",
            DefaultValueFactory = _ => 1,
        };
        var chunkRows = new Option<int>("--chunk-rows")
        {
            Description = "Rows per chunk.",
            DefaultValueFactory = _ => EvalSettings.DefaultChunkRows,
            Hidden = true,
        };

        var distributed = new Option<bool>("--distributed")
        {
            Description = "Under mpirun: each rank reads only its share of the rows; rank 0 prints the one result " +
                "(docs/distributed.md).",
        };

        var command = new Command("eval", "Hinge loss of a predictions file against a targets file, in constant memory.")
        {
            task, preds, target, numClasses, squared, mode, ignoreIndex, inputKind, nonFinite, csvHeader, format,
            sampleWeight, ci, saveState, metrics, average, threshold, topK, chunkRows, distributed,
        };
        command.SetAction(result =>
        {
            Bench.PeakRss.ReportAtExitIfAsked();
            var taskName = result.GetValue(task)!;
            if (taskName == "binary")
            {
                CliChecks.NotGiven(result, mode, taskName, "binary has no classes (use --task multiclass)");
                CliChecks.NotGiven(result, numClasses, taskName, "binary has no classes (use --task multiclass)");
            }

            var settings = new EvalSettings(
                HingeLoss.ParseTask(taskName),
                result.GetValue(numClasses),
                result.GetValue(squared),
                HingeNames.ParseMulticlassMode(result.GetValue(mode)!),
                result.GetValue(ignoreIndex),
                HingeNames.ParseInputKind(result.GetValue(inputKind)!),
                result.GetValue(chunkRows),
                Enum.Parse<CsvHeader>(result.GetValue(csvHeader)!, ignoreCase: true),
                Enum.Parse<NonFiniteHandling>(result.GetValue(nonFinite)!, ignoreCase: true),
                result.GetValue(sampleWeight),
                TrackVariance: result.GetValue(ci) is not null);
            var level = result.GetValue(ci);
            CheckInterval(level, settings);
            var predsPath = result.GetValue(preds)!;
            var targetPath = result.GetValue(target)!;
            var request = result.GetValue(metrics) is { } names
                ? ClassificationRequest.Parse(names, result.GetValue(average)!, result.GetValue(threshold),
                    result.GetValue(topK))
                : null;
            var statePath = result.GetValue(saveState);
            CheckPaths(predsPath, targetPath, settings.SampleWeightPath, statePath);
            var comm = DistributedRun.Start(result.GetValue(distributed));
            var evaluated = comm.Size > 1
                ? EvalRunner.Run(predsPath, targetPath, settings, comm: comm, metrics: request)
                : Evaluate(env, predsPath, targetPath, settings, request);
            if (!comm.IsRoot)
            {
                return HingeCli.Success; // rank 0 alone saves and prints
            }

            HingeInterval? interval = level is { } l ? IntervalOf(evaluated.Metric, l) : null;
            if (statePath is not null)
            {
                // The state records the setting (auto), not the kind this file resolved to: shards that resolved
                // differently merge, as torchmetrics' per-update states do.
                SaveState(WithSetting(evaluated.Metric, settings.InputKind), statePath);
            }

            var shownMode = evaluated.Task == HingeTask.Multiclass ? settings.Mode : (MulticlassMode?)null;
            LossPrinter.Print(env, "hinge eval", new LossPrinter.Outcome(evaluated.Task, shownMode, settings.Squared,
                evaluated.InputKind, evaluated.Value, evaluated.Count, evaluated.Rows, interval,
                request?.Results(evaluated.Value)),
                result.GetValue(format) == "json");
            return HingeCli.Success;
        });
        return command;
    }

    private static EvalResult Evaluate(CliEnvironment env, string predsPath, string targetPath, EvalSettings settings,
        ClassificationRequest? request)
    {
        if (!env.ErrorIsTerminal || SizeOf(predsPath) + SizeOf(targetPath) < ProgressBytes)
        {
            return EvalRunner.Run(predsPath, targetPath, settings, metrics: request);
        }

        EvalResult? evaluated = null;
        env.ErrorConsole().Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask($"eval {Path.GetFileName(predsPath)}");
                evaluated = EvalRunner.Run(predsPath, targetPath, settings, (done, total) =>
                {
                    bar.MaxValue = total;
                    bar.Value = done;
                }, metrics: request);
                bar.Value = bar.MaxValue;
            });
        return evaluated!;
    }

    private static long SizeOf(string path)
    {
        try
        {
            return File.Exists(path) ? new FileInfo(path).Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Rejects a confidence level outside (0, 1) or a one-vs-all run, before any file is read.</summary>
    private static void CheckInterval(double? level, EvalSettings s)
    {
        if (level is not { } l)
        {
            return;
        }

        if (!(l > 0 && l < 1))
        {
            throw new CliInputException($"--ci must be a level between 0 and 1 (exclusive), e.g. 0.95; got {Formats.Number(l)}");
        }

        if (s.Task == HingeTask.Multiclass && s.Mode == MulticlassMode.OneVsAll)
        {
            throw new CliInputException(
                "--ci is available for binary and crammer-singer only: one-vs-all gives one value per class and has " +
                "no single interval");
        }
    }

    /// <summary>Rejects empty paths and a state file that is one of the inputs, before anything is read.</summary>
    private static void CheckPaths(string preds, string target, string? weights, string? state)
    {
        CliChecks.NotEmpty("--preds", preds);
        CliChecks.NotEmpty("--target", target);
        CliChecks.NotEmpty("--sample-weight", weights);
        CliChecks.NotEmpty("--save-state", state);
        if (state is not null)
        {
            CliChecks.NotAnInput("--save-state", state,
                [("--preds", preds), ("--target", target), ("--sample-weight", weights)]);
            if (Directory.Exists(state))
            {
                throw CliInputException.InFile(state, null, "is a folder; --save-state needs a file name");
            }
        }
    }

    /// <summary>The metric to save: the same state under the input-kind setting the user gave.</summary>
    private static IHingeMetric WithSetting(IHingeMetric metric, HingeInputKind setting) => metric switch
    {
        BinaryHingeLoss b when b.InputKind != setting => b.WithInputKind(setting),
        MulticlassHingeLoss m when m.InputKind != setting => m.WithInputKind(setting),
        _ => metric,
    };

    private static HingeInterval IntervalOf(IHingeMetric metric, double level) => metric switch
    {
        BinaryHingeLoss b => b.ComputeInterval(level),
        MulticlassHingeLoss m => m.ComputeInterval(level),
        _ => throw new InvalidOperationException("unknown metric"),
    };

    /// <summary>Writes the state atomically (a temporary file in the same folder, then a rename); a missing folder
    /// is created, as <c>--out</c> creates its folder.</summary>
    internal static void SaveState(IHingeMetric metric, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        try
        {
            for (var parent = folder; !string.IsNullOrEmpty(parent) && !Directory.Exists(parent);
                 parent = Path.GetDirectoryName(parent))
            {
                if (File.Exists(parent))
                {
                    throw CliInputException.InFile(path, null,
                        $"cannot write the state: '{parent}' is a file, not a folder");
                }
            }

            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            MetricState.Save(metric, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliInputException.InFile(path, null, $"cannot write the state: {OutputFiles.Reason(e, path)}");
        }
    }
}
