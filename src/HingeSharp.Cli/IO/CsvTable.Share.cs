using System.Text;

namespace HingeSharp.Cli.IO;

/// <summary>What a .csv that is a regular file allows: a rank's share in a distributed run
/// (<see cref="TableShares"/>) and a count of its lines.</summary>
internal sealed partial class CsvTable
{
    /// <summary>The file's non-blank lines, its first line included, read on a second handle (the pass is not
    /// disturbed); <see langword="null"/> for standard input or a stream that cannot seek.</summary>
    public long? CountNonBlankLines()
    {
        if (!_stream.CanSeek || Path == StdinName)
        {
            return null;
        }

        using var reader = new StreamReader(Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        long lines = 0;
        while (reader.ReadLine() is { } line)
        {
            lines += string.IsNullOrWhiteSpace(line) ? 0 : 1;
        }

        return lines;
    }

    /// <summary>Whether the stream can seek (a regular file; distributed runs need one).</summary>
    public bool CanSeek => _stream.CanSeek;

    /// <summary>
    /// Reads only a rank's share from now on (distributed runs; before any row is read): from the line that starts
    /// at byte <paramref name="startByte"/> (line number <paramref name="firstLine"/>), skipping
    /// <paramref name="skipRows"/> data rows, then at most <paramref name="rows"/> rows, numbered from
    /// <paramref name="firstRow"/>; messages keep the file's line numbers.
    /// </summary>
    /// <param name="startByte">A line start (0 for the file's start, whose header is then skipped).</param>
    /// <param name="firstLine">The 1-based line number of that line.</param>
    /// <param name="firstRow">The file's data-row index of the share's first row.</param>
    /// <param name="skipRows">Data rows between <paramref name="startByte"/> and the share.</param>
    /// <param name="rows">The share's rows.</param>
    /// <exception cref="CliInputException">A pipe or standard input, or a UTF-16 file (split at byte offsets).
    /// </exception>
    public void SelectShare(long startByte, long firstLine, long firstRow, long skipRows, long rows)
    {
        if (!_stream.CanSeek)
        {
            throw CliInputException.InFile(Path, null,
                "--distributed needs a regular file (each rank seeks to its share), not a pipe or standard input");
        }

        if (_encoding is not UTF8Encoding)
        {
            throw CliInputException.InFile(Path, null,
                $"--distributed splits .csv files at byte offsets and needs UTF-8, not {_encoding.WebName}");
        }

        if (startByte > 0)
        {
            // From the file's start the constructor's state stands (BOM, header and pandas labels already handled).
            _sep.Dispose();
            _stream.Position = startByte;
            _sep = OpenSep(_stream);
            (_lineBase, _firstRowSeen) = (firstLine - 1, true);
        }

        for (var skipped = 0L; skipped < skipRows && NextDataRow(); skipped++)
        {
        }

        _rowsRead = firstRow;
        _chunkFirstRow = firstRow;
        _share = (firstRow, rows);
    }

    /// <summary>Whether the share's rows are all read (<paramref name="pending"/> more counted so far).</summary>
    private bool ShareDone(long pending) =>
        _share is { } share && _rowsRead + pending >= share.FirstRow + share.Rows;
}
