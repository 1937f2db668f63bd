using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary><see cref="ISimdLanes{TV, TD, T}"/> on 256-bit registers (AVX2 on x64).</summary>
internal readonly struct Lanes256<T> : ISimdLanes<Vector256<T>, Vector256<double>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsAccelerated
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.IsHardwareAccelerated;
    }

    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.Count;
    }

    public static Vector256<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.Zero;
    }

    public static Vector256<T> One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.One;
    }

    public static Vector256<T> AllBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.AllBitsSet;
    }

    public static Vector256<T> SignBit
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(T.NegativeZero);
    }

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
    public static Vector256<T> MinNative(Vector256<T> left, Vector256<T> right) => Vector256.MinNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Select(Vector256<T> mask, Vector256<T> whenTrue, Vector256<T> whenFalse) =>
        Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Hinge(Vector256<T> margin) =>
        Vector256.MaxNative(Vector256<T>.Zero, Vector256<T>.One - margin);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> x) => typeof(T) == typeof(float)
        ? VectorExp.Exp(x.As<T, float>()).As<float, T>()
        : VectorExp.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> RangeCheck(Vector256<T> accumulator, Vector256<T> x, Vector256<T> kept)
    {
        if (typeof(T) == typeof(float))
        {
            // As unsigned integers, the bits of +0.0 … 1.0 are exactly those ≤ 0x3F800000; negatives (sign bit), NaN and
            // values above 1 are larger. Only −0.0 is flagged wrongly: callers confirm a failure with an exact scan.
            var bits = (x & kept).AsUInt32();
            return Vector256.Max(accumulator.AsUInt32(), bits).As<uint, T>();
        }

        return accumulator | Vector256.AndNot(kept, InUnitInterval(x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool RangeFailed(Vector256<T> accumulator) => typeof(T) == typeof(float)
        ? Vector256.GreaterThanAny(accumulator.AsUInt32(), Vector256.Create(0x3F800000u))
        : AnyBits(accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FiniteCheck(Vector256<T> accumulator, Vector256<T> x, Vector256<T> kept)
    {
        if (typeof(T) == typeof(float))
        {
            // |x| as unsigned bits is ≥ 0x7F800000 exactly for ±∞ and NaN.
            var bits = (x & kept).AsUInt32() & Vector256.Create(0x7FFFFFFFu);
            return Vector256.Max(accumulator.AsUInt32(), bits).As<uint, T>();
        }

        return accumulator | Vector256.AndNot(kept, IsFinite(x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool FiniteFailed(Vector256<T> accumulator) => typeof(T) == typeof(float)
        ? Vector256.GreaterThanOrEqualAny(accumulator.AsUInt32(), Vector256.Create(0x7F800000u))
        : AnyBits(accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MergeChecks(Vector256<T> left, Vector256<T> right) => typeof(T) == typeof(float)
        ? Vector256.Max(left.AsUInt32(), right.AsUInt32()).As<uint, T>()
        : left | right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> InUnitInterval(Vector256<T> x) =>
        Vector256.GreaterThanOrEqual(x, Vector256<T>.Zero) & Vector256.LessThanOrEqual(x, Vector256<T>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> GreaterThan(Vector256<T> left, Vector256<T> right) => Vector256.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> IsFinite(Vector256<T> x) =>
        Vector256.LessThan(Vector256.Abs(x), Vector256.Create(T.PositiveInfinity));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Equal(Vector256<T> left, Vector256<T> right) => Vector256.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaskBits(Vector256<T> mask) => (uint)mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FirstLanes(int count) =>
        Vector256.LessThan(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LaneIs(int index) =>
        Vector256.Equals(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(index)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyBits(Vector256<T> mask) => mask.AsUInt64() != Vector256<ulong>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllClasses(ref readonly int target, int numClasses, int ignoreClass)
    {
        if (typeof(T) == typeof(float))
        {
            var v = Vector256.LoadUnsafe(in target).AsUInt32();
            return Vector256.LessThanAll(v, Vector256.Create((uint)numClasses)) &&
                (ignoreClass < 0 || !Vector256.EqualsAny(v, Vector256.Create((uint)ignoreClass)));
        }

        var h = Vector128.LoadUnsafe(in target).AsUInt32();
        return Vector128.LessThanAll(h, Vector128.Create((uint)numClasses)) &&
            (ignoreClass < 0 || !Vector128.EqualsAny(h, Vector128.Create((uint)ignoreClass)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ColumnIndices(int offset) => typeof(T) == typeof(float)
        ? (Vector256<int>.Indices + Vector256.Create(offset)).As<int, T>()
        : (Vector256<long>.Indices + Vector256.Create((long)offset)).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> BroadcastIndex(int value) => typeof(T) == typeof(float)
        ? Vector256.Create(value).As<int, T>()
        : Vector256.Create((long)value).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> IndexEquals(Vector256<T> left, Vector256<T> right) => typeof(T) == typeof(float)
        ? Vector256.Equals(left.AsInt32(), right.AsInt32()).As<int, T>()
        : Vector256.Equals(left.AsInt64(), right.AsInt64()).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<T> Upper, Vector256<T> Index) PairStep(int d)
    {
        // Shuffles run on 32-bit sublanes (one-source permutes exist for those at every width): a double moves as two.
        var scale = typeof(T) == typeof(float) ? 1 : 2;
        var upper = ~Vector256.Equals(Vector256<int>.Indices & Vector256.Create(d * scale), Vector256<int>.Zero);
        return (upper.As<int, T>(), (Vector256<int>.Indices ^ Vector256.Create(d * scale)).As<int, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MaxPair(Vector256<T> low, Vector256<T> high, Vector256<T> upper, Vector256<T> index)
    {
        var x = Vector256.MaxNative(low, Vector256.Shuffle(low.As<T, float>(), index.AsInt32()).As<float, T>());
        var y = Vector256.MaxNative(high, Vector256.Shuffle(high.As<T, float>(), index.AsInt32()).As<float, T>());
        return Vector256.ConditionalSelect(upper, y, x);
    }

    public static bool Widens
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> WidenLower(Vector256<T> value) => typeof(T) == typeof(float)
        ? Vector256.WidenLower(value.As<T, float>())
        : value.As<T, double>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> WidenUpper(Vector256<T> value) => typeof(T) == typeof(float)
        ? Vector256.WidenUpper(value.As<T, float>())
        : Vector256<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> AddDouble(Vector256<double> left, Vector256<double> right) => left + right;

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
    public static Vector256<T> LoadLabels(ref readonly int target, nuint index)
    {
        Debug.Assert(typeof(T) == typeof(float), "int labels fill float lanes only");
        return Vector256.LoadUnsafe(in target, index).As<int, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> PositiveSigns01(Vector256<T> labels) => (labels.AsUInt32() << 31).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MarginCodes(Vector256<T> flipped, Vector256<T> scale)
    {
        Debug.Assert(typeof(T) == typeof(float), "margin codes are float lanes");
        var s = scale.As<T, float>();
        return Vector256.ConvertToInt32Native(Vector256.FusedMultiplyAdd(flipped.As<T, float>(), s, s)).As<int, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AddCodes(Vector256<T> codes, Vector256<T> more) =>
        (codes.AsUInt32() + more.AsUInt32()).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<double> Low, Vector256<double> High) FlushCodes(Vector256<double> low,
        Vector256<double> high, Vector256<T> codes) =>
        ((low.AsUInt64() + Vector256.WidenLower(codes.AsUInt32())).AsDouble(),
            (high.AsUInt64() + Vector256.WidenUpper(codes.AsUInt32())).AsDouble());

    public static double CodeSum(Vector256<double> low, Vector256<double> high) =>
        Vector256.Sum(low.AsUInt64() + high.AsUInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LabelMax(Vector256<T> accumulator, Vector256<T> labels) =>
        Vector256.Max(accumulator.AsUInt32(), labels.AsUInt32()).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LabelsAbove1(Vector256<T> accumulator) =>
        Vector256.GreaterThanAny(accumulator.AsUInt32(), Vector256<uint>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LaneMasks<Vector256<T>> TargetMasks<TTarget>(ref readonly TTarget target, nuint index, int ignore,
        bool hasIgnore, bool validate)
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
                // long targets under float lanes: decide in 64 bits, then narrow the masks (not the values).
                ref var l = ref Unsafe.As<TTarget, long>(ref t);
                var m0 = Masks64(Vector256.LoadUnsafe(ref l), ignore, hasIgnore, validate);
                var m1 = Masks64(Vector256.LoadUnsafe(ref l, 4), ignore, hasIgnore, validate);
                return new(Vector256.Narrow(m0.Negative.AsInt64(), m1.Negative.AsInt64()).As<int, T>(),
                    Vector256.Narrow(m0.Kept.AsInt64(), m1.Kept.AsInt64()).As<int, T>(), m0.Invalid | m1.Invalid);
            }

            return Masks32(codes, ignore, hasIgnore, validate);
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

            return Masks64(codes, ignore, hasIgnore, validate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static LaneMasks<Vector256<T>> Masks32(Vector256<int> codes, int ignore, bool hasIgnore, bool validate)
    {
        var zero = Vector256.Equals(codes, Vector256<int>.Zero);
        var ignored = hasIgnore ? Vector256.Equals(codes, Vector256.Create(ignore)) : Vector256<int>.Zero;
        var invalid = validate
            ? ~(zero | ignored | Vector256.Equals(codes, Vector256<int>.One))
            : Vector256<int>.Zero;
        return new(zero.As<int, T>(), (~ignored).As<int, T>(), invalid.As<int, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static LaneMasks<Vector256<T>> Masks64(Vector256<long> codes, int ignore, bool hasIgnore, bool validate)
    {
        var zero = Vector256.Equals(codes, Vector256<long>.Zero);
        var ignored = hasIgnore ? Vector256.Equals(codes, Vector256.Create((long)ignore)) : Vector256<long>.Zero;
        var invalid = validate
            ? ~(zero | ignored | Vector256.Equals(codes, Vector256<long>.One))
            : Vector256<long>.Zero;
        return new(zero.As<long, T>(), (~ignored).As<long, T>(), invalid.As<long, T>());
    }
}
