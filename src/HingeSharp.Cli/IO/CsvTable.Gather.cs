using System.Runtime.ExceptionServices;

namespace HingeSharp.Cli.IO;

/// <summary>
/// A chunk of a predictions (or weights) .csv read by two threads at once: <see cref="Gather"/> walks the rows with Sep
/// and copies each cell's text (one thread), publishing the cells as it goes, while <see cref="ParseGathered"/> turns
/// blocks of published cells into numbers (any number of threads: the one that read the targets' chunk starts as soon
/// as it is done, the gathering one joins when its walk ends), and <see cref="FinishGathered"/> reports the first
/// error in file order, exactly as <see cref="Prefetch"/> would have. Call <see cref="BeginGather"/> before starting
/// them.
/// </summary>
internal sealed partial class CsvTable
{
    /// <summary>Cells parsed per claim of <see cref="ParseGathered"/>; rows published per step of the walk.</summary>
    private const int ParseBlock = 4096;

    private char[] _text = [];
    private int[] _cellEnds = [];
    private int _gatheredRows;
    private ExceptionDispatchInfo? _gatherError;

    // Shared by the gathering thread and the parsing ones (Volatile/Interlocked): the cells whose text and end are
    // written, whether the walk has ended, the next block to claim, and the first cell that is not a number.
    private int _published;
    private int _gatherEnded;
    private int _claimed;
    private int _firstBad;

    /// <summary>Whether this table's chunks can be read with <see cref="Gather"/> (numbers, not labels).</summary>
    public bool CanGather => Role != TableRole.Target;

    /// <summary>Readies a chunk of at most <paramref name="maxRows"/> rows for <see cref="Gather"/> and
    /// <see cref="ParseGathered"/> (on the calling thread, before either starts).</summary>
    public void BeginGather(int maxRows)
    {
        _prefetched = null;
        _gatherError = null;
        _ = Buffer<double>(maxRows);
        if (_chunkLines.Length < maxRows)
        {
            _chunkLines = new long[maxRows];
        }

        if (_cellEnds.Length < maxRows * _columns)
        {
            _cellEnds = new int[maxRows * _columns];
        }

        _published = 0;
        _gatherEnded = 0;
        _claimed = 0;
        _firstBad = int.MaxValue;
    }

    /// <summary>Walks the next chunk's rows and copies their cells' text, unparsed, publishing them for
    /// <see cref="ParseGathered"/> every <see cref="ParseBlock"/> rows. A ragged row, or a read that fails, ends the
    /// chunk there; its error waits for <see cref="FinishGathered"/>, which throws it unless a number before it is
    /// bad.</summary>
    /// <param name="maxRows">Rows in the chunk, at most (as given to <see cref="BeginGather"/>).</param>
    public void Gather(int maxRows)
    {
        _chunkFirstRow = _rowsRead;
        var rows = 0;
        var used = 0;
        try
        {
            while (rows < maxRows && !ShareDone(rows) && NextDataRow())
            {
                var current = _sep.Current;
                if (current.ColCount != _columns)
                {
                    throw Ragged(current.ColCount);
                }

                _chunkLines[rows] = _line;
                for (var column = 0; column < _columns; column++)
                {
                    var cell = Unquote(Cell(current, column));
                    if (_text.Length - used < cell.Length)
                    {
                        Array.Resize(ref _text, Math.Max(2 * _text.Length, used + cell.Length + 4096));
                    }

                    cell.CopyTo(_text.AsSpan(used));
                    used += cell.Length;
                    _cellEnds[(rows * _columns) + column] = used;
                }

                rows++;
                if (rows % ParseBlock == 0)
                {
                    // The text (in the current _text, which holds every earlier cell too) and the ends are written.
                    Volatile.Write(ref _published, rows * _columns);
                }
            }
        }
#pragma warning disable CA1031 // kept for FinishGathered: a bad number before it is reported first, as in Prefetch
        catch (Exception e)
#pragma warning restore CA1031
        {
            _gatherError = ExceptionDispatchInfo.Capture(e);
        }

        _gatheredRows = rows;
        _rowsRead += rows;
        Volatile.Write(ref _published, rows * _columns);
        Volatile.Write(ref _gatherEnded, 1);
    }

    /// <summary>
    /// Parses blocks of the chunk's cells into the chunk buffer until every cell is parsed: each block is claimed
    /// first (so any number of threads may call this at once), then waited for until <see cref="Gather"/> has
    /// published it. A bad cell ends its block; the first one in file order is kept for
    /// <see cref="FinishGathered"/>.
    /// </summary>
    public void ParseGathered()
    {
        var spin = default(SpinWait);
        while (true)
        {
            var from = Interlocked.Add(ref _claimed, ParseBlock) - ParseBlock;
            while (Volatile.Read(ref _published) < from + ParseBlock && Volatile.Read(ref _gatherEnded) == 0)
            {
                // Never Sleep(1): the walk publishes a block in about a tenth of a millisecond.
                spin.SpinOnce(sleep1Threshold: -1);
            }

            // Once the walk has ended, the count read after it is the chunk's (its last write comes first).
            var published = Volatile.Read(ref _published);
            if (from >= published)
            {
                return;
            }

            var bad = ParseCells(from, Math.Min(from + ParseBlock, published));
            if (bad >= 0)
            {
                var seen = Volatile.Read(ref _firstBad);
                while (bad < seen && Interlocked.CompareExchange(ref _firstBad, bad, seen) != seen)
                {
                    seen = Volatile.Read(ref _firstBad);
                }
            }
        }
    }

    /// <summary>Parses cells [<paramref name="from"/>, <paramref name="to"/>), all published, into the chunk buffer.
    /// </summary>
    /// <returns>The first cell that is not a number, or −1.</returns>
    private int ParseCells(int from, int to)
    {
        var values = (double[])_buffer;
        var text = _text; // read after the cells were published: it holds them
        var start = from == 0 ? 0 : _cellEnds[from - 1];
        for (var k = from; k < to; k++)
        {
            var end = _cellEnds[k];
            if (!TryParseNumber(text.AsSpan(start, end - start), out values[k]))
            {
                return k;
            }

            start = end;
        }

        return -1;
    }

    /// <summary>Ends a gathered chunk once <see cref="Gather"/> and every <see cref="ParseGathered"/> call have
    /// returned: throws the first error in file order (a bad number, else the error that ended the gathering), else
    /// makes the chunk the next one <see cref="NextValues{T}"/> returns.</summary>
    public void FinishGathered()
    {
        var k = _firstBad;
        if (k != int.MaxValue)
        {
            var start = k == 0 ? 0 : _cellEnds[k - 1];
            throw NotANumber(_text.AsSpan(start, _cellEnds[k] - start), _chunkLines[k / _columns], k % _columns);
        }

        _gatherError?.Throw();
        _prefetched = _gatheredRows;
    }
}
