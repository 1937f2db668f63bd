using HingeSharp.Distributed;

namespace HingeSharp.Cli.IO;

/// <summary>
/// Splits the rows of a predictions file (and the matching rows of its targets and weights) over the ranks of a
/// distributed run, so that each rank reads only its own share: .npy by byte offset (rows × row size); .csv at line
/// starts (each rank scans only its byte range of the file for line starts, and the counts are summed over the
/// ranks).
/// </summary>
internal static class TableShares
{
    /// <summary>Selects this rank's share in every reader; returns the share's first row.</summary>
    /// <param name="comm">The ranks (size &gt; 1).</param>
    /// <param name="preds">The reader whose rows are split.</param>
    /// <param name="others">Readers with the same rows (targets, weights).</param>
    public static long Apply(Communicator comm, TableReader preds, params TableReader?[] others)
    {
        long lo, hi;
        if (preds is NpyTable npy)
        {
            var rows = npy.RowCount!.Value;
            (lo, hi) = (rows * comm.Rank / comm.Size, rows * (comm.Rank + 1) / comm.Size);
            npy.SelectRows(lo, hi);
        }
        else
        {
            var csv = (CsvTable)preds;
            var chunks = Chunks.Scan(comm, csv);
            (lo, hi) = (chunks.RowStart[comm.Rank], chunks.RowStart[comm.Rank] + chunks.Rows[comm.Rank]);
            csv.SelectShare(chunks.Start[comm.Rank], chunks.LineStart[comm.Rank], lo, 0, hi - lo);
        }

        foreach (var other in others)
        {
            switch (other)
            {
                case NpyTable n:
                    var rows = n.RowCount!.Value;
                    n.SelectRows(Math.Min(lo, rows), Math.Min(hi, rows));
                    break;
                case CsvTable c:
                    var chunks = Chunks.Scan(comm, c);
                    var k = chunks.ChunkOf(lo);
                    c.SelectShare(chunks.Start[k], chunks.LineStart[k], lo, lo - chunks.RowStart[k], hi - lo);
                    break;
            }
        }

        return lo;
    }

    /// <summary>Every rank's byte range of a .csv file, with its data rows (non-blank lines, the header not
    /// counted) and newlines; one allreduce.</summary>
    private sealed class Chunks
    {
        private Chunks(int size)
        {
            Start = new long[size];
            Rows = new long[size];
            RowStart = new long[size];
            LineStart = new long[size];
        }

        public long[] Start { get; }

        public long[] Rows { get; }

        public long[] RowStart { get; }

        public long[] LineStart { get; }

        /// <summary>The chunk that holds data row <paramref name="row"/> (the last one when none does).</summary>
        public int ChunkOf(long row)
        {
            for (var k = 0; k < Rows.Length; k++)
            {
                if (row < RowStart[k] + Rows[k])
                {
                    return k;
                }
            }

            return Rows.Length - 1;
        }

        public static Chunks Scan(Communicator comm, CsvTable table)
        {
            if (!table.CanSeek)
            {
                throw CliInputException.InFile(table.Path, null,
                    "--distributed needs a regular file (each rank reads its share), not a pipe or standard input");
            }

            var size = comm.Size;
            var length = new FileInfo(table.Path).Length;
            var all = new long[3 * size];
            var start = LineStartAtOrAfter(table.Path, length * comm.Rank / size, length);
            var end = comm.Rank == size - 1 ? length : LineStartAtOrAfter(table.Path, length * (comm.Rank + 1) / size, length);
            var (rows, newlines) = Count(table.Path, start, end);
            if (start == 0 && table.HasHeader)
            {
                rows--;
            }

            (all[comm.Rank], all[size + comm.Rank], all[(2 * size) + comm.Rank]) = (start, rows, newlines);
            comm.Allreduce(all, ReduceOperation.Sum);
            var chunks = new Chunks(size);
            long rowStart = 0, line = 1;
            for (var k = 0; k < size; k++)
            {
                chunks.Start[k] = all[k];
                chunks.Rows[k] = all[size + k];
                chunks.RowStart[k] = rowStart;
                chunks.LineStart[k] = line;
                rowStart += all[size + k];
                line += all[(2 * size) + k];
            }

            return chunks;
        }

        /// <summary>The first line start at or after <paramref name="offset"/> (the file's length when none).</summary>
        private static long LineStartAtOrAfter(string path, long offset, long length)
        {
            if (offset == 0)
            {
                return 0;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            stream.Position = offset - 1;
            var buffer = new byte[1 << 16];
            var position = offset - 1;
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                var i = buffer.AsSpan(0, n).IndexOf((byte)'\n');
                if (i >= 0)
                {
                    return position + i + 1;
                }

                position += n;
            }

            return length;
        }

        /// <summary>Non-blank lines that start in [start, end), and the newlines there.</summary>
        private static (long Rows, long Newlines) Count(string path, long start, long end)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                FileOptions.SequentialScan);
            stream.Position = start;
            var buffer = new byte[1 << 16];
            long rows = 0, newlines = 0, position = start;
            var blank = true;
            while (position < end)
            {
                var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, end - position));
                if (n == 0)
                {
                    break;
                }

                foreach (var b in buffer.AsSpan(0, n))
                {
                    if (b == (byte)'\n')
                    {
                        newlines++;
                        rows += blank ? 0 : 1;
                        blank = true;
                    }
                    else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                    {
                        blank = false;
                    }
                }

                position += n;
            }

            return (rows + (blank ? 0 : 1), newlines);
        }
    }
}
