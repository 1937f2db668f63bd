using System.Runtime.ExceptionServices;

namespace HingeSharp.Cli.IO;

/// <summary>
/// A chunk of a predictions (or weights) .csv read in two steps, so that two threads can share its number parsing:
/// <see cref="Gather"/> walks the rows with Sep and copies each cell's text (one thread), then
/// <see cref="ParseCells"/> turns disjoint ranges of cells into numbers (any thread each), and
/// <see cref="FinishGathered"/> reports the first error in file order, exactly as <see cref="Prefetch"/> would have.
/// </summary>
internal sealed partial class CsvTable
{
    private char[] _text = [];
    private int[] _cellEnds = [];
    private int _gatheredRows;
    private ExceptionDispatchInfo? _gatherError;

    /// <summary>Whether this table's chunks can be read with <see cref="Gather"/> (numbers, not labels).</summary>
    public bool CanGather => Role != TableRole.Target;

    /// <summary>The cells <see cref="Gather"/> copied.</summary>
    public int GatheredCells => _gatheredRows * _columns;

    /// <summary>Walks the next chunk's rows and copies their cells' text, unparsed. A ragged row, or a read that
    /// fails, ends the chunk there; its error waits for <see cref="FinishGathered"/>, which throws it unless a number
    /// before it is bad.</summary>
    /// <param name="maxRows">Rows in the chunk, at most.</param>
    public void Gather(int maxRows)
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
                    // One column: the row is the cell (Sep's column lookup skipped).
                    var cell = Unquote(_columns == 1 ? current.Span : current[column].Span);
                    if (_text.Length - used < cell.Length)
                    {
                        Array.Resize(ref _text, Math.Max(2 * _text.Length, used + cell.Length + 4096));
                    }

                    cell.CopyTo(_text.AsSpan(used));
                    used += cell.Length;
                    _cellEnds[(rows * _columns) + column] = used;
                }

                rows++;
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
    }

    /// <summary>Parses gathered cells [<paramref name="from"/>, <paramref name="to"/>) into the chunk buffer; ranges
    /// that do not overlap may run on different threads.</summary>
    /// <returns>The first cell that is not a number, or −1.</returns>
    public int ParseCells(int from, int to)
    {
        var values = (double[])_buffer;
        var start = from == 0 ? 0 : _cellEnds[from - 1];
        for (var k = from; k < to; k++)
        {
            var end = _cellEnds[k];
            if (!TryParseNumber(_text.AsSpan(start, end - start), out values[k]))
            {
                return k;
            }

            start = end;
        }

        return -1;
    }

    /// <summary>Ends a gathered chunk: throws the first error in file order (a bad number, else the error that ended
    /// the gathering), else makes the chunk the next one <see cref="NextValues{T}"/> returns.</summary>
    /// <param name="badCells">What each <see cref="ParseCells"/> call returned, in cell order.</param>
    public void FinishGathered(params ReadOnlySpan<int> badCells)
    {
        foreach (var k in badCells)
        {
            if (k >= 0)
            {
                var start = k == 0 ? 0 : _cellEnds[k - 1];
                throw NotANumber(_text.AsSpan(start, _cellEnds[k] - start), _chunkLines[k / _columns], k % _columns);
            }
        }

        _gatherError?.Throw();
        _prefetched = _gatheredRows;
    }
}
