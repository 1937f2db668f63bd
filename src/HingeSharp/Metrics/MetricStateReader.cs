using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Statistics;

namespace HingeSharp.Metrics;

/// <summary>
/// Parses and checks a saved metric state strictly: every required field must be present, of the right JSON type and
/// in range; unknown or repeated fields are errors. Nothing is returned until the whole document has been checked.
/// </summary>
internal static class MetricStateReader
{
    private static readonly string[] Common =
    [
        "format", "version", "metric", "squared", "ignore_index", "validate_args", "input_kind", "non_finite",
        "update_count",
    ];

    private static readonly string[] BinaryFields =
        [.. Common, "class_weights", "track_variance", "measures", "total", "weighted", "moments"];

    private static readonly string[] MulticlassFields = [.. BinaryFields, "num_classes", "multiclass_mode"];

    private static readonly string[] MultilabelFields =
        [.. Common, "num_labels", "average", "label_weights", "weighted_measures", "weight_sums", "totals"];

    /// <summary>The field that version 2 adds to each weighted part (docs/state-format.md).</summary>
    private const string ExponentField = "weight_exponent";

    internal static MetricStateDocument Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            // JsonException's own position suffix (" LineNumber: 0 | BytePositionInLine: 1.") is 0-based; drop it.
            var reason = ex.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = cut >= 0 ? reason[..cut] : reason;
            throw new MetricStateException(
                $"not valid JSON at line {line}, column {column}: {reason}", null, line, column, ex);
        }

        using (json)
        {
            return Read(json.RootElement);
        }
    }

    private static MetricStateDocument Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw StateFields.Error($"a metric state is a JSON object, but the document holds {StateFields.Describe(root)}.",
                null);
        }

        var f = new StateFields(root, string.Empty);
        if (!(f.Has("format") && f.Raw("format").ValueKind == JsonValueKind.String &&
              f.Raw("format").GetString() == MetricState.FormatName))
        {
            var got = f.Has("format") ? StateFields.Describe(f.Raw("format")) : "missing";
            throw StateFields.Error(
                $"not a HingeSharp metric state: `format` is {got} (expected \"{MetricState.FormatName}\").", "format");
        }

        var version = f.Integer("version", 1, int.MaxValue);
        if (version > MetricState.FormatVersion)
        {
            throw StateFields.Error($"`version` is {version}, but this HingeSharp reads metric states of versions 1 " +
                $"to {MetricState.FormatVersion} only (a file from a newer HingeSharp?).", "version");
        }

        var metric = f.String("metric");
        var allowed = metric switch
        {
            MetricStateDocument.BinaryName => BinaryFields,
            MetricStateDocument.MulticlassName => MulticlassFields,
            MetricStateDocument.MultilabelName => MultilabelFields,
            _ => throw StateFields.Error($"`metric` is \"{metric}\": expected \"{MetricStateDocument.BinaryName}\", " +
                $"\"{MetricStateDocument.MulticlassName}\" or \"{MetricStateDocument.MultilabelName}\".", "metric"),
        };
        var v2 = version >= 2;
        if (v2 && metric == MetricStateDocument.MultilabelName)
        {
            allowed = [.. allowed, ExponentField];
        }

        f.OnlyKnown(allowed, $"a version {version} {metric} state");

        var document = new MetricStateDocument(metric, f.Boolean("squared"),
            f.IsNull("ignore_index") ? null : (int)f.Integer("ignore_index", int.MinValue, int.MaxValue),
            f.Boolean("validate_args"),
            f.Choice("input_kind", Enum.GetValues<HingeInputKind>(), MetricStateDocument.Name),
            f.Choice("non_finite", Enum.GetValues<NonFiniteHandling>(), MetricStateDocument.Name),
            f.Has("update_count") ? f.Integer("update_count", 0, long.MaxValue) : 0);
        return metric == MetricStateDocument.MultilabelName ? Multilabel(f, document, v2) : Sums(f, document, v2);
    }

    /// <summary>Binary and multiclass: plain sums, optional weighted part and moments.</summary>
    private static MetricStateDocument Sums(StateFields f, MetricStateDocument document, bool v2)
    {
        var multiclass = document.Metric == MetricStateDocument.MulticlassName;
        var classes = multiclass ? (int)f.Integer("num_classes", 2, MulticlassHingeLoss.MaxNumClasses) : 2;
        MulticlassMode? mode = multiclass
            ? f.Choice("multiclass_mode", Enum.GetValues<MulticlassMode>(), MetricStateDocument.Name)
            : null;
        var trackVariance = f.Has("track_variance") && f.Boolean("track_variance");
        if (trackVariance && mode == MulticlassMode.OneVsAll)
        {
            throw StateFields.Error("`track_variance` is true, but one-vs-all keeps no per-row moments (it needs " +
                "crammer-singer).", "track_variance");
        }

        var count = mode == MulticlassMode.OneVsAll ? classes : 1;
        var what = mode is { } m ? $"a {document.Metric} in {MetricStateDocument.Name(m)} mode" : $"a {document.Metric}";
        var measures = f.Doubles("measures", count, what, Rule.Loss);
        var total = f.Integer("total", 0, long.MaxValue);
        if (total == 0 && measures.Any(x => x != 0))
        {
            throw StateFields.Error("`measures` must all be 0 when `total` is 0 (no element was counted).", "measures");
        }

        WeightedPart? weighted = null;
        if (f.Has("weighted") && !f.IsNull("weighted"))
        {
            var w = f.Object("weighted");
            string[] known = multiclass ? ["measures", "weight_sum"] : ["measures", "weight_sum", "total"];
            w.OnlyKnown(v2 ? [.. known, ExponentField] : known, "`weighted`");
            weighted = new WeightedPart(w.Doubles("measures", count, what, Rule.Loss),
                w.Double("weight_sum", Rule.Weight), multiclass ? null : w.Integer("total", 0, long.MaxValue),
                Exponent(w));
        }

        LossMoments? moments = null;
        if (f.Has("moments") && !f.IsNull("moments"))
        {
            var o = f.Object("moments");
            string[] known = ["count", "weight_sum", "weight_squared_sum", "mean", "m2"];
            o.OnlyKnown(v2 ? [.. known, ExponentField] : known, "`moments`");
            moments = new LossMoments(o.Integer("count", 0, long.MaxValue), o.Double("weight_sum", Rule.Weight),
                o.Double("weight_squared_sum", Rule.Weight), o.Double("mean", Rule.Loss), o.Double("m2", Rule.Loss),
                Exponent(o));
        }

        var classWeights = f.Weights("class_weights", classes);
        StateRules.ThrowStateIfAny(StateRules.CheckSums(
            new StateRules.Settings(document.Squared, document.InputKind, document.NonFinite, classWeights is not null),
            measures, total, weighted?.Measures, weighted?.WeightSum, weighted?.Total, moments,
            weighted?.Exponent ?? 0));
        return document with
        {
            Classes = multiclass ? classes : null,
            Mode = mode,
            ClassWeights = classWeights,
            TrackVariance = trackVariance,
            Measures = measures,
            Total = total,
            Weighted = weighted,
            Moments = moments,
        };
    }

    private static MetricStateDocument Multilabel(StateFields f, MetricStateDocument document, bool v2)
    {
        var labels = (int)f.Integer("num_labels", 2, MulticlassHingeLoss.MaxNumClasses);
        var what = $"a {document.Metric} with {labels} labels";
        var totals = f.Integers("totals", labels, what);
        var average = f.Choice("average", Enum.GetValues<MultilabelAverage>(), MetricStateDocument.Name);
        var labelWeights = f.Weights("label_weights", labels);
        var weightedMeasures = f.Doubles("weighted_measures", labels, what, Rule.Loss);
        var weightSums = f.Doubles("weight_sums", labels, what, Rule.Weight);
        var exponent = v2 ? Exponent(f) : 0;
        StateRules.ThrowStateIfAny(StateRules.CheckLabels(
            new StateRules.Settings(document.Squared, document.InputKind, document.NonFinite, labelWeights is not null),
            weightedMeasures, weightSums, totals, exponent));
        return document with
        {
            Classes = labels,
            Average = average,
            ClassWeights = labelWeights,
            Labels = new LabelPart(weightedMeasures, weightSums, totals, exponent),
        };
    }

    /// <summary>A part's <c>weight_exponent</c> (version 2; absent, as in version 1, means 0): the power of two its
    /// weight sums are divided by.</summary>
    private static int Exponent(StateFields part) =>
        part.Has(ExponentField)
            ? (int)part.Integer(ExponentField, WeightScale.MinExponent, WeightScale.MaxExponent)
            : 0;
}
