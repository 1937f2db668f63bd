using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using HingeSharp.Classification;
using HingeSharp.Cli.IO;
using HingeSharp.Distributed;

namespace HingeSharp.Cli.Eval;

/// <summary>The single pass of <see cref="EvalRunner.Stream"/>: chunks of every file in lockstep into the sinks.</summary>
internal static partial class EvalRunner
{
    /// <summary>One evaluation: the readers, the settings and the chunk in hand. In a distributed run the readers
    /// hold this rank's share, whose first row is <paramref name="firstRow"/> (messages name the file's rows), and
    /// Auto is decided over all ranks.</summary>
    private sealed class Pass(TableReader preds, TableReader target, TableReader? weights, EvalSettings s, int classes,
        Action<long, long>? progress, Communicator comm, long firstRow)
    {
        private readonly int _chunkRows = Math.Max(1, Math.Min(s.ChunkRows, MaxChunkValues / preds.Columns));
        private readonly bool _parallelRead = s.ParallelRead && Environment.ProcessorCount > 1 &&
            preds.Path != TableReader.StdinName && target.Path != TableReader.StdinName;

        private (Task Preds, Task Target)? _nextChunk;

        // .csv predictions: the next chunk's walk and parse, started before the current chunk goes through the sinks.
        private Task? _csvAhead;
        private long[] _wide = [];
        private long _rowsDone;

        public (HingeInputKind Kind, long Rows, IChunkSink Sink) Evaluate<T, TTarget>(
            Func<HingeInputKind, int, IChunkSink> create)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TTarget : unmanaged, IBinaryInteger<TTarget>
        {
            var kind = s.InputKind;
            IChunkSink? sink = null, probabilities = null, logits = null;
            if (kind == HingeInputKind.Auto)
            {
                probabilities = create(HingeInputKind.Probabilities, classes);
                logits = create(HingeInputKind.Logits, classes);
            }
            else
            {
                sink = create(kind, classes);
            }

            _rowsDone = 0;
            try
            {
                StreamChunks<T, TTarget>(ref kind, ref sink, ref probabilities, logits);
            }
            finally
            {
                // A failed chunk may leave a read running: it ends before the files close.
                AwaitNextChunk(rethrow: false);
                AwaitCsvAhead();
            }

            if (s.InputKind == HingeInputKind.Auto && comm.Size > 1)
            {
                // Decided over all ranks' shares (one allreduce of the flag): a rank still holding both sinks keeps
                // the logits one when any other rank saw a prediction outside [0, 1].
                var allInUnit = comm.Allreduce(sink is null ? 1L : 0L, ReduceOperation.Min) == 1;
                (kind, sink) = allInUnit
                    ? (HingeInputKind.Probabilities, probabilities!)
                    : (HingeInputKind.Logits, logits!);
            }
            else if (sink is null)
            {
                (kind, sink) = (HingeInputKind.Probabilities, probabilities!);
            }

            return (kind, _rowsDone, sink);
        }

        /// <summary>Every chunk into the sinks; under Auto both sinks until a kept prediction leaves [0, 1].</summary>
        private void StreamChunks<T, TTarget>(ref HingeInputKind kind, ref IChunkSink? sink,
            ref IChunkSink? probabilities, IChunkSink? logits)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TTarget : unmanaged, IBinaryInteger<TTarget>
        {
            int n;
            while ((n = ReadChunk(out ReadOnlySpan<T> p, out ReadOnlySpan<TTarget> t, out var w)) > 0)
            {
                var first = firstRow + _rowsDone - n;
                if (!HasKeptRow(t) && s.Task == HingeTask.Multiclass && s.Mode == MulticlassMode.CrammerSinger)
                {
                    continue; // nothing to add; Crammer–Singer rejects a batch with no kept row
                }

                try
                {
                    if (sink is null && !AllKeptInUnitInterval(p, t))
                    {
                        // Auto: the first prediction outside [0, 1] makes the whole file logits.
                        (kind, sink, probabilities) = (HingeInputKind.Logits, logits, null);
                    }

                    if (sink is not null)
                    {
                        sink.Update(p, t, w);
                    }
                    else
                    {
                        probabilities!.Update(p, t, w);
                        logits!.Update(p, t, w);
                    }
                }
                catch (HingeArgumentException e)
                {
                    throw Translate(e, first);
                }
            }
        }

        /// <summary>Auto's test on one chunk: is every kept prediction in [0, 1]? (NaN is not.)</summary>
        private bool AllKeptInUnitInterval<T, TTarget>(ReadOnlySpan<T> p, ReadOnlySpan<TTarget> t)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TTarget : unmanaged, IBinaryInteger<TTarget>
        {
            if (s.MetricIgnoreIndex is not { } k)
            {
                // One pass first: read as unsigned integers, the bits of +0 … 1 are exactly those up to 1's, and
                // negatives (sign bit), NaN and values above 1 are larger; only −0 is flagged wrongly, so a chunk
                // that fails goes on to the exact test. Min and Max propagate NaN, which fails both comparisons.
                return p.IsEmpty || UnitIntervalBits(p) ||
                    (TensorPrimitives.Min(p) >= T.Zero && TensorPrimitives.Max(p) <= T.One);
            }

            var width = s.Task == HingeTask.Binary ? 1 : classes;
            for (var u = 0; u < t.Length; u++)
            {
                if (long.CreateTruncating(t[u]) == k)
                {
                    continue;
                }

                foreach (var x in p.Slice(u * width, width))
                {
                    if (!(x >= T.Zero && x <= T.One))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>Whether every value's bits, read as an unsigned integer, are at most those of 1 (float32 and
        /// float64; false for other types): all in [+0, 1].</summary>
        private static bool UnitIntervalBits<T>(ReadOnlySpan<T> p)
            where T : unmanaged, IFloatingPointIeee754<T> =>
            typeof(T) == typeof(float)
                ? TensorPrimitives.Max(MemoryMarshal.Cast<T, uint>(p)) <= BitConverter.SingleToUInt32Bits(1f)
                : typeof(T) == typeof(double) &&
                  TensorPrimitives.Max(MemoryMarshal.Cast<T, ulong>(p)) <= BitConverter.DoubleToUInt64Bits(1d);

        private bool HasKeptRow<TTarget>(ReadOnlySpan<TTarget> t)
            where TTarget : unmanaged, IBinaryInteger<TTarget>
        {
            if (s.MetricIgnoreIndex is not { } k)
            {
                return !t.IsEmpty;
            }

            foreach (var x in t)
            {
                if (long.CreateTruncating(x) != k)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Reads the next chunk from every file; they must end together.</summary>
        private int ReadChunk<T, TTarget>(out ReadOnlySpan<T> p, out ReadOnlySpan<TTarget> t,
            out ReadOnlySpan<double> w)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TTarget : unmanaged, IBinaryInteger<TTarget>
        {
            if (_nextChunk is not null)
            {
                AwaitNextChunk(rethrow: true);
            }
            else if (_parallelRead)
            {
                PrefetchBoth();
            }

            var np = preds.NextValues(_chunkRows, out p);
            var nt = target.NextTargets(_chunkRows, out t);
            if (s.WideIgnoreIndex)
            {
                t = StandInForWideSentinel(t);
            }

            if (np != nt)
            {
                AwaitCsvAhead(); // its rows are counted as remaining ones
                var rowsP = firstRow + _rowsDone + np + (np < nt ? 0 : preds.CountRemainingRows());
                var rowsT = firstRow + _rowsDone + nt + (nt < np ? 0 : target.CountRemainingRows());
                throw RowMismatch(preds, rowsP, target, rowsT);
            }

            w = weights is null ? default : ReadWeights(nt);
            _rowsDone += np;
            progress?.Invoke(preds.Position + target.Position, preds.Length + target.Length);
            if (Pipelined && np > 0)
            {
                // Each file on a pool thread of its own (the sinks are often lighter than the reads).
                _nextChunk = (Task.Run(() => preds.Prefetch(_chunkRows)), Task.Run(() => target.Prefetch(_chunkRows)));
            }

            return np;
        }

        /// <summary>.npy pairs read in parallel: the next chunk of both files is read on pool threads while this one
        /// runs the sinks over the current chunk (each .npy reader hands out one buffer while it fills the
        /// other).</summary>
        private bool Pipelined => _parallelRead && preds is NpyTable && target is NpyTable;

        /// <summary>Waits for the chunk read ahead (<see cref="Pipelined"/>); its error is thrown when
        /// <paramref name="rethrow"/>, else dropped (the pass has already failed).</summary>
        private void AwaitNextChunk(bool rethrow)
        {
            if (_nextChunk is not var (predsRead, targetRead))
            {
                return;
            }

            _nextChunk = null;
            if (rethrow)
            {
                // The predictions' error first, as a sequential read gives it (both reads ended before either throws).
                WaitQuietly(targetRead);
                predsRead.GetAwaiter().GetResult();
                targetRead.GetAwaiter().GetResult();
            }
            else
            {
                WaitQuietly(predsRead);
                WaitQuietly(targetRead);
            }
        }

        /// <summary>Reads the next chunk of the predictions on a pool thread while this one reads the targets': the
        /// two files take the two cores (page-cache copies for .npy, parsing for .csv). The predictions' error is
        /// the one thrown when both files fail, as a sequential read would.</summary>
        private void PrefetchBoth()
        {
            if (preds is CsvTable { CanGather: true } csv)
            {
                PrefetchCsvPredictions(csv);
                return;
            }

            var predsRead = Task.Run(() => preds.Prefetch(_chunkRows));
            var targetError = PrefetchTargets();

            predsRead.GetAwaiter().GetResult();
            targetError?.Throw();
        }

        /// <summary>Reads the targets' next chunk on this thread; its error is returned, to be thrown after the
        /// predictions' (which comes first in a sequential read).</summary>
        private ExceptionDispatchInfo? PrefetchTargets()
        {
            try
            {
                target.Prefetch(_chunkRows);
                return null;
            }
            catch (Exception e)
            {
                return ExceptionDispatchInfo.Capture(e);
            }
        }

        /// <summary>
        /// .csv predictions: a pool thread walks the chunk's rows with Sep and copies the cells' text while this one
        /// reads the targets, then parses the predictions' numbers as the walk publishes them; the pool thread joins
        /// in when its walk ends (the number parsing is most of a predictions file's cost, and the targets' chunk is
        /// done sooner). The walk of the next chunk starts before this one goes through the sinks (the walk is the
        /// pass's critical path). Errors come in the same order as <see cref="TableReader.Prefetch"/> gives them: the
        /// predictions' first, then the targets', and a chunk walked ahead reports its own only when it is taken.
        /// </summary>
        private void PrefetchCsvPredictions(CsvTable csv)
        {
            var gather = _csvAhead ?? StartGather(csv);
            _csvAhead = null;
            var targetError = PrefetchTargets();
            csv.ParseGathered();

            gather.GetAwaiter().GetResult();
            csv.FinishGathered();
            targetError?.Throw();

            // A full chunk: the next one is walked (into the table's other buffers) while this one goes through the
            // sinks, which would otherwise leave the walking thread idle, as would its wake-up.
            if (csv.GatheredRows == _chunkRows)
            {
                _csvAhead = StartGather(csv);
            }
        }

        /// <summary>Starts walking (and parsing) the next chunk of .csv predictions on a pool thread.</summary>
        private Task StartGather(CsvTable csv)
        {
            csv.BeginGather(_chunkRows);
            return Task.Run(() =>
            {
                csv.Gather(_chunkRows);
                csv.ParseGathered();
            });
        }

        /// <summary>Waits for a .csv chunk walked ahead, if any, dropping its error (it is either thrown when the
        /// chunk is taken, or moot: the pass has failed before it).</summary>
        private void AwaitCsvAhead()
        {
            if (_csvAhead is { } ahead)
            {
                WaitQuietly(ahead);
            }
        }

        /// <summary>Waits for <paramref name="task"/> to end, whatever its outcome (no wait handle, no throw).</summary>
        private static void WaitQuietly(Task task) =>
            task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();

        /// <summary>Targets equal to an ignore index outside the int32 range become the value the metric ignores
        /// instead (<see cref="EvalSettings.WideSentinelStandIn"/>); a target that already holds that value is out of
        /// range for every task and is reported here, since the metric would ignore it. Only int64 targets can hold
        /// such a sentinel, so only they are copied.</summary>
        private ReadOnlySpan<TTarget> StandInForWideSentinel<TTarget>(ReadOnlySpan<TTarget> t)
            where TTarget : unmanaged, IBinaryInteger<TTarget>
        {
            var copy = typeof(TTarget) == typeof(long);
            if (copy && _wide.Length < t.Length)
            {
                _wide = new long[t.Length];
            }

            for (var i = 0; i < t.Length; i++)
            {
                var v = long.CreateTruncating(t[i]);
                if (v == EvalSettings.WideSentinelStandIn)
                {
                    var row = firstRow + _rowsDone + (i / target.Columns);
                    throw CliInputException.InFile(target.Path, target.Place(row, i % target.Columns),
                        $"`target[{(row * target.Columns) + (i % target.Columns)}]` = {v} is out of range: " +
                        "expected a class index or the ignore index");
                }

                if (copy)
                {
                    _wide[i] = v == s.IgnoreIndex ? EvalSettings.WideSentinelStandIn : v;
                }
            }

            return copy ? MemoryMarshal.Cast<long, TTarget>(_wide.AsSpan(0, t.Length)) : t;
        }

        /// <summary>Reads the chunk's weights (the same rows as the targets) and checks each is finite and ≥ 0.</summary>
        private ReadOnlySpan<double> ReadWeights(int rows)
        {
            var nw = weights!.NextValues(_chunkRows, out ReadOnlySpan<double> chunk);
            if (nw != rows)
            {
                var rowsW = firstRow + _rowsDone + nw + (nw < rows ? 0 : weights.CountRemainingRows());
                var rowsT = firstRow + _rowsDone + rows + (rows < nw ? 0 : target.CountRemainingRows());
                throw RowMismatch(weights, rowsW, target, rowsT);
            }

            var columns = weights.Columns;
            for (var i = 0; i < chunk.Length; i++)
            {
                if (!double.IsFinite(chunk[i]) || chunk[i] < 0)
                {
                    var row = firstRow + _rowsDone + (i / columns);
                    throw CliInputException.InFile(weights.Path, weights.Place(row, i % columns),
                        $"sample weight {Output.Formats.Number(chunk[i])} (row {row}, counting from 0) is " +
                        (double.IsFinite(chunk[i]) ? "negative" : "not finite") +
                        ": weights must be finite and ≥ 0");
                }
            }

            return chunk;
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
}
