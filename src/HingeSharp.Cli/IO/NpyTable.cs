using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace HingeSharp.Cli.IO;

/// <summary>
/// A C-ordered 1-D <c>(N,)</c> or 2-D <c>(N, C)</c> <c>.npy</c> array read in chunks of rows, either byte order.
/// </summary>
internal sealed class NpyTable : TableReader
{
    private readonly FileStream _stream;
    private readonly NpyHeader _header;
    private readonly long _rows;
    private readonly int _columns;
    private byte[] _buffer = [];
    private long _rowsRead;
    private long _firstRow;
    private long _endRow;

    public NpyTable(string path, TableRole role, FileStream stream)
        : base(path, role)
    {
        _stream = stream;
        _header = NpyHeader.Read(stream, path);
        CheckType(_header, role, path);
        var shape = _header.Shape;
        if (shape.Length is < 1 or > 2)
        {
            throw CliInputException.InFile(path, "header",
                $"shape {_header.ShapeText} has {shape.Length} dimensions; expected (N,) or (N, C)");
        }

        _rows = shape[0];
        var columns = shape.Length == 2 ? shape[1] : 1;
        if (columns is 0 or > int.MaxValue / 64)
        {
            throw CliInputException.InFile(path, "header", $"shape {_header.ShapeText} has an unusable column count");
        }

        _columns = (int)columns;
        _endRow = _rows;
        if (_rows == 0)
        {
            throw CliInputException.InFile(path, "header", $"holds no rows (shape {_header.ShapeText})");
        }

        var needed = checked(_header.Count * _header.ItemSize);
        var available = stream.Length - _header.DataOffset;
        if (available < needed)
        {
            var complete = available / _header.ItemSize;
            throw CliInputException.InFile(path, Place(complete / _columns, (int)(complete % _columns)),
                $"truncated data: shape {_header.ShapeText} of '{_header.Descr}' needs {needed} bytes after the " +
                $"header but the file holds {available}");
        }
    }

    public override int Columns => _columns;

    public override long? RowCount => _rows;

    public override bool IsFloat32 => _header.Type == NpyType.Float32;

    public override long Length => _stream.Length;

    public override long Position => _stream.Position;

    public override string Place(long row, int column) => _header.Shape.Length == 1
        ? $"element [{row.ToString(CultureInfo.InvariantCulture)}]"
        : $"element [{row.ToString(CultureInfo.InvariantCulture)}, {column.ToString(CultureInfo.InvariantCulture)}]";

    public override int ReadPreds<T>(Span<T> destination, int maxRows)
    {
        var bytes = ReadRows(maxRows, out var rows);
        var count = rows * _columns;
        var dest = destination[..count];
        switch (_header.Type)
        {
            case NpyType.Float32:
                Convert(MemoryMarshal.Cast<byte, float>(bytes), dest);
                break;
            case NpyType.Float64:
                Convert(MemoryMarshal.Cast<byte, double>(bytes), dest);
                break;
            default:
                throw new InvalidOperationException("preds tables are float32 or float64");
        }

        return rows;
    }

    public override int ReadTargets(Span<long> destination, int maxRows)
    {
        var bytes = ReadRows(maxRows, out var rows);
        var dest = destination[..(rows * _columns)];
        switch (_header.Type)
        {
            case NpyType.Int8:
                Widen(MemoryMarshal.Cast<byte, sbyte>(bytes), dest);
                break;
            case NpyType.UInt8:
                Widen(bytes, dest);
                break;
            case NpyType.Bool:
                for (var i = 0; i < dest.Length; i++)
                {
                    dest[i] = bytes[i] != 0 ? 1 : 0;
                }

                break;
            case NpyType.Int16:
                Widen(MemoryMarshal.Cast<byte, short>(bytes), dest);
                break;
            case NpyType.UInt16:
                Widen(MemoryMarshal.Cast<byte, ushort>(bytes), dest);
                break;
            case NpyType.Int32:
                Widen(MemoryMarshal.Cast<byte, int>(bytes), dest);
                break;
            case NpyType.UInt32:
                Widen(MemoryMarshal.Cast<byte, uint>(bytes), dest);
                break;
            case NpyType.Int64:
                MemoryMarshal.Cast<byte, long>(bytes).CopyTo(dest);
                break;
            default:
                throw new InvalidOperationException("target tables hold integers or bools");
        }

        return rows;
    }

