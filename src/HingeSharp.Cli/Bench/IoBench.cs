using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using HingeSharp.Classification;
using HingeSharp.Cli.Eval;

namespace HingeSharp.Cli.Bench;

/// <summary>One file-reading row of <c>hinge bench</c>.</summary>
/// <param name="Workload"><c>eval-npy</c> (float32 probabilities + int32 labels) or <c>eval-csv</c> (one number per
/// line in each file).</param>
/// <param name="Rows">Rows in each file.</param>
/// <param name="Bytes">Bytes of the two files together.</param>
/// <param name="Seconds">The fastest of the timed runs of <c>hinge eval</c>'s reading and evaluation (Auto), files
/// in the page cache, process start excluded.</param>
/// <param name="PeakRssBytes">The peak resident memory of a separate <c>hinge eval</c> process on the same files
/// (Linux; null where it cannot be measured).</param>
internal sealed record IoBenchRow(string Workload, long Rows, long Bytes, double Seconds, long? PeakRssBytes)
{
    /// <summary>End-to-end read rate.</summary>
    public double BytesPerSecond => Bytes / Seconds;
}

/// <summary>
/// Times <see cref="EvalRunner"/> on a .npy pair and a .csv pair it writes (seeded) to a temporary folder, deleted
/// afterwards: the rate at which <c>hinge eval</c> turns files into a loss.
/// </summary>
internal static class IoBench
{
    /// <summary>Rows of the default .npy pair (1e8 rows: 800 MB, float32 scores and int32 labels); the .csv pair
    /// has a tenth of them (about 130 MB).</summary>
    public const int DefaultRows = 100_000_000;

    /// <summary>Rows of the .npy pair with <c>--quick</c> (160 MB).</summary>
    public const int QuickRows = 20_000_000;

    /// <summary>Writes the files, times the evaluations, deletes the files.</summary>
    /// <param name="npyRows">Rows of the .npy pair; the .csv pair gets a tenth (at least 1).</param>
    /// <param name="quick">Fewer timed runs.</param>
    public static IReadOnlyList<IoBenchRow> Run(int npyRows, bool quick)
    {
        var folder = Path.Combine(Path.GetTempPath(), "hinge-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var csvRows = Math.Max(1, npyRows / 10);
            var (p, t) = WriteNpy(folder, npyRows);
            var (pc, tc) = WriteCsv(folder, csvRows);
            var runs = quick ? 3 : 7;
            return
            [
                Time("eval-npy", npyRows, p, t, runs),
                Time("eval-csv", csvRows, pc, tc, runs),
            ];
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IoBenchRow Time(string workload, long rows, string preds, string target, int runs)
    {
        var settings = new EvalSettings(HingeTask.Binary);
        var best = double.PositiveInfinity;
        for (var r = 0; r <= runs; r++)
        {
            var clock = Stopwatch.StartNew();
            var result = EvalRunner.Run(preds, target, settings);
            var seconds = clock.Elapsed.TotalSeconds;
            if (result.Rows != rows)
            {
                throw new InvalidOperationException($"bench read {result.Rows} rows of {rows}");
            }

            if (r > 0)
            {
                best = Math.Min(best, seconds); // run 0 warms the page cache and the JIT
            }
        }

        return new IoBenchRow(workload, rows, new FileInfo(preds).Length + new FileInfo(target).Length, best,
            PeakRss.OfEval(preds, target));
    }

    private static (string Preds, string Target) WriteNpy(string folder, int n)
    {
        var p = Path.Combine(folder, "p.npy");
        var t = Path.Combine(folder, "t.npy");
        var state = 0x9E3779B97F4A7C15UL;
        using (var fp = File.Create(p))
        using (var ft = File.Create(t))
        {
            fp.Write(Header("<f4", n));
            ft.Write(Header("<i4", n));
            var bp = new byte[1 << 20];
            var bt = new byte[1 << 20];
            for (var i = 0; i < n;)
            {
                var m = Math.Min(n - i, bp.Length / 4);
                for (var j = 0; j < m; j++)
                {
                    var x = Next(ref state);
                    BinaryPrimitives.WriteSingleLittleEndian(bp.AsSpan(4 * j), (x >> 40) * (1f / (1 << 24)));
                    BinaryPrimitives.WriteInt32LittleEndian(bt.AsSpan(4 * j), (int)(x & 1));
                }

                fp.Write(bp, 0, 4 * m);
                ft.Write(bt, 0, 4 * m);
                i += m;
            }

            // Clean pages before the timing (see WriteCsv).
            fp.Flush(flushToDisk: true);
            ft.Flush(flushToDisk: true);
        }

        return (p, t);
    }

    private static (string Preds, string Target) WriteCsv(string folder, int n)
    {
        var p = Path.Combine(folder, "p.csv");
        var t = Path.Combine(folder, "t.csv");
        var state = 0x2545F4914F6CDD1DUL;
        using (var wp = new StreamWriter(p, false, new UTF8Encoding(false), 1 << 16))
        using (var wt = new StreamWriter(t, false, new UTF8Encoding(false), 1 << 16))
        {
            for (var i = 0; i < n; i++)
            {
                var x = Next(ref state);
                wp.Write(((x >> 40) * (1f / (1 << 24))).ToString("R", CultureInfo.InvariantCulture));
                wp.Write('\n');
                wt.Write((x & 1) == 1 ? "1\n" : "0\n");
            }

            // Written back now, so that the kernel's flush of a gigabyte of dirty pages (30 s after the write, on
            // the same two cores and memory bus) does not land in a timed run: the runs read clean cached pages.
            wp.Flush();
            wt.Flush();
            ((FileStream)wp.BaseStream).Flush(flushToDisk: true);
            ((FileStream)wt.BaseStream).Flush(flushToDisk: true);
        }

        return (p, t);
    }

    private static ulong Next(ref ulong state)
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }

    /// <summary>A version 1.0 .npy header for a 1-D array, padded to 64 bytes as numpy pads it.</summary>
    private static byte[] Header(string descr, int n)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({n},), }}";
        var pad = (64 - ((10 + dict.Length + 1) % 64)) % 64;
        var text = dict + new string(' ', pad) + "\n";
        var bytes = new byte[10 + text.Length];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)text.Length);
        Encoding.Latin1.GetBytes(text, bytes.AsSpan(10));
        return bytes;
    }
}
