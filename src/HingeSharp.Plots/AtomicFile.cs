namespace HingeSharp.Plots;

/// <summary>Writes a file through a temporary file in the same folder and a rename, so readers never see half a file
/// and a failed write leaves the target as it was.</summary>
internal static class AtomicFile
{
    internal static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException(
            $"Expected argument `path` to name a file, but got the root '{path}'", nameof(path));
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot save '{path}': the folder '{folder}' does not exist");
        }

        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // The original exception matters more; a stray temp file is named with a leading dot and .tmp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
