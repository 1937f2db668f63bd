using System.Numerics;
using HingeSharp.Classification;
using HingeSharp.Cli.IO;

namespace HingeSharp.Cli.Eval;

/// <summary>
/// Streams a predictions file and a targets file in lockstep, a chunk of rows at a time, into a hinge metric, so
/// memory stays flat whatever the file size. With <see cref="HingeInputKind.Auto"/> a first pass decides, as
/// torchmetrics would for one update over the whole file, whether every kept prediction lies in [0, 1]
/// (probabilities) or not (logits); the second pass evaluates with that explicit kind, so the result does not
/// depend on the chunk size.
/// </summary>
internal static class EvalRunner
{
    /// <summary>At most this many values in one chunk of predictions, whatever the chunk's row count.</summary>
    private const int MaxChunkValues = 1 << 22;

    /// <summary>Evaluates the two files.</summary>
    /// <param name="predsPath">Predictions, .npy or .csv.</param>
    /// <param name="targetPath">Targets, .npy or .csv.</param>
    /// <param name="settings">What to compute.</param>
    /// <param name="progress">Called after every chunk with (bytes done, bytes to do), or null.</param>
    /// <exception cref="CliInputException">Any bad input, naming the file and the place.</exception>
    /// <param name="metrics">Classification metrics to compute alongside (<c>--metrics</c>), or null.</param>
    public static EvalResult Run(string predsPath, string targetPath, EvalSettings settings,
        Action<long, long>? progress = null, ClassificationRequest? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        IWeightedHingeMetric? metric = null;
        var (kind, rows) = Stream(predsPath, targetPath, settings, (kind, classes) =>
        {
            var s = settings;
            metric = s.Task == HingeTask.Binary
                ? new BinaryHingeLoss(s.Squared, s.IgnoreIndex, validateArgs: true, kind, s.NonFinite)
                {
                    TrackVariance = s.TrackVariance,
                }
                : new MulticlassHingeLoss(classes, s.Squared, s.Mode, s.IgnoreIndex, validateArgs: true, kind,
                    s.NonFinite)
                {
                    TrackVariance = s.TrackVariance,
                };
            return metrics is null
                ? new MetricSink(metric)
                : new TeeSink(new MetricSink(metric), metrics.CreateSink(s, kind, classes));
        }, progress);
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

        return new EvalResult(settings.Task, value, count, rows, kind, metric!);
    }

    /// <summary>
    /// Streams the files in lockstep into the sink that <paramref name="create"/> makes once the input kind is known
    /// (Auto resolved over the whole file); returns that kind and the rows read.
    /// </summary>
    /// <param name="predsPath">Predictions, .npy or .csv.</param>
    /// <param name="targetPath">Targets, .npy or .csv.</param>
    /// <param name="settings">How to read the files (task, classes, ignore index, input kind, chunk, weights).</param>
    /// <param name="create">Makes the sink from (the resolved input kind, C or 0 for binary).</param>
    /// <param name="progress">Called after every chunk with (bytes done, bytes to do), or null.</param>
    /// <exception cref="CliInputException">Any bad input, naming the file and the place.</exception>
    public static (HingeInputKind Kind, long Rows) Stream(string predsPath, string targetPath, EvalSettings settings,
        Func<HingeInputKind, int, IChunkSink> create, Action<long, long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(create);
        if (settings.ChunkRows < 1)
        {
            throw new CliInputException($"--chunk-rows must be at least 1, got {settings.ChunkRows}");
        }

        using var preds = TableReader.Open(predsPath, TableRole.Preds, settings.CsvHeader);
        using var target = TableReader.Open(targetPath, TableRole.Target, settings.CsvHeader);
        var classes = CheckLayout(preds, target, settings);
        using var weights = settings.SampleWeightPath is { } w
            ? TableReader.Open(w, TableRole.Preds, settings.CsvHeader)
            : null;
        if (weights is not null)
        {
            CheckWeightLayout(weights, target);
        }

        var run = new Pass(preds, target, weights, settings, classes, progress);
        return preds.IsFloat32 ? run.Evaluate<float>(create) : run.Evaluate<double>(create);
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
        new($"{a.Path} has {rowsA} rows but {b.Path} has {rowsB}: predictions and targets need one row per " +
            "sample each");

    /// <summary>One evaluation: the two readers, the settings and the chunk buffers.</summary>
    private sealed class Pass(TableReader preds, TableReader target, TableReader? weights, EvalSettings s, int classes,
        Action<long, long>? progress)
    {
        private readonly int _chunkRows = Math.Max(1, Math.Min(s.ChunkRows, MaxChunkValues / preds.Columns));
        private long[] _target = [];
        private double[] _weights = [];
        private long _rowsDone;
        private int _pass;
        private int _passes;

        public (HingeInputKind Kind, long Rows) Evaluate<T>(Func<HingeInputKind, int, IChunkSink> create)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var p = new T[_chunkRows * preds.Columns];
            _target = new long[_chunkRows * target.Columns];
            _weights = weights is null ? [] : new double[_chunkRows * weights.Columns];
            var kind = s.InputKind;
            _passes = kind == HingeInputKind.Auto ? 2 : 1;
            if (kind == HingeInputKind.Auto)
            {
                kind = AllKeptInUnitInterval(p) ? HingeInputKind.Probabilities : HingeInputKind.Logits;
                preds.Rewind();
                target.Rewind();
                weights?.Rewind();
                _pass++;
            }

            var sink = create(kind, classes);
            _rowsDone = 0;
            int n;
            while ((n = ReadChunk(p)) > 0)
            {
                var first = _rowsDone - n;
                if (!HasKeptRow(n) && s.Task == HingeTask.Multiclass && s.Mode == MulticlassMode.CrammerSinger)
                {
                    continue; // nothing to add; Crammer–Singer rejects a batch with no kept row
                }

                try
                {
                    sink.Update<T>(p.AsSpan(0, n * preds.Columns), _target.AsSpan(0, n * target.Columns),
                        _weights.AsSpan(0, weights is null ? 0 : n * weights.Columns));
                }
                catch (HingeArgumentException e)
                {
                    throw Translate(e, first);
                }
            }

            return (kind, _rowsDone);
        }

        /// <summary>Pass 1 of Auto: is every kept prediction of the whole file in [0, 1]? (NaN is not.)</summary>
        private bool AllKeptInUnitInterval<T>(T[] p)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n;
            var width = s.Task == HingeTask.Binary ? 1 : classes;
            while ((n = ReadChunk(p)) > 0)
            {
                var t = _target;
                var units = s.Task == HingeTask.Binary ? n * preds.Columns : n;
                for (var u = 0; u < units; u++)
                {
                    if (s.IgnoreIndex is { } k && t[u] == k)
                    {
                        continue;
                    }

                    foreach (var x in p.AsSpan(u * width, width))
                    {
                        if (!(x >= T.Zero && x <= T.One))
                        {
                            return false;
                        }
                    }
                }
            }

            return true;
        }

