using System.Numerics;
using HingeSharp.Kernels;
using HingeSharp.Tests.Reference;
using Xunit;

namespace HingeSharp.Tests.Kernels;

/// <summary>One binary or multiclass setting under test.</summary>
internal sealed record KernelConfig(HingeInputKind Kind, bool Squared, int? IgnoreIndex, bool Validate = true,
    NonFiniteHandling NonFinite = NonFiniteHandling.Throw, MulticlassMode Mode = MulticlassMode.CrammerSinger)
{
    public override string ToString() =>
        $"{Kind}, squared {Squared}, ignore {IgnoreIndex?.ToString() ?? "none"}, validate {Validate}, {NonFinite}, {Mode}";
}

/// <summary>Runs a kernel and the scalar reference on the same data and compares (values, or the error raised).</summary>
internal static class KernelCheck
{
    /// <summary>
    /// Float32 kernels round each element's loss to float (sigmoid/softmax add a few ulps): the sum may differ from
    /// the double reference by this much per unit of <c>|loss| + 1</c>, summed over kept elements.
    /// </summary>
    public const double Float32PerElement = 2e-6;

    /// <summary>The same for float64 kernels (summation order and exp differ from the reference).</summary>
    public const double Float64PerElement = 1e-12;

    public static double Tolerance<T>() => typeof(T) == typeof(float) ? Float32PerElement : Float64PerElement;

    public static double[] Widen<T>(ReadOnlySpan<T> values)
        where T : INumberBase<T>
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }

        return result;
    }

    public static void Close(double expected, double actual, long count, double perElement, string what)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected}, got {actual}");
            return;
        }

        var tolerance = perElement * (Math.Abs(expected) + count);
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(expected - actual):E2} > {tolerance:E2})");
    }

    /// <summary>What the reference says about a binary batch: an error, or the sums.</summary>
    public static (ScalarHinge.Failure? Failure, ScalarHinge.Sums Sums) BinaryExpected(double[] preds, double[] target,
        KernelConfig config)
    {
        var failure = ScalarHinge.BinaryFailure(preds, target, config.IgnoreIndex, config.Validate, config.Kind,
            config.NonFinite);
        return failure is null
            ? (null, ScalarHinge.Binary(preds, target, config.Squared, config.IgnoreIndex, config.Kind))
            : (failure, default);
    }

    /// <summary>The binary kernel on <paramref name="preds"/>/<paramref name="target"/> against the reference.</summary>
    public static void Binary<T, TTarget>(T[] preds, int predOffset, TTarget[] target, int targetOffset, int length,
        KernelConfig config, KernelOptions options, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget> =>
        Binary(preds, predOffset, target, targetOffset, length, config, options, what,
            BinaryExpected(Widen<T>(preds.AsSpan(predOffset, length)), Widen<TTarget>(target.AsSpan(targetOffset, length)),
                config));

    /// <summary>The binary kernel against a reference result computed beforehand.</summary>
    public static void Binary<T, TTarget>(T[] preds, int predOffset, TTarget[] target, int targetOffset, int length,
        KernelConfig config, KernelOptions options, string what,
        (ScalarHinge.Failure? Failure, ScalarHinge.Sums Sums) expected)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        BinarySums Run() => BinaryKernels.Sum<T, TTarget>(preds.AsSpan(predOffset, length),
            target.AsSpan(targetOffset, length), config.Squared, config.IgnoreIndex, config.Validate, config.Kind,
            config.NonFinite, options);

        if (expected.Failure is { } f)
        {
            var ex = Assert.Throws<HingeArgumentException>(() => Run());
            Assert.True(f.ParamName == ex.ParamName && f.Index == ex.Index,
                $"{what}: expected error at {f.ParamName}[{f.Index}], got {ex.ParamName}[{ex.Index}]: {ex.Message}");
            return;
        }

        var actual = Run();
        Assert.True(expected.Sums.Count == actual.Total, $"{what}: kept {actual.Total}, expected {expected.Sums.Count}");
        Close(expected.Sums.Values[0], actual.Measures, expected.Sums.Count, Tolerance<T>(), what);
    }

    /// <summary>The multiclass kernel on row-major scores against the reference.</summary>
    public static void Multiclass<T, TTarget>(T[] preds, int predOffset, TTarget[] target, int rows, int c,
        KernelConfig config, KernelOptions options, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var p = Widen<T>(preds.AsSpan(predOffset, rows * c));
        var t = Widen<TTarget>(target.AsSpan(0, rows));
        var measures = new double[config.Mode == MulticlassMode.CrammerSinger ? 1 : c];
        long Run() => MulticlassKernels.Sum<T, TTarget>(preds.AsSpan(predOffset, rows * c), target.AsSpan(0, rows),
            c, config.Mode, config.Squared, config.IgnoreIndex, config.Kind, config.NonFinite, measures, options);

        var failure = ScalarHinge.MulticlassFailure(p, t, c, config.Mode, config.IgnoreIndex, config.Kind,
            config.NonFinite);
        if (failure is { } f)
        {
            var ex = Assert.Throws<HingeArgumentException>(() => Run());
            Assert.True(f.ParamName == ex.ParamName && f.Index == ex.Index,
                $"{what}: expected error at {f.ParamName}[{f.Index}], got {ex.ParamName}[{ex.Index}]: {ex.Message}");
            return;
        }

        var expected = ScalarHinge.Multiclass(p, t, c, config.Mode, config.Squared, config.IgnoreIndex, config.Kind);
        var kept = Run();
        Assert.True(expected.Count == kept, $"{what}: kept {kept}, expected {expected.Count}");
        for (var j = 0; j < measures.Length; j++)
        {
            Close(expected.Values[j], measures[j], expected.Count, Tolerance<T>(), $"{what} [{j}]");
        }
    }
}
