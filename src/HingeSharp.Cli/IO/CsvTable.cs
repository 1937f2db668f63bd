using System.Globalization;
using System.Numerics;
using System.Text;

namespace HingeSharp.Cli.IO;

/// <summary>
/// A comma-separated file of numbers (invariant culture, optional header row) read in chunks of lines. Blank lines
/// are skipped; every data line must have the same number of cells. Predictions are read as float64.
/// </summary>
internal sealed class CsvTable : TableReader
{
    private readonly FileStream _stream;
    private readonly StreamReader _reader;
    private readonly bool _hasHeader;
    private readonly int _columns;
    private readonly long _columnsLine;
    private long _line;
    private long _rowsRead;
    private long _chunkFirstRow;
    private long[] _chunkLines = [];
    private (long StartByte, long FirstLine, long FirstRow, long SkipRows, long Rows)? _share;

    public CsvTable(string path, TableRole role, FileStream stream, CsvHeader header)
        : base(path, role)
    {
        _stream = stream;
        _reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        if (stream.Length == 0)
        {
            throw CliInputException.InFile(path, null, "the file is empty");
        }

        var first = NextNonBlankLine();
        if (first is null)
        {
            throw CliInputException.InFile(path, null, "the file is empty (only blank lines)");
        }

        _columnsLine = _line;
        _columns = CountCells(first);
        _hasHeader = header switch
        {
            CsvHeader.Present => true,
            CsvHeader.Absent => false,
            _ => IsHeader(first),
        };
        if (_hasHeader && NextNonBlankLine() is null)
        {
            throw CliInputException.InFile(path, null, $"holds no data rows (only a header on line {_columnsLine})");
        }

        Rewind();
    }

    public override int Columns => _columns;

    /// <summary>Whether the first non-blank line is a header.</summary>
    public bool HasHeader => _hasHeader;

    public override long? RowCount => null;

    public override bool IsFloat32 => false;

    public override long Length => _stream.Length;

    public override long Position => _stream.Position;

    public override string Place(long row, int column)
    {
        var index = row - _chunkFirstRow;
        var line = index >= 0 && index < _chunkLines.Length ? _chunkLines[index] : -1;
        var col = (column + 1).ToString(CultureInfo.InvariantCulture);
        return line > 0
            ? $"line {line.ToString(CultureInfo.InvariantCulture)}, column {col}"
            : $"data row {(row + 1).ToString(CultureInfo.InvariantCulture)}, column {col}";
    }

    public override int ReadPreds<T>(Span<T> destination, int maxRows) =>
        ReadRows(maxRows, (cell, index, line, column) =>
        {
            if (!TryParseNumber(cell, out var value))
            {
                throw CliInputException.InFile(Path, At(line, column), $"'{cell.ToString()}' is not a number");
            }

            return value;
        }, destination);

    public override int ReadTargets(Span<long> destination, int maxRows) =>
        ReadRows(maxRows, (cell, index, line, column) =>
        {
            if (cell.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return 1d;
            }

            if (cell.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return 0d;
            }

            if (!TryParseNumber(cell, out var value))
            {
                throw CliInputException.InFile(Path, At(line, column), $"'{cell.ToString()}' is not a number");
            }

            if (!(Math.Floor(value) == value && Math.Abs(value) < 9.2e18))
            {
                throw CliInputException.InFile(Path, At(line, column),
                    $"'{cell.ToString()}' is not an integer label");
            }

            return value;
        }, destination);

    public override long CountRemainingRows()
    {
        long rows = 0;
        while (!ShareDone(rows) && NextNonBlankLine() is not null)
        {
            rows++;
        }

        return rows;
    }

    public override void Rewind()
    {
        var share = _share ?? (0, 1, 0, 0, long.MaxValue);
        _stream.Position = share.StartByte;
        _reader.DiscardBufferedData();
        _line = share.FirstLine - 1;
        _rowsRead = share.FirstRow;
        _chunkFirstRow = share.FirstRow;
        if (_hasHeader && share.StartByte == 0)
        {
            NextNonBlankLine();
        }

        for (var skipped = 0L; skipped < share.SkipRows && NextNonBlankLine() is not null; skipped++)
        {
        }
    }

