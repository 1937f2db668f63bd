using System.Globalization;

namespace HingeSharp.Plots;

/// <summary>Throw sites for argument errors, worded as the rest of HingeSharp: argument in backticks, expected, got.</summary>
internal static class Guard
{
    /// <summary>Smallest accepted image side in pixels.</summary>
    internal const int MinSide = 32;

    /// <summary>Largest accepted image side in pixels.</summary>
    internal const int MaxSide = 16384;

    internal static void ImageSize(int width, int height)
    {
        if (width is < MinSide or > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width,
                $"Expected argument `width` to be between {MinSide} and {MaxSide} pixels, but got {width}");
        }

        if (height is < MinSide or > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(height), height,
                $"Expected argument `height` to be between {MinSide} and {MaxSide} pixels, but got {height}");
        }
    }

    internal static void Bounds(double lower, double upper, string paramName)
    {
        if (double.IsNaN(lower) || double.IsNaN(upper) || lower >= upper)
        {
            throw new ArgumentException(
                $"Expected `LowerBound` < `UpperBound` (both not NaN), but got [{Format(lower)}, {Format(upper)}]",
                paramName);
        }
    }

    internal static void Padding(double padding, string paramName)
    {
        if (!(padding >= 0 && padding <= 1))
        {
            throw new ArgumentException(
                $"Expected `Padding` to be in [0, 1], but got {Format(padding)}", paramName);
        }
    }

    internal static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
