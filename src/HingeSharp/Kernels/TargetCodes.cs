using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HingeSharp.Kernels;

/// <summary>How one binary batch reads its targets.</summary>
/// <param name="Ignore">The ignore index (meaningful when <paramref name="HasIgnore"/>).</param>
/// <param name="HasIgnore">Whether targets equal to <paramref name="Ignore"/> are dropped.</param>
/// <param name="Validate">Whether a target other than 0, 1 or the ignore index is an error.</param>
/// <param name="SignedNegatives">Whether −1 is a negative label too (±1 labels, as scikit-learn, Keras and SVMs use
/// them with margins).</param>
internal readonly record struct BinaryRule(int Ignore, bool HasIgnore, bool Validate, bool SignedNegatives = false)
{
    public static BinaryRule Of(int? ignoreIndex, bool validate, bool signedNegatives = false) =>
        new(ignoreIndex.GetValueOrDefault(), ignoreIndex.HasValue, validate, signedNegatives);
}

/// <summary>How the vector loops read targets with ±1 labels (<see cref="TargetCodes.RouteSigned{TTarget}"/>).
/// </summary>
internal enum SignedRoute
{
    AsPlain,
    ZeroMinusOnes,
    Codes,
}

/// <summary>What a binary target means.</summary>
internal enum BinaryCode : byte
{
    Negative = 0,
    Positive = 1,
    Ignored = 2,
    Invalid = 3,
}

/// <summary>
/// Scalar reading of targets of any numeric type, with torch's rules: a binary target is positive when non-zero
/// (<c>target.bool()</c>, NaN included), a class target must be an integral value in [0, C). The vector loops read
/// byte, int and long targets themselves (<see cref="ISimdLanes{TV, TD, T}.TargetMasks"/>); other types go through
/// <see cref="ToBinaryCodes"/> first.
/// </summary>
internal static class TargetCodes
{
    /// <summary>The rule the vector loops apply to the byte codes written by <see cref="ToBinaryCodes"/>.</summary>
    internal static BinaryRule CodeRule => new((int)BinaryCode.Ignored, true, true);

    /// <summary>Whether the vector loops read <typeparamref name="TTarget"/> directly.</summary>
    internal static bool IsVectorTarget<TTarget>() =>
        typeof(TTarget) == typeof(byte) || typeof(TTarget) == typeof(int) || typeof(TTarget) == typeof(long);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static BinaryCode Binary<TTarget>(TTarget target, in BinaryRule rule)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (typeof(TTarget) == typeof(int) || typeof(TTarget) == typeof(long) || typeof(TTarget) == typeof(byte))
        {
            var v = long.CreateTruncating(target);
            if (rule.HasIgnore && v == rule.Ignore)
            {
                return BinaryCode.Ignored;
            }

            return v == 0 || (rule.SignedNegatives && v == -1) ? BinaryCode.Negative
                : v == 1 || !rule.Validate ? BinaryCode.Positive
                : BinaryCode.Invalid;
        }

        var d = double.CreateTruncating(target);
        if (rule.HasIgnore && d == rule.Ignore)
        {
            return BinaryCode.Ignored;
        }

