using System.CommandLine;
using System.CommandLine.Parsing;

namespace HingeSharp.Cli.Commands;

/// <summary>
/// Checks shared by the commands: bounded thread counts, non-empty paths, outputs that must not replace an input,
/// options that do not apply to the chosen task.
/// </summary>
internal static class CliChecks
{
    /// <summary>The largest <c>--threads</c>: this machine's processor count (more threads only contend).</summary>
    public static int MaxThreads => Environment.ProcessorCount;

    /// <summary>
    /// The option's value for a validator, or false when its text does not convert to <typeparamref name="T"/>:
    /// the parser reports that itself ("--threads: 'x' is not an integer"), and a validator that asked for the value
    /// anyway would throw instead of adding its error.
    /// </summary>
    public static bool TryValue<T>(OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>Adds the 1 … <see cref="MaxThreads"/> bound (0 too when <paramref name="allowZero"/>) to a
    /// <c>--threads</c> option.</summary>
    /// <param name="threads">The option.</param>
    /// <param name="allowZero">0 means all processors.</param>
    public static void BoundThreads(Option<int> threads, bool allowZero)
    {
        threads.Validators.Add(r =>
        {
            if (!TryValue<int>(r, out var value))
            {
                return;
            }

            var min = allowZero ? 0 : 1;
            if (value < min || value > MaxThreads)
            {
                r.AddError($"--threads must be from {min} to {MaxThreads} (this machine's processor count" +
                    (allowZero ? "; 0 = all of them" : string.Empty) + $"), got {value}.");
            }
        });
    }

    /// <summary>Rejects an empty (or blank) path given to <paramref name="option"/>.</summary>
    /// <exception cref="CliInputException">The path is empty.</exception>
    public static void NotEmpty(string option, string? path)
    {
        if (path is not null && string.IsNullOrWhiteSpace(path))
        {
            throw new CliInputException($"{option}: the path is empty ('{path}'); give a file name");
        }
    }

    /// <summary>
    /// Rejects an output that is the same file as one of the inputs (by its resolved path: relative paths, <c>..</c>
    /// and symbolic links anywhere on the way are followed), so that writing the output can never replace an input.
    /// A hard link to an input is safe: outputs are written to a temporary file that is then renamed, which gives the
    /// output name a new file and leaves the input's data where it is.
    /// </summary>
    /// <param name="option">The output option, e.g. <c>--save-state</c>.</param>
    /// <param name="output">The output file.</param>
    /// <param name="inputs">The inputs as (option, path); null paths are skipped.</param>
    /// <exception cref="CliInputException">The output is one of the inputs.</exception>
    public static void NotAnInput(string option, string output, IEnumerable<(string Option, string? Path)> inputs)
    {
        var written = RealPath(output);
        foreach (var (name, path) in inputs)
        {
            if (path is null || path.Length == 0)
            {
                continue;
            }

            if (string.Equals(RealPath(path), written, StringComparison.Ordinal))
            {
                throw new CliInputException(
                    $"{option} {output} is the same file as {name} {path}: writing it would replace the input; " +
                    "choose another name");
            }
        }
    }

    /// <summary>Rejects an option given explicitly that the chosen task does not use (instead of ignoring it).</summary>
    /// <param name="result">The parse result.</param>
    /// <param name="option">The option.</param>
    /// <param name="task">The task's name, e.g. <c>binary</c>.</param>
    /// <param name="why">Why it does not apply.</param>
    /// <exception cref="CliInputException">The option was given.</exception>
    public static void NotGiven(ParseResult result, Option option, string task, string why)
    {
        if (result.GetResult(option) is { Implicit: false })
        {
            throw new CliInputException($"{option.Name} does not apply to --task {task}: {why}");
        }
    }

    /// <summary>The absolute path with every symbolic link on the way resolved (as far as the path exists).</summary>
    /// <param name="path">A path, relative or absolute.</param>
    internal static string RealPath(string path) => RealPath(path, 0);

    private static string RealPath(string path, int depth)
    {
        var full = Path.GetFullPath(path);
        if (depth > 40)
        {
            return full; // a link loop: compare as written
        }

        var root = Path.GetPathRoot(full) ?? string.Empty;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            try
            {
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    next = RealPath(target.FullName, depth + 1);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable link: keep the path as written.
            }

            current = next;
        }

        return current;
    }
}
