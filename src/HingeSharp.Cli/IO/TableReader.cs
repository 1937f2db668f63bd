using System.Numerics;

namespace HingeSharp.Cli.IO;

/// <summary>Whether a file holds predictions or targets (decides which element types are accepted).</summary>
internal enum TableRole
{
    /// <summary>Float scores: float32/float64 in .npy, any number in .csv.</summary>
    Preds,

    /// <summary>Labels or class indices: integers or bools.</summary>
    Target,
}

/// <summary>Whether the first line of a .csv file is a header.</summary>
internal enum CsvHeader
{
    /// <summary>A header if no cell of the first line is a number.</summary>
    Auto,

    /// <summary>The first line is always a header.</summary>
    Present,

    /// <summary>The first line is always data.</summary>
    Absent,
}

/// <summary>
/// A file read as a table of rows × <see cref="Columns"/> values, in chunks of rows, in constant memory. Rows are
/// numbered from 0 in the file's data; <see cref="Place"/> turns a row and column into the file's own words
/// (<c>line 14, column 2</c> for .csv, <c>element [12, 1]</c> for .npy).
/// </summary>
internal abstract class TableReader : IDisposable
{
    protected TableReader(string path, TableRole role)
    {
        Path = path;
        Role = role;
    }

    /// <summary>The file as the user named it.</summary>
    public string Path { get; }

    /// <summary>Predictions or targets.</summary>
    public TableRole Role { get; }

    /// <summary>Values per row: 1 for a 1-D array or a one-column .csv.</summary>
    public abstract int Columns { get; }

    /// <summary>The number of rows when the format says it up front (.npy), else null.</summary>
    public abstract long? RowCount { get; }

    /// <summary>True when predictions are stored as float32 (evaluated in float32, as torch would).</summary>
    public abstract bool IsFloat32 { get; }

    /// <summary>The file's length in bytes (for progress).</summary>
    public abstract long Length { get; }

    /// <summary>Bytes consumed so far in this pass (for progress).</summary>
    public abstract long Position { get; }

    /// <summary>Reads up to <paramref name="maxRows"/> rows of predictions into <paramref name="destination"/>
    /// (row-major, <c>rows × Columns</c> values).</summary>
    /// <returns>Rows read; 0 at the end.</returns>
    public abstract int ReadPreds<T>(Span<T> destination, int maxRows)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Reads up to <paramref name="maxRows"/> rows of integer targets.</summary>
    /// <returns>Rows read; 0 at the end.</returns>
    public abstract int ReadTargets(Span<long> destination, int maxRows);

    /// <summary>Counts the rows not read yet, without checking their values (for row-count messages).</summary>
    public abstract long CountRemainingRows();

    /// <summary>Starts again from the first data row.</summary>
    public abstract void Rewind();

    /// <summary>The place of a value in the file's own terms.</summary>
    /// <param name="row">Data row, from 0.</param>
    /// <param name="column">Column, from 0.</param>
    public abstract string Place(long row, int column);

    /// <summary>Opens a .npy or .csv file (by extension; anything else is tried as .npy if it starts with the
    /// .npy magic, else as .csv).</summary>
    /// <exception cref="CliInputException">Missing file, a directory, or a malformed header.</exception>
    public static TableReader Open(string path, TableRole role, CsvHeader csvHeader = CsvHeader.Auto)
    {
        if (Directory.Exists(path))
        {
            throw CliInputException.InFile(path, null, "is a directory, not a .npy or .csv file");
        }

        if (!File.Exists(path))
        {
            throw CliInputException.InFile(path, null, "no such file");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliInputException.InFile(path, null, $"cannot be opened: {e.Message}");
        }

        try
        {
            var extension = System.IO.Path.GetExtension(path);
            var isNpy = extension.Equals(".npy", StringComparison.OrdinalIgnoreCase) ||
                (!extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) && StartsWithNpyMagic(stream));
            return isNpy ? new NpyTable(path, role, stream) : new CsvTable(path, role, stream, csvHeader);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the file.</summary>
    protected abstract void Dispose(bool disposing);

    private static bool StartsWithNpyMagic(FileStream stream)
    {
        Span<byte> head = stackalloc byte[6];
        var n = stream.Read(head);
        stream.Position = 0;
        return n == 6 && head[0] == 0x93 && head[1..].SequenceEqual("NUMPY"u8);
    }
}
