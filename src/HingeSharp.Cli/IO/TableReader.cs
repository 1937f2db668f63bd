using System.Numerics;
using Microsoft.Win32.SafeHandles;

namespace HingeSharp.Cli.IO;

/// <summary>Whether a file holds predictions or targets (decides which element types are accepted).</summary>
internal enum TableRole
{
    /// <summary>Float scores: float32/float64 in .npy, any number in .csv.</summary>
    Preds,

    /// <summary>Labels or class indices: integers or bools.</summary>
    Target,

    /// <summary>Sample weights: float32/float64 in .npy, any number in .csv.</summary>
    Weights,
}

/// <summary>The element type a table hands its targets over in (the file's own where the kernels read it).</summary>
internal enum TargetType
{
    /// <summary><c>byte</c>: uint8 and bool .npy files.</summary>
    Byte,

    /// <summary><c>int</c>: int32 .npy files (int8, int16 and uint16 are widened to it).</summary>
    Int32,

    /// <summary><c>long</c>: int64 .npy files (uint32 is widened to it) and .csv files.</summary>
    Int64,
}

/// <summary>Whether the first line of a .csv file is a header.</summary>
internal enum CsvHeader
{
    /// <summary>A header if no cell of the first line is a number, or (decided by <c>hinge eval</c> over the run's
    /// .csv files) pandas' default column labels <c>0,1,…,k−1</c> over a non-integer.</summary>
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

    /// <summary>The element type <see cref="NextTargets"/> hands targets over in without a copy.</summary>
    public abstract TargetType TargetType { get; }

    /// <summary>The next up to <paramref name="maxRows"/> rows of float values (predictions or weights),
    /// row-major, <c>rows × Columns</c> values: a view of the file's memory where the element type and layout
    /// allow, else a converted copy. Valid until the next call on this table.</summary>
    /// <returns>Rows read; 0 at the end.</returns>
    public abstract int NextValues<T>(int maxRows, out ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The next up to <paramref name="maxRows"/> rows of integer targets (see <see cref="NextValues"/>).</summary>
    /// <returns>Rows read; 0 at the end.</returns>
    public abstract int NextTargets<T>(int maxRows, out ReadOnlySpan<T> targets)
        where T : unmanaged, IBinaryInteger<T>;

    /// <summary>Reads the next up to <paramref name="maxRows"/> rows now (on any thread) so that the next
    /// <see cref="NextValues"/> or <see cref="NextTargets"/> call with the same <paramref name="maxRows"/> hands them
    /// over without reading: two files' chunks are read at once on two threads. Errors are thrown here, as the
    /// next call would throw them.</summary>
    /// <param name="maxRows">The rows the next call will ask for.</param>
    public abstract void Prefetch(int maxRows);

    /// <summary>Counts the rows not read yet, without checking their values (for row-count messages).</summary>
    public abstract long CountRemainingRows();

    /// <summary>The place of a value in the file's own terms.</summary>
    /// <param name="row">Data row, from 0.</param>
    /// <param name="column">Column, from 0.</param>
    public abstract string Place(long row, int column);

    /// <summary>The name standard input is given in messages when a file is named <c>-</c>.</summary>
    public const string StdinName = "<stdin>";

    /// <summary>Opens a .npy or .csv file (by extension; anything else is tried as .npy if it starts with the
    /// .npy magic, else as .csv). <c>-</c> is standard input; pipes and other streams that cannot seek are read in
    /// one sequential pass.</summary>
    /// <exception cref="CliInputException">Missing file, a directory, or a malformed header.</exception>
    public static TableReader Open(string path, TableRole role, CsvHeader csvHeader = CsvHeader.Auto)
    {
        var stdin = path == "-";
        var name = stdin ? StdinName : path;
        if (!stdin && Directory.Exists(path))
        {
            throw CliInputException.InFile(path, null, "is a directory, not a .npy or .csv file");
        }

        if (!stdin && !File.Exists(path))
        {
            throw CliInputException.InFile(path, null, "no such file");
        }

        Stream stream;
        try
        {
            stream = stdin
                ? new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 0)
                : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                    FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw CliInputException.InFile(name, null, $"cannot be opened: {e.Message}");
        }

        try
        {
            var extension = stdin ? string.Empty : System.IO.Path.GetExtension(path);
            var isNpy = extension.Equals(".npy", StringComparison.OrdinalIgnoreCase);
            if (!isNpy && !extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
            {
                (isNpy, stream) = SniffNpyMagic(stream);
            }

            return isNpy ? new NpyTable(name, role, stream) : new CsvTable(name, role, stream, csvHeader);
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

    /// <summary>Whether the stream starts with the .npy magic; a stream that cannot seek comes back wrapped so that
    /// the bytes looked at are read again.</summary>
    private static (bool IsNpy, Stream Stream) SniffNpyMagic(Stream stream)
    {
        var head = new byte[6];
        var n = 0;
        while (n < head.Length && stream.Read(head, n, head.Length - n) is var got and > 0)
        {
            n += got;
        }

        var isNpy = n == 6 && head[0] == 0x93 && head.AsSpan(1).SequenceEqual("NUMPY"u8);
        if (stream.CanSeek)
        {
            stream.Position = 0;
            return (isNpy, stream);
        }

        return (isNpy, new ReplayStream(head.AsMemory(0, n), stream));
    }
}
