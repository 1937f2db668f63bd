using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace HingeSharp.Cli.IO;

/// <summary>
/// A 1-D <c>(N,)</c> or 2-D <c>(N, C)</c> <c>.npy</c> array read in chunks of rows. Native-endian data in C order
/// (or 1-D, where Fortran order is the same layout) are handed out as spans over the memory-mapped file in the
/// file's own element type (float32/float64 predictions; uint8/bool targets as bytes, int32 and int64 as they are);
/// other byte orders and element types are converted chunk by chunk into a buffer.
/// </summary>
internal sealed class NpyTable : TableReader
{
    private readonly Stream _stream;
    private readonly NpyHeader _header;
    private readonly NpyData _data;
    private readonly long _rows;
    private readonly int _columns;
    private readonly long _length;
    private byte[] _swapped = [];
    private Array _converted = Array.Empty<byte>();
    private long _rowsRead;
    private long _endRow;

    public NpyTable(string path, TableRole role, Stream stream)
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

        long needed;
        try
        {
            needed = checked(_header.Count * _header.ItemSize);
        }
        catch (OverflowException)
        {
            throw CliInputException.InFile(path, "header",
                $"shape {_header.ShapeText} of '{_header.Descr}' is too large: its size in bytes overflows a 64-bit " +
                "integer");
        }

        if (stream.CanSeek)
        {
            var available = stream.Length - _header.DataOffset;
            if (available < needed)
            {
                var complete = available / _header.ItemSize;
                throw CliInputException.InFile(path, Place(complete / _columns, (int)(complete % _columns)),
                    $"truncated data: shape {_header.ShapeText} of '{_header.Descr}' needs {needed} bytes after the " +
                    $"header but the file holds {available}");
            }
        }

