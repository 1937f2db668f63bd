using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary><see cref="ISimdLanes{TV, TD, T}"/> on 128-bit registers (SSE on x64, AdvSimd on Arm64).</summary>
internal readonly struct Lanes128<T> : ISimdLanes<Vector128<T>, Vector128<double>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;

    public static int Count => Vector128<T>.Count;

    public static Vector128<T> Zero => Vector128<T>.Zero;

    public static Vector128<T> One => Vector128<T>.One;

    public static Vector128<T> AllBits => Vector128<T>.AllBitsSet;

    public static Vector128<T> SignBit => Vector128.Create(T.NegativeZero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref readonly T source, nuint index) => Vector128.LoadUnsafe(in source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nuint index) =>
        value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Create(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> left, Vector128<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> left, Vector128<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> left, Vector128<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Divide(Vector128<T> left, Vector128<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> And(Vector128<T> left, Vector128<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Or(Vector128<T> left, Vector128<T> right) => left | right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Xor(Vector128<T> left, Vector128<T> right) => left ^ right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> AndNot(Vector128<T> left, Vector128<T> right) => Vector128.AndNot(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Max(Vector128<T> left, Vector128<T> right) => Vector128.MaxNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Select(Vector128<T> mask, Vector128<T> whenTrue, Vector128<T> whenFalse) =>
        Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Hinge(Vector128<T> margin) =>
        Vector128.MaxNative(Vector128<T>.Zero, Vector128<T>.One - margin);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> x) => typeof(T) == typeof(float)
        ? Vector128.Exp(x.As<T, float>()).As<float, T>()
        : Vector128.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> InUnitInterval(Vector128<T> x) =>
        Vector128.GreaterThanOrEqual(x, Vector128<T>.Zero) & Vector128.LessThanOrEqual(x, Vector128<T>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> IsFinite(Vector128<T> x) =>
        Vector128.LessThan(Vector128.Abs(x), Vector128.Create(T.PositiveInfinity));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FirstLanes(int count) =>
        Vector128.LessThan(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LaneIs(int index) =>
        Vector128.Equals(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(index)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyBits(Vector128<T> mask) => mask.AsUInt64() != Vector128<ulong>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(Vector128<T> value, ref Vector128<double> low, ref Vector128<double> high)
    {
        if (typeof(T) == typeof(float))
        {
            var (lo, hi) = Vector128.Widen(value.As<T, float>());
            low += lo;
            high += hi;
        }
        else
        {
            low += value.As<T, double>();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector128<double> low, Vector128<double> high) => Vector128.Sum(low + high);

    public static void Store(Vector128<double> low, Vector128<double> high, Span<double> destination)
    {
        low.CopyTo(destination);
        if (typeof(T) == typeof(float))
        {
            high.CopyTo(destination[Vector128<double>.Count..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> CountLanes(Vector128<T> counters, Vector128<T> mask) => typeof(T) == typeof(float)
        ? (counters.AsInt32() - mask.AsInt32()).As<int, T>()
        : (counters.AsInt64() - mask.AsInt64()).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SumCounters(Vector128<T> counters) => typeof(T) == typeof(float)
        ? Vector128.Sum(counters.AsInt32())
        : Vector128.Sum(counters.AsInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxAcross(Vector128<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            var v = value.As<T, float>();
            v = Vector128.MaxNative(v, Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1)));
            v = Vector128.MaxNative(v, Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2)));
            return v.As<float, T>().ToScalar();
        }

        var d = value.As<T, double>();
        return Vector128.MaxNative(d, Vector128.Shuffle(d, Vector128.Create(1L, 0L))).As<double, T>().ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumAcross(Vector128<T> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TargetMasks<TTarget>(ref readonly TTarget target, nuint index, in BinaryRule rule,
        out Vector128<T> negative, out Vector128<T> kept, ref Vector128<T> invalid)
        where TTarget : unmanaged
    {
        ref var t = ref Unsafe.Add(ref Unsafe.AsRef(in target), index);
        if (typeof(T) == typeof(float))
        {
            Vector128<int> codes;
            if (typeof(TTarget) == typeof(int))
            {
                codes = Vector128.LoadUnsafe(ref Unsafe.As<TTarget, int>(ref t));
            }
            else if (typeof(TTarget) == typeof(byte))
            {
                var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref Unsafe.As<TTarget, byte>(ref t)));
                codes = Vector128.WidenLower(Vector128.WidenLower(bytes.AsByte())).AsInt32();
            }
            else
            {
                ref var l = ref Unsafe.As<TTarget, long>(ref t);
                Masks64(Vector128.LoadUnsafe(ref l), rule, out var n0, out var k0, ref invalid);
                Masks64(Vector128.LoadUnsafe(ref l, 2), rule, out var n1, out var k1, ref invalid);
                negative = Vector128.Narrow(n0.AsInt64(), n1.AsInt64()).As<int, T>();
                kept = Vector128.Narrow(k0.AsInt64(), k1.AsInt64()).As<int, T>();
                return;
            }

            Masks32(codes, rule, out negative, out kept, ref invalid);
        }
        else
        {
            Vector128<long> codes;
            if (typeof(TTarget) == typeof(long))
            {
                codes = Vector128.LoadUnsafe(ref Unsafe.As<TTarget, long>(ref t));
            }
            else if (typeof(TTarget) == typeof(int))
            {
                var ints = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<TTarget, byte>(ref t)));
                codes = Vector128.WidenLower(ints.AsInt32());
            }
            else
            {
                var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<ushort>(ref Unsafe.As<TTarget, byte>(ref t)));
                var words = Vector128.WidenLower(Vector128.WidenLower(bytes.AsByte()));
                codes = Vector128.WidenLower(words).AsInt64();
            }

            Masks64(codes, rule, out negative, out kept, ref invalid);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Masks32(Vector128<int> codes, in BinaryRule rule, out Vector128<T> negative,
        out Vector128<T> kept, ref Vector128<T> invalid)
    {
        var zero = Vector128.Equals(codes, Vector128<int>.Zero);
        var ignored = rule.HasIgnore ? Vector128.Equals(codes, Vector128.Create(rule.Ignore)) : Vector128<int>.Zero;
        if (rule.Validate)
        {
            invalid |= (~(zero | ignored | Vector128.Equals(codes, Vector128<int>.One))).As<int, T>();
        }

        negative = zero.As<int, T>();
        kept = (~ignored).As<int, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Masks64(Vector128<long> codes, in BinaryRule rule, out Vector128<T> negative,
        out Vector128<T> kept, ref Vector128<T> invalid)
    {
        var zero = Vector128.Equals(codes, Vector128<long>.Zero);
        var ignored = rule.HasIgnore
            ? Vector128.Equals(codes, Vector128.Create((long)rule.Ignore))
            : Vector128<long>.Zero;
        if (rule.Validate)
        {
            invalid |= (~(zero | ignored | Vector128.Equals(codes, Vector128<long>.One))).As<long, T>();
        }

        negative = zero.As<long, T>();
        kept = (~ignored).As<long, T>();
    }
}
