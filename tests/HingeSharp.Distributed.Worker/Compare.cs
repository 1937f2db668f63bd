namespace HingeSharp.Distributed.Worker;

/// <summary>Compares results number by number: integers exactly, doubles within 1e-12 relative.</summary>
internal static class Compare
{
    internal const double Tolerance = 1e-12;

    internal static string? Numbers(IReadOnlyList<double> actual, IReadOnlyList<double> expected)
    {
        if (actual.Count != expected.Count)
        {
            return $"{actual.Count} values, expected {expected.Count}";
        }

        for (var i = 0; i < actual.Count; i++)
        {
            if (!Close(actual[i], expected[i]))
            {
                return $"[{i}] = {actual[i]:R}, expected {expected[i]:R}";
            }
        }

        return null;
    }

    internal static bool Close(double a, double e) =>
        a.Equals(e) || Math.Abs(a - e) <= Tolerance * Math.Max(Math.Abs(e), 1e-300) ||
        Math.Abs(a - e) <= 1e-15;

}
