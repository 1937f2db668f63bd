namespace HingeSharp.Svm;

/// <summary>
/// LIBLINEAR's coordinate descent for the Crammer–Singer multi-class SVM dual (Keerthi et al. 2008; appendix of Fan et
/// al. 2008): minimise ½ Σₘ‖wₘ(α)‖² + Σᵢ Σₘ eᵢᵐ αᵢᵐ subject to αᵢᵐ ≤ Cᵢᵐ and Σₘ αᵢᵐ = 0, with eᵢᵐ = 1 − [yᵢ = m],
/// Cᵢᵐ = C_{yᵢ} for m = yᵢ and 0 otherwise, wₘ(α) = Σᵢ αᵢᵐ x̃ᵢ. Each sample's sub-problem over its active classes is
/// solved exactly; classes (and then samples) stuck at a bound are shrunk, with a shrinking tolerance that halves
/// towards <c>eps</c>.
/// </summary>
internal static class CrammerSingerSolver
{
    /// <summary>Solves the problem; <paramref name="w"/> (class-major, <c>columns + 1</c> per class, the last the
    /// intercept weight) receives the solution. Returns the iterations, convergence and the dual objective (max
    /// form: −(½‖W‖² + Σ eᵢᵐαᵢᵐ)).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static (int Iterations, bool Converged, double Dual) Solve<T>(ReadOnlySpan<T> x, int columns,
        ReadOnlySpan<double> squaredNorms, ReadOnlySpan<int> y, int k, ReadOnlySpan<double> classC, double bias,
        double eps, int maxIter, ulong seed, Span<double> w)
        where T : unmanaged
    {
        var l = y.Length;
        var stride = columns + 1;
        var alpha = new double[l * k];
        var alphaIndex = new int[l * k];
        var qd = new double[l];
        var index = new int[l];
        var yIndex = new int[l];
        var activeSizeI = new int[l];
        var g = new double[k];
        var b = new double[k];
        var alphaNew = new double[k];
        var sorted = new double[k];
        var rng = new SplitMix64(seed);
        w.Clear();
        for (var i = 0; i < l; i++)
        {
            for (var m = 0; m < k; m++)
            {
                alphaIndex[i * k + m] = m;
            }

            qd[i] = squaredNorms[i] + bias * bias;
            activeSizeI[i] = k;
            yIndex[i] = y[i];
            index[i] = i;
        }

        var activeSize = l;
        var epsShrink = Math.Max(10 * eps, 1.0);
        var startFromAll = true;
        var iter = 0;
        var converged = false;
        while (iter < maxIter)
        {
            var stopping = double.NegativeInfinity;
            for (var i = 0; i < activeSize; i++)
            {
                var j = i + rng.Below(activeSize - i);
                (index[i], index[j]) = (index[j], index[i]);
            }

            for (var s = 0; s < activeSize; s++)
            {
                var i = index[s];
                var ai = qd[i];
                if (ai <= 0)
                {
                    continue;
                }

                var alphaI = alpha.AsSpan(i * k, k);
                var indexI = alphaIndex.AsSpan(i * k, k);
                var cy = classC[y[i]];
                var row = SvmData.Row(x, columns, i);
                var asz = activeSizeI[i];
                for (var m = 0; m < asz; m++)
                {
                    var wm = w.Slice(indexI[m] * stride, stride);
                    g[m] = (m == yIndex[i] ? 0 : 1) + SvmData.Dot(row, wm[..columns]) + bias * wm[columns];
                }

                var minG = double.PositiveInfinity;
                var maxG = double.NegativeInfinity;
                for (var m = 0; m < asz; m++)
                {
                    if (alphaI[indexI[m]] < 0 && g[m] < minG)
                    {
                        minG = g[m];
                    }

                    maxG = Math.Max(maxG, g[m]);
                }

                if (yIndex[i] < asz && alphaI[y[i]] < cy && g[yIndex[i]] < minG)
                {
                    minG = g[yIndex[i]];
                }

                for (var m = 0; m < asz; m++)
                {
                    if (!Shrinkable(m, yIndex[i], alphaI[indexI[m]], cy, g[m], minG))
                    {
                        continue;
                    }

                    asz--;
                    while (asz > m)
                    {
                        if (!Shrinkable(asz, yIndex[i], alphaI[indexI[asz]], cy, g[asz], minG))
                        {
                            (indexI[m], indexI[asz]) = (indexI[asz], indexI[m]);
                            (g[m], g[asz]) = (g[asz], g[m]);
                            if (yIndex[i] == asz)
                            {
                                yIndex[i] = m;
                            }
                            else if (yIndex[i] == m)
                            {
                                yIndex[i] = asz;
                            }

                            break;
                        }

                        asz--;
                    }
                }

                activeSizeI[i] = asz;
                if (asz <= 1)
                {
                    activeSize--;
                    (index[s], index[activeSize]) = (index[activeSize], index[s]);
                    s--;
                    continue;
                }

                if (maxG - minG <= 1e-12)
                {
                    continue;
                }

                stopping = Math.Max(maxG - minG, stopping);
                for (var m = 0; m < asz; m++)
                {
                    b[m] = g[m] - ai * alphaI[indexI[m]];
                }

                SubProblem(b, sorted, ai, yIndex[i], cy, asz, alphaNew);
                for (var m = 0; m < asz; m++)
                {
                    var d = alphaNew[m] - alphaI[indexI[m]];
                    alphaI[indexI[m]] = alphaNew[m];
                    if (Math.Abs(d) >= 1e-12)
                    {
                        var wm = w.Slice(indexI[m] * stride, stride);
                        SvmData.Axpy(d, row, wm[..columns]);
                        wm[columns] += d * bias;
                    }
                }
            }

            iter++;
            if (stopping < epsShrink)
            {
                if (stopping < eps && startFromAll)
                {
                    converged = true;
                    break;
                }

                activeSize = l;
                activeSizeI.AsSpan().Fill(k);
                epsShrink = Math.Max(epsShrink / 2, eps);
                startFromAll = true;
            }
            else
            {
                startFromAll = false;
            }
        }

        var v = 0.5 * SvmObjective.SquaredNorm(w);
        for (var i = 0; i < l; i++)
        {
            for (var m = 0; m < k; m++)
            {
                if (m != y[i])
                {
                    v += alpha[i * k + m];
                }
            }
        }

        return (iter, converged, -v);
    }

    private static bool Shrinkable(int m, int yi, double alphaValue, double cy, double gm, double minG) =>
        alphaValue == (m == yi ? cy : 0) && gm < minG;

    /// <summary>The exact minimiser of one sample's sub-problem over its <paramref name="active"/> classes.</summary>
    private static void SubProblem(ReadOnlySpan<double> b, Span<double> d, double ai, int yi, double cy, int active,
        Span<double> alphaNew)
    {
        var sorted = d[..active];
        b[..active].CopyTo(sorted);
        if (yi < active)
        {
            sorted[yi] += ai * cy;
        }

        sorted.Sort();
        sorted.Reverse();
        var beta = sorted[0] - ai * cy;
        var r = 1;
        for (; r < active && beta < r * sorted[r]; r++)
        {
            beta += sorted[r];
        }

        beta /= r;
        for (r = 0; r < active; r++)
        {
            alphaNew[r] = r == yi ? Math.Min(cy, (beta - b[r]) / ai) : Math.Min(0, (beta - b[r]) / ai);
        }
    }
}
