using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HingeSharp.Kernels;

/// <summary>The activations the fused dense kernels know (Keras names: linear, relu, tanh, sigmoid).</summary>
internal enum DenseActivation
{
    /// <summary>Identity.</summary>
    Linear,

    /// <summary><c>max(x, 0)</c>.</summary>
    Relu,

    /// <summary><c>tanh(x)</c>.</summary>
    Tanh,

    /// <summary><c>1 / (1 + e^(−x))</c>.</summary>
    Sigmoid,
}

/// <summary>
/// Forward and backward passes of a dense layer <c>a = f(x · Wᵀ + b)</c> on row-major float spans, with torch's
/// <c>Linear</c> layout (<c>W</c> is <c>(out, in)</c>). Used by the fused training path of the torch adapter for
/// small stacks, where a libtorch call costs more than the arithmetic.
/// </summary>
internal static class DenseLayerKernels
{
    /// <summary><c>z = x · Wᵀ + b</c> for <paramref name="rows"/> rows; <paramref name="bias"/> may be empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Linear(ReadOnlySpan<float> x, int rows, int inDim, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, Span<float> z, int outDim)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * inDim, inDim);
            Span<float> zr = z.Slice(r * outDim, outDim);
            if (inDim >= 16)
            {
                for (int o = 0; o < outDim; o++)
                {
                    zr[o] = Dot(xr, w.Slice(o * inDim, inDim));
                }
            }
            else
            {
                for (int o = 0; o < outDim; o++)
                {
                    ReadOnlySpan<float> wo = w.Slice(o * inDim, inDim);
                    float s = 0f;
                    for (int i = 0; i < inDim; i++)
                    {
                        s += xr[i] * wo[i];
                    }

                    zr[o] = s;
                }
            }

