using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary><see cref="ISimdLanes{TV, TD, T}"/> on 256-bit registers (AVX2 on x64).</summary>
internal readonly struct Lanes256<T> : ISimdLanes<Vector256<T>, Vector256<double>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    public static int Count => Vector256<T>.Count;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    public static Vector256<T> One => Vector256<T>.One;

    public static Vector256<T> AllBits => Vector256<T>.AllBitsSet;

    public static Vector256<T> SignBit => Vector256.Create(T.NegativeZero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref readonly T source, nuint index) => Vector256.LoadUnsafe(in source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint index) =>
        value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Create(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> left, Vector256<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> left, Vector256<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> left, Vector256<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> left, Vector256<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> And(Vector256<T> left, Vector256<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Or(Vector256<T> left, Vector256<T> right) => left | right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Xor(Vector256<T> left, Vector256<T> right) => left ^ right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AndNot(Vector256<T> left, Vector256<T> right) => Vector256.AndNot(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Max(Vector256<T> left, Vector256<T> right) => Vector256.MaxNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Select(Vector256<T> mask, Vector256<T> whenTrue, Vector256<T> whenFalse) =>
        Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Hinge(Vector256<T> margin) =>
        Vector256.MaxNative(Vector256<T>.Zero, Vector256<T>.One - margin);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> x) => typeof(T) == typeof(float)
        ? Vector256.Exp(x.As<T, float>()).As<float, T>()
        : Vector256.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> InUnitInterval(Vector256<T> x) =>
        Vector256.GreaterThanOrEqual(x, Vector256<T>.Zero) & Vector256.LessThanOrEqual(x, Vector256<T>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> IsFinite(Vector256<T> x) =>
        Vector256.LessThan(Vector256.Abs(x), Vector256.Create(T.PositiveInfinity));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FirstLanes(int count) =>
        Vector256.LessThan(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LaneIs(int index) =>
        Vector256.Equals(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(index)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyBits(Vector256<T> mask) => mask.AsUInt64() != Vector256<ulong>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(Vector256<T> value, ref Vector256<double> low, ref Vector256<double> high)
    {
        if (typeof(T) == typeof(float))
        {
            var (lo, hi) = Vector256.Widen(value.As<T, float>());
            low += lo;
            high += hi;
        }
        else
        {
            low += value.As<T, double>();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> low, Vector256<double> high) => Vector256.Sum(low + high);

    public static void Store(Vector256<double> low, Vector256<double> high, Span<double> destination)
    {
        low.CopyTo(destination);
        if (typeof(T) == typeof(float))
        {
            high.CopyTo(destination[Vector256<double>.Count..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> CountLanes(Vector256<T> counters, Vector256<T> mask) => typeof(T) == typeof(float)
        ? (counters.AsInt32() - mask.AsInt32()).As<int, T>()
        : (counters.AsInt64() - mask.AsInt64()).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SumCounters(Vector256<T> counters) => typeof(T) == typeof(float)
        ? Vector256.Sum(counters.AsInt32())
        : Vector256.Sum(counters.AsInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxAcross(Vector256<T> value) =>
        Lanes128<T>.MaxAcross(Vector128.MaxNative(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumAcross(Vector256<T> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TargetMasks<TTarget>(ref readonly TTarget target, nuint index, in BinaryRule rule,
        out Vector256<T> negative, out Vector256<T> kept, ref Vector256<T> invalid)
        where TTarget : unmanaged
    {
        ref var t = ref Unsafe.Add(ref Unsafe.AsRef(in target), index);
        if (typeof(T) == typeof(float))
        {
            Vector256<int> codes;
            if (typeof(TTarget) == typeof(int))
            {
                codes = Vector256.LoadUnsafe(ref Unsafe.As<TTarget, int>(ref t));
            }
            else if (typeof(TTarget) == typeof(byte))
            {
                var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<TTarget, byte>(ref t)));
                codes = Vector256.WidenLower(Vector128.WidenLower(bytes.AsByte()).ToVector256Unsafe()).AsInt32();
            }
            else
            {
                ref var l = ref Unsafe.As<TTarget, long>(ref t);
                Masks64(Vector256.LoadUnsafe(ref l), rule, out var n0, out var k0, ref invalid);
                Masks64(Vector256.LoadUnsafe(ref l, 4), rule, out var n1, out var k1, ref invalid);
                negative = Vector256.Narrow(n0.AsInt64(), n1.AsInt64()).As<int, T>();
                kept = Vector256.Narrow(k0.AsInt64(), k1.AsInt64()).As<int, T>();
                return;
            }

            Masks32(codes, rule, out negative, out kept, ref invalid);
        }
        else
        {
            Vector256<long> codes;
            if (typeof(TTarget) == typeof(long))
            {
                codes = Vector256.LoadUnsafe(ref Unsafe.As<TTarget, long>(ref t));
            }
            else if (typeof(TTarget) == typeof(int))
            {
                var ints = Vector128.LoadUnsafe(ref Unsafe.As<TTarget, int>(ref t));
                codes = Vector256.WidenLower(ints.ToVector256Unsafe());
            }
            else
            {
                var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref Unsafe.As<TTarget, byte>(ref t)));
                var words = Vector128.WidenLower(Vector128.WidenLower(bytes.AsByte()));
                codes = Vector256.WidenLower(words.ToVector256Unsafe()).AsInt64();
            }

            Masks64(codes, rule, out negative, out kept, ref invalid);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Masks32(Vector256<int> codes, in BinaryRule rule, out Vector256<T> negative,
        out Vector256<T> kept, ref Vector256<T> invalid)
    {
        var zero = Vector256.Equals(codes, Vector256<int>.Zero);
        var ignored = rule.HasIgnore ? Vector256.Equals(codes, Vector256.Create(rule.Ignore)) : Vector256<int>.Zero;
        if (rule.Validate)
        {
            invalid |= (~(zero | ignored | Vector256.Equals(codes, Vector256<int>.One))).As<int, T>();
        }

        negative = zero.As<int, T>();
        kept = (~ignored).As<int, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Masks64(Vector256<long> codes, in BinaryRule rule, out Vector256<T> negative,
        out Vector256<T> kept, ref Vector256<T> invalid)
    {
        var zero = Vector256.Equals(codes, Vector256<long>.Zero);
        var ignored = rule.HasIgnore
            ? Vector256.Equals(codes, Vector256.Create((long)rule.Ignore))
            : Vector256<long>.Zero;
        if (rule.Validate)
        {
            invalid |= (~(zero | ignored | Vector256.Equals(codes, Vector256<long>.One))).As<long, T>();
        }

        negative = zero.As<long, T>();
        kept = (~ignored).As<long, T>();
    }
}
