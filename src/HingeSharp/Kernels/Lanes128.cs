using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary><see cref="ISimdLanes{TV, TD, T}"/> on 128-bit registers (SSE on x64, AdvSimd on Arm64).</summary>
internal readonly struct Lanes128<T> : ISimdLanes<Vector128<T>, Vector128<double>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsAccelerated
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.IsHardwareAccelerated;
    }

    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<T>.Count;
    }

    public static Vector128<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<T>.Zero;
    }

    public static Vector128<T> One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<T>.One;
    }

    public static Vector128<T> AllBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<T>.AllBitsSet;
    }

    public static Vector128<T> SignBit
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create(T.NegativeZero);
    }

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
    public static Vector128<T> MinNative(Vector128<T> left, Vector128<T> right) => Vector128.MinNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Select(Vector128<T> mask, Vector128<T> whenTrue, Vector128<T> whenFalse) =>
        Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Hinge(Vector128<T> margin) =>
        Vector128.MaxNative(Vector128<T>.Zero, Vector128<T>.One - margin);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> x) => typeof(T) == typeof(float)
        ? VectorExp.Exp(x.As<T, float>()).As<float, T>()
        : VectorExp.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> RangeCheck(Vector128<T> accumulator, Vector128<T> x, Vector128<T> kept)
    {
        if (typeof(T) == typeof(float))
        {
            // As unsigned integers, the bits of +0.0 … 1.0 are exactly those ≤ 0x3F800000; negatives (sign bit), NaN and
            // values above 1 are larger. Only −0.0 is flagged wrongly: callers confirm a failure with an exact scan.
            var bits = (x & kept).AsUInt32();
            return Vector128.Max(accumulator.AsUInt32(), bits).As<uint, T>();
        }

        return accumulator | Vector128.AndNot(kept, InUnitInterval(x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool RangeFailed(Vector128<T> accumulator) => typeof(T) == typeof(float)
        ? Vector128.GreaterThanAny(accumulator.AsUInt32(), Vector128.Create(0x3F800000u))
        : AnyBits(accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FiniteCheck(Vector128<T> accumulator, Vector128<T> x, Vector128<T> kept)
    {
        if (typeof(T) == typeof(float))
        {
            // |x| as unsigned bits is ≥ 0x7F800000 exactly for ±∞ and NaN.
            var bits = (x & kept).AsUInt32() & Vector128.Create(0x7FFFFFFFu);
            return Vector128.Max(accumulator.AsUInt32(), bits).As<uint, T>();
        }

        return accumulator | Vector128.AndNot(kept, IsFinite(x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool FiniteFailed(Vector128<T> accumulator) => typeof(T) == typeof(float)
        ? Vector128.GreaterThanOrEqualAny(accumulator.AsUInt32(), Vector128.Create(0x7F800000u))
        : AnyBits(accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MergeChecks(Vector128<T> left, Vector128<T> right) => typeof(T) == typeof(float)
        ? Vector128.Max(left.AsUInt32(), right.AsUInt32()).As<uint, T>()
        : left | right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> InUnitInterval(Vector128<T> x) =>
        Vector128.GreaterThanOrEqual(x, Vector128<T>.Zero) & Vector128.LessThanOrEqual(x, Vector128<T>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> GreaterThan(Vector128<T> left, Vector128<T> right) => Vector128.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> IsFinite(Vector128<T> x) =>
        Vector128.LessThan(Vector128.Abs(x), Vector128.Create(T.PositiveInfinity));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Equal(Vector128<T> left, Vector128<T> right) => Vector128.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaskBits(Vector128<T> mask) => (uint)mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FirstLanes(int count) =>
        Vector128.LessThan(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LaneIs(int index) =>
        Vector128.Equals(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(index)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyBits(Vector128<T> mask) => mask.AsUInt64() != Vector128<ulong>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllClasses(ref readonly int target, int numClasses, int ignoreClass)
    {
        if (typeof(T) == typeof(float))
        {
            var v = Vector128.LoadUnsafe(in target).AsUInt32();
            return Vector128.LessThanAll(v, Vector128.Create((uint)numClasses)) &&
                (ignoreClass < 0 || !Vector128.EqualsAny(v, Vector128.Create((uint)ignoreClass)));
        }

        var t0 = target;
        var t1 = Unsafe.Add(ref Unsafe.AsRef(in target), 1);
        return (uint)t0 < (uint)numClasses && (uint)t1 < (uint)numClasses && t0 != ignoreClass && t1 != ignoreClass;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ColumnIndices(int offset) => typeof(T) == typeof(float)
        ? (Vector128<int>.Indices + Vector128.Create(offset)).As<int, T>()
        : (Vector128<long>.Indices + Vector128.Create((long)offset)).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> BroadcastIndex(int value) => typeof(T) == typeof(float)
        ? Vector128.Create(value).As<int, T>()
        : Vector128.Create((long)value).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> IndexEquals(Vector128<T> left, Vector128<T> right) => typeof(T) == typeof(float)
        ? Vector128.Equals(left.AsInt32(), right.AsInt32()).As<int, T>()
        : Vector128.Equals(left.AsInt64(), right.AsInt64()).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<T> Upper, Vector128<T> Index) PairStep(int d)
    {
        // Shuffles run on 32-bit sublanes (one-source permutes exist for those at every width): a double moves as two.
        var scale = typeof(T) == typeof(float) ? 1 : 2;
        var upper = ~Vector128.Equals(Vector128<int>.Indices & Vector128.Create(d * scale), Vector128<int>.Zero);
        return (upper.As<int, T>(), (Vector128<int>.Indices ^ Vector128.Create(d * scale)).As<int, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MaxPair(Vector128<T> low, Vector128<T> high, Vector128<T> upper, Vector128<T> index)
    {
        var x = Vector128.MaxNative(low, Vector128.Shuffle(low.As<T, float>(), index.AsInt32()).As<float, T>());
        var y = Vector128.MaxNative(high, Vector128.Shuffle(high.As<T, float>(), index.AsInt32()).As<float, T>());
        return Vector128.ConditionalSelect(upper, y, x);
    }

    public static bool Widens
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> WidenLower(Vector128<T> value) => typeof(T) == typeof(float)
        ? Vector128.WidenLower(value.As<T, float>())
        : value.As<T, double>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> WidenUpper(Vector128<T> value) => typeof(T) == typeof(float)
        ? Vector128.WidenUpper(value.As<T, float>())
        : Vector128<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> AddDouble(Vector128<double> left, Vector128<double> right) => left + right;

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
    public static Vector128<T> LoadLabels(ref readonly int target, nuint index)
    {
        Debug.Assert(typeof(T) == typeof(float), "int labels fill float lanes only");
        return Vector128.LoadUnsafe(in target, index).As<int, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> PositiveSigns01(Vector128<T> labels) => (labels.AsUInt32() << 31).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MarginCodes(Vector128<T> flipped, Vector128<T> scale)
    {
        Debug.Assert(typeof(T) == typeof(float), "margin codes are float lanes");
        var s = scale.As<T, float>();
        return Vector128.ConvertToInt32Native(Vector128.FusedMultiplyAdd(flipped.As<T, float>(), s, s)).As<int, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> AddCodes(Vector128<T> codes, Vector128<T> more) =>
        (codes.AsUInt32() + more.AsUInt32()).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<double> Low, Vector128<double> High) FlushCodes(Vector128<double> low,
        Vector128<double> high, Vector128<T> codes) =>
        ((low.AsUInt64() + Vector128.WidenLower(codes.AsUInt32())).AsDouble(),
            (high.AsUInt64() + Vector128.WidenUpper(codes.AsUInt32())).AsDouble());

    public static double CodeSum(Vector128<double> low, Vector128<double> high) =>
        Vector128.Sum(low.AsUInt64() + high.AsUInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LabelMax(Vector128<T> accumulator, Vector128<T> labels) =>
        Vector128.Max(accumulator.AsUInt32(), labels.AsUInt32()).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LabelsAbove1(Vector128<T> accumulator) =>
        Vector128.GreaterThanAny(accumulator.AsUInt32(), Vector128<uint>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LaneMasks<Vector128<T>> TargetMasks<TTarget>(ref readonly TTarget target, nuint index, int ignore,
        bool hasIgnore, bool validate)
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
                // long targets under float lanes: decide in 64 bits, then narrow the masks (not the values).
                ref var l = ref Unsafe.As<TTarget, long>(ref t);
                var m0 = Masks64(Vector128.LoadUnsafe(ref l), ignore, hasIgnore, validate);
                var m1 = Masks64(Vector128.LoadUnsafe(ref l, 2), ignore, hasIgnore, validate);
                return new(Vector128.Narrow(m0.Negative.AsInt64(), m1.Negative.AsInt64()).As<int, T>(),
                    Vector128.Narrow(m0.Kept.AsInt64(), m1.Kept.AsInt64()).As<int, T>(), m0.Invalid | m1.Invalid);
            }

            return Masks32(codes, ignore, hasIgnore, validate);
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

            return Masks64(codes, ignore, hasIgnore, validate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static LaneMasks<Vector128<T>> Masks32(Vector128<int> codes, int ignore, bool hasIgnore, bool validate)
    {
        var zero = Vector128.Equals(codes, Vector128<int>.Zero);
        var ignored = hasIgnore ? Vector128.Equals(codes, Vector128.Create(ignore)) : Vector128<int>.Zero;
        var invalid = validate
            ? ~(zero | ignored | Vector128.Equals(codes, Vector128<int>.One))
            : Vector128<int>.Zero;
        return new(zero.As<int, T>(), (~ignored).As<int, T>(), invalid.As<int, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static LaneMasks<Vector128<T>> Masks64(Vector128<long> codes, int ignore, bool hasIgnore, bool validate)
    {
        var zero = Vector128.Equals(codes, Vector128<long>.Zero);
        var ignored = hasIgnore ? Vector128.Equals(codes, Vector128.Create((long)ignore)) : Vector128<long>.Zero;
        var invalid = validate
            ? ~(zero | ignored | Vector128.Equals(codes, Vector128<long>.One))
            : Vector128<long>.Zero;
        return new(zero.As<long, T>(), (~ignored).As<long, T>(), invalid.As<long, T>());
    }
}
