using System.Globalization;
using System.Text;
using HingeSharp.Cli.Tests.Infrastructure;

namespace HingeSharp.Cli.Tests.Fuzz;

/// <summary>Writes a fuzz case's tables as .npy or .csv, clean or mangled (truncated, flipped bytes, odd headers,
/// encodings, delimiters).</summary>
internal sealed class FuzzFiles(Random random, string folder)
{
    private int _next;

    /// <summary>A new file name in the case's folder.</summary>
    public string Name(string extension) => Path.Combine(folder, $"f{_next++}{extension}");

    /// <summary>A clean .npy file.</summary>
    public string Npy(string descr, int[] shape, IReadOnlyList<double> values)
    {
        var path = Name(".npy");
        File.WriteAllBytes(path, NpyWriter.Bytes(descr, shape, values, version: random.Next(6) == 0 ? 2 : 1));
        return path;
    }

    /// <summary>A clean .csv file (an optional non-numeric header), columns per row.</summary>
    public string Csv(IReadOnlyList<double> values, int columns, bool integers)
    {
        var path = Name(".csv");
        File.WriteAllText(path, CsvText(values, columns, integers, ",", random.Next(3) == 0 ? Header(columns) : null,
            random.Next(4) == 0 ? "\r\n" : "\n"));
        return path;
    }

    /// <summary>A file whose content no reader is promised to accept: the caller expects exit 0 or 2.</summary>
    public string Mangled(IReadOnlyList<double> values, int columns, bool integers, int[] shape, string descr)
    {
        var clean = NpyWriter.Bytes(descr, shape, values);
        var csv = CsvText(values, columns, integers, ",", null, "\n");
        switch (random.Next(16))
        {
            case 0: // truncated .npy
                return Write(".npy", clean[..random.Next(clean.Length)]);
            case 1: // flipped bytes in the header
            {
                var bytes = (byte[])clean.Clone();
                for (var k = 0; k < 1 + random.Next(4); k++)
                {
                    bytes[random.Next(Math.Min(bytes.Length, 128))] ^= (byte)(1 << random.Next(8));
                }

                return Write(".npy", bytes);
            }

            case 2: // a header dictionary that lies or is exotic
            {
                string[] dicts =
                [
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,), }",
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }",
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }",
                    "{'descr': '<f8', 'fortran_order': True, 'shape': (" + shape[0] + ",), }",
                    "{'descr': '>f8', 'fortran_order': False, 'shape': (" + shape[0] + ",), }",
                    "{'descr': '<f2', 'fortran_order': False, 'shape': (" + shape[0] + ",), }",
                    "{'descr': '|O', 'fortran_order': False, 'shape': (" + shape[0] + ",), }",
                    "{'descr': '<U5', 'fortran_order': False, 'shape': (" + shape[0] + ",), }",
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (" + (shape[0] + 7) + ",), }",
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                    "{'descr': '<f8', 'shape': (3,), }",
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'extra': 1, }",
                    "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (3,), }",
                    "not a dict at all",
                    "{" + new string(' ', 70_000) + "}",
                ];
                return Write(".npy", NpyWriter.Bytes(descr, shape, values, version: 2,
                    headerOverride: dicts[random.Next(dicts.Length)]));
            }

            case 3: // a header length that points past the end
            {
                var bytes = (byte[])clean.Clone();
                bytes[8] = 0xFF;
                bytes[9] = 0xFF;
                return Write(".npy", bytes);
            }

            case 4: // garbage
            {
                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                return Write(random.Next(2) == 0 ? ".npy" : ".csv", bytes);
            }

            case 5: // empty file
                return Write(random.Next(2) == 0 ? ".npy" : ".csv", []);
            case 6: // truncated .csv (mid-number or mid-row)
            {
                var bytes = Encoding.UTF8.GetBytes(csv);
                return Write(".csv", bytes[..random.Next(bytes.Length + 1)]);
            }

            case 7: // BOMs and UTF-16
            {
                var text = random.Next(2) == 0 ? csv : Header(columns) + "\n" + csv;
                var encoding = random.Next(3) switch
                {
                    0 => (Encoding)new UTF8Encoding(true),
                    1 => new UnicodeEncoding(false, true),
                    _ => new UnicodeEncoding(true, true),
                };
                return Write(".csv", [.. encoding.GetPreamble(), .. encoding.GetBytes(text)]);
            }

            case 8: // other delimiters
                return Write(".csv", Encoding.UTF8.GetBytes(CsvText(values, columns, integers,
                    random.Next(3) switch { 0 => ";", 1 => "\t", _ => " " }, null, "\n")));
            case 9: // a numeric header (pandas' default column labels)
                return Write(".csv", Encoding.UTF8.GetBytes(
                    string.Join(",", Enumerable.Range(0, columns)) + "\n" + csv));
            case 10: // odd cells
            {
                string[] cells = ["nan", "NaN", "inf", "-inf", "1e400", "0x10", "\"0.5\"", " 0.5 ", "", "1,5", "--1",
                    "٣", "1e-400", "+0.25", "0.5e", "true"];
                var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
                if (lines.Count > 0)
                {
                    var i = random.Next(lines.Count);
                    var row = lines[i].Split(',');
                    row[random.Next(row.Length)] = cells[random.Next(cells.Length)];
                    lines[i] = string.Join(",", row);
                }

                return Write(".csv", Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
            }

            case 11: // ragged rows and blank lines
            {
                var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
                if (lines.Count > 0)
                {
                    var i = random.Next(lines.Count);
                    lines[i] = random.Next(2) == 0 ? lines[i] + ",0.5" : string.Empty;
                }

                return Write(".csv", Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n\n"));
            }

            case 12: // a huge single line
                return Write(".csv", Encoding.UTF8.GetBytes(new string('9', 200_000) + "\n"));
            case 13: // a wrong extension or none
                return Write(random.Next(2) == 0 ? ".txt" : string.Empty, Encoding.UTF8.GetBytes(csv));
            case 14: // complex, big-endian or unusual dtypes
            {
                string[] descrs = ["<c8", ">f8", ">i8", "<u2", "|b1", "<i2"];
                var d = descrs[random.Next(descrs.Length)];
                return Write(".npy", NpyWriter.Bytes(d, shape, values.Select(v => Math.Abs(v) < 60000 ? v : 0).ToArray()));
            }

            default: // a 3-D shape over the same values
                return Write(".npy", NpyWriter.Bytes(descr, [.. shape, 1], values));
        }
    }

    private string Write(string extension, byte[] bytes)
    {
        var path = Name(extension);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Header(int columns) =>
        string.Join(",", Enumerable.Range(0, columns).Select(c => $"col_{c}"));

    private static string CsvText(IReadOnlyList<double> values, int columns, bool integers, string delimiter,
        string? header, string newline)
    {
        var sb = new StringBuilder();
        if (header is not null)
        {
            sb.Append(header).Append(newline);
        }

        for (var i = 0; i + columns <= values.Count; i += columns)
        {
            for (var j = 0; j < columns; j++)
            {
                if (j > 0)
                {
                    sb.Append(delimiter);
                }

                var v = values[i + j];
                sb.Append(integers ? ((long)v).ToString(CultureInfo.InvariantCulture) : FuzzCase.Number(v));
            }

            sb.Append(newline);
        }

        return sb.ToString();
    }
}
