namespace HingeSharp.Torch.Tests.Reference;

/// <summary>
/// Plain double loops for the composed losses: per-sample values and the gradient of their sum with respect to
/// the predictions. Kinks follow torch's clamp_min (the linear piece's gradient is kept where the hinge argument is
/// exactly 0); ties in a max share its gradient equally (torch's amax).
/// </summary>
internal static class ScalarHinge
{
    /// <summary>Keras hinge / squared_hinge over rows of length <paramref name="width"/>.</summary>
    public static (double[] PerSample, double[] GradOfSum) Keras(double[] yTrue, double[] yPred, int width, bool squared)
    {
        bool binary = yTrue.All(v => v == 0 || v == 1);
        int rows = yPred.Length / width;
        var perSample = new double[rows];
        var grad = new double[yPred.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < width; j++)
            {
                int i = (r * width) + j;
                double y = binary ? (2 * yTrue[i]) - 1 : yTrue[i];
                double z = 1 - (y * yPred[i]);
                double h = Math.Max(0, z);
                perSample[r] += (squared ? h * h : h) / width;
                grad[i] = z >= 0 ? -y * (squared ? 2 * z : 1) / width : 0;
            }
        }

        return (perSample, grad);
    }

    /// <summary>Keras categorical_hinge (or the strict max-over-negatives form) over rows of C classes.</summary>
    public static (double[] PerSample, double[] GradOfSum) Categorical(double[] yTrue, double[] yPred, int classes,
        bool maxOverNegatives)
    {
        int rows = yPred.Length / classes;
        var perSample = new double[rows];
        var grad = new double[yPred.Length];
        for (int r = 0; r < rows; r++)
        {
            int o = r * classes;
            double pos = 0;
            var t = new double[classes];
            for (int j = 0; j < classes; j++)
            {
                pos += yTrue[o + j] * yPred[o + j];
                t[j] = maxOverNegatives
                    ? (yTrue[o + j] == 0 ? yPred[o + j] : double.NegativeInfinity)
                    : (1 - yTrue[o + j]) * yPred[o + j];
            }

            double neg = t.Max();
            double z = neg - pos + 1;
            perSample[r] = Math.Max(0, z);
            if (z < 0)
            {
                continue;
            }

            int ties = t.Count(v => v == neg);
            for (int j = 0; j < classes; j++)
            {
                double dNeg = t[j] == neg ? (maxOverNegatives ? 1.0 : 1 - yTrue[o + j]) / ties : 0;
                grad[o + j] = dNeg - yTrue[o + j];
            }
        }

        return (perSample, grad);
    }

    /// <summary>Binary hinge on raw margins with y = +1 where target &gt; 0, else −1.</summary>
    public static (double[] PerElement, double[] GradOfSum) Binary(double[] target, double[] margins, bool squared)
    {
        var values = new double[margins.Length];
        var grad = new double[margins.Length];
        for (int i = 0; i < margins.Length; i++)
        {
            double y = target[i] > 0 ? 1 : -1;
            double z = 1 - (y * margins[i]);
            double h = Math.Max(0, z);
            values[i] = squared ? h * h : h;
            grad[i] = z >= 0 ? -y * (squared ? 2 * z : 1) : 0;
        }

        return (values, grad);
    }

    /// <summary>Crammer–Singer on raw scores laid out (N, C, inner) row-major, targets (N, inner).</summary>
    public static (double[] PerSample, double[] GradOfSum) CrammerSinger(long[] target, double[] scores, int classes,
        int inner, bool squared)
    {
        var values = new double[target.Length];
        var grad = new double[scores.Length];
        for (int s = 0; s < target.Length; s++)
        {
            int n = s / inner;
            int k = s % inner;
            int At(int c) => (((n * classes) + c) * inner) + k;
            int y = (int)target[s];
            double other = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                if (c != y)
                {
                    other = Math.Max(other, scores[At(c)]);
                }
            }

            double z = other - scores[At(y)] + 1;
            double h = Math.Max(0, z);
            values[s] = squared ? h * h : h;
            if (z < 0)
            {
                continue;
            }

            double d = squared ? 2 * z : 1;
            int ties = Enumerable.Range(0, classes).Count(c => c != y && scores[At(c)] == other);
            grad[At(y)] -= d;
            for (int c = 0; c < classes; c++)
            {
                if (c != y && scores[At(c)] == other)
                {
                    grad[At(c)] += d / ties;
                }
            }
        }

        return (values, grad);
    }
}
