using System.Numerics;
using System.Numerics.Tensors;
using HingeSharp.Classification;
using HingeSharp.Cli.IO;
using HingeSharp.Distributed;
using HingeSharp.Metrics;

namespace HingeSharp.Cli.Eval;

/// <summary>
/// Streams a predictions file and a targets file in lockstep, a chunk of rows at a time, into a hinge metric, so
/// memory stays flat whatever the file size; .npy chunks are views of the memory-mapped files in their own element
/// types. With <see cref="HingeInputKind.Auto"/> the file is judged as torchmetrics judges one update over the whole
/// file (every kept prediction in [0, 1]: probabilities; otherwise logits), in the same single pass: while every
/// chunk so far is in [0, 1] both a probabilities sink and a logits sink are fed, and the first chunk outside it
/// settles the matter. The result does not depend on the chunk size, and no file is read twice (pipes work).
/// </summary>
internal static partial class EvalRunner
{
    /// <summary>At most this many values in one chunk of predictions, whatever the chunk's row count.</summary>
    private const int MaxChunkValues = 1 << 22;

    /// <summary>Evaluates the two files.</summary>
    /// <param name="predsPath">Predictions, .npy or .csv.</param>
    /// <param name="targetPath">Targets, .npy or .csv.</param>
    /// <param name="settings">What to compute.</param>
    /// <param name="progress">Called after every chunk with (bytes done, bytes to do), or null.</param>
    /// <param name="comm">Distributed runs: this rank evaluates its share and the state is synced over the ranks.</param>
    /// <exception cref="CliInputException">Any bad input, naming the file and the place.</exception>
    /// <param name="metrics">Classification metrics to compute alongside (<c>--metrics</c>), or null.</param>
    public static EvalResult Run(string predsPath, string targetPath, EvalSettings settings,
        Action<long, long>? progress = null, Communicator? comm = null, ClassificationRequest? metrics = null)
    {
        comm ??= Communicator.SingleProcess;
        ArgumentNullException.ThrowIfNull(settings);
        var (kind, rows, sink) = Stream(predsPath, targetPath, settings, (kind, classes) =>
        {
            var s = settings;
            IWeightedHingeMetric metric = s.Task == HingeTask.Binary
                ? new BinaryHingeLoss(s.Squared, s.MetricIgnoreIndex, validateArgs: true, kind, s.NonFinite)
                {
                    TrackVariance = s.TrackVariance,
                }
                : new MulticlassHingeLoss(classes, s.Squared, s.Mode, s.MetricIgnoreIndex, validateArgs: true, kind,
                    s.NonFinite)
                {
                    TrackVariance = s.TrackVariance,
                };
            return metrics is null
                ? new MetricSink(metric)
                : new TeeSink(new MetricSink(metric), metrics.CreateSink(s, kind, classes));
        }, progress, comm);
        if (sink is TeeSink tee)
        {
            metrics!.Keep(tee.Second);   // under Auto the kept sink is the one the whole file called for
            sink = tee.First;
        }

        var metric = ((MetricSink)sink).Metric;

        // Distributed: every rank's state merged in rank order (one gather each), the rows summed.
        ((IMergeableMetric)metric).Sync(comm);
        metrics?.Sync(comm);
        rows = comm.Allreduce(rows, ReduceOperation.Sum);
        var (value, count) = metric switch
        {
            BinaryHingeLoss b => (new HingeLossValue(b.Compute()), b.State.Total),
            MulticlassHingeLoss m => (m.Compute(), m.Total),
            _ => throw new InvalidOperationException("unknown metric"),
        };
        if (count == 0 && settings.Task == HingeTask.Multiclass && settings.Mode == MulticlassMode.CrammerSinger)
        {
            throw CliInputException.InFile(targetPath, null,
                $"all {rows} rows equal the ignore index {settings.IgnoreIndex}: Crammer–Singer needs at least one " +
                "kept row");
        }

        return new EvalResult(settings.Task, value, count, rows, kind, metric);
    }

