using System.Globalization;
using System.Numerics;
using System.Text;

namespace HingeSharp.Cli.IO;

/// <summary>
/// A comma-separated file of numbers (invariant culture, optional header row) read in chunks of lines, in one
/// sequential pass (pipes work). Blank lines are skipped; every data line must have the same number of cells.
/// Predictions are read as float64. A first line without a comma but with semicolons or tabs makes that the
/// delimiter. A UTF-8 or UTF-16 byte-order mark is skipped. With <see cref="CsvHeader.Auto"/> the first line is a
/// header when none of its cells is a number; pandas' default column labels 0, 1, …, k−1 are decided over the run's
/// files (see <see cref="LabelHeaderCandidate"/>).
/// </summary>
internal sealed class CsvTable : TableReader
{
    private readonly Stream _stream;
    private readonly StreamReader _reader;
    private readonly Queue<(string Text, long Line)> _pending = new();
    private readonly char _separator;
    private readonly int _columns;
    private readonly long _columnsLine;
    private long _line;
    private long _lastLine;
    private long _rowsRead;
    private long _chunkFirstRow;
    private long[] _chunkLines = [];
    private Array _buffer = Array.Empty<byte>();

    public CsvTable(string path, TableRole role, Stream stream, CsvHeader header)
        : base(path, role)
    {
        _stream = stream;
        _reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        if (stream.CanSeek && stream.Length == 0)
        {
            throw CliInputException.InFile(path, null, "the file is empty");
        }

        var first = NextNonBlankLine();
        if (first is null)
        {
            throw CliInputException.InFile(path, null,
                _lastLine == 0 && !stream.CanSeek ? "the file is empty" : "the file is empty (only blank lines)");
        }

        _columnsLine = _line;
        _separator = first.Contains(',', StringComparison.Ordinal) ? ','
            : first.Contains(';', StringComparison.Ordinal) ? ';'
            : first.Contains('\t', StringComparison.Ordinal) ? '\t'
            : ',';
        _columns = CountCells(first);
        var second = NextNonBlankLine();
        var secondLine = _line;
        var hasHeader = header switch
        {
            CsvHeader.Present => true,
            CsvHeader.Absent => false,
            _ => IsHeader(first),
        };
        LabelHeaderCandidate = header == CsvHeader.Auto && !hasHeader && second is not null && IsLabelSequence(first);
        LabelHeaderLikely = LabelHeaderCandidate && !AllIntegers(second!);
        if (hasHeader && second is null)
        {
            throw CliInputException.InFile(path, null, $"holds no data rows (only a header on line {_columnsLine})");
        }

        if (!hasHeader)
        {
            _pending.Enqueue((first, _columnsLine));
        }

        if (second is not null)
        {
            _pending.Enqueue((second, secondLine));
        }
    }

    /// <summary>
    /// True when the first line is the integers 0, 1, …, k−1 (pandas' default column labels, as
    /// <c>DataFrame.to_csv(index=False)</c> writes them) with more lines below it, under <see cref="CsvHeader.Auto"/>:
    /// the line may be a header or data. <c>hinge eval</c> decides over all the .csv files of a run
    /// (<see cref="SkipFirstRowAsHeader"/>).
    /// </summary>
    public bool LabelHeaderCandidate { get; private set; }

    /// <summary>A <see cref="LabelHeaderCandidate"/> whose next line holds a cell that is not an integer (a float
    /// column under integer labels: a header, unless the files say otherwise).</summary>
    public bool LabelHeaderLikely { get; }

    /// <summary>Treats a <see cref="LabelHeaderCandidate"/> first line as a header (before any row is read).</summary>
    public void SkipFirstRowAsHeader()
    {
        if (LabelHeaderCandidate && _rowsRead == 0 && _pending.Count > 0 && _pending.Peek().Line == _columnsLine)
        {
            _pending.Dequeue();
            LabelHeaderCandidate = false;
        }
    }

    public override int Columns => _columns;

    public override long? RowCount => null;

    public override bool IsFloat32 => false;

    public override TargetType TargetType => TargetType.Int64;

    public override long Length => _stream.CanSeek ? _stream.Length : 0;

    public override long Position => _stream.CanSeek ? _stream.Position : 0;

