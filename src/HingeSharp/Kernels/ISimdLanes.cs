using System.Numerics;

namespace HingeSharp.Kernels;

/// <summary>
/// The vector operations the fused hinge loops need, for one register width (<see cref="Lanes128{T}"/>,
/// <see cref="Lanes256{T}"/>, <see cref="Lanes512{T}"/>) and one prediction type <typeparamref name="T"/>
/// (<see cref="float"/> or <see cref="double"/>). Each loop is written once against this interface; the JIT compiles
/// one specialised copy per width, so the calls inline to plain vector instructions.
/// </summary>
/// <typeparam name="TV">The prediction vector, e.g. <c>Vector256&lt;float&gt;</c>. Masks use the same type
/// (all bits set = true).</typeparam>
/// <typeparam name="TD">The double accumulator of the same width, e.g. <c>Vector256&lt;double&gt;</c>.</typeparam>
/// <typeparam name="T">The prediction element type.</typeparam>
internal interface ISimdLanes<TV, TD, T>
    where TV : struct
    where TD : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether this width runs on vector hardware (otherwise .NET emulates it slowly).</summary>
    static abstract bool IsAccelerated { get; }

    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    static abstract TV Zero { get; }

    static abstract TV One { get; }

    static abstract TV AllBits { get; }

    /// <summary>Every lane −0.0: only the sign bit set, for flipping signs with <see cref="Xor"/>.</summary>
    static abstract TV SignBit { get; }

    static abstract TV Load(ref readonly T source, nuint index);

    static abstract void Store(TV value, ref T destination, nuint index);

    static abstract TV Create(T value);

    static abstract TV Add(TV left, TV right);

    static abstract TV Subtract(TV left, TV right);

    static abstract TV Multiply(TV left, TV right);

    static abstract TV Divide(TV left, TV right);

    static abstract TV And(TV left, TV right);

    static abstract TV Or(TV left, TV right);

    static abstract TV Xor(TV left, TV right);

    /// <summary><c>left &amp; ~right</c>.</summary>
    static abstract TV AndNot(TV left, TV right);

    /// <summary>The hardware maximum; only used on finite values (NaN behaviour differs between platforms).</summary>
    static abstract TV Max(TV left, TV right);

    static abstract TV Select(TV mask, TV whenTrue, TV whenFalse);

    /// <summary><c>max(0, 1 − m)</c> on finite margins.</summary>
    static abstract TV Hinge(TV margin);

    /// <summary>e^x lane-wise (the BCL's vectorised exp).</summary>
    static abstract TV Exp(TV x);

    /// <summary>Mask of lanes <c>0 ≤ x ≤ 1</c> (false for NaN).</summary>
    static abstract TV InUnitInterval(TV x);

    /// <summary>Mask of finite lanes.</summary>
    static abstract TV IsFinite(TV x);

    /// <summary>Mask of the lanes whose index is below <paramref name="count"/>.</summary>
    static abstract TV FirstLanes(int count);

    /// <summary>Mask of the one lane whose index is <paramref name="index"/> (none when out of range).</summary>
    static abstract TV LaneIs(int index);

    static abstract bool AnyBits(TV mask);

    /// <summary>Adds the lanes of <paramref name="value"/> to double accumulators (float lanes are widened).</summary>
    static abstract void Accumulate(TV value, ref TD low, ref TD high);

    static abstract double Sum(TD low, TD high);

    /// <summary>The lanes of one accumulator pair, written in lane order to <paramref name="destination"/>.</summary>
    static abstract void Store(TD low, TD high, Span<double> destination);

    /// <summary>Adds one to the integer lane counters where <paramref name="mask"/> is set.</summary>
    static abstract TV CountLanes(TV counters, TV mask);

    static abstract long SumCounters(TV counters);

    /// <summary>The largest lane (hardware maximum, finite values).</summary>
    static abstract T MaxAcross(TV value);

    /// <summary>The sum of the lanes, in the prediction type.</summary>
    static abstract T SumAcross(TV value);

    /// <summary>
    /// Reads <see cref="Count"/> binary targets (byte, int or long) from <paramref name="index"/> and turns them into
    /// lane masks: <paramref name="negative"/> where the target is 0, <paramref name="kept"/> where it is not the
    /// ignore index; lanes holding anything else than 0, 1 or the ignore index are OR-ed into
    /// <paramref name="invalid"/> when <see cref="BinaryRule.Validate"/> is set.
    /// </summary>
    static abstract void TargetMasks<TTarget>(ref readonly TTarget target, nuint index, in BinaryRule rule,
        out TV negative, out TV kept, ref TV invalid)
        where TTarget : unmanaged;
}
