using HingeSharp.Classification;
using HingeSharp.Cli.IO;

namespace HingeSharp.Cli.Eval;

/// <summary>What <c>hinge eval</c> computes and how it reads the files.</summary>
/// <param name="Task">Binary or multiclass.</param>
/// <param name="NumClasses">C for multiclass; null takes it from the predictions' column count.</param>
/// <param name="Squared">Square the clamped loss.</param>
/// <param name="Mode">Crammer–Singer or one-vs-all (multiclass).</param>
/// <param name="IgnoreIndex">Rows (elements) whose target equals it take no part.</param>
/// <param name="InputKind">How predictions are read; Auto decides once over the whole file.</param>
/// <param name="ChunkRows">Rows per chunk.</param>
/// <param name="CsvHeader">Whether .csv files start with a header.</param>
/// <param name="NonFinite">Whether NaN/±∞ among the kept predictions are an error (default) or propagate.</param>
/// <param name="SampleWeightPath">A file of finite, non-negative sample weights (same shape as the targets), read in
/// lockstep with the other two files; null for none.</param>
/// <param name="TrackVariance">Keep the per-sample loss moments so that a confidence interval can be computed
/// (binary and Crammer–Singer only).</param>
internal sealed record EvalSettings(HingeTask Task, int? NumClasses = null, bool Squared = false,
    MulticlassMode Mode = MulticlassMode.CrammerSinger, int? IgnoreIndex = null,
    HingeInputKind InputKind = HingeInputKind.Auto, int ChunkRows = EvalSettings.DefaultChunkRows,
    CsvHeader CsvHeader = CsvHeader.Auto, NonFiniteHandling NonFinite = NonFiniteHandling.Throw,
    string? SampleWeightPath = null, bool TrackVariance = false)
{
    /// <summary>The default chunk: 64K rows.</summary>
    public const int DefaultChunkRows = 1 << 16;
}

/// <summary>The outcome of <c>hinge eval</c>.</summary>
/// <param name="Task">Binary or multiclass.</param>
/// <param name="Value">The loss: a scalar, or one value per class (one-vs-all).</param>
/// <param name="Count">Elements (binary) or rows (multiclass) that took part.</param>
/// <param name="Rows">Rows read from each file.</param>
/// <param name="InputKind">How predictions were read (Auto resolved to Probabilities or Logits).</param>
/// <param name="Metric">The metric that accumulated the run (its state can be saved, its interval computed).</param>
internal sealed record EvalResult(HingeTask Task, HingeLossValue Value, long Count, long Rows,
    HingeInputKind InputKind, IHingeMetric Metric);