    public override long CountRemainingRows() => _endRow - _rowsRead;

    public override void Rewind()
    {
        _stream.Position = _header.DataOffset + (_firstRow * _columns * _header.ItemSize);
        _rowsRead = _firstRow;
    }

    /// <summary>Reads only rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) from now on (a rank's share
    /// of a distributed run: it seeks to the first row's byte offset); row numbers in messages stay the file's.</summary>
    /// <param name="firstRow">The first row of the share.</param>
    /// <param name="endRow">One past the last row.</param>
    public void SelectRows(long firstRow, long endRow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endRow, _rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstRow, endRow);
        (_firstRow, _endRow) = (firstRow, endRow);
        Rewind();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Reads the next rows' bytes and puts them in native byte order.</summary>
    private Span<byte> ReadRows(int maxRows, out int rows)
    {
        rows = (int)Math.Min(maxRows, _endRow - _rowsRead);
        var length = rows * _columns * _header.ItemSize;
        if (_buffer.Length < length)
        {
            _buffer = new byte[length];
        }

        var span = _buffer.AsSpan(0, length);
        var total = 0;
        while (total < length)
        {
            var n = _stream.Read(span[total..]);
            if (n == 0)
            {
                var complete = _rowsRead * _columns + total / _header.ItemSize;
                throw CliInputException.InFile(Path, Place(complete / _columns, (int)(complete % _columns)),
                    "truncated data: the file ended while reading");
            }

            total += n;
        }

        if (_header.BigEndian)
        {
            SwapBytes(span, _header.ItemSize);
        }

        _rowsRead += rows;
        return span;
    }

    private static void SwapBytes(Span<byte> span, int size)
    {
        switch (size)
        {
            case 2:
                var s = MemoryMarshal.Cast<byte, ushort>(span);
                BinaryPrimitives.ReverseEndianness(s, s);
                break;
            case 4:
                var i = MemoryMarshal.Cast<byte, uint>(span);
                BinaryPrimitives.ReverseEndianness(i, i);
                break;
            case 8:
                var l = MemoryMarshal.Cast<byte, ulong>(span);
                BinaryPrimitives.ReverseEndianness(l, l);
                break;
        }
    }

    private static void Convert<TFrom, T>(ReadOnlySpan<TFrom> source, Span<T> destination)
        where TFrom : unmanaged, IFloatingPointIeee754<TFrom>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(TFrom) == typeof(T))
        {
            MemoryMarshal.Cast<TFrom, T>(source).CopyTo(destination);
            return;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = T.CreateTruncating(source[i]);
        }
    }

    private static void Widen<TFrom>(ReadOnlySpan<TFrom> source, Span<long> destination)
        where TFrom : unmanaged, IBinaryInteger<TFrom>
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = long.CreateTruncating(source[i]);
        }
    }

    private static void CheckType(NpyHeader header, TableRole role, string path)
    {
        var isFloat = header.Type is NpyType.Float32 or NpyType.Float64;
        if (role == TableRole.Preds && !isFloat)
        {
            throw CliInputException.InFile(path, "header",
                $"predictions must be float32 or float64, got '{header.Descr}' (convert with a.astype('float32'))");
        }

        if (role == TableRole.Target && isFloat)
        {
            throw CliInputException.InFile(path, "header",
                $"targets must be integers or bools (int8…int64, uint8…uint32, bool), got '{header.Descr}' " +
                "(convert with a.astype('int64'))");
        }
    }
}
