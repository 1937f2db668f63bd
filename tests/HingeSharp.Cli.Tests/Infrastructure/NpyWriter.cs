using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace HingeSharp.Cli.Tests.Infrastructure;

/// <summary>Writes <c>.npy</c> files as numpy's <c>np.save</c> does (header padded to 64 bytes, ending in '\n').</summary>
internal static class NpyWriter
{
    public static byte[] Bytes(string descr, int[] shape, IReadOnlyList<double> values, int version = 1,
        bool fortran = false, string? headerOverride = null)
    {
        var dims = shape.Length == 1
            ? $"({shape[0]},)"
            : "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        var dict = headerOverride ??
            $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {dims}, }}";
        var prefix = version == 1 ? 10 : 12;
        var pad = (64 - ((prefix + dict.Length + 1) % 64)) % 64;
        var header = dict + new string(' ', pad) + "\n";
        var encoded = version == 3 ? Encoding.UTF8.GetBytes(header) : Encoding.Latin1.GetBytes(header);

        using var stream = new MemoryStream();
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0]);
        Span<byte> length = stackalloc byte[4];
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)encoded.Length);
            stream.Write(length[..2]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)encoded.Length);
            stream.Write(length);
        }

        stream.Write(encoded);
        var big = descr[0] == '>';
        Span<byte> item = stackalloc byte[8];
        foreach (var v in values)
        {
            var size = WriteItem(descr[1..], v, item);
            if (big)
            {
                item[..size].Reverse();
            }

            stream.Write(item[..size]);
        }

        return stream.ToArray();
    }

    public static string Write(TempDir dir, string name, string descr, int[] shape, IReadOnlyList<double> values,
        int version = 1) => dir.Write(name, Bytes(descr, shape, values, version));

    private static int WriteItem(string code, double v, Span<byte> item)
    {
        switch (code)
        {
            case "f4":
                BinaryPrimitives.WriteSingleLittleEndian(item, (float)v);
                return 4;
            case "f8":
                BinaryPrimitives.WriteDoubleLittleEndian(item, v);
                return 8;
            case "i8":
                BinaryPrimitives.WriteInt64LittleEndian(item, (long)v);
                return 8;
            case "i4":
                BinaryPrimitives.WriteInt32LittleEndian(item, (int)v);
                return 4;
            case "u4":
                BinaryPrimitives.WriteUInt32LittleEndian(item, (uint)v);
                return 4;
            case "i2":
                BinaryPrimitives.WriteInt16LittleEndian(item, (short)v);
                return 2;
            case "u2":
                BinaryPrimitives.WriteUInt16LittleEndian(item, (ushort)v);
                return 2;
            case "i1":
                item[0] = (byte)(sbyte)v;
                return 1;
            case "u1" or "b1":
                item[0] = (byte)v;
                return 1;
            case "c8":
                BinaryPrimitives.WriteSingleLittleEndian(item, (float)v);
                BinaryPrimitives.WriteSingleLittleEndian(item[4..], 0f);
                return 8;
            default:
                throw new NotSupportedException(code);
        }
    }
}

/// <summary>Writes .csv files of numbers in the invariant culture (round-trip precision).</summary>
internal static class CsvWriter
{
    public static string Write(TempDir dir, string name, IReadOnlyList<double> values, int columns,
        string? header = null)
    {
        var sb = new StringBuilder();
        if (header is not null)
        {
            sb.Append(header).Append('\n');
        }

        for (var i = 0; i < values.Count; i += columns)
        {
            for (var j = 0; j < columns; j++)
            {
                if (j > 0)
                {
                    sb.Append(',');
                }

                sb.Append(values[i + j].ToString("R", CultureInfo.InvariantCulture));
            }

            sb.Append('\n');
        }

        return dir.Write(name, sb.ToString());
    }
}