    /// <summary>
    /// Reads only a rank's share from now on (distributed runs): from the line that starts at byte
    /// <paramref name="startByte"/> (line number <paramref name="firstLine"/>), skipping <paramref name="skipRows"/>
    /// data rows, then at most <paramref name="rows"/> rows, numbered from <paramref name="firstRow"/>; messages keep
    /// the file's line numbers.
    /// </summary>
    /// <param name="startByte">A line start (0 for the file's start, whose header is then skipped).</param>
    /// <param name="firstLine">The 1-based line number of that line.</param>
    /// <param name="firstRow">The file's data-row index of the share's first row.</param>
    /// <param name="skipRows">Data rows between <paramref name="startByte"/> and the share.</param>
    /// <param name="rows">The share's rows.</param>
    public void SelectShare(long startByte, long firstLine, long firstRow, long skipRows, long rows)
    {
        _share = (startByte, firstLine, firstRow, skipRows, rows);
        Rewind();
    }

    /// <summary>Whether the share's rows are all read (<paramref name="pending"/> more counted so far).</summary>
    private bool ShareDone(long pending) =>
        _share is { } share && _rowsRead + pending >= share.FirstRow + share.Rows;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
            _stream.Dispose();
        }
    }

    private delegate double CellParser(ReadOnlySpan<char> cell, int index, long line, int column);

    private int ReadRows<T>(int maxRows, CellParser parse, Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        if (_chunkLines.Length < maxRows)
        {
            _chunkLines = new long[maxRows];
        }

        _chunkFirstRow = _rowsRead;
        var rows = 0;
        while (rows < maxRows && !ShareDone(rows) && NextNonBlankLine() is { } text)
        {
            _chunkLines[rows] = _line;
            var row = destination.Slice(rows * _columns, _columns);
            var rest = text.AsSpan();
            var column = 0;
            while (true)
            {
                var comma = rest.IndexOf(',');
                var cell = Unquote(comma < 0 ? rest : rest[..comma]);
                if (column >= _columns)
                {
                    throw Ragged(text);
                }

                row[column] = T.CreateTruncating(parse(cell, rows, _line, column));
                column++;
                if (comma < 0)
                {
                    break;
                }

                rest = rest[(comma + 1)..];
            }

            if (column != _columns)
            {
                throw Ragged(text);
            }

            rows++;
        }

        _rowsRead += rows;
        return rows;
    }

    private CliInputException Ragged(string text)
    {
        var found = CountCells(text);
        return CliInputException.InFile(Path, $"line {_line.ToString(CultureInfo.InvariantCulture)}",
            $"expected {_columns} {(_columns == 1 ? "column" : "columns")} (as on line {_columnsLine}) but found " +
            $"{found}");
    }

    private string? NextNonBlankLine()
    {
        while (_reader.ReadLine() is { } text)
        {
            _line++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return null;
    }

    private static string At(long line, int column) =>
        $"line {line.ToString(CultureInfo.InvariantCulture)}, column {(column + 1).ToString(CultureInfo.InvariantCulture)}";

    private static int CountCells(string text) => text.AsSpan().Count(',') + 1;

    private static bool IsHeader(string text)
    {
        foreach (var range in text.AsSpan().Split(','))
        {
            if (TryParseNumber(Unquote(text.AsSpan()[range]), out _))
            {
                return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> cell)
    {
        cell = cell.Trim();
        return cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1].Trim() : cell;
    }

    /// <summary>Parses a number in the invariant culture; also numpy's and pandas' <c>nan</c>, <c>inf</c>.</summary>
    internal static bool TryParseNumber(ReadOnlySpan<char> cell, out double value)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        var sign = 1d;
        var body = cell;
        if (body.Length > 0 && body[0] is '+' or '-')
        {
            sign = body[0] == '-' ? -1 : 1;
            body = body[1..];
        }

        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) ||
            body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }

        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        value = 0;
        return false;
    }
}
