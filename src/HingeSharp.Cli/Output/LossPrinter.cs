using HingeSharp.Classification;
using HingeSharp.Statistics;
using Spectre.Console;

namespace HingeSharp.Cli.Output;

/// <summary>
/// Prints a hinge loss the way <c>hinge eval</c> and <c>hinge merge</c> do: one JSON object
/// (<c>{"task","value","count"}</c>, plus <c>"ci"</c> when an interval was asked for), a table on a terminal, or
/// plain <c>key: value</c> lines when the output is redirected.
/// </summary>
internal static class LossPrinter
{
    /// <summary>What to print.</summary>
    /// <param name="Task">Binary or multiclass.</param>
    /// <param name="Mode">The multiclass mode, or null for binary.</param>
    /// <param name="Squared">Whether the loss is squared.</param>
    /// <param name="InputKind">How the predictions were read.</param>
    /// <param name="Value">The loss.</param>
    /// <param name="Count">Elements (binary) or rows (multiclass) that took part.</param>
    /// <param name="Rows">Rows read, or null when unknown (merged states).</param>
    /// <param name="Interval">The confidence interval, or null.</param>
    /// <param name="Metrics">Classification metrics (<c>hinge eval --metrics</c>), printed under <c>"metrics"</c>.</param>
    public sealed record Outcome(HingeTask Task, MulticlassMode? Mode, bool Squared, HingeInputKind InputKind,
        HingeLossValue Value, long Count, long? Rows, HingeInterval? Interval = null,
        IReadOnlyList<KeyValuePair<string, MetricValue>>? Metrics = null);

    /// <summary>Writes the outcome to <see cref="CliEnvironment.Out"/>.</summary>
    /// <param name="env">Where to write.</param>
    /// <param name="title">The table's title, e.g. <c>hinge eval</c>.</param>
    /// <param name="r">What to print.</param>
    /// <param name="json">One JSON object instead of text.</param>
    public static void Print(CliEnvironment env, string title, Outcome r, bool json)
    {
        var taskName = r.Task == HingeTask.Binary ? "binary" : "multiclass";
        if (json)
        {
            env.Out.WriteLine(Formats.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("task", taskName);
                w.WritePropertyName("value");
                w.WriteLoss(r.Value);
                w.WriteNumber("count", r.Count);
                if (r.Interval is { } ci)
                {
                    w.WriteStartObject("ci");
                    w.WriteNumber("level", ci.Level);
                    w.WritePropertyName("lower");
                    w.WriteNumber(ci.Lower);
                    w.WritePropertyName("upper");
                    w.WriteNumber(ci.Upper);
                    w.WriteEndObject();
                }

                if (r.Metrics is { } metrics)
                {
                    MetricsOutput.Write(w, metrics);
                }

                w.WriteEndObject();
            }));
            return;
        }

        var rows = new List<(string Key, string Value)> { ("task", taskName) };
        if (r.Mode is { } mode)
        {
            rows.Add(("mode", mode == MulticlassMode.CrammerSinger ? "crammer-singer" : "one-vs-all"));
        }

        rows.Add(("squared", r.Squared ? "true" : "false"));
        rows.Add(("input kind", r.InputKind.ToString().ToLowerInvariant()));
        rows.Add(("value", Formats.Number(r.Value)));
        if (r.Interval is { } interval)
        {
            rows.Add(($"ci {Formats.Number(interval.Level)}",
                $"[{Formats.Number(interval.Lower)}, {Formats.Number(interval.Upper)}]"));
        }

        rows.Add(("count", Formats.Integer(r.Count)));
        if (r.Rows is { } read)
        {
            rows.Add(("rows", Formats.Integer(read)));
        }

        if (r.Metrics is { } named)
        {
            rows.AddRange(named.Select(m => (m.Key, MetricsOutput.Text(m.Value))));
        }

        if (!env.OutIsTerminal)
        {
            foreach (var (key, value) in rows)
            {
                env.Out.WriteLine($"{key}: {value}");
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn(Markup.Escape(title)).AddColumn("");
        foreach (var (key, value) in rows)
        {
            table.AddRow(Markup.Escape(key), Markup.Escape(value));
        }

        env.OutConsole().Write(table);
    }
}
