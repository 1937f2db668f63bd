using System.Text;
using HingeSharp.Classification;
using HingeSharp.Metrics;

namespace HingeSharp.Tests.Reliability;

internal static partial class ErrorMatrix
{
    private static readonly (string Key, string Raw)[] BinaryState =
    [
        ("format", "\"hingesharp.metric-state\""), ("version", "1"), ("metric", "\"BinaryHingeLoss\""),
        ("squared", "false"), ("ignore_index", "null"), ("validate_args", "true"), ("input_kind", "\"auto\""),
        ("non_finite", "\"throw\""), ("measures", "[1.5]"), ("total", "3"), ("update_count", "1"),
    ];

    private static readonly (string Key, string Raw)[] MulticlassState =
    [
        ("format", "\"hingesharp.metric-state\""), ("version", "1"), ("metric", "\"MulticlassHingeLoss\""),
        ("num_classes", "3"), ("multiclass_mode", "\"one-vs-all\""), ("squared", "false"), ("ignore_index", "null"),
        ("validate_args", "true"), ("input_kind", "\"auto\""), ("non_finite", "\"throw\""),
        ("measures", "[1.5, 0.5, 2]"), ("total", "3"), ("update_count", "1"),
    ];

    private static readonly (string Key, string Raw)[] MultilabelState =
    [
        ("format", "\"hingesharp.metric-state\""), ("version", "1"), ("metric", "\"MultilabelHingeLoss\""),
        ("num_labels", "2"), ("average", "\"macro\""), ("squared", "false"), ("ignore_index", "null"),
        ("validate_args", "true"), ("input_kind", "\"auto\""), ("non_finite", "\"throw\""),
        ("weighted_measures", "[1.5, 0.5]"), ("weight_sums", "[3, 2]"), ("totals", "[3, 2]"),
    ];

    /// <summary>A state document: the base fields with some replaced (null removes one); new keys are appended.</summary>
    public static string Json((string Key, string Raw)[] baseFields, params (string Key, string? Raw)[] changes)
    {
        var fields = baseFields.Select(f => (f.Key, (string?)f.Raw)).ToList();
        foreach (var (key, raw) in changes)
        {
            var i = fields.FindIndex(f => f.Key == key);
            if (i < 0)
            {
                fields.Add((key, raw));
            }
            else
            {
                fields[i] = (key, raw);
            }
        }

        return "{" + string.Join(", ", fields.Where(f => f.Item2 is not null).Select(f => $"\"{f.Key}\": {f.Item2}")) + "}";
    }

    public static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));

    private static ErrorRow State(string id, string text, bool multiclass = false) => new(id,
        () => MetricState.Load(Stream(text)),
        multiclass ? () => new MulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll) : () => new BinaryHingeLoss(),
        (m, _) => Load(m, text));

    private static object? Load(IHingeMetric m, string text)
    {
        if (m is BinaryHingeLoss b)
        {
            b.LoadState(Stream(text));
        }
        else
        {
            ((MulticlassHingeLoss)m).LoadState(Stream(text));
        }

        return null;
    }

    private static IEnumerable<ErrorRow> StateRows()
    {
        yield return State("F01", "{\"format\": ");
        yield return State("F02", string.Empty);
        yield return State("F03", "[1, 2]");
        yield return State("F04", Json(BinaryState, ("format", null)));
        yield return State("F05", Json(BinaryState, ("format", "\"other\"")));
        yield return State("F06", Json(BinaryState, ("version", "3")));
        yield return State("F07", Json(BinaryState, ("version", "\"1\"")));
        yield return State("F08", Json(BinaryState, ("metric", "\"AccuracyMetric\"")));
        yield return State("F09", Json(BinaryState, ("extra", "1")));
        yield return State("F10", Json(BinaryState, ("total", "3, \"total\": 4")));
        yield return State("F11", Json(BinaryState, ("total", null)));
        yield return State("F12", Json(BinaryState, ("squared", "1")));
        yield return State("F13", Json(BinaryState, ("ignore_index", "1.5")));
        yield return State("F14", Json(BinaryState, ("input_kind", "\"sigmoid\"")));
        yield return State("F15", Json(BinaryState, ("measures", "[1.5, 2]")));
        yield return State("F16", Json(BinaryState, ("measures", "[\"nan\"]")));
        yield return State("F17", Json(BinaryState, ("measures", "[-1]")));
        yield return State("F18", Json(BinaryState, ("measures", "[1e400]")));
        yield return State("F19", Json(BinaryState, ("total", "-1")));
        yield return State("F20", Json(BinaryState, ("total", "1.5")));
        yield return State("F21", Json(BinaryState, ("total", "0")));
        yield return State("F22", Json(MulticlassState, ("num_classes", "1")), multiclass: true);
        yield return State("F23", Json(MulticlassState, ("measures", "[1.5, 0.5]")), multiclass: true);
        yield return new("F24", null, () => new BinaryHingeLoss(), (m, _) => Load(m, Json(MulticlassState)));
        yield return new("F25", null, () => new BinaryHingeLoss(),
            (m, _) => Load(m, Json(BinaryState, ("squared", "true"))));
        yield return State("F26", Json(MulticlassState, ("class_weights", "[1, 2]")), multiclass: true);
        yield return State("F27", Json(MulticlassState, ("track_variance", "true")), multiclass: true);
        yield return State("F28", Json(BinaryState,
            ("weighted", "{\"measures\": [1.5], \"weight_sum\": \"NaN\", \"total\": 3}")));
        yield return State("F29", Json(BinaryState, ("weighted", "{\"measures\": [1.5], \"weight_sum\": 3}")));
        yield return new("F30", () => MetricState.Load(Stream(Json(MultilabelState, ("totals", "[1, -2]")))));
        yield return State("F32", Json(BinaryState, ("version", "2"),
            ("weighted", "{\"measures\": [1.5], \"weight_sum\": 3, \"total\": 3, \"weight_exponent\": 2000}")));
        yield return State("F33", Json(BinaryState,
            ("weighted", "{\"measures\": [1.5], \"weight_sum\": 3, \"total\": 3, \"weight_exponent\": 5}")));
        yield return new("F31", null, () => new BinaryHingeLoss(),
            (m, _) => Load(m, Json(BinaryState, ("class_weights", "[1, 3]"))));
    }
}
