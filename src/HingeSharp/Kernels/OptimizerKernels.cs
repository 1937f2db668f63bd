using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HingeSharp.Kernels;

/// <summary>
/// Optimizer updates in one pass over flat float buffers (every parameter of a model laid end to end, its
/// gradient and its slots in the same layout): the fused training path's replacement for a handful of tensor
/// calls per parameter. Same formulas, in float, as the tensor ops they replace.
/// </summary>
internal static class OptimizerKernels
{
    /// <summary>Plain SGD: <c>w ← w − lr·g</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Sgd(Span<float> w, ReadOnlySpan<float> g, float learningRate)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && w.Length >= Vector<float>.Count)
        {
            var vw = MemoryMarshal.Cast<float, Vector<float>>(w);
            var vg = MemoryMarshal.Cast<float, Vector<float>>(g);
            var lr = new Vector<float>(learningRate);
            for (int k = 0; k < vw.Length; k++)
            {
                vw[k] -= lr * vg[k];
            }

            i = vw.Length * Vector<float>.Count;
        }

        for (; i < w.Length; i++)
        {
            w[i] -= learningRate * g[i];
        }
    }

    /// <summary>Keras' SGD with momentum: <c>v ← m·v − lr·g</c>, then <c>w ← w + v</c> (Nesterov:
    /// <c>w ← w + m·v − lr·g</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SgdMomentum(Span<float> w, ReadOnlySpan<float> g, Span<float> velocity, float learningRate,
        float momentum, bool nesterov)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && w.Length >= Vector<float>.Count)
        {
            var vw = MemoryMarshal.Cast<float, Vector<float>>(w);
            var vg = MemoryMarshal.Cast<float, Vector<float>>(g);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(velocity);
            var lr = new Vector<float>(learningRate);
            var m = new Vector<float>(momentum);
            for (int k = 0; k < vw.Length; k++)
            {
                Vector<float> step = lr * vg[k];
                Vector<float> v = (m * vv[k]) - step;
                vv[k] = v;
                vw[k] = nesterov ? vw[k] + (m * v) - step : vw[k] + v;
            }

            i = vw.Length * Vector<float>.Count;
        }

        for (; i < w.Length; i++)
        {
            float step = learningRate * g[i];
            float v = (momentum * velocity[i]) - step;
            velocity[i] = v;
            w[i] = nesterov ? w[i] + (momentum * v) - step : w[i] + v;
        }
    }

    /// <summary>
    /// Adam: <c>m ← β₁·m + (1 − β₁)·g</c>, <c>v ← β₂·v + (1 − β₂)·g²</c>,
    /// <c>w ← w − stepSize · m / (√v · rootScale + ε)</c>. Keras' form has <c>rootScale = 1</c> and the bias
    /// corrections folded into <c>stepSize</c>; PyTorch's has <c>stepSize = lr / (1 − β₁ᵗ)</c> and
    /// <c>rootScale = 1 / √(1 − β₂ᵗ)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float beta1,
        float beta2, float stepSize, float rootScale, float epsilon)
    {
        float c1 = 1f - beta1, c2 = 1f - beta2;
        int i = 0;
        if (Vector.IsHardwareAccelerated && w.Length >= Vector<float>.Count)
        {
            var vw = MemoryMarshal.Cast<float, Vector<float>>(w);
            var vg = MemoryMarshal.Cast<float, Vector<float>>(g);
            var vm = MemoryMarshal.Cast<float, Vector<float>>(m);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            Vector<float> b1 = new(beta1), b2 = new(beta2), k1 = new(c1), k2 = new(c2);
            Vector<float> step = new(stepSize), scale = new(rootScale), eps = new(epsilon);
            for (int k = 0; k < vw.Length; k++)
            {
                Vector<float> gk = vg[k];
                Vector<float> mk = (b1 * vm[k]) + (k1 * gk);
                Vector<float> vk = (b2 * vv[k]) + (k2 * gk * gk);
                vm[k] = mk;
                vv[k] = vk;
                vw[k] -= step * mk / ((Vector.SquareRoot(vk) * scale) + eps);
            }

            i = vw.Length * Vector<float>.Count;
        }

        for (; i < w.Length; i++)
        {
            float gi = g[i];
            float mi = (beta1 * m[i]) + (c1 * gi);
            float vi = (beta2 * v[i]) + (c2 * gi * gi);
            m[i] = mi;
            v[i] = vi;
            w[i] -= stepSize * mi / ((MathF.Sqrt(vi) * rootScale) + epsilon);
        }
    }
}