            if (!bias.IsEmpty)
            {
                AddInPlace(zr, bias);
            }
        }
    }

    /// <summary><c>z = x · Wt + b</c> with the weights stored transposed, <c>Wt</c> of shape <c>(in, out)</c>:
    /// each row is the bias plus one <c>axpy</c> of length <paramref name="outDim"/> per input (the fast form
    /// for narrow inputs and wide outputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void LinearTransposed(ReadOnlySpan<float> x, int rows, int inDim, ReadOnlySpan<float> wt,
        ReadOnlySpan<float> bias, Span<float> z, int outDim)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * inDim, inDim);
            Span<float> zr = z.Slice(r * outDim, outDim);
            if (bias.IsEmpty)
            {
                zr.Clear();
            }
            else
            {
                bias.CopyTo(zr);
            }

            for (int i = 0; i < inDim; i++)
            {
                MultiplyAddInPlace(wt.Slice(i * outDim, outDim), xr[i], zr);
            }
        }
    }

    /// <summary><c>dWt = xᵀ · dz</c> (<c>(in, out)</c>, the transposed layout) and <c>db = Σ_rows dz</c>,
    /// overwriting both; <paramref name="biasGradient"/> may be empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WeightGradientTransposed(ReadOnlySpan<float> dz, int rows, int outDim,
        ReadOnlySpan<float> x, int inDim, Span<float> weightGradient, Span<float> biasGradient)
    {
        weightGradient.Clear();
        biasGradient.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * inDim, inDim);
            ReadOnlySpan<float> dzr = dz.Slice(r * outDim, outDim);
            for (int i = 0; i < inDim; i++)
            {
                Span<float> gw = weightGradient.Slice(i * outDim, outDim);
                MultiplyAddInPlace(dzr, xr[i], gw);
            }

            if (!biasGradient.IsEmpty)
            {
                AddInPlace(biasGradient, dzr);
            }
        }
    }

    /// <summary><c>dx = dz · Wtᵀ</c> with the weights stored transposed, overwriting <paramref name="dx"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void InputGradientTransposed(ReadOnlySpan<float> dz, int rows, int outDim,
        ReadOnlySpan<float> wt, int inDim, Span<float> dx)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> dzr = dz.Slice(r * outDim, outDim);
            Span<float> dxr = dx.Slice(r * inDim, inDim);
            for (int i = 0; i < inDim; i++)
            {
                dxr[i] = Dot(dzr, wt.Slice(i * outDim, outDim));
            }
        }
    }

    /// <summary>Adds <paramref name="bias"/> to every row of <paramref name="z"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddBias(Span<float> z, int rows, ReadOnlySpan<float> bias)
    {
        int width = bias.Length;
        for (int r = 0; r < rows; r++)
        {
            Span<float> zr = z.Slice(r * width, width);
            AddInPlace(zr, bias);
        }
    }

    /// <summary>Applies an activation in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Activate(DenseActivation activation, Span<float> values)
    {
        switch (activation)
        {
            case DenseActivation.Relu:
                MaxZero(values);
                break;
            case DenseActivation.Tanh:
                TensorPrimitives.Tanh(values, values);
                break;
            case DenseActivation.Sigmoid:
                TensorPrimitives.Sigmoid(values, values);
                break;
        }
    }

    /// <summary>Multiplies <paramref name="gradient"/> by the activation's derivative, written with the
    /// activation's output <paramref name="activated"/> (relu: <c>a &gt; 0</c>; tanh: <c>1 − a²</c>; sigmoid:
    /// <c>a(1 − a)</c>), as torch's backward formulas are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ActivationBackward(DenseActivation activation, ReadOnlySpan<float> activated,
        Span<float> gradient)
    {
        switch (activation)
        {
            case DenseActivation.Relu:
                ReluBackward(activated, gradient);
                break;
            case DenseActivation.Tanh:
                for (int i = 0; i < gradient.Length; i++)
                {
                    float a = activated[i];
                    gradient[i] *= 1f - (a * a);
                }

                break;
            case DenseActivation.Sigmoid:
                for (int i = 0; i < gradient.Length; i++)
                {
                    float a = activated[i];
                    gradient[i] *= (1f - a) * a;
                }

                break;
        }
    }

    /// <summary><c>g ← a &gt; 0 ? g : 0</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReluBackward(ReadOnlySpan<float> activated, Span<float> gradient)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && gradient.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> va = MemoryMarshal.Cast<float, Vector<float>>(activated[..gradient.Length]);
            Span<Vector<float>> vg = MemoryMarshal.Cast<float, Vector<float>>(gradient);
            for (int k = 0; k < vg.Length; k++)
            {
                vg[k] = Vector.ConditionalSelect(Vector.GreaterThan(va[k], Vector<float>.Zero), vg[k],
                    Vector<float>.Zero);
            }

            i = vg.Length * Vector<float>.Count;
        }

        for (; i < gradient.Length; i++)
        {
            gradient[i] = activated[i] > 0f ? gradient[i] : 0f;
        }
    }

    /// <summary><c>dW = dzᵀ · x</c> (<c>(out, in)</c>) and <c>db = Σ_rows dz</c>, overwriting both;
    /// <paramref name="biasGradient"/> may be empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WeightGradient(ReadOnlySpan<float> dz, int rows, int outDim, ReadOnlySpan<float> x,
        int inDim, Span<float> weightGradient, Span<float> biasGradient)
    {
        weightGradient.Clear();
        biasGradient.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * inDim, inDim);
            ReadOnlySpan<float> dzr = dz.Slice(r * outDim, outDim);
            for (int o = 0; o < outDim; o++)
            {
                float d = dzr[o];
                if (d == 0f)
                {
                    continue;
                }

                Span<float> gw = weightGradient.Slice(o * inDim, inDim);
                if (inDim >= 16)
                {
                    MultiplyAddInPlace(xr, d, gw);
                }
                else
                {
                    for (int i = 0; i < inDim; i++)
                    {
                        gw[i] += d * xr[i];
                    }
                }
            }

            if (!biasGradient.IsEmpty)
            {
                AddInPlace(biasGradient, dzr);
            }
        }
    }

    /// <summary><c>dx = dz · W</c> (<c>(rows, in)</c>), overwriting <paramref name="dx"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void InputGradient(ReadOnlySpan<float> dz, int rows, int outDim, ReadOnlySpan<float> w,
        int inDim, Span<float> dx)
    {
        dx.Slice(0, rows * inDim).Clear();
        for (int r = 0; r < rows; r++)
        {
            Span<float> dxr = dx.Slice(r * inDim, inDim);
            ReadOnlySpan<float> dzr = dz.Slice(r * outDim, outDim);
            for (int o = 0; o < outDim; o++)
            {
                float d = dzr[o];
                if (d != 0f)
                {
                    MultiplyAddInPlace(w.Slice(o * inDim, inDim), d, dxr);
                }
            }
        }
    }

    // The layers' vector loops: the kernels' own, inlined into the AggressiveOptimization methods above, rather than
    // TensorPrimitives calls. Those are jitted at tier 0 first and the runtime holds their tier-up back while a process
    // starts, so the first Fit calls of a process ran several times slower than the later ones.

    /// <summary><c>Σ a[i]·b[i]</c> (equal lengths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        nuint i = 0, n = (nuint)a.Length;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, i), Vector512.LoadUnsafe(ref pb, i), acc);
            }

            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, i), Vector256.LoadUnsafe(ref pb, i), acc);
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref pa, i) * Unsafe.Add(ref pb, i);
        }

        return sum;
    }

    /// <summary><c>z[i] += b[i]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInPlace(Span<float> z, ReadOnlySpan<float> b)
    {
        ref var pz = ref MemoryMarshal.GetReference(z);
        ref var pb = ref MemoryMarshal.GetReference(b);
        nuint i = 0, n = (nuint)z.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                (Vector512.LoadUnsafe(ref pz, i) + Vector512.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pz, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                (Vector256.LoadUnsafe(ref pz, i) + Vector256.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pz, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref pz, i) += Unsafe.Add(ref pb, i);
        }
    }

    /// <summary><c>acc[i] += x[i]·s</c>, the product rounded before the sum (as TensorPrimitives.MultiplyAdd).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAddInPlace(ReadOnlySpan<float> x, float s, Span<float> acc)
    {
        ref var px = ref MemoryMarshal.GetReference(x);
        ref var pa = ref MemoryMarshal.GetReference(acc);
        nuint i = 0, n = (nuint)acc.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var sw = Vector512.Create(s);
            for (; i + 16 <= n; i += 16)
            {
                (Vector512.LoadUnsafe(ref pa, i) + (Vector512.LoadUnsafe(ref px, i) * sw)).StoreUnsafe(ref pa, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var sv = Vector256.Create(s);
            for (; i + 8 <= n; i += 8)
            {
                (Vector256.LoadUnsafe(ref pa, i) + (Vector256.LoadUnsafe(ref px, i) * sv)).StoreUnsafe(ref pa, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref pa, i) += Unsafe.Add(ref px, i) * s;
        }
    }

    /// <summary><c>v[i] = max(v[i], 0)</c>; NaN stays NaN and −0 becomes +0, as TensorPrimitives.Max gives.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxZero(Span<float> values)
    {
        ref var p = ref MemoryMarshal.GetReference(values);
        nuint i = 0, n = (nuint)values.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                Vector512.Max(Vector512.LoadUnsafe(ref p, i), Vector512<float>.Zero).StoreUnsafe(ref p, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                Vector256.Max(Vector256.LoadUnsafe(ref p, i), Vector256<float>.Zero).StoreUnsafe(ref p, i);
            }
        }

        for (; i < n; i++)
        {
            var v = Unsafe.Add(ref p, i);
            Unsafe.Add(ref p, i) = v > 0f || float.IsNaN(v) ? v : 0f;
        }
    }
}
