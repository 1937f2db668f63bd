using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HingeSharp.Cli.Svm;

/// <summary>A dense feature matrix read whole: float32 or float64 (whichever the file holds), row-major.</summary>
internal sealed record FeatureMatrix(float[]? Single, double[]? Double, int Rows, int Columns);

/// <summary>
/// Reads the whole-file inputs of <c>hinge svm</c>: a 2-D feature matrix (.npy float32/float64, C or Fortran order;
/// or .csv with an optional header) and 1-D integer labels (.npy of any integer or bool dtype, or integral floats;
/// or a one-column .csv). Every error is a <see cref="CliInputException"/> naming the file and the place.
/// </summary>
internal static partial class SvmFiles
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static FeatureMatrix ReadFeatures(string path, string option)
    {
        var bytes = ReadAll(path, option);
        if (IsNpy(path))
        {
            var (descr, fortran, shape, offset) = Header(path, bytes);
            if (shape.Length != 2)
            {
                throw CliInputException.InFile(path, null, $"{option} needs a 2-D array (rows, features), but the " +
                    $"array has shape ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")}).");
            }

            var (rows, cols) = ((int)shape[0], (int)shape[1]);
            var size = descr[1..] switch
            {
                "f4" => 4,
                "f8" => 8,
                _ => throw CliInputException.InFile(path, "header", $"{option} needs float32 or float64 features " +
                    $"(dtype '<f4' or '<f8'), but the dtype is '{descr}'."),
            };
            CheckLength(path, bytes, offset, (long)rows * cols * size);
            var data = bytes.AsSpan(offset, rows * cols * size);
            if (size == 4)
            {
                var values = new float[rows * cols];
                for (var i = 0; i < values.Length; i++)
                {
                    values[Index(i, rows, cols, fortran)] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
                }

                return Checked(path, new FeatureMatrix(values, null, rows, cols), csv: false);
            }

            var doubles = new double[rows * cols];
            for (var i = 0; i < doubles.Length; i++)
            {
                doubles[Index(i, rows, cols, fortran)] = BinaryPrimitives.ReadDoubleLittleEndian(data[(i * 8)..]);
            }

            return Checked(path, new FeatureMatrix(null, doubles, rows, cols), csv: false);
        }

        var lines = Lines(path, bytes);
        var values2 = new List<double>();
        var columns = -1;
        var rowsRead = 0;
        foreach (var (line, number) in lines)
        {
            var cells = line.Split(',');
            if (columns < 0 && rowsRead == 0 && cells.All(c => !TryNumber(c, out _)))
            {
                continue;   // a header line
            }

            if (columns < 0)
            {
                columns = cells.Length;
            }
            else if (cells.Length != columns)
            {
                throw CliInputException.InFile(path, $"line {number}",
                    $"has {cells.Length} columns, but the first row has {columns}.");
            }

            for (var j = 0; j < cells.Length; j++)
            {
                if (!TryNumber(cells[j], out var v))
                {
                    throw CliInputException.InFile(path, $"line {number}, column {j + 1}",
                        $"'{cells[j].Trim()}' is not a number.");
                }

                values2.Add(v);
            }

            rowsRead++;
        }

        if (rowsRead == 0)
        {
            throw CliInputException.InFile(path, null, $"{option}: no rows of features.");
        }

        return Checked(path, new FeatureMatrix(null, values2.ToArray(), rowsRead, columns), csv: true);
    }

    public static long[] ReadLabels(string path, string option)
    {
        var bytes = ReadAll(path, option);
        if (IsNpy(path))
        {
            var (descr, _, shape, offset) = Header(path, bytes);
            if (shape.Length != 1 && !(shape.Length == 2 && shape[1] == 1))
            {
                throw CliInputException.InFile(path, null, $"{option} needs a 1-D array of labels, but the array has " +
                    $"shape ({string.Join(", ", shape)}).");
            }

            var n = (int)shape[0];
            var kind = descr[1];
            var size = int.Parse(descr[2..], CultureInfo.InvariantCulture);
            if (kind is not ('i' or 'u' or 'b' or 'f') || size is not (1 or 2 or 4 or 8) || (kind == 'f' && size < 4))
            {
                throw CliInputException.InFile(path, "header", $"{option} needs integer labels (int8…int64, " +
                    $"uint8…uint64, bool, or integral float32/float64), but the dtype is '{descr}'.");
            }

            CheckLength(path, bytes, offset, (long)n * size);
            var labels = new long[n];
            for (var i = 0; i < n; i++)
            {
                var at = bytes.AsSpan(offset + i * size, size);
                labels[i] = (kind, size) switch
                {
                    ('i', 1) => (sbyte)at[0],
                    ('u' or 'b', 1) => at[0],
                    ('i', 2) => BinaryPrimitives.ReadInt16LittleEndian(at),
                    ('u', 2) => BinaryPrimitives.ReadUInt16LittleEndian(at),
                    ('i', 4) => BinaryPrimitives.ReadInt32LittleEndian(at),
                    ('u', 4) => BinaryPrimitives.ReadUInt32LittleEndian(at),
                    ('i', 8) => BinaryPrimitives.ReadInt64LittleEndian(at),
                    ('u', 8) => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(at)),
                    ('f', 4) => Integral(path, i, BinaryPrimitives.ReadSingleLittleEndian(at)),
                    _ => Integral(path, i, BinaryPrimitives.ReadDoubleLittleEndian(at)),
                };
            }

            return labels;
        }

        var result = new List<long>();
        foreach (var (line, number) in Lines(path, bytes))
        {
            var cells = line.Split(',');
            if (result.Count == 0 && cells.Length == 1 && !TryNumber(cells[0], out _))
            {
                continue;   // a header line
            }

            if (cells.Length != 1)
            {
                throw CliInputException.InFile(path, $"line {number}",
                    $"{option} needs one label per line, but the line has {cells.Length} columns.");
            }

            if (!long.TryParse(cells[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var label))
            {
                throw CliInputException.InFile(path, $"line {number}, column 1",
                    $"'{cells[0].Trim()}' is not an integer label.");
            }

            result.Add(label);
        }

        return result.ToArray();
    }

    /// <summary>Writes labels as a 1-D int64 .npy file, atomically (temporary file, then rename).</summary>
    public static void WriteLabels(string path, long[] labels)
    {
        var header = $"{{'descr': '<i8', 'fortran_order': False, 'shape': ({labels.Length},), }}";
        var total = Magic.Length + 4 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        var bytes = new byte[Magic.Length + 4 + header.Length + labels.Length * 8L];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header).CopyTo(bytes, 10);
        for (var i = 0; i < labels.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(10 + header.Length + i * 8), labels[i]);
        }

        WriteAtomically(path, bytes);
    }

    public static void WriteAtomically(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw CliInputException.InFile(path, null, $"cannot write: the folder '{directory}' does not exist.");
        }

        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static FeatureMatrix Checked(string path, FeatureMatrix m, bool csv)
    {
        if (m.Rows == 0 || m.Columns == 0)
        {
            throw CliInputException.InFile(path, null, $"holds no data (shape ({m.Rows}, {m.Columns})).");
        }

        for (var i = 0; i < m.Rows * m.Columns; i++)
        {
            var v = m.Single is { } s ? s[i] : m.Double![i];
            if (!double.IsFinite(v))
            {
                var (row, col) = (i / m.Columns, i % m.Columns);
                throw CliInputException.InFile(path, csv ? $"row {row + 1}, column {col + 1}" : $"[{row}, {col}]",
                    $"{Output.Formats.Number(v)}: features must be finite.");
            }
        }

        return m;
    }

    private static long Integral(string path, int index, double value) =>
        double.IsFinite(value) && value == Math.Floor(value) && Math.Abs(value) < 9.007199254740992E15
            ? (long)value
            : throw CliInputException.InFile(path, $"[{index}]", $"{Output.Formats.Number(value)} is not an integer label.");

    private static int Index(int flat, int rows, int cols, bool fortran) =>
        fortran ? (flat % rows) * cols + flat / rows : flat;

    private static byte[] ReadAll(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw CliInputException.InFile(path, null, $"no such file ({option}).");
        }

        return File.ReadAllBytes(path);
    }

    private static bool IsNpy(string path) => path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);

    private static void CheckLength(string path, byte[] bytes, int offset, long expected)
    {
        var actual = bytes.LongLength - offset;
        if (actual != expected)
        {
            throw CliInputException.InFile(path, null, actual < expected
                ? $"is truncated: the header promises {expected} bytes of data, but the file holds {actual}."
                : $"holds {actual} bytes of data, but the header promises {expected}.");
        }
    }

    private static (string Descr, bool Fortran, long[] Shape, int Offset) Header(string path, byte[] bytes)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw CliInputException.InFile(path, null, "is not a .npy file (no \\x93NUMPY magic).");
        }

        var major = bytes[6];
        var (length, start) = major == 1
            ? (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), 10)
            : bytes.Length >= 12 ? ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), 12) : (int.MaxValue, 12);
        if ((long)start + length > bytes.Length)
        {
            throw CliInputException.InFile(path, "header", "is truncated inside the .npy header.");
        }

        var header = Encoding.Latin1.GetString(bytes, start, length);
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw CliInputException.InFile(path, "header", $"cannot read the .npy header {header.Trim()}.");
        }

        var d = descr.Groups[1].Value;
        if (d.Length < 3 || d[0] == '>')
        {
            throw CliInputException.InFile(path, "header", $"dtype '{d}' is not supported (little-endian only).");
        }

        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.Parse(s.TrimEnd('L'), CultureInfo.InvariantCulture)).ToArray();
        if (dims.Any(x => x > int.MaxValue) || dims.Aggregate(1L, (a, b) => a * b) > int.MaxValue)
        {
            throw CliInputException.InFile(path, "header", "the array is too large to read whole.");
        }

        return (d, fortran.Groups[1].Value == "True", dims, start + length);
    }

    private static IEnumerable<(string Line, int Number)> Lines(string path, byte[] bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw CliInputException.InFile(path, null, "is neither a .npy file nor UTF-8 text (CSV).");
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length > 0)
            {
                yield return (line, i + 1);
            }
        }
    }

    private static bool TryNumber(string cell, out double value) =>
        double.TryParse(cell.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
