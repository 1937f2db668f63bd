using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace HingeSharp;

/// <summary>Throw sites kept out of the hot methods; wording follows torchmetrics (argument in backticks).</summary>
internal static class ThrowHelper
{
    internal static string Format<T>(T value) => value switch
    {
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        null => "null",
        _ => value.ToString() ?? string.Empty,
    };

    private static string FormatDouble(double d) =>
        double.IsNaN(d) ? "NaN"
        : double.IsPositiveInfinity(d) ? "Infinity"
        : double.IsNegativeInfinity(d) ? "-Infinity"
        : d.ToString("R", CultureInfo.InvariantCulture);

    internal static string FormatShape(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    [DoesNotReturn]
    internal static void ThrowArgument(string paramName, string message, long? index = null) =>
        throw new HingeArgumentException(paramName, message, index);

    [DoesNotReturn]
    internal static void ThrowShapeMismatch(long predsLength, long targetLength) =>
        throw new HingeArgumentException("target",
            "Predictions and targets are expected to have the same shape, but got " +
            $"[{predsLength}] and [{targetLength}].");

    [DoesNotReturn]
    internal static void ThrowInvalidBinaryTarget<TTarget>(TTarget value, long index, int? ignoreIndex) =>
        throw InvalidBinaryTarget(value, index, ignoreIndex);

    /// <summary>The error for a binary target other than 0, 1 or the ignore index (also used by the torch adapter's
    /// device path, so both paths word it alike).</summary>
    internal static HingeArgumentException InvalidBinaryTarget<TTarget>(TTarget value, long index, int? ignoreIndex)
    {
        // torchmetrics: "Detected the following values in `target`: tensor([0, 2]) but expected only the following
        // values [0, 1]." HingeSharp names the first offending element instead of the set of values, and lists the
        // ignore index beside 0 and 1 (torchmetrics lists only the ignore index when one is set).
        var expected = ignoreIndex is { } ii ? $"[0, 1] or the ignore index {ii}" : "[0, 1]";
        return new HingeArgumentException("target",
            $"Detected the following value in `target`: `target[{index}]` = {Format(value)}, but expected only the " +
            $"following values {expected}.", index);
    }

    [DoesNotReturn]
    internal static void ThrowInvalidClassTarget(long value, long index, int numClasses, int? ignoreIndex) =>
        ThrowInvalidClassTarget<long>(value, index, numClasses, ignoreIndex);

    /// <summary>A class target that is not an integer in [0, C) nor the ignore index, shown as given.</summary>
    [DoesNotReturn]
    internal static void ThrowInvalidClassTarget<TTarget>(TTarget value, long index, int numClasses, int? ignoreIndex)
        where TTarget : INumberBase<TTarget> =>
        throw InvalidClassTarget(value, index, numClasses, ignoreIndex);

    /// <summary>The error for a class target that is not an integer in [0, C) nor the ignore index.</summary>
    internal static HingeArgumentException InvalidClassTarget<TTarget>(TTarget value, long index, int numClasses,
        int? ignoreIndex)
        where TTarget : INumberBase<TTarget>
    {
        var expected = ignoreIndex is { } ii
            ? $"a class index in [0, {numClasses - 1}] or the ignore index {ii}"
            : $"a class index in [0, {numClasses - 1}]";
        var problem = TTarget.IsInteger(value) ? "is out of range" : "is not an integer";
        return new HingeArgumentException("target",
            $"`target[{index}]` = {Format(value)} {problem}: expected {expected} for {numClasses} classes.", index);
    }

    [DoesNotReturn]
    internal static void ThrowNonFinite<T>(string paramName, T value, long index) =>
        throw NonFinite(paramName, value, index);

    /// <summary>The error for a NaN or ±∞ prediction under <see cref="NonFiniteHandling.Throw"/>.</summary>
    internal static HingeArgumentException NonFinite<T>(string paramName, T value, long index) =>
        new(paramName,
            $"`{paramName}[{index}]` = {Format(value)} is not finite. Remove it, mark its target with the ignore " +
            "index, or pass `nonFinite: NonFiniteHandling.Propagate` to get torchmetrics' NaN result.", index);

    [DoesNotReturn]
    internal static void ThrowNotProbability<T>(T value, long index) =>
        throw NotProbability(value, index);

    /// <summary>The error for a prediction outside [0, 1] under <see cref="HingeInputKind.Probabilities"/>.</summary>
    internal static HingeArgumentException NotProbability<T>(T value, long index) =>
        new("preds",
            $"`preds[{index}]` = {Format(value)} is not a probability in [0, 1] (input kind Probabilities). " +
            "Use HingeInputKind.Logits for logits or HingeInputKind.Margins for raw decision values.", index);

    [DoesNotReturn]
    internal static void ThrowNumClasses(int numClasses) =>
        throw new HingeArgumentException("numClasses",
            $"Expected argument `num_classes` to be an integer larger than 1, but got {numClasses}");

    [DoesNotReturn]
    internal static void ThrowEmptyCrammerSinger(long rows) => throw EmptyCrammerSinger(rows);

    /// <summary>The error for a Crammer–Singer batch without a kept row.</summary>
    internal static HingeArgumentException EmptyCrammerSinger(long rows) =>
        new("target",
            rows == 0
                ? "Crammer–Singer hinge needs at least one sample, but `target` is empty (0 rows)."
                : $"Crammer–Singer hinge needs at least one sample, but all {rows} rows of `target` equal the " +
                  "ignore index.");
}
