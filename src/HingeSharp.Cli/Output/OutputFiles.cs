namespace HingeSharp.Cli.Output;

/// <summary>
/// Writes a set of files into a folder all or nothing: every file goes to a temporary name in the folder first,
/// and only when all are complete are they renamed into place; on failure the temporary files (and a folder this
/// call created) are removed.
/// </summary>
internal static class OutputFiles
{
    /// <summary>Fails early when <paramref name="folder"/> cannot be a folder: it is a file, or a file stands where
    /// one of its parents should be.</summary>
    /// <exception cref="CliInputException">The folder cannot be used.</exception>
    public static void CheckFolder(string folder)
    {
        if (File.Exists(folder))
        {
            throw CliInputException.InFile(folder, null, "exists and is not a folder (--out needs a folder)");
        }

        for (var parent = Path.GetDirectoryName(Path.GetFullPath(folder)); !string.IsNullOrEmpty(parent);
             parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                throw CliInputException.InFile(folder, null,
                    $"cannot write the output: '{parent}' is a file, not a folder");
            }

            if (Directory.Exists(parent))
            {
                return;
            }
        }
    }

    /// <summary>Writes the files; returns their paths (the folder as given, combined with each name).</summary>
    /// <exception cref="CliInputException">The folder is a file, or it cannot be created or written.</exception>
    public static IReadOnlyList<string> WriteAll(string folder, IReadOnlyList<(string FileName, byte[] Bytes)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        CheckFolder(folder);
        var created = !Directory.Exists(folder);
        var temps = new List<(string Temp, string Final)>();
        var fresh = new List<string>();
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var (name, bytes) in files)
            {
                var final = Path.Combine(folder, name);
                var temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
                temps.Add((temp, final));
                using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            // A final name taken by a folder would stop the renames half-way: refuse before the first one.
            foreach (var (_, final) in temps)
            {
                if (Directory.Exists(final))
                {
                    throw new IOException($"'{final}' is a folder");
                }
            }

            foreach (var (temp, final) in temps)
            {
                if (!File.Exists(final))
                {
                    fresh.Add(final);
                }

                File.Move(temp, final, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var (temp, _) in temps)
            {
                TryDelete(temp);
            }

            // Files this call created before a later rename failed go too: all or nothing.
            foreach (var final in fresh)
            {
                TryDelete(final);
            }

            if (created && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }

            throw CliInputException.InFile(folder, null, $"cannot write the output: {Reason(e, folder)}");
        }

        return temps.Select(t => t.Final).ToArray();
    }

    /// <summary>What went wrong, in words that name <paramref name="path"/> rather than an internal temporary file.</summary>
    /// <param name="e">The failure.</param>
    /// <param name="path">The file or folder the user named.</param>
    internal static string Reason(Exception e, string path)
    {
        var reason = e switch
        {
            UnauthorizedAccessException => "permission denied",
            DirectoryNotFoundException => "the folder does not exist",
            PathTooLongException => "the path is too long",
            _ => System.Text.RegularExpressions.Regex.Replace(e.Message, @"'[^']*\.[0-9a-f]{32}\.tmp'", $"'{path}'"),
        };
        return reason;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Leave a stray temporary file rather than hide the real error.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
