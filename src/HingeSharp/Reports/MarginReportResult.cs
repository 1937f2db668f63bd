using System.Text.Json;
using System.Text.Json.Serialization;

namespace HingeSharp.Reports;

/// <summary>
/// What a <see cref="MarginReport"/> computed: the overall and per-class margin summaries and, for Crammer–Singer, the
/// most-confused (true, rival) class pairs. Plain data, serialisable with System.Text.Json (<see cref="ToJson"/>,
/// <see cref="FromJson"/>; camelCase names, NaN written as <c>"NaN"</c>).
/// </summary>
/// <param name="Task"><c>"binary"</c> or <c>"multiclass"</c>.</param>
/// <param name="InputKind">How predictions were read: <c>"Auto"</c>, <c>"Probabilities"</c>, <c>"Logits"</c> or
/// <c>"Margins"</c>.</param>
/// <param name="Margin">The margin's definition: <c>"y*f(p)"</c> (binary) or <c>"p[y]-max_{j!=y} p[j]"</c>
/// (Crammer–Singer).</param>
/// <param name="NumClasses">2 for binary, C for multiclass.</param>
/// <param name="Overall">All kept samples.</param>
/// <param name="PerClass">One summary per true class (binary: 0 = negatives, 1 = positives).</param>
/// <param name="ConfusedPairs">Multiclass: the (true, rival) pairs of the rows inside the margin, most misclassified
/// first; empty for binary.</param>
public sealed record MarginReportResult(string Task, string InputKind, string Margin, int NumClasses,
    MarginSummary Overall, IReadOnlyList<MarginSummary> PerClass, IReadOnlyList<ConfusedPair> ConfusedPairs)
{
    private static readonly ReportJsonContext Compact =
        new(new JsonSerializerOptions(ReportJsonContext.Default.Options) { WriteIndented = false });

    /// <summary>The report as JSON (camelCase; NaN and ±∞ as the strings <c>"NaN"</c>, <c>"Infinity"</c>).</summary>
    /// <param name="indented">Indent (default) or write one line.</param>
    public string ToJson(bool indented = true) => JsonSerializer.Serialize(this,
        (indented ? ReportJsonContext.Default : Compact).MarginReportResult);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="JsonException">The text is not a report.</exception>
    public static MarginReportResult FromJson(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.MarginReportResult)
        ?? throw new JsonException("The JSON text is `null`, not a margin report.");
}

/// <summary>
/// Margin statistics of one group of samples (all of them, or one true class). Shares and means are weighted by the
/// sample weights (all 1 without weights); counts are plain counts.
/// </summary>
/// <param name="Class">The true class, or null for the overall summary.</param>
/// <param name="Count">Kept samples (zero-weight ones included).</param>
/// <param name="WeightSum">Sum of their weights.</param>
/// <param name="Hinge">Weighted mean of <c>max(0, 1 − m)</c>, in double from the margin.</param>
/// <param name="SquaredHinge">Weighted mean of <c>max(0, 1 − m)²</c>.</param>
/// <param name="InsideMarginShare">Weighted share of <c>m &lt; 1</c> (a positive hinge loss).</param>
/// <param name="MisclassifiedShare">Weighted share of <c>m &lt; 0</c>.</param>
/// <param name="InsideMarginCount">Count of <c>m &lt; 1</c>.</param>
/// <param name="MisclassifiedCount">Count of <c>m &lt; 0</c>.</param>
/// <param name="MeanMargin">Weighted mean margin.</param>
/// <param name="Min">Smallest margin of a sample with positive weight (exact).</param>
/// <param name="Max">Largest margin of a sample with positive weight (exact).</param>
/// <param name="Quantiles">Weighted margin quantiles from the histogram, each with its error bound.</param>
/// <param name="Histogram">The raw bins (weight per bin), for plotting.</param>
public sealed record MarginSummary(int? Class, long Count, double WeightSum, double Hinge, double SquaredHinge,
    double InsideMarginShare, double MisclassifiedShare, long InsideMarginCount, long MisclassifiedCount,
    double MeanMargin, double Min, double Max, IReadOnlyList<MarginQuantile> Quantiles,
    MarginHistogramBins Histogram);

/// <summary>One estimated margin quantile.</summary>
/// <param name="Probability">The quantile's probability in [0, 1].</param>
/// <param name="Value">The estimate, interpolated linearly inside the bin that holds the quantile.</param>
/// <param name="ErrorBound">The width of that bin (clipped to [min, max]): the true quantile lies in it too.</param>
public sealed record MarginQuantile(double Probability, double Value, double ErrorBound);

/// <summary>
/// The raw histogram of a margin summary: <c>Counts[i]</c> is the weight (the count without weights) of the margins in
/// <c>[Lower + i·BinWidth, Lower + (i + 1)·BinWidth)</c>, the last bin closed; margins outside the range are in
/// <see cref="Underflow"/> and <see cref="Overflow"/>.
/// </summary>
/// <param name="Lower">Lower end of the binned range.</param>
/// <param name="Upper">Upper end of the binned range.</param>
/// <param name="BinWidth"><c>(Upper − Lower) / bins</c>.</param>
/// <param name="Counts">Weight per bin; empty for a group without samples.</param>
/// <param name="Underflow">Weight of the margins below <paramref name="Lower"/>.</param>
/// <param name="Overflow">Weight of the margins above <paramref name="Upper"/>.</param>
public sealed record MarginHistogramBins(double Lower, double Upper, double BinWidth, IReadOnlyList<double> Counts,
    double Underflow, double Overflow);

/// <summary>
/// A (true, rival) class pair of the Crammer–Singer report, counted over the rows inside the margin
/// (<c>m &lt; 1</c>); the rival is the first class reaching <c>max_{j≠y} p[j]</c>.
/// </summary>
/// <param name="TrueClass">The row's true class.</param>
/// <param name="RivalClass">The strongest other class.</param>
/// <param name="MisclassifiedCount">Rows where the rival wins (<c>m &lt; 0</c>).</param>
/// <param name="InsideMarginCount">Rows with <c>m &lt; 1</c> (the misclassified ones included).</param>
/// <param name="WeightSum">Weight of those rows.</param>
/// <param name="HingeSum">Their weighted hinge sum <c>Σ w·(1 − m)</c>: the pair's share of the total loss.</param>
public sealed record ConfusedPair(int TrueClass, int RivalClass, long MisclassifiedCount, long InsideMarginCount,
    double WeightSum, double HingeSum);

/// <summary>Source-generated JSON metadata for the report types (trimming- and AOT-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(MarginReportResult))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
