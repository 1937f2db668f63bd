using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HingeSharp.Kernels;

/// <summary><see cref="ISimdLanes{TV, TD, T}"/> on 512-bit registers (AVX-512 on x64); used only where .NET reports them accelerated.</summary>
internal readonly struct Lanes512<T> : ISimdLanes<Vector512<T>, Vector512<double>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsAccelerated
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated;
    }

    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.Count;
    }

    public static Vector512<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.Zero;
    }

    public static Vector512<T> One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.One;
    }

    public static Vector512<T> AllBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.AllBitsSet;
    }

    public static Vector512<T> SignBit
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(T.NegativeZero);
    }

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
    public static Vector512<T> MinNative(Vector512<T> left, Vector512<T> right) => Vector512.MinNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Select(Vector512<T> mask, Vector512<T> whenTrue, Vector512<T> whenFalse) =>
        Vector512.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Hinge(Vector512<T> margin) =>
        Vector512.MaxNative(Vector512<T>.Zero, Vector512<T>.One - margin);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> x) => typeof(T) == typeof(float)
        ? VectorExp.Exp(x.As<T, float>()).As<float, T>()
        : VectorExp.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> RangeCheck(Vector512<T> accumulator, Vector512<T> x, Vector512<T> kept)
    {
        if (typeof(T) == typeof(float))
        {
            // As unsigned integers, the bits of +0.0 … 1.0 are exactly those ≤ 0x3F800000; negatives (sign bit), NaN and
            // values above 1 are larger. Only −0.0 is flagged wrongly: callers confirm a failure with an exact scan.
            var bits = (x & kept).AsUInt32();
            return Vector512.Max(accumulator.AsUInt32(), bits).As<uint, T>();
        }

        return accumulator | Vector512.AndNot(kept, InUnitInterval(x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool RangeFailed(Vector512<T> accumulator) => typeof(T) == typeof(float)
        ? Vector512.GreaterThanAny(accumulator.AsUInt32(), Vector512.Create(0x3F800000u))
        : AnyBits(accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FiniteCheck(Vector512<T> accumulator, Vector512<T> x, Vector512<T> kept)
    {
        if (typeof(T) == typeof(float))
        {
            // |x| as unsigned bits is ≥ 0x7F800000 exactly for ±∞ and NaN.
            var bits = (x & kept).AsUInt32() & Vector512.Create(0x7FFFFFFFu);
            return Vector512.Max(accumulator.AsUInt32(), bits).As<uint, T>();
        }

        return accumulator | Vector512.AndNot(kept, IsFinite(x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool FiniteFailed(Vector512<T> accumulator) => typeof(T) == typeof(float)
        ? Vector512.GreaterThanOrEqualAny(accumulator.AsUInt32(), Vector512.Create(0x7F800000u))
        : AnyBits(accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MergeChecks(Vector512<T> left, Vector512<T> right) => typeof(T) == typeof(float)
        ? Vector512.Max(left.AsUInt32(), right.AsUInt32()).As<uint, T>()
        : left | right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> InUnitInterval(Vector512<T> x) =>
        Vector512.GreaterThanOrEqual(x, Vector512<T>.Zero) & Vector512.LessThanOrEqual(x, Vector512<T>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> GreaterThan(Vector512<T> left, Vector512<T> right) => Vector512.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> IsFinite(Vector512<T> x) =>
        Vector512.LessThan(Vector512.Abs(x), Vector512.Create(T.PositiveInfinity));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Equal(Vector512<T> left, Vector512<T> right) => Vector512.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaskBits(Vector512<T> mask) => (uint)mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FirstLanes(int count) =>
        Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LaneIs(int index) =>
        Vector512.Equals(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(index)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyBits(Vector512<T> mask) => mask.AsUInt64() != Vector512<ulong>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllClasses(ref readonly int target, int numClasses, int ignoreClass)
    {
        if (typeof(T) == typeof(float))
        {
            var v = Vector512.LoadUnsafe(in target).AsUInt32();
            return Vector512.LessThanAll(v, Vector512.Create((uint)numClasses)) &&
                (ignoreClass < 0 || !Vector512.EqualsAny(v, Vector512.Create((uint)ignoreClass)));
        }

        var h = Vector256.LoadUnsafe(in target).AsUInt32();
        return Vector256.LessThanAll(h, Vector256.Create((uint)numClasses)) &&
            (ignoreClass < 0 || !Vector256.EqualsAny(h, Vector256.Create((uint)ignoreClass)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ColumnIndices(int offset) => typeof(T) == typeof(float)
        ? (Vector512<int>.Indices + Vector512.Create(offset)).As<int, T>()
        : (Vector512<long>.Indices + Vector512.Create((long)offset)).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> BroadcastIndex(int value) => typeof(T) == typeof(float)
        ? Vector512.Create(value).As<int, T>()
        : Vector512.Create((long)value).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> IndexEquals(Vector512<T> left, Vector512<T> right) => typeof(T) == typeof(float)
        ? Vector512.Equals(left.AsInt32(), right.AsInt32()).As<int, T>()
        : Vector512.Equals(left.AsInt64(), right.AsInt64()).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<T> Upper, Vector512<T> Index) PairStep(int d)
    {
        // Shuffles run on 32-bit sublanes (one-source permutes exist for those at every width): a double moves as two.
        var scale = typeof(T) == typeof(float) ? 1 : 2;
        var upper = ~Vector512.Equals(Vector512<int>.Indices & Vector512.Create(d * scale), Vector512<int>.Zero);
        var index = Vector512<int>.Indices ^ Vector512.Create(d * scale);

        // With the two-source permute, lane l's partner l ^ d comes from high (index + 16) where bit d is set.
        var permute = Avx512F.IsSupported ? index | (upper & Vector512.Create(16)) : index;
        return (upper.As<int, T>(), permute.As<int, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MaxPair(Vector512<T> low, Vector512<T> high, Vector512<T> upper, Vector512<T> index)
    {
        if (Avx512F.IsSupported)
        {
            // Lane l takes its partner l ^ d from the same row (low where bit d is clear, high where it is set): one
            // blend, one permute and one maximum instead of two shuffles, two maxima and a blend.
            var own = Vector512.ConditionalSelect(upper, high, low);
            var other = Avx512F.PermuteVar16x32x2(low.As<T, float>(), index.AsInt32(), high.As<T, float>())
                .As<float, T>();
            return Vector512.MaxNative(own, other);
        }

        var x = Vector512.MaxNative(low, Vector512.Shuffle(low.As<T, float>(), index.AsInt32()).As<float, T>());
        var y = Vector512.MaxNative(high, Vector512.Shuffle(high.As<T, float>(), index.AsInt32()).As<float, T>());
        return Vector512.ConditionalSelect(upper, y, x);
    }

    public static bool Widens
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> WidenLower(Vector512<T> value) => typeof(T) == typeof(float)
        ? Vector512.WidenLower(value.As<T, float>())
        : value.As<T, double>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> WidenUpper(Vector512<T> value) => typeof(T) == typeof(float)
        ? Vector512.WidenUpper(value.As<T, float>())
        : Vector512<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> AddDouble(Vector512<double> left, Vector512<double> right) => left + right;

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
    public static Vector512<T> LoadLabels(ref readonly int target, nuint index)
    {
        Debug.Assert(typeof(T) == typeof(float), "int labels fill float lanes only");
        return Vector512.LoadUnsafe(in target, index).As<int, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> PositiveSigns01(Vector512<T> labels) => (labels.AsUInt32() << 31).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MarginCodes(Vector512<T> flipped, Vector512<T> scale)
    {
        Debug.Assert(typeof(T) == typeof(float), "margin codes are float lanes");
        var s = scale.As<T, float>();
        return Vector512.ConvertToInt32Native(Vector512.FusedMultiplyAdd(flipped.As<T, float>(), s, s)).As<int, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AddCodes(Vector512<T> codes, Vector512<T> more) =>
        (codes.AsUInt32() + more.AsUInt32()).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<double> Low, Vector512<double> High) FlushCodes(Vector512<double> low,
        Vector512<double> high, Vector512<T> codes) =>
        ((low.AsUInt64() + Vector512.WidenLower(codes.AsUInt32())).AsDouble(),
            (high.AsUInt64() + Vector512.WidenUpper(codes.AsUInt32())).AsDouble());

    public static double CodeSum(Vector512<double> low, Vector512<double> high) =>
        Vector512.Sum(low.AsUInt64() + high.AsUInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LabelMax(Vector512<T> accumulator, Vector512<T> labels) =>
        Vector512.Max(accumulator.AsUInt32(), labels.AsUInt32()).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LabelsAbove1(Vector512<T> accumulator) =>
        Vector512.GreaterThanAny(accumulator.AsUInt32(), Vector512<uint>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LaneMasks<Vector512<T>> TargetMasks<TTarget>(ref readonly TTarget target, nuint index, int ignore,
        bool hasIgnore, bool validate)
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
                // long targets under float lanes: decide in 64 bits, then narrow the masks (not the values).
                ref var l = ref Unsafe.As<TTarget, long>(ref t);
                var m0 = Masks64(Vector512.LoadUnsafe(ref l), ignore, hasIgnore, validate);
                var m1 = Masks64(Vector512.LoadUnsafe(ref l, 8), ignore, hasIgnore, validate);
                return new(Vector512.Narrow(m0.Negative.AsInt64(), m1.Negative.AsInt64()).As<int, T>(),
                    Vector512.Narrow(m0.Kept.AsInt64(), m1.Kept.AsInt64()).As<int, T>(), m0.Invalid | m1.Invalid);
            }

            return Masks32(codes, ignore, hasIgnore, validate);
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

            return Masks64(codes, ignore, hasIgnore, validate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static LaneMasks<Vector512<T>> Masks32(Vector512<int> codes, int ignore, bool hasIgnore, bool validate)
    {
        var zero = Vector512.Equals(codes, Vector512<int>.Zero);
        var ignored = hasIgnore ? Vector512.Equals(codes, Vector512.Create(ignore)) : Vector512<int>.Zero;
        var invalid = validate
            ? ~(zero | ignored | Vector512.Equals(codes, Vector512<int>.One))
            : Vector512<int>.Zero;
        return new(zero.As<int, T>(), (~ignored).As<int, T>(), invalid.As<int, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static LaneMasks<Vector512<T>> Masks64(Vector512<long> codes, int ignore, bool hasIgnore, bool validate)
    {
        var zero = Vector512.Equals(codes, Vector512<long>.Zero);
        var ignored = hasIgnore ? Vector512.Equals(codes, Vector512.Create((long)ignore)) : Vector512<long>.Zero;
        var invalid = validate
            ? ~(zero | ignored | Vector512.Equals(codes, Vector512<long>.One))
            : Vector512<long>.Zero;
        return new(zero.As<long, T>(), (~ignored).As<long, T>(), invalid.As<long, T>());
    }
}