        private bool HasKeptRow(int n)
        {
            if (s.IgnoreIndex is not { } k)
            {
                return n > 0;
            }

            foreach (var t in _target.AsSpan(0, n * target.Columns))
            {
                if (t != k)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Reads the next chunk from both files; they must end together.</summary>
        private int ReadChunk<T>(T[] p)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var np = preds.ReadPreds<T>(p, _chunkRows);
            var nt = target.ReadTargets(_target, _chunkRows);
            if (np != nt)
            {
                var rowsP = _rowsDone + np + (np < nt ? 0 : preds.CountRemainingRows());
                var rowsT = _rowsDone + nt + (nt < np ? 0 : target.CountRemainingRows());
                throw RowMismatch(preds, rowsP, target, rowsT);
            }

            if (weights is not null)
            {
                ReadWeights(nt);
            }

            _rowsDone += np;
            progress?.Invoke(
                (_pass * (preds.Length + target.Length)) + preds.Position + target.Position,
                _passes * (preds.Length + target.Length));
            return np;
        }

        /// <summary>Reads the chunk's weights (the same rows as the targets) and checks each is finite and ≥ 0.</summary>
        private void ReadWeights(int rows)
        {
            var nw = weights!.ReadPreds<double>(_weights, _chunkRows);
            if (nw != rows)
            {
                var rowsW = _rowsDone + nw + (nw < rows ? 0 : weights.CountRemainingRows());
                var rowsT = _rowsDone + rows + (rows < nw ? 0 : target.CountRemainingRows());
                throw RowMismatch(weights, rowsW, target, rowsT);
            }

            var columns = weights.Columns;
            var chunk = _weights.AsSpan(0, nw * columns);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (!double.IsFinite(chunk[i]) || chunk[i] < 0)
                {
                    var row = _rowsDone + (i / columns);
                    throw CliInputException.InFile(weights.Path, weights.Place(row, i % columns),
                        $"sample weight {Output.Formats.Number(chunk[i])} (row {row}, counting from 0) is " +
                        (double.IsFinite(chunk[i]) ? "negative" : "not finite") +
                        ": weights must be finite and ≥ 0");
                }
            }
        }

        /// <summary>Turns a chunk's error into the file's words: which file, which line/row and column.</summary>
        private CliInputException Translate(HingeArgumentException e, long chunkFirstRow)
        {
            var table = e.ParamName switch
            {
                "target" => target,
                "sampleWeight" when weights is not null => weights,
                _ => preds,
            };
            var reason = CliWording(e.Reason);
            if (e.Index is not { } index)
            {
                return CliInputException.InFile(table.Path, null, reason);
            }

            var columns = table.Columns;
            var row = chunkFirstRow + (index / columns);
            var column = (int)(index % columns);
            var global = (row * columns) + column;
            reason = reason.Replace($"`{e.ParamName}[{index}]`", $"`{e.ParamName}[{global}]`",
                StringComparison.Ordinal);
            return CliInputException.InFile(table.Path, table.Place(row, column), reason);
        }
    }

    /// <summary>Feeds a hinge metric.</summary>
    private sealed class MetricSink(IWeightedHingeMetric metric) : IChunkSink
    {
        public void Update<T>(ReadOnlySpan<T> preds, ReadOnlySpan<long> target, ReadOnlySpan<double> sampleWeight)
            where T : unmanaged, IFloatingPointIeee754<T> => metric.Update(preds, target, sampleWeight);
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
    /// <summary>Adds one chunk: row-major predictions, targets and (possibly empty) sample weights.</summary>
    /// <param name="preds">The chunk's predictions.</param>
    /// <param name="target">The chunk's targets.</param>
    /// <param name="sampleWeight">The chunk's weights, or empty for none.</param>
    void Update<T>(ReadOnlySpan<T> preds, ReadOnlySpan<long> target, ReadOnlySpan<double> sampleWeight)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
