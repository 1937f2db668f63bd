using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>
/// e^x lane-wise for the kernels' sigmoid and softmax, inlined into their loops. The BCL's <c>Vector512.Exp</c> is not
/// inlined there and costs about 1.8 ns a float lane on AVX-512 (the logits pass ran 14× slower than the probabilities
/// one); this costs a few instructions a vector.
/// </summary>
/// <remarks>
/// <para>The argument is split as <c>x = n·ln 2 + r</c>, |r| ≤ ln 2 / 2, with n rounded by the 1.5·2^23 (2^52) shift
/// and ln 2 in two parts (Cody–Waite; the high part has few bits, so n·high is exact without a fused multiply-add).
/// e^r is Cephes' degree-7 polynomial for float (relative error 1.7e-7) and the Taylor polynomial of degree 13 for
/// double (truncation below 1e-17, under a tenth of an ulp). 2^n is applied as two factors that are each a normal
/// number, so results that overflow are +∞ and results in the subnormal range are rounded, not flushed.</para>
/// <para>Special values: NaN gives NaN, +∞ gives +∞, −∞ gives 0. The clamps keep NaN (the hardware minimum and
/// maximum return their second operand when either is NaN). Multiply-adds are fused where the CPU has FMA
/// (<c>MultiplyAddEstimate</c>), so every width gives the same bits on one machine.</para>
/// </remarks>
internal static class VectorExp
{
    // float: arguments beyond these give +∞ and 0 anyway; n then stays within [−150, 128].
    private const float FloatLow = -104f;
    private const float FloatHigh = 89f;
    private const float FloatLog2E = 1.44269504088896341f;
    private const float FloatShift = 12582912f;            // 1.5·2^23: adding it rounds to an integer in the low bits
    private const int FloatShiftBits = 0x4B400000;
    private const float FloatLn2High = 0.693359375f;
    private const float FloatLn2Low = -2.12194440e-4f;
    private const float F0 = 1.9875691500e-4f;
    private const float F1 = 1.3981999507e-3f;
    private const float F2 = 8.3334519073e-3f;
    private const float F3 = 4.1665795894e-2f;
    private const float F4 = 1.6666665459e-1f;
    private const float F5 = 5.0000001201e-1f;

    // double: n stays within [−1076, 1024].
    private const double DoubleLow = -746d;
    private const double DoubleHigh = 710d;
    private const double DoubleLog2E = 1.4426950408889634d;
    private const double DoubleShift = 6755399441055744d;    // 1.5·2^52
    private const long DoubleShiftBits = 0x4338000000000000;
    private const double DoubleLn2High = 6.93145751953125e-1;
    private const double DoubleLn2Low = 1.42860682030941723212e-6;

