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

    /// <summary>The hardware minimum; only used on finite values.</summary>
    static abstract TV MinNative(TV left, TV right);

    static abstract TV Select(TV mask, TV whenTrue, TV whenFalse);

    /// <summary><c>max(0, 1 − m)</c> on finite margins.</summary>
    static abstract TV Hinge(TV margin);

    /// <summary>e^x lane-wise (<see cref="VectorExp"/>).</summary>
    static abstract TV Exp(TV x);

    /// <summary>
    /// Folds the kept lanes of <paramref name="x"/> into a range-check accumulator (start from <see cref="Zero"/>);
    /// <see cref="RangeFailed"/> then tells whether any of them was outside [0, 1] or NaN. For float lanes −0.0 also
    /// fails (one unsigned maximum per vector): a failure must be confirmed by an exact scan.
    /// </summary>
    static abstract TV RangeCheck(TV accumulator, TV x, TV kept);

    static abstract bool RangeFailed(TV accumulator);

    /// <summary>The same for finiteness: <see cref="FiniteFailed"/> tells whether a kept lane was NaN or ±∞.</summary>
    static abstract TV FiniteCheck(TV accumulator, TV x, TV kept);

    static abstract bool FiniteFailed(TV accumulator);

    /// <summary>Combines two check accumulators of the same kind (as if one had seen both inputs).</summary>
    static abstract TV MergeChecks(TV left, TV right);

    /// <summary>Mask of lanes <c>0 ≤ x ≤ 1</c> (false for NaN).</summary>
    static abstract TV InUnitInterval(TV x);

    /// <summary>Mask of lanes <c>left &gt; right</c> (false when either is NaN).</summary>
    static abstract TV GreaterThan(TV left, TV right);

    /// <summary>Mask of finite lanes.</summary>
    static abstract TV IsFinite(TV x);

    /// <summary>Mask of lanes <c>left == right</c> (false when either is NaN; −0.0 equals +0.0).</summary>
    static abstract TV Equal(TV left, TV right);

    /// <summary>One bit per lane of a mask, lane 0 in bit 0 (<see cref="Count"/> bits).</summary>
    static abstract uint MaskBits(TV mask);

    /// <summary>Mask of the lanes whose index is below <paramref name="count"/>.</summary>
    static abstract TV FirstLanes(int count);

    /// <summary>Mask of the one lane whose index is <paramref name="index"/> (none when out of range).</summary>
    static abstract TV LaneIs(int index);

    static abstract bool AnyBits(TV mask);

    /// <summary>
    /// Whether the <see cref="Count"/> int class indices at <paramref name="target"/> all lie in [0,
    /// <paramref name="numClasses"/>) and none equals <paramref name="ignoreClass"/> (−1 when no class is ignored:
    /// then the range test alone decides, as −1 read unsigned lies past every class).
    /// </summary>
    static abstract bool AllClasses(ref readonly int target, int numClasses, int ignoreClass);

    /// <summary>Integer lanes (int for float, long for double) holding <c>offset + lane index</c>.</summary>
    static abstract TV ColumnIndices(int offset);

    /// <summary>Integer lanes all holding <paramref name="value"/>.</summary>
    static abstract TV BroadcastIndex(int value);

    /// <summary>Mask of the lanes where two integer-lane vectors are equal.</summary>
    static abstract TV IndexEquals(TV left, TV right);

    /// <summary>
    /// The two constants of <see cref="MaxPair"/>'s step d: the lanes taken from <c>high</c> (where bit d of the lane
    /// index is set), and the shuffle (or two-source permute) indices. Hot loops take them as values
    /// (<see cref="BlockConstants{TV}"/>), so that they stay in registers instead of being reloaded at every step.
    /// </summary>
    static abstract (TV Upper, TV Index) PairStep(int d);

    /// <summary>
    /// One step d of a transpose-and-reduce, with its constants from <see cref="PairStep"/>: both vectors are maxed
    /// with themselves shuffled by lane ^ d, and the result takes <paramref name="low"/>'s lanes where bit d of the
    /// lane index is clear, <paramref name="high"/>'s where it is set. Composing steps d = 1, 2, 4, … over Count row
    /// vectors yields lane j = maximum of row j (finite values).
    /// </summary>
    static abstract TV MaxPair(TV low, TV high, TV upper, TV index);

    /// <summary>Whether lanes are float (an accumulator pair holds the lower and upper half widened to double).</summary>
    static abstract bool Widens { get; }

    /// <summary>The lower half of float lanes widened to double; double lanes as they are.</summary>
    static abstract TD WidenLower(TV value);

    /// <summary>The upper half of float lanes widened to double; zero for double lanes.</summary>
    static abstract TD WidenUpper(TV value);

    static abstract TD AddDouble(TD left, TD right);

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
    /// lane masks: negative where the target is 0, kept where it is not the ignore index, invalid where it is
    /// neither 0, 1 nor the ignore index (only when <paramref name="validate"/>).
    /// </summary>
    static abstract LaneMasks<TV> TargetMasks<TTarget>(ref readonly TTarget target, nuint index, int ignore,
        bool hasIgnore, bool validate)
        where TTarget : unmanaged;

    /// <summary>
    /// Float lanes only: <see cref="Count"/> int binary targets from <paramref name="index"/>, their bits as lanes, for
    /// the validated plain rule without an ignore index (<see cref="PositiveSigns01"/>, <see cref="LabelsAbove1"/>):
    /// two operations a vector where <see cref="TargetMasks{TTarget}"/> takes five.
    /// </summary>
    static abstract TV LoadLabels(ref readonly int target, nuint index);

    /// <summary>
    /// The sign bit where the label lane is 1, nothing where it is 0 (one shift): <c>x ^ PositiveSigns01(labels)</c>
    /// is −y·x for y = ±1. Other labels give either; the caller rejects them (<see cref="LabelsAbove1"/>).
    /// </summary>
    static abstract TV PositiveSigns01(TV labels);

    /// <summary>
    /// Float lanes only: the margins <c>1 + flipped</c> as the integers 2²⁴·margin, their bits as lanes (one fused
    /// multiply-add, one conversion; <paramref name="scale"/> is 2²⁴ in every lane, made once before the loop).
    /// Exact for margins on the grid of 2⁻²⁴ in [0, 2]; other lanes give garbage that the caller discards with its
    /// unit.
    /// </summary>
    static abstract TV MarginCodes(TV flipped, TV scale);

    /// <summary>Float lanes only: adds margin codes lane-wise as unsigned 32-bit integers.</summary>
    static abstract TV AddCodes(TV codes, TV more);

    /// <summary>Float lanes only: adds the 32-bit code sums to the 64-bit ones that <paramref name="low"/> and
    /// <paramref name="high"/> hold (as unsigned integers, not doubles; start from zero).</summary>
    static abstract (TD Low, TD High) FlushCodes(TD low, TD high, TV codes);

    /// <summary>The total of the 64-bit code sums <see cref="FlushCodes"/> gives, as a double (exact below 2⁵³).</summary>
    static abstract double CodeSum(TD low, TD high);

    /// <summary>The lane-wise unsigned maximum of the label bits seen so far (start from <see cref="Zero"/>).</summary>
    static abstract TV LabelMax(TV accumulator, TV labels);

    /// <summary>Whether a label maximum holds a lane above 1 (unsigned: negative labels are above too), that is, a
    /// label other than 0 and 1.</summary>
    static abstract bool LabelsAbove1(TV accumulator);
}

/// <summary>The masks one vector of binary targets yields (returned by value so the loops keep them in registers).</summary>
internal readonly record struct LaneMasks<TV>(TV Negative, TV Kept, TV Invalid)
    where TV : struct;
