using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using nietras.SeparatedValues;

namespace HingeSharp.Cli.IO;

/// <summary>
/// A comma-separated file of numbers (invariant culture, optional header row) read in chunks of rows, in one
/// sequential pass (pipes work), through Sep (the SIMD CSV parser) with csFastFloat for the numbers. Blank lines are
/// skipped; every data line must have the same number of cells. Predictions are read as float64. A first line without
/// a comma but with semicolons or tabs makes that the delimiter. A UTF-8 or UTF-16 byte-order mark is skipped. Quotes
/// are not parsed: a cell is what lies between two delimiters, trimmed, with one pair of surrounding quotes removed
/// (numbers never hold a delimiter). With <see cref="CsvHeader.Auto"/> the first line is a header when none of its
/// cells is a number; pandas' default column labels 0, 1, …, k−1 are decided over the run's files (see
/// <see cref="LabelHeaderCandidate"/>).
/// </summary>
internal sealed partial class CsvTable : TableReader
{
    /// <summary>The environment variable through which Sep lets a process choose its row parser (read once, when Sep
    /// first parses).</summary>
    internal const string SepParserVariable = "SEPFORCEPARSER";

    /// <summary>The Sep row parser this reader asks for on x64 unless <see cref="SepParserVariable"/> is set: the
    /// 128-bit one. Sep's default on AVX-512 machines is its widest parser, which costs more per row: on a Zen 4 AMD
    /// EPYC a one-column file of numbers walks at 16.5 ns a row with this one against 21.4 (labels: 13.4 against
    /// 18.1), and ten-column rows walk alike (76 ns a row); on an Intel Xeon (family 6, model 207) <c>hinge bench</c>'s
    /// eval-csv pair read at 377–380 MB/s with it against 320–336 with the AVX-512 parser and 330–351 with the AVX2
    /// one. The files <c>hinge eval</c> reads have short rows.
    /// </summary>
    internal const string ShortRowParser = "SepParserSse2PackCmpOrMoveMaskTzcnt";

