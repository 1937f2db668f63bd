using System.CommandLine;
using System.Globalization;
using HingeSharp.Cli.Bench;
using HingeSharp.Cli.Forwarding;
using HingeSharp.Cli.Output;
using Spectre.Console;

namespace HingeSharp.Cli.Commands;

/// <summary>
/// <c>hinge bench</c>: throughput of the hinge kernels (binary; Crammer–Singer with 10 classes) at 1e2…1e7, beside
/// a streaming read of the same bytes (the memory limit); with <c>--torch</c> (run by <c>hinge-demo</c>, which compiles
/// this file too) also beside torchmetrics' ops in libtorch.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliEnvironment env)
    {
        var quick = new Option<bool>("--quick") { Description = "Shorter measurements: the sweep takes seconds." };
        var format = new Option<string>("--format")
        {
            Description = "text (a table) or json (an array of objects).",
            DefaultValueFactory = _ => "text",
        }.AcceptOnlyFromAmong("text", "json");
        var threads = new Option<int>("--threads")
        {
            Description = "Threads for HingeSharp and libtorch alike: 1 (default), k, or 0 for all processors.",
            DefaultValueFactory = _ => 1,
        };
        CliChecks.BoundThreads(threads, allowZero: true);
        var noTorch = new Option<bool>("--no-torch") { Description = "Skip the libtorch comparison (torch fields null)." };
        var torchToo = new Option<bool>("--torch")
        {
            Description = "Also time torchmetrics' ops in libtorch (runs in the hinge-demo tool, HingeSharp.Demo).",
        };
        var sizes = new Option<int[]>("--sizes")
        {
            Description = "Sizes to measure instead of 100 10000 1000000 10000000.",
            AllowMultipleArgumentsPerToken = true,
            Hidden = true,
        };
        sizes.Validators.Add(r =>
        {
            if (CliChecks.TryValue<int[]>(r, out var values) && values?.Any(n => n < 1) == true)
            {
                r.AddError("--sizes must be at least 1.");
            }
        });

        var recipes = new Option<bool>("--recipes")
        {
            Description = "Time the tutorial's training recipes beside PyTorch (when python3 has torch) instead.",
        };
        var ioRows = new Option<int?>("--io-rows")
        {
            Description = "Rows of the .npy pair of the file-reading rows (0: none); default 1e8 (2e7 with --quick), " +
                "or none with --sizes.",
            Hidden = true,
        };
        ioRows.Validators.Add(r =>
        {
            if (CliChecks.TryValue<int?>(r, out var rows) && rows < 0)
            {
                r.AddError("--io-rows must be 0 or more.");
            }
        });

        var command = new Command("bench", "Throughput of the hinge kernels beside the memory limit (and libtorch).")
        {
            quick, format, threads, noTorch, torchToo, sizes, ioRows, recipes,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(recipes))
            {
                // The recipes train with torch: hinge-demo implements them (the slim hinge forwards --recipes there).
                return BenchRunner.Recipes(env, result.GetValue(threads), result.GetValue(format) == "json",
                    result.GetValue(quick)) ?? throw new CliInputException(
                        "--recipes needs the torch tool: dotnet tool install -g HingeSharp.Demo, then hinge-demo bench --recipes");
            }

            var chosen = result.GetValue(sizes) is { Length: > 0 } s ? s : BenchRunner.Sizes;
            if (BenchRunner.CoreIsUnoptimized())
            {
                env.Error.WriteLine("warning: HingeSharp was compiled without optimizations (a Debug build): these " +
                    "numbers say nothing about its speed; build or install the tool in Release.");
            }

            var rows = Measure(env, chosen, result.GetValue(quick), result.GetValue(threads), !result.GetValue(noTorch));
            var io = result.GetValue(ioRows) ?? (result.GetValue(sizes) is { Length: > 0 } ? 0
                : result.GetValue(quick) ? IoBench.QuickRows : IoBench.DefaultRows);
            var ioResults = io > 0 ? IoBench.Run(io, result.GetValue(quick)) : [];
            if (result.GetValue(format) == "json")
            {
                env.Out.WriteLine(Json(rows, ioResults));
            }
            else
            {
                PrintTable(env, rows);
                PrintIo(env, ioResults);
                env.Out.WriteLine("kernels: " + NativeBuilds.Describe());
            }

            return CliRunner.Success;
        });
        return command;
    }

    private static IReadOnlyList<BenchRow> Measure(CliEnvironment env, int[] sizes, bool quick, int threads,
        bool torchToo)
    {
        if (!env.ErrorIsTerminal)
        {
            return BenchRunner.Run(sizes, quick, threads, torchToo);
        }

        IReadOnlyList<BenchRow> rows = [];
        env.ErrorConsole().Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask("bench");
                rows = BenchRunner.Run(sizes, quick, threads, torchToo, (done, total, what) =>
                {
                    bar.MaxValue = total;
                    bar.Value = done;
                    bar.Description = $"bench {what}";
                });
            });
        return rows;
    }

    internal static string Json(IReadOnlyList<BenchRow> rows, IReadOnlyList<IoBenchRow> io) => Formats.Json(w =>
    {
        w.WriteStartArray();
        foreach (var r in rows)
        {
            w.WriteStartObject();
            w.WriteString("workload", r.Workload);
            w.WriteNumber("n", r.N);
            w.WritePropertyName("elementsPerSecond");
            w.WriteNumber(r.ElementsPerSecond);
            w.WritePropertyName("baselineElementsPerSecond");
            w.WriteNumber(r.BaselineElementsPerSecond);
            w.WritePropertyName("ratioToBaseline");
            w.WriteNumber(r.RatioToBaseline);
            w.WritePropertyName("torchElementsPerSecond");
            WriteOptional(w, r.TorchElementsPerSecond);
            w.WritePropertyName("speedupVsTorch");
            WriteOptional(w, r.SpeedupVsTorch);
            w.WriteEndObject();
        }

        foreach (var r in io)
        {
            w.WriteStartObject();
            w.WriteString("workload", r.Workload);
            w.WriteNumber("rows", r.Rows);
            w.WriteNumber("bytes", r.Bytes);
            w.WritePropertyName("seconds");
            w.WriteNumber(r.Seconds);
            w.WritePropertyName("bytesPerSecond");
            w.WriteNumber(r.BytesPerSecond);
            w.WritePropertyName("peakRssBytes");
            if (r.PeakRssBytes is { } rss)
            {
                w.WriteNumberValue(rss);
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private static void PrintIo(CliEnvironment env, IReadOnlyList<IoBenchRow> io)
    {
        foreach (var r in io)
        {
            var rss = r.PeakRssBytes is { } m
                ? string.Create(CultureInfo.InvariantCulture, $", peak RSS {m / 1e6:0} MB")
                : string.Empty;
            env.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Workload}: {r.Rows:N0} rows, {r.Bytes / 1e6:0.0} MB in {r.Seconds * 1e3:0.0} ms = " +
                $"{r.BytesPerSecond / 1e9:0.00} GB/s") + rss);
        }
    }

    private static void WriteOptional(System.Text.Json.Utf8JsonWriter w, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(v);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private static void PrintTable(CliEnvironment env, IReadOnlyList<BenchRow> rows)
    {
        string[] header = ["workload", "n", "elements/s", "memory limit/s", "of limit", "torch/s", "vs torch"];
        var cells = rows.Select(r => new[]
        {
            r.Workload,
            r.N.ToString("N0", CultureInfo.InvariantCulture),
            Rate(r.ElementsPerSecond),
            Rate(r.BaselineElementsPerSecond),
            r.RatioToBaseline.ToString("P0", CultureInfo.InvariantCulture),
            r.TorchElementsPerSecond is { } t ? Rate(t) : "-",
            r.SpeedupVsTorch is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-",
        }).ToArray();
        if (env.OutIsTerminal)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var h in header)
            {
                table.AddColumn(new TableColumn(h).RightAligned());
            }

            foreach (var row in cells)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            env.OutConsole().Write(table);
            return;
        }

        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Select(c => c[i].Length).DefaultIfEmpty(0).Max()))
            .ToArray();
        env.Out.WriteLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))));
        foreach (var row in cells)
        {
            env.Out.WriteLine(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i]))));
        }
    }

    private static string Rate(double perSecond) => perSecond.ToString("0.00E+0", CultureInfo.InvariantCulture);
}