        _length = _header.DataOffset + needed;
        _data = NpyData.Open(stream, _header.DataOffset, needed);
    }

    public override int Columns => _columns;

    public override long? RowCount => _rows;

    public override bool IsFloat32 => _header.Type == NpyType.Float32;

    public override TargetType TargetType => _header.Type switch
    {
        NpyType.UInt8 or NpyType.Bool => TargetType.Byte,
        NpyType.UInt32 or NpyType.Int64 => TargetType.Int64,
        _ => TargetType.Int32,
    };

    public override long Length => _length;

    public override long Position => _data.Position;

    public override string Place(long row, int column) => _header.Shape.Length == 1
        ? $"element [{row.ToString(CultureInfo.InvariantCulture)}]"
        : $"element [{row.ToString(CultureInfo.InvariantCulture)}, {column.ToString(CultureInfo.InvariantCulture)}]";

    public override int NextValues<T>(int maxRows, out ReadOnlySpan<T> values)
    {
        var rows = NextRows(maxRows, out var raw);
        values = _header.Type switch
        {
            NpyType.Float32 => As<float, T>(raw),
            NpyType.Float64 => As<double, T>(raw),
            _ => throw new InvalidOperationException("value tables are float32 or float64"),
        };
        return rows;
    }

    public override int NextTargets<T>(int maxRows, out ReadOnlySpan<T> targets)
    {
        var rows = NextRows(maxRows, out var raw);
        targets = _header.Type switch
        {
            NpyType.Int8 => As<sbyte, T>(raw),
            NpyType.UInt8 => As<byte, T>(raw),
            NpyType.Bool => As<byte, T>(raw.IndexOfAnyExcept((byte)0, (byte)1) < 0 ? raw : Booleans(raw)),
            NpyType.Int16 => As<short, T>(raw),
            NpyType.UInt16 => As<ushort, T>(raw),
            NpyType.Int32 => As<int, T>(raw),
            NpyType.UInt32 => As<uint, T>(raw),
            NpyType.Int64 => As<long, T>(raw),
            _ => throw new InvalidOperationException("target tables hold integers or bools"),
        };
        return rows;
    }

    public override void Prefetch(int maxRows)
    {
        var rows = (int)Math.Min(maxRows, _endRow - _rowsRead);
        _data.Fill(rows * _columns * _header.ItemSize);
    }

    public override long CountRemainingRows() => _endRow - _rowsRead;

    /// <summary>Reads only rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) from now on (a rank's share
    /// of a distributed run: it seeks to the first row's byte offset); row numbers in messages stay the file's.</summary>
    /// <param name="firstRow">The first row of the share.</param>
    /// <param name="endRow">One past the last row.</param>
    /// <exception cref="CliInputException">The file is a pipe or standard input, which cannot seek.</exception>
    public void SelectRows(long firstRow, long endRow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endRow, _rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstRow, endRow);
        if (!_stream.CanSeek)
        {
            throw CliInputException.InFile(Path, null,
                "--distributed needs a regular file (each rank seeks to its share), not a pipe or standard input");
        }

        _endRow = endRow;
        _data.Seek(_header.DataOffset + (firstRow * _columns * _header.ItemSize));
        _rowsRead = firstRow;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _data.Dispose();
            _stream.Dispose();
        }
    }

    /// <summary>The next rows' bytes, in native byte order.</summary>
    private int NextRows(int maxRows, out ReadOnlySpan<byte> raw)
    {
        var rows = (int)Math.Min(maxRows, _endRow - _rowsRead);
        var length = rows * _columns * _header.ItemSize;
        raw = _data.Next(length, out var available);
        if (available < length)
        {
            var complete = (_rowsRead * _columns) + (available / _header.ItemSize);
            throw CliInputException.InFile(Path, Place(complete / _columns, (int)(complete % _columns)),
                "truncated data: the file ended while reading");
        }

        if (_header.BigEndian)
        {
            if (_swapped.Length < length)
            {
                _swapped = new byte[length];
            }

            var span = _swapped.AsSpan(0, length);
            raw.CopyTo(span);
            SwapBytes(span, _header.ItemSize);
            raw = span;
        }

        _rowsRead += rows;
        return rows;
    }

    /// <summary>The raw elements as <typeparamref name="T"/>: the same memory when the types agree, else converted
    /// into a buffer.</summary>
    private ReadOnlySpan<T> As<TFrom, T>(ReadOnlySpan<byte> raw)
        where TFrom : unmanaged, INumberBase<TFrom>
        where T : unmanaged, INumberBase<T>
    {
        var source = MemoryMarshal.Cast<byte, TFrom>(raw);
        if (typeof(TFrom) == typeof(T))
        {
            return MemoryMarshal.Cast<TFrom, T>(source);
        }

        if (_converted is not T[] buffer || buffer.Length < source.Length)
        {
            buffer = new T[Math.Max(source.Length, 1)];
            _converted = buffer;
        }

        var destination = buffer.AsSpan(0, source.Length);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = T.CreateTruncating(source[i]);
        }

        return destination;
    }

    /// <summary>Bool bytes other than 0 and 1 (numpy reads any non-zero byte as True) as 0/1.</summary>
    private static byte[] Booleans(ReadOnlySpan<byte> raw)
    {
        var copy = new byte[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            copy[i] = raw[i] != 0 ? (byte)1 : (byte)0;
        }

        return copy;
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

    private static void CheckType(NpyHeader header, TableRole role, string path)
    {
        var isFloat = header.Type is NpyType.Float32 or NpyType.Float64;
        if (role == TableRole.Preds && !isFloat)
        {
            throw CliInputException.InFile(path, "header",
                $"predictions must be float32 or float64, got '{header.Descr}' (convert with a.astype('float32'))");
        }

        if (role == TableRole.Weights && !isFloat)
        {
            throw CliInputException.InFile(path, "header",
                $"sample weights must be float32 or float64, got '{header.Descr}' (convert with a.astype('float64'))");
        }

        if (role == TableRole.Target && isFloat)
        {
            throw CliInputException.InFile(path, "header",
                $"targets must be integers or bools (int8…int64, uint8…uint32, bool), got '{header.Descr}' " +
                "(convert with a.astype('int64'))");
        }
    }
}
