using HingeSharp.Classification;
using HingeSharp.Cli.IO;

namespace HingeSharp.Cli.Eval;

/// <summary>What <c>hinge eval</c> computes and how it reads the files.</summary>
/// <param name="Task">Binary or multiclass.</param>
/// <param name="NumClasses">C for multiclass; null takes it from the predictions' column count.</param>
/// <param name="Squared">Square the clamped loss.</param>
/// <param name="Mode">Crammer–Singer or one-vs-all (multiclass).</param>
/// <param name="IgnoreIndex">Rows (elements) whose target equals it take no part: any 64-bit value, so that uint32
/// and int64 sentinels such as 4294967295 work (see <see cref="MetricIgnoreIndex"/>).</param>
/// <param name="InputKind">How predictions are read; Auto decides once over the whole file.</param>
/// <param name="ChunkRows">Rows per chunk.</param>
/// <param name="CsvHeader">Whether .csv files start with a header.</param>
/// <param name="NonFinite">Whether NaN/±∞ among the kept predictions are an error (default) or propagate.</param>
/// <param name="SampleWeightPath">A file of finite, non-negative sample weights (same shape as the targets), read in
/// lockstep with the other two files; null for none.</param>
/// <param name="TrackVariance">Keep the per-sample loss moments so that a confidence interval can be computed
/// (binary and Crammer–Singer only).</param>
/// <param name="ParallelRead">Read each chunk of the predictions and of the targets at once on two threads (when
/// the machine has more than one processor).</param>
internal sealed record EvalSettings(HingeTask Task, int? NumClasses = null, bool Squared = false,
    MulticlassMode Mode = MulticlassMode.CrammerSinger, long? IgnoreIndex = null,
    HingeInputKind InputKind = HingeInputKind.Auto, int ChunkRows = EvalSettings.DefaultChunkRows,
    CsvHeader CsvHeader = CsvHeader.Auto, NonFiniteHandling NonFinite = NonFiniteHandling.Throw,
    string? SampleWeightPath = null, bool TrackVariance = false, bool ParallelRead = true)
{
    /// <summary>The default chunk: 64K rows.</summary>
    public const int DefaultChunkRows = 1 << 16;

    /// <summary>The value that stands for a sentinel outside the int32 range in the chunks given to the library's
    /// metrics (whose ignore index is an <c>int</c>): such targets are rewritten to it, and a target that really holds
    /// it is rejected as out of range.</summary>
    public const int WideSentinelStandIn = int.MinValue;

    /// <summary>The ignore index as the library's metrics take it: the value itself when it fits in an int32, else
    /// <see cref="WideSentinelStandIn"/>.</summary>
    public int? MetricIgnoreIndex => IgnoreIndex is not { } k ? null
        : k is >= int.MinValue and <= int.MaxValue ? (int)k
        : WideSentinelStandIn;

    /// <summary>Whether the ignore index lies outside the int32 range (targets are then rewritten per chunk).</summary>
    public bool WideIgnoreIndex => IgnoreIndex is < int.MinValue or > int.MaxValue;
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
