using System.Globalization;
using HingeSharp.Cli.IO;

namespace HingeSharp.Cli.Tests.IO;

/// <summary>
/// The .csv number parser's shortcut for plain decimals (<see cref="CsvTable.TryParsePlainDecimal"/>) against the
/// runtime's <see cref="double.TryParse(string, NumberStyles, IFormatProvider, out double)"/>: the same double, bit
/// for bit, wherever it answers, and <see cref="CsvTable.TryParseNumber"/> the same acceptance and value as the
/// runtime on every spelling.
/// </summary>
public sealed class CsvNumberTests
{
    private static readonly string[] Edges =
    [
        "0", "-0", "+0", "0.0", "-0.0", "1", "1.0", "0.5", "0.1", "0.3", "2.5", "-17.25", "+3.75", "00012", "000.000",
        "9007199254740992", "9007199254740993", "0.9007199254740993", "9007199254740991.5", "1234567890123456789",
        "12345678901234567890", "0.1234567890123456789", "0.12345678901234567890", "1.0000000000000000000001",
        "0.0000000000000000000001", "0.00000000000000000000001", "3.141592653589793", "2.718281828459045",
        "0.47318864", "1e5", "1E-3", ".5", "5.", "-.5", "+", "-", ".", "", "1.2.3", "1,5", " 1", "1 ", "0x10",
        "1_000", "١٢", "nan", "inf", "-Infinity", "4.9406564584124654e-324", "1.7976931348623157e308",
    ];

    [Fact]
    public void PlainDecimal_EdgeSpellings_AsTheRuntime() => Check(Edges);

    [Fact]
    public void CsvTable_AsksSepForItsShortRowParser()
    {
        // The reader's static constructor runs before its first Sep reader; on x64 it names Sep's 128-bit parser
        // (unless the variable was set before, which CI does not do).
        using var dir = new Infrastructure.TempDir();
        var path = dir.Write("p.csv", "0.5\n0.25\n");
        using (var table = new CsvTable(path, TableRole.Preds, File.OpenRead(path), CsvHeader.Auto))
        {
            Assert.Equal(2, table.NextValues(10, out ReadOnlySpan<double> values));
            Assert.Equal([0.5, 0.25], values.ToArray());
        }

        var expected = System.Runtime.Intrinsics.X86.Sse2.IsSupported ? CsvTable.ShortRowParser : null;
        Assert.Equal(expected, Environment.GetEnvironmentVariable(CsvTable.SepParserVariable));
    }

    [Fact]
    public void PlainDecimal_RandomSpellings_AsTheRuntime()
    {
        var rnd = new Random(20261205);
        var cells = new List<string>();
        for (var i = 0; i < 200_000; i++)
        {
            var x = rnd.Next(6) switch
            {
                0 => (double)rnd.NextSingle(),
                1 => rnd.NextDouble() * Math.Pow(10, rnd.Next(-8, 16)),
                2 => Math.Round(rnd.NextDouble() * 1000, rnd.Next(0, 12)),
                3 => rnd.NextInt64(),
                4 => -rnd.NextDouble() * 10,
                _ => BitConverter.Int64BitsToDouble(rnd.NextInt64(0, 0x7FF0000000000000)),
            };
            var format = rnd.Next(5) switch { 0 => "R", 1 => "G17", 2 => "F" + rnd.Next(0, 20), 3 => "G9", _ => "E6" };
            cells.Add(x.ToString(format, CultureInfo.InvariantCulture));
            cells.Add(((float)x).ToString("R", CultureInfo.InvariantCulture));

            // Random digit strings around the limits (19 digits, 2^53, 22 after the point).
            var digits = rnd.Next(1, 24);
            var chars = new char[digits];
            for (var d = 0; d < digits; d++)
            {
                chars[d] = (char)('0' + rnd.Next(10));
            }

            var point = rnd.Next(0, digits + 1);
            var text = new string(chars);
            cells.Add(point == digits ? text : text[..point] + "." + text[point..]);
        }

        Check(cells);
    }

    private static void Check(IEnumerable<string> cells)
    {
        var shortcut = 0;
        foreach (var cell in cells)
        {
            var runtime = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);
            if (CsvTable.TryParsePlainDecimal(cell, out var plain))
            {
                shortcut++;
                Assert.True(runtime, $"'{cell}': the shortcut took what the runtime rejects");
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(plain),
                    $"'{cell}': {plain:R} against the runtime's {expected:R}");
            }

            var parsed = CsvTable.TryParseNumber(cell, out var value);
            var special = cell.Trim().TrimStart('+', '-').ToLowerInvariant() is "nan" or "inf" or "infinity";
            Assert.True(parsed == (runtime || special), $"'{cell}': accepted {parsed}, the runtime {runtime}");
            if (runtime)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(value),
                    $"'{cell}': {value:R} against the runtime's {expected:R}");
            }
        }

        Assert.True(shortcut > 0, "no cell took the shortcut");
    }
}
