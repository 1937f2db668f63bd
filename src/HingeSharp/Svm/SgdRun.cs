namespace HingeSharp.Svm;

/// <summary>
/// scikit-learn's plain SGD loop (<c>_plain_sgd</c>) for the hinge loss with an L2 penalty, on one binary problem
/// (y = ±1): per sample p = w·x + b; η from the schedule; w ← max(0, 1 − ηα)·w; if y·p ≤ 1 then w += η·y·x and
/// b += η·y. The weight vector is kept as scale·v (the scale absorbs the shrink, as scikit-learn's WeightVector),
/// so a step costs one dot product and, when the margin is violated, one axpy.
/// </summary>
internal readonly record struct SgdRun(double Alpha, SgdLearningRate LearningRate, double Eta0, double PowerT,
    bool FitIntercept, bool Shuffle, double Tol, int NIterNoChange)
{
    /// <summary>Runs up to <paramref name="epochs"/> epochs from step <paramref name="t"/>; returns the epochs run.
    /// The weights are <paramref name="scale"/>·<paramref name="w"/>; all three and <paramref name="b"/> are
    /// updated in place (the scale carries over between calls, so chunked passes equal one pass bit for bit).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static int Epochs<T>(SgdRun s, ReadOnlySpan<T> x, int columns, ReadOnlySpan<double> y, int[] order,
        double[] w, ref double b, ref double scale, double t, int epochs, bool stopEarly, ref SplitMix64 rng)
        where T : unmanaged
    {
        var rows = y.Length;
        var typw = Math.Sqrt(1.0 / Math.Sqrt(s.Alpha));
        var optimalInit = 1.0 / (typw * s.Alpha);   // hinge: dloss(−typw, 1) = −1, so η₀ = typw
        var best = double.PositiveInfinity;
        var noImprovement = 0;
        var epoch = 0;
        while (epoch < epochs)
        {
            for (var i = 0; i < rows; i++)
            {
                order[i] = i;
            }

            if (s.Shuffle)
            {
                for (var i = rows - 1; i > 0; i--)
                {
                    var j = rng.Below(i + 1);
                    (order[i], order[j]) = (order[j], order[i]);
                }
            }

            var sumLoss = 0.0;
            for (var n = 0; n < rows; n++)
            {
                var i = order[n];
                var row = SvmData.Row(x, columns, i);
                var p = SvmData.Dot(row, w) * scale + b;
                var eta = s.LearningRate == SgdLearningRate.Optimal
                    ? 1.0 / (s.Alpha * (optimalInit + t - 1))
                    : s.Eta0 / Math.Pow(t, s.PowerT);
                var z = p * y[i];
                sumLoss += Math.Max(0, 1 - z);
                var update = z <= 1 ? eta * y[i] : 0.0;
                scale *= Math.Max(0, 1.0 - eta * s.Alpha);
                if (scale < 1e-9)
                {
                    for (var j = 0; j < w.Length; j++)
                    {
                        w[j] *= scale;
                    }

                    scale = 1.0;
                }

                if (update != 0)
                {
                    SvmData.Axpy(update / scale, row, w);
                    if (s.FitIntercept)
                    {
                        b += update;
                    }
                }

                t += 1;
            }

            epoch++;
            if (!double.IsFinite(b) || !double.IsFinite(scale))
            {
                ThrowHelper.ThrowArgument("x", $"Floating-point under-/overflow occurred at epoch #{epoch}. Scaling " +
                    "input data might help.");
            }

            if (!stopEarly)
            {
                continue;
            }

            noImprovement = sumLoss > best - s.Tol * rows ? noImprovement + 1 : 0;
            best = Math.Min(best, sumLoss);
            if (noImprovement >= s.NIterNoChange)
            {
                break;
            }
        }

        return epoch;
    }
}
