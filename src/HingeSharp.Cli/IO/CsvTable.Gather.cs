using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Cli.IO;

/// <summary>
/// A chunk of a predictions (or weights) .csv read by two threads at once: <see cref="Gather"/> walks the rows with Sep
/// and copies each cell's text (one thread), publishing the cells as it goes, while <see cref="ParseGathered"/> turns
/// blocks of published cells into numbers (any number of threads: the one that read the targets' chunk starts as soon
/// as it is done, the gathering one joins when its walk ends), and <see cref="FinishGathered"/> reports the first
/// error in file order, exactly as <see cref="Prefetch"/> would have. Call <see cref="BeginGather"/> before starting
/// them. Chunks are gathered into two sets of buffers in turn, so that the next chunk can be gathered while the one
/// <see cref="FinishGathered"/> handed out is still being read (its values and its lines, for messages).
/// </summary>
internal sealed partial class CsvTable
{
    /// <summary>Cells parsed per claim of <see cref="ParseGathered"/>; rows published per step of the walk.</summary>
    private const int ParseBlock = 4096;

    private readonly GatherSet[] _sets = [new(), new()];
    private GatherSet? _gathering;
    private GatherSet? _inHand;

    // Rows a gathering took from Sep that no chunk has handed out yet (counted by CountRemainingRows).
    private int _aheadRows;

    /// <summary>Whether this table's chunks can be read with <see cref="Gather"/> (numbers, not labels).</summary>
    public bool CanGather => Role != TableRole.Target;

    /// <summary>Rows of the chunk <see cref="FinishGathered"/> just handed out (until it is taken).</summary>
    public int GatheredRows => _prefetched ?? 0;

    /// <summary>Readies a chunk of at most <paramref name="maxRows"/> rows for <see cref="Gather"/> and
    /// <see cref="ParseGathered"/> (on the calling thread, before either starts), in the set of buffers that the chunk
    /// in hand does not use.</summary>
    public void BeginGather(int maxRows)
    {
        var set = _inHand == _sets[0] ? _sets[1] : _sets[0];
        set.Begin(maxRows, _columns);
        _gathering = set;
    }

    /// <summary>Walks the next chunk's rows and copies their cells' text, unparsed, publishing them for
    /// <see cref="ParseGathered"/> every <see cref="ParseBlock"/> rows. A ragged row, or a read that fails, ends the
    /// chunk there; its error waits for <see cref="FinishGathered"/>, which throws it unless a number before it is
    /// bad.</summary>
    /// <param name="maxRows">Rows in the chunk, at most (as given to <see cref="BeginGather"/>).</param>
    public void Gather(int maxRows)
    {
        var set = _gathering!;
        set.FirstRow = _rowsRead;
        var rows = 0;
        var used = 0;
        var ragged = 0;
        try
        {
            while (rows < maxRows && !ShareDone(rows) && NextDataRow(out var text))
            {
                var current = _sep.Current;
                if (current.ColCount != _columns)
                {
                    ragged = 1; // taken from Sep, not counted
                    throw Ragged(current.ColCount);
                }

                set.Lines[rows] = _line;
                for (var column = 0; column < _columns; column++)
                {
                    var cell = Unquote(Cell(current, text, column));
                    if (set.Text.Length - used <= cell.Length)
                    {
                        Array.Resize(ref set.Text, Math.Max(2 * set.Text.Length, used + cell.Length + 4096));
                    }

                    CopyCell(cell, ref set.Text[used]);
                    used += cell.Length;
                    set.CellEnds[(rows * _columns) + column] = used;
                }

                rows++;
                if (rows % ParseBlock == 0)
                {
                    // The text (in the current Text, which holds every earlier cell too) and the ends are written.
                    Volatile.Write(ref set.Published, rows * _columns);
                }
            }
        }
#pragma warning disable CA1031 // kept for FinishGathered: a bad number before it is reported first, as in Prefetch
        catch (Exception e)
#pragma warning restore CA1031
        {
            set.Error = ExceptionDispatchInfo.Capture(e);
        }

        set.Rows = rows;
        _rowsRead += rows;
        _aheadRows = rows + ragged;
        Volatile.Write(ref set.Published, rows * _columns);
        Volatile.Write(ref set.Ended, 1);
    }

