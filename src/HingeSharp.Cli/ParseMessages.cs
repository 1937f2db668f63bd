using System.Text;
using System.Text.RegularExpressions;

namespace HingeSharp.Cli;

/// <summary>Turns System.CommandLine's parse messages into words a user reads (no .NET type names) and finds the
/// command a mistyped word was meant to be.</summary>
internal static partial class ParseMessages
{
    /// <summary>"Cannot parse argument 'abc' for option '--ci' as expected type 'System.Nullable`1[System.Double]'."
    /// becomes "--ci: 'abc' is not a number"; other messages are returned unchanged.</summary>
    /// <param name="message">The parser's message, on one line.</param>
    public static string Humanize(string message)
    {
        var m = CannotParse().Match(message);
        if (!m.Success)
        {
            return message;
        }

        var (value, option, type) = (m.Groups["value"].Value, m.Groups["option"].Value, m.Groups["type"].Value);
        var what = type switch
        {
            _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal)
                => "a number",
            _ when type.Contains("Int32", StringComparison.Ordinal) => IsInteger(value)
                ? $"an integer from {int.MinValue} to {int.MaxValue}"
                : "an integer",
            _ when type.Contains("Int64", StringComparison.Ordinal) => IsInteger(value)
                ? $"an integer from {long.MinValue} to {long.MaxValue}"
                : "an integer",
            _ => "a valid value",
        };
        return $"{option}: '{Printable(value)}' is not {what}";
    }

    /// <summary>The candidate nearest to <paramref name="word"/> (a prefix either way, or at most two edits), or
    /// null.</summary>
    /// <param name="word">What was typed.</param>
    /// <param name="candidates">The valid names.</param>
    public static string? Closest(string word, IReadOnlyList<string> candidates)
    {
        var lower = word.ToLowerInvariant();
        foreach (var c in candidates)
        {
            if (lower.StartsWith(c, StringComparison.Ordinal) || c.StartsWith(lower, StringComparison.Ordinal))
            {
                return lower.Length == 0 ? null : c;
            }
        }

        string? best = null;
        var bestDistance = 3;
        foreach (var c in candidates)
        {
            var d = Distance(lower, c);
            if (d < bestDistance)
            {
                (best, bestDistance) = (c, d);
            }
        }

        return best;
    }

    /// <summary>A word for a message: control characters escaped, at most 60 characters.</summary>
    /// <param name="text">The text.</param>
    public static string Printable(string text)
    {
        var b = new StringBuilder();
        foreach (var ch in text.Length > 60 ? text[..57] : text)
        {
            b.Append(char.IsControl(ch) ? $"\\u{(int)ch:x4}" : ch);
        }

        return text.Length > 60 ? b.Append("...").ToString() : b.ToString();
    }

    private static bool IsInteger(string value) =>
        value.Length > 0 && value.TrimStart('-', '+').Length > 0 && value.TrimStart('-', '+').All(char.IsAsciiDigit);

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1,
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type '(?<type>[^']*)'\.?$")]
    private static partial Regex CannotParse();
}