    static CsvTable()
    {
        // Before this process's first Sep reader (Sep picks its parser once). A parser the machine lacks is ignored
        // by Sep, which then takes its default.
        if (System.Runtime.Intrinsics.X86.Sse2.IsSupported &&
            string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SepParserVariable)))
        {
            Environment.SetEnvironmentVariable(SepParserVariable, ShortRowParser);
        }
    }

    private readonly Stream _stream;
    private readonly Encoding _encoding;
    private readonly char _separator;
    private readonly int _columns;
    private readonly long _columnsLine;
    private SepReader _sep;
    private long _lineBase;
    private long _line;
    private bool _firstRowSeen;
    private long _rowsRead;
    private long _chunkFirstRow;
    private long[] _chunkLines = [];
    private Array _buffer = Array.Empty<byte>();
    private (long FirstRow, long Rows)? _share;
    private bool _hasHeader;
    private int? _prefetched;

    public CsvTable(string path, TableRole role, Stream stream, CsvHeader header)
        : base(path, role)
    {
        _stream = stream;
        if (stream.CanSeek && stream.Length == 0)
        {
            throw CliInputException.InFile(path, null, "the file is empty");
        }

        // The first two non-blank lines decide the delimiter, the column count and the header; the bytes read for
        // that are read again by Sep (a seek, or a replay for a pipe).
        var recording = new RecordingStream(stream);
        string? first, second;
        long firstLine, secondLine, linesSeen;
        using (var sniff = new StreamReader(recording, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 12,
                   leaveOpen: true))
        {
            linesSeen = 0;
            (first, firstLine) = NextNonBlankLine(sniff, ref linesSeen);
            (second, secondLine) = first is null ? (null, 0) : NextNonBlankLine(sniff, ref linesSeen);
            _encoding = sniff.CurrentEncoding;
        }

        if (first is null)
        {
            throw CliInputException.InFile(path, null,
                linesSeen == 0 && !stream.CanSeek ? "the file is empty" : "the file is empty (only blank lines)");
        }

        _columnsLine = firstLine;
        _separator = first.Contains(',', StringComparison.Ordinal) ? ','
            : first.Contains(';', StringComparison.Ordinal) ? ';'
            : first.Contains('\t', StringComparison.Ordinal) ? '\t'
            : ',';
        _columns = CountCells(first);
        var hasHeader = header switch
        {
            CsvHeader.Present => true,
            CsvHeader.Absent => false,
            _ => IsHeader(first),
        };
        _hasHeader = hasHeader;
        LabelHeaderCandidate = header == CsvHeader.Auto && !hasHeader && second is not null && IsLabelSequence(first);
        LabelHeaderLikely = LabelHeaderCandidate && !AllIntegers(second!);
        if (hasHeader && second is null)
        {
            throw CliInputException.InFile(path, null, $"holds no data rows (only a header on line {_columnsLine})");
        }

        Stream source;
        if (stream.CanSeek)
        {
            stream.Position = 0;
            source = stream;
        }
        else
        {
            source = new ReplayStream(recording.Recorded, stream);
        }

        _sep = OpenSep(source);
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
        if (LabelHeaderCandidate && _rowsRead == 0 && !_firstRowSeen)
        {
            LabelHeaderCandidate = false;
            _hasHeader = true;
        }
    }

    public override int Columns => _columns;

    /// <summary>Whether the first non-blank line is a header (after <see cref="SkipFirstRowAsHeader"/>).</summary>
    public bool HasHeader => _hasHeader;

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
        var rows = Prefetched<T>() ?? ReadRows(maxRows, Buffer<T>(maxRows), targets: false);
        values = ((T[])_buffer).AsSpan(0, rows * _columns);
        return rows;
    }

    public override int NextTargets<T>(int maxRows, out ReadOnlySpan<T> targets)
    {
        var rows = Prefetched<T>() ?? ReadRows(maxRows, Buffer<T>(maxRows), targets: true);
        targets = ((T[])_buffer).AsSpan(0, rows * _columns);
        return rows;
    }

    /// <summary>Parses the next chunk now: targets as <c>long</c>, predictions and weights as <c>double</c> (the
    /// types <c>hinge eval</c> asks a .csv for).</summary>
    public override void Prefetch(int maxRows)
    {
        _prefetched = null;
        _prefetched = Role == TableRole.Target
            ? ReadRows(maxRows, Buffer<long>(maxRows), targets: true)
            : ReadRows(maxRows, Buffer<double>(maxRows), targets: false);
    }

    /// <summary>The rows <see cref="Prefetch"/> parsed, now in a <typeparamref name="T"/> buffer; null when none.
    /// </summary>
    private int? Prefetched<T>()
        where T : unmanaged, INumber<T>
    {
        if (_prefetched is not { } rows)
        {
            return null;
        }

        _prefetched = null;
        if (_buffer is not T[])
        {
            var values = rows * _columns;
            var converted = new T[Math.Max(values, 1)];
            if (_buffer is long[] longs)
            {
                for (var i = 0; i < values; i++)
                {
                    converted[i] = T.CreateTruncating(longs[i]);
                }
            }
            else
            {
                var doubles = (double[])_buffer;
                for (var i = 0; i < values; i++)
                {
                    converted[i] = T.CreateTruncating(doubles[i]);
                }
            }

            _buffer = converted;
        }

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

    /// <summary>A target cell: an integer (written as any number with no fraction), <c>true</c> or <c>false</c>.
    /// </summary>
    private double ParseTarget(ReadOnlySpan<char> cell, long line, int column)
    {
        if (cell.Length == 1 && (uint)(cell[0] - '0') <= 9)
        {
            return cell[0] - '0'; // the common case: a one-digit label
        }

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
            throw CliInputException.InFile(Path, At(line, column), $"'{cell.ToString()}' is not an integer label");
        }

        return value;
    }

    public override long CountRemainingRows()
    {
        // Rows a gathering walked ahead of the chunks handed out count as remaining ones.
        long rows = _aheadRows;
        _aheadRows = 0;
        while (!ShareDone(rows) && NextDataRow())
        {
            rows++;
        }

        return rows;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sep.Dispose();
            _stream.Dispose();
        }
    }

    private int ReadRows<T>(int maxRows, Span<T> destination, bool targets)
        where T : unmanaged, INumber<T>
    {
        if (_chunkLines.Length < maxRows)
        {
            _chunkLines = new long[maxRows];
        }

        _chunkFirstRow = _rowsRead;
        var rows = 0;
        while (rows < maxRows && !ShareDone(rows) && NextDataRow(out var text))
        {
            var current = _sep.Current;
            _chunkLines[rows] = _line;
            if (current.ColCount != _columns)
            {
                throw Ragged(current.ColCount);
            }

            if (targets && _columns == 1 && text.Length == 1 && (uint)(text[0] - '0') <= 9)
            {
                // The common target row: one single-digit label.
                destination[rows++] = T.CreateTruncating(text[0] - '0');
                continue;
            }

            var row = destination.Slice(rows * _columns, _columns);
            for (var column = 0; column < row.Length; column++)
            {
                var cell = Unquote(Cell(current, text, column));
                double value;
                if (targets)
                {
                    value = ParseTarget(cell, _line, column);
                }
                else if (!TryParseNumber(cell, out value))
                {
                    throw NotANumber(cell, _line, column);
                }

                row[column] = T.CreateTruncating(value);
            }

            rows++;
        }

        _rowsRead += rows;
        return rows;
    }

    private CliInputException Ragged(int found) =>
        CliInputException.InFile(Path, $"line {_line.ToString(CultureInfo.InvariantCulture)}",
            $"expected {_columns} {(_columns == 1 ? "column" : "columns")} (as on line {_columnsLine}) but found " +
            $"{found}");

    /// <summary>Moves Sep to the next data row (blank lines and the header skipped); sets <see cref="_line"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NextDataRow() => NextDataRow(out _);

    /// <summary>Moves Sep to the next data row (blank lines and the header skipped); sets <see cref="_line"/> and
    /// gives the row's text (with one column, its cell: Sep computes a row's span from its column table, so it is
    /// taken once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NextDataRow(out ReadOnlySpan<char> span)
    {
        while (_sep.MoveNext())
        {
            var row = _sep.Current;

            // Quotes are not parsed, so every row Sep returns is exactly one line (blank ones included): counting
            // rows numbers the lines, in a long, at no cost (Sep's own LineNumberToExcl takes ~15 ns a row).
            _line = ++_lineBase;
            span = row.Span;
            if (span.IsEmpty || (char.IsWhiteSpace(span[0]) && span.IsWhiteSpace()))
            {
                continue;
            }

            if (!_firstRowSeen)
            {
                _firstRowSeen = true;
                if (_hasHeader)
                {
                    continue;
                }
            }

            return true;
        }

        span = default;
        return false;
    }

    /// <summary>A Sep reader over <paramref name="source"/> with this file's delimiter; quotes are not parsed (a
    /// cell's quotes are removed by <see cref="Unquote"/>).</summary>
    private SepReader OpenSep(Stream source) =>
        Sep.Reader(o => o with
        {
            Sep = new Sep(_separator),
            HasHeader = false,
            DisableColCountCheck = true,
            DisableQuotesParsing = true,
            InitialBufferLength = 1 << 16,
        }).From(source, true);

    /// <summary>The next non-blank line of the sniff and its 1-based number.</summary>
    private static (string? Text, long Line) NextNonBlankLine(StreamReader reader, ref long lines)
    {
        while (reader.ReadLine() is { } text)
        {
            lines++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                return (text, lines);
            }
        }

        return (null, 0);
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

    /// <summary>The text of cell <paramref name="column"/> of <paramref name="row"/>, whose text
    /// <see cref="NextDataRow(out ReadOnlySpan{char})"/> gave as <paramref name="rowText"/>: with one column, that text
    /// itself (no lookup in Sep's column table).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<char> Cell(SepReader.Row row, ReadOnlySpan<char> rowText, int column) =>
        _columns == 1 ? rowText : row[column].Span;

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> cell)
    {
        // The common cell (no surrounding blanks or quotes) as it is, without Trim's two scans.
        if (cell.Length > 0 && cell[0] != '"' && !char.IsWhiteSpace(cell[0]) && !char.IsWhiteSpace(cell[^1]))
        {
            return cell;
        }

        cell = cell.Trim();
        return cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1].Trim() : cell;
    }

    /// <summary>Parses a number in the invariant culture; also numpy's and pandas' <c>nan</c>, <c>inf</c>.</summary>
    internal static bool TryParseNumber(ReadOnlySpan<char> cell, out double value)
    {
        // The plain decimal most files hold first, then csFastFloat (correctly rounded, several times faster than
        // the runtime); anything it does not take whole goes on to the runtime's parser, so the accepted spellings
        // are exactly those of double.TryParse plus nan/inf.
        if (TryParsePlainDecimal(cell, out value))
        {
            return true;
        }

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

    /// <summary>Powers of ten that are exact in a double (10⁰ … 10²²).</summary>
    private static ReadOnlySpan<double> ExactPowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// <c>[+-]digits[.digits]</c> with at most 19 digits whose value w is at most 2⁵³ and at most 22 after the point:
    /// w and 10^k are exact doubles, so w / 10^k is the correctly rounded value (Clinger's fast path), the double
    /// csFastFloat and the runtime give. Anything else (an exponent, a leading or trailing point, more digits) is
    /// left to them.
    /// </summary>
    internal static bool TryParsePlainDecimal(ReadOnlySpan<char> cell, out double value)
    {
        var i = 0;
        var negative = false;
        if (cell.Length > 0 && cell[0] is '-' or '+')
        {
            negative = cell[0] == '-';
            i = 1;
        }

        ulong w = 0;
        var start = i;
        while (i < cell.Length && (uint)(cell[i] - '0') <= 9 && i - start < 20)
        {
            w = (w * 10) + (uint)(cell[i] - '0');
            i++;
        }

        var whole = i - start;
        var fraction = 0;
        if (i < cell.Length && cell[i] == '.')
        {
            var point = ++i;
            while (i < cell.Length && (uint)(cell[i] - '0') <= 9 && whole + (i - point) < 20)
            {
                w = (w * 10) + (uint)(cell[i] - '0');
                i++;
            }

            fraction = i - point;
            if (fraction == 0)
            {
                value = 0;
                return false;
            }
        }

        if (i != cell.Length || whole == 0 || whole + fraction > 19 || w > 1UL << 53 || fraction > 22)
        {
            value = 0;
            return false;
        }

        var magnitude = (double)w / ExactPowersOfTen[fraction];
        value = negative ? -magnitude : magnitude;
        return true;
    }
}
