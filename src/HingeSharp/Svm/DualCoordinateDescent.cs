namespace HingeSharp.Svm;

/// <summary>The outcome of one binary dual problem.</summary>
/// <param name="Iterations">Outer passes over the (active) samples.</param>
/// <param name="Converged">The projected-gradient gap fell to the tolerance on the full sample set.</param>
/// <param name="Dual">The dual objective Σα − ½‖w‖² − ½Σ Dᵢᵢ αᵢ² (a lower bound of the primal one).</param>
/// <param name="Primal">½‖w‖² + Σ Cᵢ·loss(yᵢ w·x̃ᵢ), the intercept weight included in ‖w‖.</param>
internal readonly record struct BinaryFit(int Iterations, bool Converged, double Dual, double Primal);

/// <summary>
/// LIBLINEAR's dual coordinate descent for L2-regularised L1- and L2-loss SVMs (Hsieh et al., ICML 2008,
/// Algorithm 3, with shrinking): minimise ½ αᵀ(Q + D)α − eᵀα subject to 0 ≤ αᵢ ≤ Uᵢ, where Qᵢⱼ = yᵢyⱼ x̃ᵢ·x̃ⱼ,
/// x̃ = (x, s) carries the intercept as an extra feature of value s (0 without intercept). L1 loss: Uᵢ = Cᵢ, Dᵢᵢ = 0;
/// L2 loss: Uᵢ = ∞, Dᵢᵢ = 1/(2Cᵢ). Each outer iteration visits the active samples in a fresh random order; samples
/// whose projected gradient shows them stuck at a bound are shrunk away, and the run stops when the gap between the
/// largest and smallest projected gradient is at most <c>eps</c> on the full set.
/// </summary>
internal static class DualCoordinateDescent
{
    /// <summary>Solves one binary problem; <paramref name="w"/> (columns + 1: the last is the intercept weight)
    /// receives the solution.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static BinaryFit Solve<T>(ReadOnlySpan<T> x, int columns, ReadOnlySpan<double> squaredNorms,
        ReadOnlySpan<sbyte> y, double cp, double cn, bool hingeLoss, double bias, double eps, int maxIter,
        ulong seed, Span<double> w)
        where T : unmanaged
    {
        var l = y.Length;
        var alpha = new double[l];
        var qd = new double[l];
        var index = new int[l];
        var rng = new SplitMix64(seed);
        var diagP = hingeLoss ? 0.0 : 0.5 / cp;
        var diagN = hingeLoss ? 0.0 : 0.5 / cn;
        var upperP = hingeLoss ? cp : double.PositiveInfinity;
        var upperN = hingeLoss ? cn : double.PositiveInfinity;
        var bias2 = bias * bias;
        w.Clear();
        for (var i = 0; i < l; i++)
        {
            qd[i] = (y[i] > 0 ? diagP : diagN) + squaredNorms[i] + bias2;
            index[i] = i;
        }

        var features = w[..columns];
        var activeSize = l;
        var pgMaxOld = double.PositiveInfinity;
        var pgMinOld = double.NegativeInfinity;
        var iter = 0;
        var converged = false;
        while (iter < maxIter)
        {
            var pgMaxNew = double.NegativeInfinity;
            var pgMinNew = double.PositiveInfinity;
            for (var i = 0; i < activeSize; i++)
            {
                var j = i + rng.Below(activeSize - i);
                (index[i], index[j]) = (index[j], index[i]);
            }

            for (var s = 0; s < activeSize; s++)
            {
                var i = index[s];
                var yi = y[i];
                var row = SvmData.Row(x, columns, i);
                var g = (SvmData.Dot(row, features) + bias * w[columns]) * yi - 1;
                var upper = yi > 0 ? upperP : upperN;
                g += alpha[i] * (yi > 0 ? diagP : diagN);

                var pg = 0.0;
                if (alpha[i] == 0)
                {
                    if (g > pgMaxOld)
                    {
                        activeSize--;
                        (index[s], index[activeSize]) = (index[activeSize], index[s]);
                        s--;
                        continue;
                    }

                    if (g < 0)
                    {
                        pg = g;
                    }
                }
                else if (alpha[i] == upper)
                {
                    if (g < pgMinOld)
                    {
                        activeSize--;
                        (index[s], index[activeSize]) = (index[activeSize], index[s]);
                        s--;
                        continue;
                    }

                    if (g > 0)
                    {
                        pg = g;
                    }
                }
                else
                {
                    pg = g;
                }

                pgMaxNew = Math.Max(pgMaxNew, pg);
                pgMinNew = Math.Min(pgMinNew, pg);
                if (Math.Abs(pg) > 1e-12)
                {
                    var old = alpha[i];
                    alpha[i] = Math.Min(Math.Max(old - g / qd[i], 0.0), upper);
                    var d = (alpha[i] - old) * yi;
                    SvmData.Axpy(d, row, features);
                    w[columns] += d * bias;
                }
            }

            iter++;
            if (pgMaxNew - pgMinNew <= eps)
            {
                if (activeSize == l)
                {
                    converged = true;
                    break;
                }

                activeSize = l;
                pgMaxOld = double.PositiveInfinity;
                pgMinOld = double.NegativeInfinity;
                continue;
            }

            pgMaxOld = pgMaxNew <= 0 ? double.PositiveInfinity : pgMaxNew;
            pgMinOld = pgMinNew >= 0 ? double.NegativeInfinity : pgMinNew;
        }

        var norm2 = SvmObjective.SquaredNorm(w);
        var dual = 0.0;
        for (var i = 0; i < l; i++)
        {
            dual += alpha[i] * (2 - alpha[i] * (y[i] > 0 ? diagP : diagN));
        }

        dual = (dual - norm2) / 2;
        var primal = SvmObjective.BinaryPrimal(x, columns, y, w, bias, cp, cn, hingeLoss);
        return new BinaryFit(iter, converged, dual, primal);
    }
}