        // target.bool(): any non-zero value (NaN included) is positive, as in torch.
        return d == 0d || (rule.SignedNegatives && d == -1d) ? BinaryCode.Negative
            : d == 1d || !rule.Validate ? BinaryCode.Positive
            : BinaryCode.Invalid;
    }

    /// <summary>
    /// How the vector loops read targets under <see cref="BinaryRule.SignedNegatives"/> (±1 labels): byte targets
    /// cannot hold −1 and, when −1 is the ignore index, it is ignored before it could be negative, so both read as they
    /// are under the plain rule (<see cref="SignedRoute.AsPlain"/>); int and long targets read as the plain rule once
    /// every −1 is written as 0 (<see cref="SignedRoute.ZeroMinusOnes"/>), unless 0 is the ignore index
    /// (<see cref="SignedRoute.Codes"/>: through <see cref="ToBinaryCodes"/>).
    /// </summary>
    internal static SignedRoute RouteSigned<TTarget>(in BinaryRule rule)
        where TTarget : unmanaged =>
        !IsVectorTarget<TTarget>() ? SignedRoute.Codes
        : typeof(TTarget) == typeof(byte) || (rule.HasIgnore && rule.Ignore == -1) ? SignedRoute.AsPlain
        : rule.HasIgnore && rule.Ignore == 0 ? SignedRoute.Codes
        : SignedRoute.ZeroMinusOnes;

    /// <summary>Copies int or long targets with every −1 written as 0 (see <see cref="RouteSigned{TTarget}"/>).</summary>
    internal static void ZeroMinusOnes<TTarget>(ReadOnlySpan<TTarget> target, Span<TTarget> destination)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        ref var source = ref MemoryMarshal.GetReference(target);
        ref var sink = ref MemoryMarshal.GetReference(destination);
        var minusOne = Vector<TTarget>.AllBitsSet; // −1 in two's complement
        var i = 0;
        for (; i <= target.Length - Vector<TTarget>.Count; i += Vector<TTarget>.Count)
        {
            var v = Vector.LoadUnsafe(ref source, (nuint)i);
            Vector.AndNot(v, Vector.Equals(v, minusOne)).StoreUnsafe(ref sink, (nuint)i);
        }

        for (; i < target.Length; i++)
        {
            destination[i] = target[i] == -TTarget.One ? TTarget.Zero : target[i];
        }
    }

    /// <summary>Writes the <see cref="BinaryCode"/> of every target (for target types the vector loops do not read).</summary>
    internal static void ToBinaryCodes<TTarget>(ReadOnlySpan<TTarget> target, Span<byte> destination, in BinaryRule rule)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        for (var i = 0; i < target.Length; i++)
        {
            destination[i] = (byte)Binary(target[i], rule);
        }
    }

    /// <summary>Index of the first target that is not 0, 1 or the ignore index, or −1.</summary>
    internal static int FirstInvalidBinary<TTarget>(ReadOnlySpan<TTarget> target, in BinaryRule rule)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        for (var i = 0; i < target.Length; i++)
        {
            if (Binary(target[i], rule) == BinaryCode.Invalid)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Marker returned by <see cref="Class{TTarget}"/> for an ignored row.</summary>
    internal const int IgnoredClass = -1;

    /// <summary>Marker returned by <see cref="Class{TTarget}"/> for a target that is no class index.</summary>
    internal const int InvalidClass = -2;

    /// <summary>
    /// The class index of one multiclass target, <see cref="IgnoredClass"/> or <see cref="InvalidClass"/> (not an
    /// integral value in [0, <paramref name="numClasses"/>)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Class<TTarget>(TTarget target, int numClasses, int? ignoreIndex)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (typeof(TTarget) == typeof(int) || typeof(TTarget) == typeof(long) || typeof(TTarget) == typeof(byte))
        {
            var v = long.CreateTruncating(target);
            return ignoreIndex == v ? IgnoredClass : (ulong)v < (ulong)numClasses ? (int)v : InvalidClass;
        }

        var d = double.CreateTruncating(target);
        if (ignoreIndex is { } ignore && d == ignore)
        {
            return IgnoredClass;
        }

        return d >= 0d && d < numClasses && d == Math.Floor(d) ? (int)d : InvalidClass;
    }

    /// <summary>Index of the first row whose target is no class index and not the ignore index, or −1.</summary>
    internal static int FirstInvalidClass<TTarget>(ReadOnlySpan<TTarget> target, int numClasses, int? ignoreIndex)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        for (var i = 0; i < target.Length; i++)
        {
            if (Class(target[i], numClasses, ignoreIndex) == InvalidClass)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the signs of a chunk of binary targets: <c>+1</c>, <c>−1</c>, or
    /// <c>0</c> for an ignored one (used by the per-element kernels of reports and weights). With
    /// <paramref name="validate"/>, a target other than 0, 1 or the ignore index throws; with
    /// <paramref name="signedNegatives"/> (margins) −1 is a negative label too, as in the vector kernels.
    /// </summary>
    /// <returns>The number of kept elements.</returns>
    internal static int BinarySigns<T, TTarget>(ReadOnlySpan<TTarget> target, Span<T> destination, int? ignoreIndex,
        bool validate, long offset, bool signedNegatives = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var rule = BinaryRule.Of(ignoreIndex, validate, signedNegatives);
        var kept = 0;
        for (var i = 0; i < target.Length; i++)
        {
            switch (Binary(target[i], rule))
            {
                case BinaryCode.Ignored:
                    destination[i] = T.Zero;
                    break;
                case BinaryCode.Invalid:
                    ThrowHelper.ThrowInvalidBinaryTarget(target[i], offset + i, ignoreIndex);
                    break;
                case BinaryCode.Positive:
                    destination[i] = T.One;
                    kept++;
                    break;
                default:
                    destination[i] = T.NegativeOne;
                    kept++;
                    break;
            }
        }

        return kept;
    }

    /// <summary>
    /// Reads a chunk of class-index targets into <paramref name="destination"/>: the class index, or
    /// <see cref="IgnoredClass"/> for an ignored row; an index outside [0, <paramref name="numClasses"/>) throws.
    /// </summary>
    /// <returns>The number of kept rows.</returns>
    internal static int ClassIndices<TTarget>(ReadOnlySpan<TTarget> target, Span<int> destination, int numClasses,
        int? ignoreIndex, long offset)
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var kept = 0;
        for (var i = 0; i < target.Length; i++)
        {
            var c = Class(target[i], numClasses, ignoreIndex);
            if (c == InvalidClass)
            {
                ThrowHelper.ThrowInvalidClassTarget(target[i], offset + i, numClasses, ignoreIndex);
            }

            destination[i] = c;
            kept += c >= 0 ? 1 : 0;
        }

        return kept;
    }
}