    /// <summary>Copies a cell's text to <paramref name="destination"/> (room for it and one char more checked by the
    /// caller, so that the reference exists for an empty cell too): a number's 4 to 16 chars as two overlapping 8- or
    /// 16-byte moves, no call (the walk's per-row cost is the pass's critical path), longer or shorter cells as a span
    /// copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyCell(ReadOnlySpan<char> cell, ref char destination)
    {
        ref var source = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(cell));
        ref var target = ref Unsafe.As<char, byte>(ref destination);
        var bytes = (nuint)cell.Length * sizeof(char);
        if (cell.Length is >= 8 and <= 16)
        {
            var head = Unsafe.ReadUnaligned<Vector128<byte>>(ref source);
            var tail = Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref source, bytes - 16));
            Unsafe.WriteUnaligned(ref target, head);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, bytes - 16), tail);
        }
        else if (cell.Length is >= 4 and < 8)
        {
            var head = Unsafe.ReadUnaligned<ulong>(ref source);
            var tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, bytes - 8));
            Unsafe.WriteUnaligned(ref target, head);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, bytes - 8), tail);
        }
        else
        {
            cell.CopyTo(MemoryMarshal.CreateSpan(ref destination, cell.Length));
        }
    }

    /// <summary>
    /// Parses blocks of the chunk's cells into the chunk's values until every cell is parsed: each block is claimed
    /// first (so any number of threads may call this at once), then waited for until <see cref="Gather"/> has
    /// published it. A bad cell ends its block; the first one in file order is kept for
    /// <see cref="FinishGathered"/>.
    /// </summary>
    public void ParseGathered()
    {
        var set = _gathering!;
        var spin = default(SpinWait);
        while (true)
        {
            var from = Interlocked.Add(ref set.Claimed, ParseBlock) - ParseBlock;
            while (Volatile.Read(ref set.Published) < from + ParseBlock && Volatile.Read(ref set.Ended) == 0)
            {
                // Never Sleep(1): the walk publishes a block in about a tenth of a millisecond.
                spin.SpinOnce(sleep1Threshold: -1);
            }

            // Once the walk has ended, the count read after it is the chunk's (its last write comes first).
            var published = Volatile.Read(ref set.Published);
            if (from >= published)
            {
                return;
            }

            var bad = set.Parse(from, Math.Min(from + ParseBlock, published));
            if (bad >= 0)
            {
                var seen = Volatile.Read(ref set.FirstBad);
                while (bad < seen && Interlocked.CompareExchange(ref set.FirstBad, bad, seen) != seen)
                {
                    seen = Volatile.Read(ref set.FirstBad);
                }
            }
        }
    }

    /// <summary>Ends a gathered chunk once <see cref="Gather"/> and every <see cref="ParseGathered"/> call have
    /// returned: throws the first error in file order (a bad number, else the error that ended the gathering), else
    /// makes the chunk the next one <see cref="NextValues{T}"/> returns (its lines name the places of messages).
    /// </summary>
    public void FinishGathered()
    {
        var set = _gathering!;
        _gathering = null;
        _aheadRows = 0;
        _inHand = set;
        (_chunkFirstRow, _chunkLines) = (set.FirstRow, set.Lines);
        var k = set.FirstBad;
        if (k != int.MaxValue)
        {
            var start = k == 0 ? 0 : set.CellEnds[k - 1];
            throw NotANumber(set.Text.AsSpan(start, set.CellEnds[k] - start), set.Lines[k / _columns], k % _columns);
        }

        set.Error?.Throw();
        _buffer = set.Values;
        _prefetched = set.Rows;
    }

    /// <summary>One chunk's buffers and the counters its gathering and parsing threads share.</summary>
    private sealed class GatherSet
    {
        // Shared by the gathering thread and the parsing ones (Volatile/Interlocked): the cells whose text and end
        // are written, whether the walk has ended, the next block to claim, and the first cell that is not a number.
        public int Published;
        public int Ended;
        public int Claimed;
        public int FirstBad;

        public char[] Text = [];
        public int[] CellEnds = [];
        public long[] Lines = [];
        public double[] Values = [];
        public long FirstRow;
        public int Rows;
        public ExceptionDispatchInfo? Error;

        public void Begin(int maxRows, int columns)
        {
            var cells = Math.Max((long)maxRows * columns, 1);
            if (Values.Length < cells)
            {
                Values = new double[cells];
                CellEnds = new int[cells];
            }

            if (Lines.Length < maxRows)
            {
                Lines = new long[maxRows];
            }

            (Published, Ended, Claimed, FirstBad, Rows, Error) = (0, 0, 0, int.MaxValue, 0, null);
        }

        /// <summary>Parses cells [<paramref name="from"/>, <paramref name="to"/>), all published, into
        /// <see cref="Values"/>.</summary>
        /// <returns>The first cell that is not a number, or −1.</returns>
        public int Parse(int from, int to)
        {
            var text = Text; // read after the cells were published: it holds them
            var start = from == 0 ? 0 : CellEnds[from - 1];
            for (var k = from; k < to; k++)
            {
                var end = CellEnds[k];
                if (!TryParseNumber(text.AsSpan(start, end - start), out Values[k]))
                {
                    return k;
                }

                start = end;
            }

            return -1;
        }
    }
}