    /// <summary>e^x of each float lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.MinNative(Vector512.Create(FloatHigh), Vector512.MaxNative(Vector512.Create(FloatLow), x));
        var z = Vector512.MultiplyAddEstimate(x, Vector512.Create(FloatLog2E), Vector512.Create(FloatShift));
        var n = z - Vector512.Create(FloatShift);
        var r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-FloatLn2High), x);
        r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-FloatLn2Low), r);
        var p = Vector512.MultiplyAddEstimate(Vector512.Create(F0), r, Vector512.Create(F1));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(F2));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(F3));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(F4));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(F5));
        var y = Vector512.MultiplyAddEstimate(p, r * r, r) + Vector512<float>.One;

        // 2^n = 2^h · 2^(n−h), h = ⌊n/2⌋, from the biased nb = n + 256 (positive, so logical shifts do).
        var nb = z.AsInt32() - Vector512.Create(FloatShiftBits - 256);
        var hb = Vector512.ShiftRightLogical(nb, 1);
        var high = Vector512.ShiftLeft(hb - Vector512<int>.One, 23).AsSingle();
        var low = Vector512.ShiftLeft(nb - hb - Vector512<int>.One, 23).AsSingle();
        return y * high * low;
    }

    /// <summary>e^x of each double lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        x = Vector512.MinNative(Vector512.Create(DoubleHigh), Vector512.MaxNative(Vector512.Create(DoubleLow), x));
        var z = Vector512.MultiplyAddEstimate(x, Vector512.Create(DoubleLog2E), Vector512.Create(DoubleShift));
        var n = z - Vector512.Create(DoubleShift);
        var r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-DoubleLn2High), x);
        r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-DoubleLn2Low), r);

        // Taylor: 1/13!, …, 1/2!.
        var p = Vector512.MultiplyAddEstimate(Vector512.Create(1d / 6227020800d), r, Vector512.Create(1d / 479001600d));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1d / 39916800d));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1d / 3628800d));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1d / 362880d));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1d / 40320d));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1d / 5040d));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1d / 720d));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1d / 120d));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1d / 24d));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1d / 6d));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(0.5d));
        var y = Vector512.MultiplyAddEstimate(p, r * r, r) + Vector512<double>.One;

        // 2^n as two normal factors, from nb = n + 2048.
        var nb = z.AsInt64() - Vector512.Create(DoubleShiftBits - 2048);
        var hb = Vector512.ShiftRightLogical(nb, 1);
        var high = Vector512.ShiftLeft(hb - Vector512<long>.One, 52).AsDouble();
        var low = Vector512.ShiftLeft(nb - hb - Vector512<long>.One, 52).AsDouble();
        return y * high * low;
    }

    /// <summary>e^x of each float lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.MinNative(Vector256.Create(FloatHigh), Vector256.MaxNative(Vector256.Create(FloatLow), x));
        var z = Vector256.MultiplyAddEstimate(x, Vector256.Create(FloatLog2E), Vector256.Create(FloatShift));
        var n = z - Vector256.Create(FloatShift);
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-FloatLn2High), x);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-FloatLn2Low), r);
        var p = Vector256.MultiplyAddEstimate(Vector256.Create(F0), r, Vector256.Create(F1));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(F2));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(F3));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(F4));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(F5));
        var y = Vector256.MultiplyAddEstimate(p, r * r, r) + Vector256<float>.One;

        // 2^n = 2^h · 2^(n−h), h = ⌊n/2⌋, from the biased nb = n + 256 (positive, so logical shifts do).
        var nb = z.AsInt32() - Vector256.Create(FloatShiftBits - 256);
        var hb = Vector256.ShiftRightLogical(nb, 1);
        var high = Vector256.ShiftLeft(hb - Vector256<int>.One, 23).AsSingle();
        var low = Vector256.ShiftLeft(nb - hb - Vector256<int>.One, 23).AsSingle();
        return y * high * low;
    }

    /// <summary>e^x of each double lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        x = Vector256.MinNative(Vector256.Create(DoubleHigh), Vector256.MaxNative(Vector256.Create(DoubleLow), x));
        var z = Vector256.MultiplyAddEstimate(x, Vector256.Create(DoubleLog2E), Vector256.Create(DoubleShift));
        var n = z - Vector256.Create(DoubleShift);
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-DoubleLn2High), x);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-DoubleLn2Low), r);

        // Taylor: 1/13!, …, 1/2!.
        var p = Vector256.MultiplyAddEstimate(Vector256.Create(1d / 6227020800d), r, Vector256.Create(1d / 479001600d));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1d / 39916800d));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1d / 3628800d));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1d / 362880d));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1d / 40320d));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1d / 5040d));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1d / 720d));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1d / 120d));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1d / 24d));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1d / 6d));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(0.5d));
        var y = Vector256.MultiplyAddEstimate(p, r * r, r) + Vector256<double>.One;

        // 2^n as two normal factors, from nb = n + 2048.
        var nb = z.AsInt64() - Vector256.Create(DoubleShiftBits - 2048);
        var hb = Vector256.ShiftRightLogical(nb, 1);
        var high = Vector256.ShiftLeft(hb - Vector256<long>.One, 52).AsDouble();
        var low = Vector256.ShiftLeft(nb - hb - Vector256<long>.One, 52).AsDouble();
        return y * high * low;
    }

    /// <summary>e^x of each float lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        x = Vector128.MinNative(Vector128.Create(FloatHigh), Vector128.MaxNative(Vector128.Create(FloatLow), x));
        var z = Vector128.MultiplyAddEstimate(x, Vector128.Create(FloatLog2E), Vector128.Create(FloatShift));
        var n = z - Vector128.Create(FloatShift);
        var r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-FloatLn2High), x);
        r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-FloatLn2Low), r);
        var p = Vector128.MultiplyAddEstimate(Vector128.Create(F0), r, Vector128.Create(F1));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(F2));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(F3));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(F4));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(F5));
        var y = Vector128.MultiplyAddEstimate(p, r * r, r) + Vector128<float>.One;

        // 2^n = 2^h · 2^(n−h), h = ⌊n/2⌋, from the biased nb = n + 256 (positive, so logical shifts do).
        var nb = z.AsInt32() - Vector128.Create(FloatShiftBits - 256);
        var hb = Vector128.ShiftRightLogical(nb, 1);
        var high = Vector128.ShiftLeft(hb - Vector128<int>.One, 23).AsSingle();
        var low = Vector128.ShiftLeft(nb - hb - Vector128<int>.One, 23).AsSingle();
        return y * high * low;
    }

    /// <summary>e^x of each double lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x)
    {
        x = Vector128.MinNative(Vector128.Create(DoubleHigh), Vector128.MaxNative(Vector128.Create(DoubleLow), x));
        var z = Vector128.MultiplyAddEstimate(x, Vector128.Create(DoubleLog2E), Vector128.Create(DoubleShift));
        var n = z - Vector128.Create(DoubleShift);
        var r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-DoubleLn2High), x);
        r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-DoubleLn2Low), r);

        // Taylor: 1/13!, …, 1/2!.
        var p = Vector128.MultiplyAddEstimate(Vector128.Create(1d / 6227020800d), r, Vector128.Create(1d / 479001600d));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1d / 39916800d));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1d / 3628800d));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1d / 362880d));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1d / 40320d));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1d / 5040d));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1d / 720d));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1d / 120d));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1d / 24d));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1d / 6d));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(0.5d));
        var y = Vector128.MultiplyAddEstimate(p, r * r, r) + Vector128<double>.One;

        // 2^n as two normal factors, from nb = n + 2048.
        var nb = z.AsInt64() - Vector128.Create(DoubleShiftBits - 2048);
        var hb = Vector128.ShiftRightLogical(nb, 1);
        var high = Vector128.ShiftLeft(hb - Vector128<long>.One, 52).AsDouble();
        var low = Vector128.ShiftLeft(nb - hb - Vector128<long>.One, 52).AsDouble();
        return y * high * low;
    }
}