    public override string Place(long row, int column)
    {
        var index = row - _chunkFirstRow;
        var line = index >= 0 && index < _chunkLines.Length ? _chunkLines[index] : -1;
        var col = (column + 1).ToString(CultureInfo.InvariantCulture);
        return line > 0
            ? $"line {line.ToString(CultureInfo.InvariantCulture)}, column {col}"
            : $"data row {(row + 1).ToString(CultureInfo.InvariantCulture)}, column {col}";
    }

    public override int NextValues<T>(int maxRows, out ReadOnlySpan<T> values)
    {
        var rows = ReadRows(maxRows, (cell, index, line, column) =>
        {
            if (!TryParseNumber(cell, out var value))
            {
                throw NotANumber(cell, line, column);
            }

            return value;
        }, Buffer<T>(maxRows));
        values = ((T[])_buffer).AsSpan(0, rows * _columns);
        return rows;
    }

    public override int NextTargets<T>(int maxRows, out ReadOnlySpan<T> targets)
    {
        var rows = ReadTargetRows(maxRows, Buffer<T>(maxRows));
        targets = ((T[])_buffer).AsSpan(0, rows * _columns);
        return rows;
    }

    private Span<T> Buffer<T>(int maxRows)
    {
        var length = (long)maxRows * _columns;
        if (_buffer is not T[] buffer || buffer.Length < length)
        {
            buffer = new T[length];
            _buffer = buffer;
        }

        return buffer;
    }

    private CliInputException NotANumber(ReadOnlySpan<char> cell, long line, int column)
    {
        var hint = _separator == ',' && cell.IndexOfAny(';', '\t') >= 0
            ? $" (it holds a '{(cell.Contains(';') ? ";" : "\\t")}': the delimiter here is ',', as the first line " +
              "has one; a file separated by ';' or tabs must have no ',' on its first line)"
            : string.Empty;
        return CliInputException.InFile(Path, At(line, column), $"'{cell.ToString()}' is not a number{hint}");
    }

    private int ReadTargetRows<T>(int maxRows, Span<T> destination)
        where T : unmanaged, INumber<T> =>
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
                throw NotANumber(cell, line, column);
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
        while (NextNonBlankLine() is not null)
        {
            rows++;
        }

        return rows;
    }

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
        while (rows < maxRows && NextNonBlankLine() is { } text)
        {
            _chunkLines[rows] = _line;
            var row = destination.Slice(rows * _columns, _columns);
            var rest = text.AsSpan();
            var column = 0;
            while (true)
            {
                var comma = rest.IndexOf(_separator);
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
        if (_pending.TryDequeue(out var pending))
        {
            _line = pending.Line;
            return pending.Text;
        }

        while (_reader.ReadLine() is { } text)
        {
            _line = ++_lastLine;
            if (!string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return null;
    }

    private static string At(long line, int column) =>
        $"line {line.ToString(CultureInfo.InvariantCulture)}, column {(column + 1).ToString(CultureInfo.InvariantCulture)}";

    private int CountCells(string text) => text.AsSpan().Count(_separator) + 1;

    private bool IsHeader(string text)
    {
        foreach (var range in text.AsSpan().Split(_separator))
        {
            if (TryParseNumber(Unquote(text.AsSpan()[range]), out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The cells are exactly <c>0</c>, <c>1</c>, …, <c>k−1</c> (pandas' default column labels).</summary>
    private bool IsLabelSequence(string text)
    {
        var i = 0;
        foreach (var range in text.AsSpan().Split(_separator))
        {
            if (!Unquote(text.AsSpan()[range]).SequenceEqual(i.ToString(CultureInfo.InvariantCulture)))
            {
                return false;
            }

            i++;
        }

        return true;
    }

    /// <summary>Every cell is an integer written without a point or exponent.</summary>
    private bool AllIntegers(string text)
    {
        foreach (var range in text.AsSpan().Split(_separator))
        {
            var cell = Unquote(text.AsSpan()[range]);
            if (cell.Length > 0 && cell[0] is '+' or '-')
            {
                cell = cell[1..];
            }

            if (cell.IsEmpty || cell.ContainsAnyExceptInRange('0', '9'))
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
        // csFastFloat first (correctly rounded, several times faster); anything it does not take whole goes on to
        // the runtime's parser, so the accepted spellings are exactly those of double.TryParse plus nan/inf.
        if (!cell.IsEmpty && csFastFloat.FastDoubleParser.TryParseDouble(cell, out var consumed, out value) &&
            consumed == cell.Length)
        {
            return true;
        }

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
