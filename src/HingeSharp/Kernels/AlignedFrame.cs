using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HingeSharp.Kernels;

/// <summary>
/// How an element-wise vector loop over one unit reads its predictions: the full vectors from the first aligned one
/// on, and padded vectors for the rest, in lanes rotated by <see cref="Lead"/> so that every lane adds the same
/// elements in the same order as a loop from the unit's first element would (its last partial vector padded in the
/// lanes the overlapping last vector gives it). Rotating the per-lane sums back (<see cref="Unrotate{TD}"/>) makes
/// the result independent of where the data lies, bit for bit.
/// </summary>
/// <remarks>
/// Order of the loop: the head pad (the <see cref="Lead"/> elements before the first aligned vector, in the last
/// lanes), the full vectors <c>[Lead, MainEnd)</c> of the data, then the pads from <see cref="HeadEnd"/> on: the rest
/// of the last full vector (the elements <c>[MainEnd, Full)</c>, in the first lanes) and the tail <c>[Full, N)</c>.
/// Every other pad lane holds the caller's neutral pair, whose contribution is exactly zero.
/// </remarks>
internal readonly struct AlignedFrame
{
    private AlignedFrame(int width, int n, int lead)
    {
        Width = width;
        N = n;
        Lead = lead;
        Full = n / width * width;
        var tail = n > Full ? 1 : 0;
        (HeadEnd, MainEnd, PadVectors) = lead > 0 ? (width, Full - width + lead, 2 + tail) : (0, Full, tail);
    }

    /// <summary>Lanes per vector.</summary>
    internal int Width { get; }

    /// <summary>Elements in the unit.</summary>
    internal int N { get; }

    /// <summary>Elements before the first aligned vector (0 when the data is aligned or the unit is shorter than two
    /// vectors): the loop's lane j holds what a loop from the first element holds in lane
    /// <c>(j + Lead) mod Width</c>.</summary>
    internal int Lead { get; }

    /// <summary>Elements in the unit's full vectors (a multiple of <see cref="Width"/>).</summary>
    internal int Full { get; }

    /// <summary>Where the pads read before the data end (0 or <see cref="Width"/>): the head pad is
    /// <c>[0, HeadEnd)</c>, the pads after the data <c>[HeadEnd, PadVectors · Width)</c>.</summary>
    internal int HeadEnd { get; }

    /// <summary>Where the data loop <c>[Lead, MainEnd)</c> ends.</summary>
    internal int MainEnd { get; }

    /// <summary>Padded vectors in all (0 to 3).</summary>
    internal int PadVectors { get; }

    /// <summary>The frame of <paramref name="preds"/> for vectors of <paramref name="width"/> lanes and
    /// <paramref name="vectorBytes"/> bytes.</summary>
    internal static AlignedFrame Of<T>(ReadOnlySpan<T> preds, int width, int vectorBytes)
        where T : unmanaged
    {
        var lead = preds.Length >= 2 * width ? BlockMemory.Lead(in MemoryMarshal.GetReference(preds), vectorBytes) : 0;
        return new AlignedFrame(width, preds.Length, lead);
    }

    /// <summary>
    /// The segment the loop reads after segment <paramref name="stage"/> (0: the head pad, 1: the data's full
    /// vectors, 2: the pads after them): its stage, whether it lies in the pads, and its range <c>[start, end)</c>;
    /// stage 3 when none is left. The loop starts at stage 0, <c>[0, HeadEnd)</c> of the pads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Next(int stage, out bool pads, out nuint start, out nuint end)
    {
        if (stage == 0)
        {
            (pads, start, end) = (false, (nuint)Lead, (nuint)MainEnd);
            return 1;
        }

        if (stage == 1 && PadVectors * Width > HeadEnd)
        {
            (pads, start, end) = (true, (nuint)HeadEnd, (nuint)(PadVectors * Width));
            return 2;
        }

        (pads, start, end) = (false, 0, 0);
        return 3;
    }

    /// <summary>Where the segment <see cref="Next"/> gave starts reading one stream: its pad vectors' or its data's
    /// first element (the segment's range indexes from there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref readonly T Start<T>(bool pads, ReadOnlySpan<T> padVectors, ReadOnlySpan<T> data) =>
        ref MemoryMarshal.GetReference(pads ? padVectors : data);

    /// <summary>
    /// Fills the pads (<see cref="PadVectors"/> vectors each): the neutral pair in every lane, then the elements the
    /// data loop does not read, in their rotated lanes. Called before the loop, while no vector is live.
    /// </summary>
    /// <returns>The number of neutral lanes the loop reads.</returns>
    internal int Fill<T, TTarget>(ReadOnlySpan<T> preds, ReadOnlySpan<TTarget> target, Span<T> predPad,
        Span<TTarget> targetPad, T padValue)
        where TTarget : INumberBase<TTarget>
    {
        if (PadVectors == 0)
        {
            return 0;
        }

        predPad.Fill(padValue);
        targetPad.Fill(TTarget.One);
        var w = Width;
        var rest = N - Full;
        if (Lead == 0)
        {
            // The tail in the lanes the overlapping last vector gives it (a unit shorter than a vector: the first).
            var at = Full > 0 ? w - rest : 0;
            preds[Full..].CopyTo(predPad[at..]);
            target[Full..].CopyTo(targetPad[at..]);
            return w - rest;
        }

        // The head: elements [0, Lead) were lanes [0, Lead) of the first vector, now lanes [w − Lead, w).
        preds[..Lead].CopyTo(predPad[(w - Lead)..w]);
        target[..Lead].CopyTo(targetPad[(w - Lead)..w]);

        // The end of the last full vector: elements [MainEnd, Full) were its lanes [Lead, w), now [0, w − Lead).
        preds[MainEnd..Full].CopyTo(predPad[w..]);
        target[MainEnd..Full].CopyTo(targetPad[w..]);
        if (rest == 0)
        {
            return w;
        }

        // The tail: element Full + j was lane w − rest + j, now (w − rest + j − Lead) mod w.
        for (var j = 0; j < rest; j++)
        {
            var lane = (w - rest + j - Lead + w) % w;
            predPad[(2 * w) + lane] = preds[Full + j];
            targetPad[(2 * w) + lane] = target[Full + j];
        }

        return w + (w - rest);
    }

    /// <summary>
    /// The per-lane double sums <paramref name="low"/> (lanes [0, Width) or their lower half) and
    /// <paramref name="high"/> (the upper half, when the floats widen into two registers) in the unrotated lanes.
    /// </summary>
    internal (TD Low, TD High) Unrotate<TD>(TD low, TD high)
        where TD : struct
    {
        if (Lead == 0)
        {
            return (low, high);
        }

        var half = Unsafe.SizeOf<TD>() / sizeof(double);
        Span<double> rotated = stackalloc double[2 * half];
        Span<double> lanes = stackalloc double[2 * half];
        MemoryMarshal.Write(MemoryMarshal.AsBytes(rotated), in low);
        MemoryMarshal.Write(MemoryMarshal.AsBytes(rotated[half..]), in high);
        rotated[Width..].CopyTo(lanes[Width..]);
        for (var lane = 0; lane < Width; lane++)
        {
            lanes[lane] = rotated[(lane - Lead + Width) % Width];
        }

        return (MemoryMarshal.Read<TD>(MemoryMarshal.AsBytes(lanes)),
            MemoryMarshal.Read<TD>(MemoryMarshal.AsBytes(lanes[half..])));
    }
}
