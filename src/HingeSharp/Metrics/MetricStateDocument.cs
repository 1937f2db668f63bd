using System.Globalization;
using System.Text.Json;
using HingeSharp.Classification;

namespace HingeSharp.Metrics;

/// <summary>
/// One saved metric state, version 1 of the <c>hingesharp.metric-state</c> JSON format (docs/state-format.md):
/// the metric's type, its settings, its sums and counts. Converts to and from the metrics and to and from JSON.
/// </summary>
internal sealed record MetricStateDocument(string Metric, bool Squared, int? IgnoreIndex, bool ValidateArgs,
    HingeInputKind InputKind, NonFiniteHandling NonFinite, int? NumClasses, MulticlassMode? Mode, double[] Measures,
    long Total, long UpdateCount)
{
    internal const string BinaryName = "BinaryHingeLoss";
    internal const string MulticlassName = "MulticlassHingeLoss";

    internal static MetricStateDocument From(BinaryHingeLoss m) => new(BinaryName, m.Squared, m.IgnoreIndex,
        m.ValidateArgs, m.InputKind, m.NonFinite, null, null, [m.State.Measures], m.State.Total, m.UpdateCount);

    internal static MetricStateDocument From(MulticlassHingeLoss m) => new(MulticlassName, m.Squared, m.IgnoreIndex,
        m.ValidateArgs, m.InputKind, m.NonFinite, m.NumClasses, m.MulticlassMode, [.. m.Measures], m.Total,
        m.UpdateCount);

    /// <summary>A new metric with the saved settings and state.</summary>
    internal IHingeMetric Create()
    {
        if (Metric == BinaryName)
        {
            var binary = new BinaryHingeLoss(Squared, IgnoreIndex, ValidateArgs, InputKind, NonFinite);
            ApplyTo(binary);
            return binary;
        }

        var multiclass = new MulticlassHingeLoss(NumClasses!.Value, Squared, Mode!.Value, IgnoreIndex, ValidateArgs,
            InputKind, NonFinite);
        ApplyTo(multiclass);
        return multiclass;
    }

    /// <summary>Replaces the metric's state; the saved state-defining settings must equal the metric's.</summary>
    internal void ApplyTo(BinaryHingeLoss m)
    {
        CheckType(BinaryName);
        CheckSettings(BinaryName, Settings(Squared, IgnoreIndex, InputKind, null, null),
            Settings(m.Squared, m.IgnoreIndex, m.InputKind, null, null));
        m.SetState(new HingeState(Measures[0], Total));
        m.RestoreUpdateCount(UpdateCount);
    }

    /// <inheritdoc cref="ApplyTo(BinaryHingeLoss)"/>
    internal void ApplyTo(MulticlassHingeLoss m)
    {
        CheckType(MulticlassName);
        CheckSettings(MulticlassName, Settings(Squared, IgnoreIndex, InputKind, NumClasses, Mode),
            Settings(m.Squared, m.IgnoreIndex, m.InputKind, m.NumClasses, m.MulticlassMode));
        m.SetState(Measures, Total);
        m.RestoreUpdateCount(UpdateCount);
    }

    private void CheckType(string expected)
    {
        if (Metric != expected)
        {
            throw new MetricStateException(
                $"the state is a {Metric}, which cannot be loaded into a {expected}; use MetricState.Load to " +
                "recreate the saved metric.", "metric");
        }
    }

    private static (string Field, string Value)[] Settings(bool squared, int? ignoreIndex, HingeInputKind kind,
        int? numClasses, MulticlassMode? mode)
    {
        var list = new List<(string, string)>
        {
            ("squared", squared ? "true" : "false"),
            ("ignore_index", ignoreIndex?.ToString(CultureInfo.InvariantCulture) ?? "null"),
            ("input_kind", Name(kind)),
        };
        if (numClasses is { } c)
        {
            list.Add(("num_classes", c.ToString(CultureInfo.InvariantCulture)));
            list.Add(("multiclass_mode", Name(mode!.Value)));
        }

        return [.. list];
    }

    private static void CheckSettings(string metric, (string Field, string Value)[] saved,
        (string Field, string Value)[] current)
    {
        for (var i = 0; i < saved.Length; i++)
        {
            if (saved[i].Value != current[i].Value)
            {
                throw new MetricStateException(
                    $"the saved {metric} has {Describe(saved)}, but this metric has {Describe(current)}: " +
                    $"`{saved[i].Field}` differs. Load it with MetricState.Load to recreate the metric with the " +
                    "saved settings.", saved[i].Field);
            }
        }
    }

    private static string Describe((string Field, string Value)[] settings) =>
        string.Join(", ", settings.Select(s => $"{s.Field} = {s.Value}"));

    internal static string Name(HingeInputKind kind) => kind.ToString().ToLowerInvariant();

    internal static string Name(NonFiniteHandling nonFinite) => nonFinite.ToString().ToLowerInvariant();

    internal static string Name(MulticlassMode mode) =>
        mode == MulticlassMode.CrammerSinger ? "crammer-singer" : "one-vs-all";

    /// <summary>Writes the state as indented UTF-8 JSON; doubles in shortest round-trip form, exact.</summary>
    internal void Write(Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("format", MetricState.FormatName);
        writer.WriteNumber("version", MetricState.FormatVersion);
        writer.WriteString("metric", Metric);
        if (NumClasses is { } c)
        {
            writer.WriteNumber("num_classes", c);
            writer.WriteString("multiclass_mode", Name(Mode!.Value));
        }

        writer.WriteBoolean("squared", Squared);
        if (IgnoreIndex is { } ii)
        {
            writer.WriteNumber("ignore_index", ii);
        }
        else
        {
            writer.WriteNull("ignore_index");
        }

        writer.WriteBoolean("validate_args", ValidateArgs);
        writer.WriteString("input_kind", Name(InputKind));
        writer.WriteString("non_finite", Name(NonFinite));
        writer.WriteStartArray("measures");
        foreach (var v in Measures)
        {
            WriteDouble(writer, v);
        }

        writer.WriteEndArray();
        writer.WriteNumber("total", Total);
        writer.WriteNumber("update_count", UpdateCount);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>
    /// A finite double as its shortest round-trip text (what <see cref="Utf8JsonWriter"/> writes, as
    /// <c>double.ToString("R")</c>: parsing it gives back the same bits, −0 included); NaN and ±∞, which JSON numbers
    /// cannot hold, as the strings "NaN", "Infinity" and "-Infinity".
    /// </summary>
    private static void WriteDouble(Utf8JsonWriter writer, double v)
    {
        if (double.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteStringValue(ThrowHelper.Format(v));
        }
    }

    /// <summary>Reads and checks a whole state (see <see cref="MetricStateReader"/>).</summary>
    internal static MetricStateDocument Read(Stream stream) => MetricStateReader.Read(stream);
}
