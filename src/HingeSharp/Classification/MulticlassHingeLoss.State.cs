using HingeSharp.Metrics;
using HingeSharp.Statistics;

namespace HingeSharp.Classification;

/// <summary>Saving and loading the state of <see cref="MulticlassHingeLoss"/> (docs/state-format.md).</summary>
public sealed partial class MulticlassHingeLoss : IMergeableMetric
{
    /// <inheritdoc/>
    public string StateKey => MetricStateDocument.From(this).SettingsKey;

    /// <inheritdoc/>
    public byte[] ExportState() => MetricExchange.Export(MetricStateDocument.From(this));

    /// <inheritdoc/>
    public void MergeState(ReadOnlySpan<byte> state) => Merge((MulticlassHingeLoss)MetricExchange.Import(state, StateKey));

    /// <summary>Writes the settings and state as versioned JSON (see <see cref="MetricState"/>).</summary>
    /// <param name="stream">Receives UTF-8 JSON; not closed.</param>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        MetricStateDocument.From(this).Write(stream);
    }

    /// <summary>Writes the settings and state to a file, atomically (a temporary file that then replaces
    /// <paramref name="path"/>).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveState(string path) => MetricState.WriteFile(MetricStateDocument.From(this), path);

    /// <summary>
    /// Replaces the state (and <see cref="Metric{TResult}.UpdateCount"/>) with a saved one. The saved
    /// state-defining settings (num_classes, multiclass_mode, squared, ignore_index, input_kind) must equal this
    /// metric's; <c>validate_args</c> and <c>non_finite</c> keep this metric's values. Use
    /// <see cref="MetricState.Load(Stream)"/> to recreate a metric with the saved settings.
    /// </summary>
    /// <param name="stream">UTF-8 JSON, read to its end; not closed.</param>
    /// <exception cref="MetricStateException">Not a valid state (version 1 or 2) of this metric type, or settings that differ;
    /// the metric is then unchanged.</exception>
    public void LoadState(Stream stream) => MetricStateDocument.Read(stream).ApplyTo(this);

    /// <summary>
    /// A new metric with the same settings and state, except the input-kind setting. For a caller that resolves
    /// <see cref="HingeInputKind.Auto"/> itself over one logical update larger than a batch (the <c>hinge</c> tool
    /// decides once per file, as torchmetrics decides once per update): it evaluates with the resolved kind and keeps
    /// the setting <c>Auto</c> in the state it saves, so that shards resolved differently still merge.
    /// </summary>
    /// <param name="inputKind">The setting the copy records.</param>
    /// <returns>The copy; this metric is unchanged.</returns>
    public MulticlassHingeLoss WithInputKind(HingeInputKind inputKind)
    {
        var document = MetricStateDocument.From(this) with { InputKind = inputKind };
        return (MulticlassHingeLoss)document.Create();
    }

    /// <summary>Replaces the state with one saved in a file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="MetricStateException">See <see cref="LoadState(Stream)"/>; the message starts with
    /// <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public void LoadState(string path) => MetricState.ApplyFile(path, document => document.ApplyTo(this));

    /// <summary>The weighted sums, or null while the metric has only seen unweighted data on the default path (saved as
    /// <c>"weighted": null</c>).</summary>
    internal double[]? SavedWeightedMeasures => _extras?.Weighted.ToArray();

    /// <summary>The weight sum of the weighted part (meaningful when <see cref="SavedWeightedMeasures"/> is set).</summary>
    internal double SavedWeightSum => _extras?.WeightSum ?? 0;

    /// <summary>The power of two the weighted sums are divided by.</summary>
    internal int SavedWeightExponent => _extras?.Exponent ?? 0;

    /// <summary>The loss moments kept beside the weighted part, or null.</summary>
    internal LossMoments? SavedMoments => _extras?.Moments;

    /// <summary>The class weights as stored (null for none).</summary>
    internal double[]? SavedClassWeights => _classWeights;
}
