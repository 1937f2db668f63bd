using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace HingeSharp.Cli.IO;

/// <summary>The element types a <c>.npy</c> file may hold that <c>hinge</c> reads.</summary>
internal enum NpyType
{
    Float32,
    Float64,
    Int8,
    UInt8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    Bool,
}

/// <summary>
/// A parsed <c>.npy</c> header (format versions 1.0, 2.0 and 3.0): the element type and byte order from
/// <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, and where the data starts.
/// </summary>
internal sealed record NpyHeader(NpyType Type, bool BigEndian, int ItemSize, long[] Shape, long DataOffset,
    string Descr)
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Number of elements: the product of the shape (1 for a 0-d array).</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary>The shape as numpy prints it: <c>(3,)</c>, <c>(4, 3)</c>.</summary>
    public string ShapeText => Shape.Length == 1
        ? $"({Shape[0].ToString(CultureInfo.InvariantCulture)},)"
        : "(" + string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";

    /// <summary>Reads and checks the header at the start of <paramref name="stream"/>.</summary>
    /// <param name="stream">The file, positioned at 0.</param>
    /// <param name="file">The file's name for messages.</param>
    /// <exception cref="CliInputException">Wrong magic, unsupported version, truncated or malformed header,
    /// unsupported dtype, or Fortran order of an array with two dimensions above 1.</exception>
    public static NpyHeader Read(Stream stream, string file)
    {
        Span<byte> prefix = stackalloc byte[12];
        var got = ReadFully(stream, prefix[..8]);
        if (got < Magic.Length || !prefix[..Magic.Length].SequenceEqual(Magic))
        {
            throw CliInputException.InFile(file, "byte 0",
                got == 0 ? "the file is empty" : "not a .npy file (wrong magic; expected \\x93NUMPY)");
        }

        if (got < 8)
        {
            throw CliInputException.InFile(file, $"byte {got}", "truncated header (the file ends inside the preamble)");
        }

        int major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3)
        {
            throw CliInputException.InFile(file, "byte 6",
                $"unsupported .npy format version {major}.{minor} (expected 1.0, 2.0 or 3.0)");
        }

        var lengthBytes = major == 1 ? 2 : 4;
        if (ReadFully(stream, prefix.Slice(8, lengthBytes)) < lengthBytes)
        {
            throw CliInputException.InFile(file, "byte 8", "truncated header (the file ends inside the header length)");
        }

        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(prefix.Slice(8, 2))
            : BinaryPrimitives.ReadUInt32LittleEndian(prefix.Slice(8, 4));
        var start = 8 + lengthBytes;
        if (headerLength > 16 * 1024 * 1024)
        {
            throw CliInputException.InFile(file, "byte 8", $"implausible header length {headerLength}");
        }

        var bytes = new byte[headerLength];
        var read = ReadFully(stream, bytes);
        if (read < headerLength)
        {
            throw CliInputException.InFile(file, $"byte {start + read}",
                $"truncated header (expected {headerLength} header bytes, the file holds {read})");
        }

        var text = major == 3 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
        return Parse(text, file, start + headerLength);
    }

    private static NpyHeader Parse(string text, string file, long dataOffset)
    {
        Dictionary<string, object?> dict;
        try
        {
            dict = PyLiteral.ParseDict(text);
        }
        catch (FormatException e)
        {
            throw CliInputException.InFile(file, "header", $"malformed header dict: {e.Message}");
        }

        var descr = dict.GetValueOrDefault("descr") switch
        {
            string s => s,
            null when !dict.ContainsKey("descr") => throw CliInputException.InFile(file, "header",
                "the header has no 'descr' key"),
            _ => throw CliInputException.InFile(file, "header",
                "structured dtypes are not supported (expected a plain numeric 'descr' such as '<f4')"),
        };
        if (dict.GetValueOrDefault("fortran_order") is not bool fortran)
        {
            throw CliInputException.InFile(file, "header", "the header has no boolean 'fortran_order'");
        }

        if (dict.GetValueOrDefault("shape") is not List<object?> dims || dims.Any(d => d is not long))
        {
            throw CliInputException.InFile(file, "header", "the header has no integer tuple 'shape'");
        }

        var shape = dims.Select(d => (long)d!).ToArray();
        if (shape.Any(d => d < 0))
        {
            throw CliInputException.InFile(file, "header", "the shape has a negative dimension");
        }

        // Fortran order is C order when at most one dimension exceeds 1 (a 1-D array, an (N, 1) column): numpy
        // writes such arrays either way and loads both.
        if (fortran && shape.Count(d => d > 1) > 1)
        {
            throw CliInputException.InFile(file, "header",
                "Fortran-ordered arrays are not supported (save with np.ascontiguousarray(a) for C order)");
        }

        var (type, bigEndian, size) = ParseDescr(descr, file);
        return new NpyHeader(type, bigEndian, size, shape, dataOffset, descr);
    }

    private static (NpyType Type, bool BigEndian, int Size) ParseDescr(string descr, string file)
    {
        if (descr.Length < 2)
        {
            throw CliInputException.InFile(file, "header", $"unsupported dtype '{descr}'");
        }

        var order = descr[0];
        var code = order is '<' or '>' or '|' or '=' ? descr[1..] : descr;
        var bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        (NpyType, int)? parsed = code switch
        {
            "f4" => (NpyType.Float32, 4),
            "f8" => (NpyType.Float64, 8),
            "i1" => (NpyType.Int8, 1),
            "u1" => (NpyType.UInt8, 1),
            "b1" => (NpyType.Bool, 1),
            "i2" => (NpyType.Int16, 2),
            "u2" => (NpyType.UInt16, 2),
            "i4" => (NpyType.Int32, 4),
            "u4" => (NpyType.UInt32, 4),
            "i8" => (NpyType.Int64, 8),
            _ => null,
        };
        if (parsed is not { } p)
        {
            throw CliInputException.InFile(file, "header",
                $"unsupported dtype '{descr}' (expected float32/float64 predictions or int8…int64, uint8…uint32, " +
                "bool targets)");
        }

        return (p.Item1, bigEndian && p.Item2 > 1, p.Item2);
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
