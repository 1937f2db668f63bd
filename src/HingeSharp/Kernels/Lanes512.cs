using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary><see cref="ISimdLanes{TV, TD, T}"/> on 512-bit registers (AVX-512 on x64); used only where .NET reports them accelerated.</summary>
internal readonly struct Lanes512<T> : ISimdLanes<Vector512<T>, Vector512<double>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    public static int Count => Vector512<T>.Count;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    public static Vector512<T> One => Vector512<T>.One;

    public static Vector512<T> AllBits => Vector512<T>.AllBitsSet;

    public static Vector512<T> SignBit => Vector512.Create(T.NegativeZero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref readonly T source, nuint index) => Vector512.LoadUnsafe(in source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint index) =>
        value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Create(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> left, Vector512<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> left, Vector512<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> left, Vector512<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> left, Vector512<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> And(Vector512<T> left, Vector512<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Or(Vector512<T> left, Vector512<T> right) => left | right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Xor(Vector512<T> left, Vector512<T> right) => left ^ right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AndNot(Vector512<T> left, Vector512<T> right) => Vector512.AndNot(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Max(Vector512<T> left, Vector512<T> right) => Vector512.MaxNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Select(Vector512<T> mask, Vector512<T> whenTrue, Vector512<T> whenFalse) =>
        Vector512.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Hinge(Vector512<T> margin) =>
        Vector512.MaxNative(Vector512<T>.Zero, Vector512<T>.One - margin);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> x) => typeof(T) == typeof(float)
        ? Vector512.Exp(x.As<T, float>()).As<float, T>()
        : Vector512.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> InUnitInterval(Vector512<T> x) =>
        Vector512.GreaterThanOrEqual(x, Vector512<T>.Zero) & Vector512.LessThanOrEqual(x, Vector512<T>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> IsFinite(Vector512<T> x) =>
        Vector512.LessThan(Vector512.Abs(x), Vector512.Create(T.PositiveInfinity));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FirstLanes(int count) =>
        Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LaneIs(int index) =>
        Vector512.Equals(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(index)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyBits(Vector512<T> mask) => mask.AsUInt64() != Vector512<ulong>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(Vector512<T> value, ref Vector512<double> low, ref Vector512<double> high)
    {
        if (typeof(T) == typeof(float))
        {
            var (lo, hi) = Vector512.Widen(value.As<T, float>());
            low += lo;
            high += hi;
        }
        else
        {
            low += value.As<T, double>();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> low, Vector512<double> high) => Vector512.Sum(low + high);

    public static void Store(Vector512<double> low, Vector512<double> high, Span<double> destination)
    {
        low.CopyTo(destination);
        if (typeof(T) == typeof(float))
        {
            high.CopyTo(destination[Vector512<double>.Count..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> CountLanes(Vector512<T> counters, Vector512<T> mask) => typeof(T) == typeof(float)
        ? (counters.AsInt32() - mask.AsInt32()).As<int, T>()
        : (counters.AsInt64() - mask.AsInt64()).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SumCounters(Vector512<T> counters) => typeof(T) == typeof(float)
        ? Vector512.Sum(counters.AsInt32())
        : Vector512.Sum(counters.AsInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxAcross(Vector512<T> value) =>
        Lanes256<T>.MaxAcross(Vector256.MaxNative(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumAcross(Vector512<T> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TargetMasks<TTarget>(ref readonly TTarget target, nuint index, in BinaryRule rule,
        out Vector512<T> negative, out Vector512<T> kept, ref Vector512<T> invalid)
        where TTarget : unmanaged
    {
        ref var t = ref Unsafe.Add(ref Unsafe.AsRef(in target), index);
        if (typeof(T) == typeof(float))
        {
            Vector512<int> codes;
            if (typeof(TTarget) == typeof(int))
            {
                codes = Vector512.LoadUnsafe(ref Unsafe.As<TTarget, int>(ref t));
            }
            else if (typeof(TTarget) == typeof(byte))
            {
                var bytes = Vector128.LoadUnsafe(ref Unsafe.As<TTarget, byte>(ref t));
                var words = Vector256.WidenLower(bytes.ToVector256Unsafe());
                codes = Vector512.WidenLower(words.ToVector512Unsafe()).AsInt32();
            }
            else
            {
                ref var l = ref Unsafe.As<TTarget, long>(ref t);
                Masks64(Vector512.LoadUnsafe(ref l), rule, out var n0, out var k0, ref invalid);
                Masks64(Vector512.LoadUnsafe(ref l, 8), rule, out var n1, out var k1, ref invalid);
                negative = Vector512.Narrow(n0.AsInt64(), n1.AsInt64()).As<int, T>();
                kept = Vector512.Narrow(k0.AsInt64(), k1.AsInt64()).As<int, T>();
                return;
            }

            Masks32(codes, rule, out negative, out kept, ref invalid);
        }
        else
        {
            Vector512<long> codes;
            if (typeof(TTarget) == typeof(long))
            {
                codes = Vector512.LoadUnsafe(ref Unsafe.As<TTarget, long>(ref t));
            }
            else if (typeof(TTarget) == typeof(int))
            {
                var ints = Vector256.LoadUnsafe(ref Unsafe.As<TTarget, int>(ref t));
                codes = Vector512.WidenLower(ints.ToVector512Unsafe());
            }
            else
            {
                var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<TTarget, byte>(ref t)));
                var words = Vector256.WidenLower(Vector128.WidenLower(bytes.AsByte()).ToVector256Unsafe());
                codes = Vector512.WidenLower(words.ToVector512Unsafe()).AsInt64();
            }

            Masks64(codes, rule, out negative, out kept, ref invalid);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Masks32(Vector512<int> codes, in BinaryRule rule, out Vector512<T> negative,
        out Vector512<T> kept, ref Vector512<T> invalid)
    {
        var zero = Vector512.Equals(codes, Vector512<int>.Zero);
        var ignored = rule.HasIgnore ? Vector512.Equals(codes, Vector512.Create(rule.Ignore)) : Vector512<int>.Zero;
        if (rule.Validate)
        {
            invalid |= (~(zero | ignored | Vector512.Equals(codes, Vector512<int>.One))).As<int, T>();
        }

        negative = zero.As<int, T>();
        kept = (~ignored).As<int, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Masks64(Vector512<long> codes, in BinaryRule rule, out Vector512<T> negative,
        out Vector512<T> kept, ref Vector512<T> invalid)
    {
        var zero = Vector512.Equals(codes, Vector512<long>.Zero);
        var ignored = rule.HasIgnore
            ? Vector512.Equals(codes, Vector512.Create((long)rule.Ignore))
            : Vector512<long>.Zero;
        if (rule.Validate)
        {
            invalid |= (~(zero | ignored | Vector512.Equals(codes, Vector512<long>.One))).As<long, T>();
        }

        negative = zero.As<long, T>();
        kept = (~ignored).As<long, T>();
    }
}