    /// <summary>
    /// Streams the files in lockstep into the sinks that <paramref name="create"/> makes (one for an explicit input
    /// kind; one for probabilities and one for logits under Auto, of which the one the whole file calls for is
    /// kept); returns the resolved kind, the rows read and that sink.
    /// </summary>
    /// <param name="predsPath">Predictions, .npy or .csv; <c>-</c> for standard input.</param>
    /// <param name="targetPath">Targets, .npy or .csv; <c>-</c> for standard input.</param>
    /// <param name="settings">How to read the files (task, classes, ignore index, input kind, chunk, weights).</param>
    /// <param name="create">Makes a sink from (an input kind, C or 0 for binary).</param>
    /// <param name="progress">Called after every chunk with (bytes done, bytes to do), or null.</param>
    /// <exception cref="CliInputException">Any bad input, naming the file and the place.</exception>
    /// <param name="comm">Distributed runs: this rank reads only its share of the rows (<see cref="TableShares"/>)
    /// and Auto is decided over all ranks; the caller syncs the sink's state.</param>
    public static (HingeInputKind Kind, long Rows, IChunkSink Sink) Stream(string predsPath, string targetPath,
        EvalSettings settings, Func<HingeInputKind, int, IChunkSink> create, Action<long, long>? progress = null,
        Communicator? comm = null)
    {
        comm ??= Communicator.SingleProcess;
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(create);
        if (settings.ChunkRows < 1)
        {
            throw new CliInputException($"--chunk-rows must be at least 1, got {settings.ChunkRows}");
        }

        if (new[] { predsPath, targetPath, settings.SampleWeightPath }.Count(p => p == "-") > 1)
        {
            throw new CliInputException(
                "only one of --preds, --target and --sample-weight can be '-' (standard input, read once)");
        }

        using var preds = TableReader.Open(predsPath, TableRole.Preds, settings.CsvHeader);
        using var target = TableReader.Open(targetPath, TableRole.Target, settings.CsvHeader);
        using var weights = settings.SampleWeightPath is { } w
            ? TableReader.Open(w, TableRole.Weights, settings.CsvHeader)
            : null;
        AgreeOnLabelHeaders(preds, target, weights);
        var classes = CheckLayout(preds, target, settings);
        if (weights is not null)
        {
            CheckWeightLayout(weights, target);
        }

        var firstRow = comm.Size > 1 ? TableShares.Apply(comm, preds, target, weights) : 0;
        var run = new Pass(preds, target, weights, settings, classes, progress, comm, firstRow);
        return (preds.IsFloat32, target.TargetType) switch
        {
            (true, TargetType.Byte) => run.Evaluate<float, byte>(create),
            (true, TargetType.Int32) => run.Evaluate<float, int>(create),
            (true, _) => run.Evaluate<float, long>(create),
            (false, TargetType.Byte) => run.Evaluate<double, byte>(create),
            (false, TargetType.Int32) => run.Evaluate<double, int>(create),
            (false, _) => run.Evaluate<double, long>(create),
        };
    }

    /// <summary>
    /// pandas writes default column labels <c>0,1,…,k−1</c> as the first line of a .csv. Under
    /// <see cref="CsvHeader.Auto"/> that line is a header when every .csv of the run starts with such labels and at
    /// least one of them has a non-integer below its labels (a float column: <c>0</c> over <c>0.25</c>); otherwise it
    /// stays data (a row-count mismatch then names the file). When an .npy of the run gives the row count and a .csv
    /// is a regular file, its line count settles it: a .csv with exactly that many lines holds no header (a weight
    /// or prediction column may start with a 0 over non-integers).
    /// </summary>
    private static void AgreeOnLabelHeaders(params TableReader?[] tables)
    {
        var csv = tables.OfType<CsvTable>().ToArray();
        if (csv.Length > 0 && csv.All(t => t.LabelHeaderCandidate) && csv.Any(t => t.LabelHeaderLikely))
        {
            if (tables.OfType<NpyTable>().FirstOrDefault() is { RowCount: { } rows } &&
                csv.Any(t => t.CountNonBlankLines() == rows))
            {
                return;
            }

            foreach (var t in csv)
            {
                t.SkipFirstRowAsHeader();
            }
        }
    }

