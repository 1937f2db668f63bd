namespace HingeSharp.Svm;

/// <summary>The primal objectives LIBLINEAR minimises, with the intercept as the weight of an extra feature.</summary>
internal static class SvmObjective
{
    internal static double SquaredNorm(ReadOnlySpan<double> w)
    {
        var sum = 0.0;
        foreach (var v in w)
        {
            sum += v * v;
        }

        return sum;
    }

    /// <summary>½‖w̃‖² + Σ Cᵢ·loss(yᵢ·(w·xᵢ + s·w̃ₙ)), Cᵢ = <paramref name="cp"/> for yᵢ = +1 and
    /// <paramref name="cn"/> for −1; loss hinge or squared hinge.</summary>
    internal static double BinaryPrimal<T>(ReadOnlySpan<T> x, int columns, ReadOnlySpan<sbyte> y,
        ReadOnlySpan<double> w, double bias, double cp, double cn, bool hingeLoss)
        where T : unmanaged
    {
        double lossP = 0, lossN = 0;
        var features = w[..columns];
        for (var i = 0; i < y.Length; i++)
        {
            var m = y[i] * (SvmData.Dot(SvmData.Row(x, columns, i), features) + bias * w[columns]);
            var h = Math.Max(0, 1 - m);
            var loss = hingeLoss ? h : h * h;
            if (y[i] > 0)
            {
                lossP += loss;
            }
            else
            {
                lossN += loss;
            }
        }

        return 0.5 * SquaredNorm(w) + cp * lossP + cn * lossN;
    }

    /// <summary>Crammer–Singer: ½ Σₘ‖w̃ₘ‖² + Σᵢ C_{yᵢ}·max(0, max_{m≠yᵢ}(1 + w̃ₘ·x̃ᵢ − w̃_{yᵢ}·x̃ᵢ)), with
    /// <paramref name="w"/> class-major, <c>columns + 1</c> weights per class.</summary>
    internal static double CrammerSingerPrimal<T>(ReadOnlySpan<T> x, int columns, ReadOnlySpan<int> y,
        ReadOnlySpan<double> w, int classes, double bias, ReadOnlySpan<double> classC)
        where T : unmanaged
    {
        var stride = columns + 1;
        var scores = new double[classes];
        var loss = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var row = SvmData.Row(x, columns, i);
            for (var m = 0; m < classes; m++)
            {
                var wm = w.Slice(m * stride, stride);
                scores[m] = SvmData.Dot(row, wm[..columns]) + bias * wm[columns];
            }

            var worst = 0.0;
            for (var m = 0; m < classes; m++)
            {
                if (m != y[i])
                {
                    worst = Math.Max(worst, 1 + scores[m] - scores[y[i]]);
                }
            }

            loss += classC[y[i]] * worst;
        }

        return 0.5 * SquaredNorm(w) + loss;
    }
}
