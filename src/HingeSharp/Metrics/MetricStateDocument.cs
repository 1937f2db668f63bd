using System.Globalization;
using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Statistics;

namespace HingeSharp.Metrics;

/// <summary>The weighted part of a binary or multiclass state (absent while only the default path was used).</summary>
/// <param name="Measures">Weighted loss sums: 1 value (binary, Crammer–Singer) or C (one-vs-all).</param>
/// <param name="WeightSum">Sum of the weights.</param>
/// <param name="Exponent">The power of two the weighted sums are divided by (<c>weight_exponent</c>).</param>
/// <param name="Total">Kept count of the weighted part (binary only; null for multiclass).</param>
internal sealed record WeightedPart(double[] Measures, double WeightSum, long? Total, int Exponent = 0);

/// <summary>The per-label state of a multilabel metric.</summary>
/// <param name="WeightedMeasures">Per label <c>Σ w·h</c>.</param>
/// <param name="WeightSums">Per label <c>Σ w</c>.</param>
/// <param name="Exponent">The power of two the sums are divided by (<c>weight_exponent</c>).</param>
/// <param name="Totals">Per label kept counts.</param>
internal sealed record LabelPart(double[] WeightedMeasures, double[] WeightSums, long[] Totals, int Exponent = 0);

/// <summary>
/// One saved metric state, version 2 of the <c>hingesharp.metric-state</c> JSON format (docs/state-format.md): the
/// metric's type, its settings and every part of its state. Converts to and from the metrics; reading and writing
/// JSON live in <see cref="MetricStateReader"/> and <see cref="MetricStateWriter"/>.
/// </summary>
internal sealed record MetricStateDocument(string Metric, bool Squared, int? IgnoreIndex, bool ValidateArgs,
    HingeInputKind InputKind, NonFiniteHandling NonFinite, long UpdateCount)
{
    internal const string BinaryName = "BinaryHingeLoss";
    internal const string MulticlassName = "MulticlassHingeLoss";
    internal const string MultilabelName = "MultilabelHingeLoss";

    /// <summary>Multiclass: C. Multilabel: L.</summary>
    public int? Classes { get; init; }

    public MulticlassMode? Mode { get; init; }

    public MultilabelAverage? Average { get; init; }

    /// <summary>Class weights (binary, multiclass) or label weights (multilabel); null for none.</summary>
    public double[]? ClassWeights { get; init; }

    public bool TrackVariance { get; init; }

    /// <summary>Plain sums (binary, multiclass).</summary>
    public double[] Measures { get; init; } = [];

    public long Total { get; init; }

    public WeightedPart? Weighted { get; init; }

    public LossMoments? Moments { get; init; }

    public LabelPart? Labels { get; init; }

    internal static MetricStateDocument From(BinaryHingeLoss m) =>
        new(BinaryName, m.Squared, m.IgnoreIndex, m.ValidateArgs, m.InputKind, m.NonFinite, m.UpdateCount)
        {
            ClassWeights = m.SavedClassWeights,
            TrackVariance = m.TrackVariance,
            Measures = [m.State.Measures],
            Total = m.State.Total,
            Weighted = m.SavedWeighted is { } w
                ? new WeightedPart([w.WeightedMeasures], w.WeightSum, w.Total, w.WeightExponent)
                : null,
            Moments = m.SavedMoments,
        };

    internal static MetricStateDocument From(MulticlassHingeLoss m) =>
        new(MulticlassName, m.Squared, m.IgnoreIndex, m.ValidateArgs, m.InputKind, m.NonFinite, m.UpdateCount)
        {
            Classes = m.NumClasses,
            Mode = m.MulticlassMode,
            ClassWeights = m.SavedClassWeights,
            TrackVariance = m.TrackVariance,
            Measures = [.. m.Measures],
            Total = m.Total,
            Weighted = m.SavedWeightedMeasures is { } w
                ? new WeightedPart(w, m.SavedWeightSum, null, m.SavedWeightExponent)
                : null,
            Moments = m.SavedMoments,
        };

    internal static MetricStateDocument From(MultilabelHingeLoss m) =>
        new(MultilabelName, m.Squared, m.IgnoreIndex, m.ValidateArgs, m.InputKind, m.NonFinite, m.UpdateCount)
        {
            Classes = m.NumLabels,
            Average = m.Average,
            ClassWeights = m.LabelWeights?.ToArray(),
            Labels = new LabelPart([.. m.SavedState.Weighted], [.. m.SavedState.WeightSum], [.. m.Totals],
                m.SavedState.WeightExponent),
        };

    /// <summary>A new metric with the saved settings and state.</summary>
    internal IHingeMetric Create()
    {
        switch (Metric)
        {
            case BinaryName:
                var binary = new BinaryHingeLoss(Squared, IgnoreIndex, ValidateArgs, InputKind, NonFinite)
                {
                    ClassWeights = ClassWeights,
                    TrackVariance = TrackVariance,
                };
                ApplyTo(binary);
                return binary;
            case MulticlassName:
                var multiclass = new MulticlassHingeLoss(Classes!.Value, Squared, Mode!.Value, IgnoreIndex,
                    ValidateArgs, InputKind, NonFinite)
                {
                    ClassWeights = ClassWeights,
                    TrackVariance = TrackVariance,
                };
                ApplyTo(multiclass);
                return multiclass;
            default:
                var multilabel = new MultilabelHingeLoss(Classes!.Value, Average!.Value, Squared, IgnoreIndex,
                    ValidateArgs, InputKind, NonFinite)
                {
                    LabelWeights = ClassWeights,
                };
                ApplyTo(multilabel);
                return multilabel;
        }
    }

    /// <summary>Replaces the metric's state; the saved state-defining settings must equal the metric's.</summary>
    internal void ApplyTo(BinaryHingeLoss m)
    {
        CheckSettings(BinaryName, From(m));
        CheckRules(m.RuleSettings);
        var state = new HingeState(Measures[0], Total);
        if (Weighted is { } w)
        {
            m.SetState(state, new WeightedHingeState(w.Measures[0], w.WeightSum, w.Total!.Value, w.Exponent), Moments);
        }
        else
        {
            m.SetState(state);
        }

        m.RestoreUpdateCount(UpdateCount);
    }

    /// <inheritdoc cref="ApplyTo(BinaryHingeLoss)"/>
    internal void ApplyTo(MulticlassHingeLoss m)
    {
        CheckSettings(MulticlassName, From(m));
        CheckRules(m.RuleSettings);
        if (Weighted is { } w)
        {
            m.SetState(Measures, Total, w.Measures, w.WeightSum, Moments, w.Exponent);
        }
        else
        {
            m.SetState(Measures, Total);
        }

        m.RestoreUpdateCount(UpdateCount);
    }

    /// <inheritdoc cref="ApplyTo(BinaryHingeLoss)"/>
    internal void ApplyTo(MultilabelHingeLoss m)
    {
        CheckSettings(MultilabelName, From(m));
        StateRules.ThrowStateIfAny(StateRules.CheckLabels(m.RuleSettings, Labels!.WeightedMeasures,
            Labels.WeightSums, Labels.Totals, Labels.Exponent));
        m.SetState(Labels!.WeightedMeasures, Labels.WeightSums, Labels.Totals, Labels.Exponent);
        m.RestoreUpdateCount(UpdateCount);
    }

    /// <summary>The metric's name and its state-defining settings, as <see cref="IMergeableMetric.StateKey"/>.</summary>
    internal string SettingsKey => $"{Metric}({Describe(Settings())})";

    /// <summary>The state rules under the receiving metric's settings (its <c>non_finite</c> may differ from the
    /// saved one), as a <see cref="MetricStateException"/> naming the field.</summary>
    private void CheckRules(StateRules.Settings settings) =>
        StateRules.ThrowStateIfAny(StateRules.CheckSums(settings, Measures, Total, Weighted?.Measures,
            Weighted?.WeightSum, Weighted?.Total, Moments, Weighted?.Exponent ?? 0));

    /// <summary>The settings that decide what a state means (what Merge also compares), in the format's spelling.</summary>
    private (string Field, string Value)[] Settings()
    {
        var list = new List<(string, string)>();
        if (Metric == MulticlassName)
        {
            list.Add(("num_classes", Classes!.Value.ToString(CultureInfo.InvariantCulture)));
            list.Add(("multiclass_mode", Name(Mode!.Value)));
        }
        else if (Metric == MultilabelName)
        {
            list.Add(("num_labels", Classes!.Value.ToString(CultureInfo.InvariantCulture)));
            list.Add(("average", Name(Average!.Value)));
        }

        list.Add(("squared", Squared ? "true" : "false"));
        list.Add(("ignore_index", IgnoreIndex?.ToString(CultureInfo.InvariantCulture) ?? "null"));
        list.Add(("input_kind", Name(InputKind)));
        var weights = ClassWeights is null ? "null" : "[" + string.Join(", ", ClassWeights.Select(ThrowHelper.Format)) + "]";
        list.Add((Metric == MultilabelName ? "label_weights" : "class_weights", weights));
        if (Metric != MultilabelName)
        {
            list.Add(("track_variance", TrackVariance ? "true" : "false"));
        }

        return [.. list];
    }

    private void CheckSettings(string expected, MetricStateDocument current)
    {
        if (Metric != expected)
        {
            throw new MetricStateException(
                $"the state is a {Metric}, which cannot be loaded into a {expected}; use MetricState.Load to " +
                "recreate the saved metric.", "metric");
        }

        var (saved, mine) = (Settings(), current.Settings());
        for (var i = 0; i < saved.Length; i++)
        {
            if (saved[i].Value != mine[i].Value)
            {
                throw new MetricStateException(
                    $"the saved {Metric} has {Describe(saved)}, but this metric has {Describe(mine)}: " +
                    $"`{saved[i].Field}` differs. Load it with MetricState.Load to recreate the metric with the " +
                    "saved settings.", saved[i].Field);
            }
        }
    }

    private static string Describe((string Field, string Value)[] settings) =>
        string.Join(", ", settings.Select(s => $"{s.Field} = {s.Value}"));

    internal static string Name(HingeInputKind kind) => kind.ToString().ToLowerInvariant();

    internal static string Name(NonFiniteHandling nonFinite) => nonFinite.ToString().ToLowerInvariant();

    internal static string Name(MultilabelAverage average) => average.ToString().ToLowerInvariant();

    internal static string Name(MulticlassMode mode) =>
        mode == MulticlassMode.CrammerSinger ? "crammer-singer" : "one-vs-all";

    /// <summary>Writes the state as indented UTF-8 JSON (see <see cref="MetricStateWriter"/>).</summary>
    internal void Write(Stream stream) => MetricStateWriter.Write(this, stream);

    /// <summary>Reads and checks a whole state (see <see cref="MetricStateReader"/>).</summary>
    internal static MetricStateDocument Read(Stream stream) => MetricStateReader.Read(stream);
}
