using System.Globalization;
using HingeSharp.Cli.Output;
using HingeSharp.Torch.Tutorial;

namespace HingeSharp.Cli.Bench;

/// <summary>
/// <c>hinge bench --recipes</c>: the tutorial's training recipes timed warm in HingeSharp and, when
/// <c>python3 -c "import torch"</c> works, in PyTorch in the same run (<see cref="RecipeBenchmark"/>). Prints a
/// table, or with <c>--format json</c> an array of
/// <c>{"workload", "seconds", "pytorchSeconds", "ratioToPyTorch"}</c> (<c>null</c> where PyTorch is absent).
/// </summary>
internal static class RecipeBench
{
    /// <summary>Runs the recipes and prints the result.</summary>
    /// <param name="env">Where output goes.</param>
    /// <param name="threads">Threads (0: all processors).</param>
    /// <param name="json">Whether to print JSON.</param>
    /// <param name="quick">One measured run instead of three.</param>
    /// <returns>The exit code.</returns>
    public static int Run(CliEnvironment env, int threads, bool json, bool quick)
    {
        var options = new RecipeBenchmarkOptions(
            Threads: threads == 0 ? Environment.ProcessorCount : threads,
            Repeat: quick ? 1 : 3,
            Notice: env.Error.WriteLine);
        IReadOnlyList<RecipeBenchmarkRecord> records = RecipeBenchmark.Run(options);
        if (json)
        {
            env.Out.WriteLine(Json(records));
            return HingeCli.Success;
        }

        env.Out.WriteLine("workload  seconds  pytorch  ratio");
        foreach (RecipeBenchmarkRecord r in records)
        {
            env.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Workload,-8}  {r.Seconds,7:0.000}  {Optional(r.PyTorchSeconds, "0.000"),7}  {Optional(r.RatioToPyTorch, "0.00"),5}"));
        }

        return HingeCli.Success;
    }

    /// <summary>The JSON array of the records.</summary>
    /// <param name="records">The records.</param>
    /// <returns>One line of JSON.</returns>
    internal static string Json(IReadOnlyList<RecipeBenchmarkRecord> records) => Formats.Json(w =>
    {
        w.WriteStartArray();
        foreach (RecipeBenchmarkRecord r in records)
        {
            w.WriteStartObject();
            w.WriteString("workload", r.Workload);
            w.WritePropertyName("seconds");
            w.WriteNumber(r.Seconds);
            w.WritePropertyName("pytorchSeconds");
            WriteOptional(w, r.PyTorchSeconds);
            w.WritePropertyName("ratioToPyTorch");
            WriteOptional(w, r.RatioToPyTorch);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

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

    private static string Optional(double? value, string format)
        => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
