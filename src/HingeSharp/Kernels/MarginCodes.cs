namespace HingeSharp.Kernels;

/// <summary>
/// Hinge sums of probabilities as integers. Under the range-checked pass every float margin fl(1 ∓ p) of a score
/// p in [0, 1] is a multiple of 2⁻²⁴ in [0, 2]: a margin below 1/2 is 1 − p exactly (p in (1/2, 1], on the grid of
/// 2⁻²⁴), the others are rounded to the float grid of [1/2, 2], whose spacing is 2⁻²⁴ or 2⁻²³. A double sum of such
/// margins stays exact while it is below 2²⁹, in any order, so the loops may add the integers 2²⁴·margin instead: a
/// fused multiply-add <c>fma(∓p, 2²⁴, 2²⁴)</c> (its one rounding is that of fl(1 ∓ p), scaled) and a conversion,
/// 32 bits a lane for at most <see cref="VectorsPerFlush"/> additions, then 64. The total times 2⁻²⁴ is the double
/// sum's value, bit for bit, with no widening to double in the loop.
/// </summary>
internal static class MarginCodes
{
    /// <summary>2²⁴: the code of a margin of 1.</summary>
    internal const float Scale = 1 << 24;

    /// <summary>The value of one code: 2⁻²⁴.</summary>
    internal const double Unit = 1.0 / (1 << 24);

    /// <summary>Codes (each at most 2²⁵, the margin 2) a 32-bit unsigned lane adds before it must go into 64 bits:
    /// 127, as 128 · 2²⁵ is 2³².</summary>
    internal const int VectorsPerFlush = (int)(uint.MaxValue / (2u << 24));
}