    /// <summary>Checks the column counts; returns C for multiclass (0 for binary).</summary>
    private static int CheckLayout(TableReader preds, TableReader target, EvalSettings s)
    {
        if (preds.RowCount is { } np && target.RowCount is { } nt && np != nt)
        {
            throw RowMismatch(preds, np, target, nt);
        }

        if (s.Task == HingeTask.Binary)
        {
            if (preds.Columns != target.Columns)
            {
                throw CliInputException.InFile(target.Path, null,
                    $"has {Values(target.Columns)} per row but {preds.Path} has {preds.Columns}: binary predictions " +
                    "and targets need the same shape");
            }

            return 0;
        }

        if (target.Columns != 1)
        {
            throw CliInputException.InFile(target.Path, null,
                $"has {target.Columns} values per row; multiclass targets are one class index per row");
        }

        if (s.NumClasses is { } given && given < 2)
        {
            throw new CliInputException($"--num-classes must be at least 2, got {given}");
        }

        var classes = s.NumClasses ?? preds.Columns;
        if (preds.Columns != classes)
        {
            throw CliInputException.InFile(preds.Path, null,
                $"has {preds.Columns} scores per row but --num-classes is {classes}");
        }

        if (classes < 2)
        {
            throw CliInputException.InFile(preds.Path, null,
                "has one score per row; multiclass needs (N, C) class scores with C ≥ 2 (use --task binary for " +
                "one score per sample)");
        }

        return classes;
    }

    private static void CheckWeightLayout(TableReader weights, TableReader target)
    {
        if (weights.Columns != target.Columns)
        {
            throw CliInputException.InFile(weights.Path, null,
                $"has {Values(weights.Columns)} per row but {target.Path} has {target.Columns}: sample weights need " +
                "the targets' shape (one weight per target)");
        }

        if (weights.RowCount is { } nw && target.RowCount is { } nt && nw != nt)
        {
            throw RowMismatch(weights, nw, target, nt);
        }
    }

    private static string Values(int count) => count == 1 ? "1 value" : $"{count} values";

    private static CliInputException RowMismatch(TableReader a, long rowsA, TableReader b, long rowsB) =>
        new($"{a.Path} has {rowsA} rows but {b.Path} has {rowsB}: " +
            (a.Role == TableRole.Weights ? "sample weights" : "predictions") + " and targets need one row per " +
            "sample each" + LabelHeaderHint(a, b));

    /// <summary>Where one .csv skipped pandas' label header and the other may hold one as data, says so.</summary>
    private static string LabelHeaderHint(TableReader a, TableReader b) =>
        new[] { a, b }.OfType<CsvTable>().FirstOrDefault(t => t.LabelHeaderCandidate) is { } candidate
            ? $" ({candidate.Path} starts with a line of 0, 1, … that pandas writes as column labels; if it is a " +
              "header, pass --csv-header present)"
            : string.Empty;

    /// <summary>Feeds a hinge metric: unweighted chunks through its plain update (the default kernels, as the
    /// library's <c>Update(preds, target)</c> and <c>hinge report</c> use them), weighted ones through the weighted
    /// path.</summary>
    internal sealed class MetricSink(IWeightedHingeMetric metric) : IChunkSink
    {
        public IWeightedHingeMetric Metric => metric;

        /// <summary>Without weights, the metric's own update (the fused kernels, unless it tracks variance).</summary>
        public void Update<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target,
            ReadOnlySpan<double> sampleWeight)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TTarget : unmanaged, IBinaryInteger<TTarget>
        {
            if (sampleWeight.IsEmpty)
            {
                metric.Update(preds, target);
            }
            else
            {
                metric.Update(preds, target, sampleWeight);
            }
        }
    }

    /// <summary>Replaces the library's C# advice in a message with the matching command-line option.</summary>
    internal static string CliWording(string reason) => reason
        .Replace("`nonFinite: NonFiniteHandling.Propagate`", "`--non-finite propagate`", StringComparison.Ordinal)
        .Replace("HingeInputKind.Logits", "`--input-kind logits`", StringComparison.Ordinal)
        .Replace("HingeInputKind.Margins", "`--input-kind margins`", StringComparison.Ordinal);
}

/// <summary>Takes the chunks that <see cref="EvalRunner.Stream"/> reads.</summary>
internal interface IChunkSink
{
    /// <summary>Adds one chunk: row-major predictions, targets (in the file's own integer type where the kernels
    /// read it) and (possibly empty) sample weights.</summary>
    /// <param name="preds">The chunk's predictions.</param>
    /// <param name="target">The chunk's targets.</param>
    /// <param name="sampleWeight">The chunk's weights, or empty for none.</param>
    void Update<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, ReadOnlySpan<double> sampleWeight)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, IBinaryInteger<TTarget>;
}
