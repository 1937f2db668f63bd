namespace HingeSharp.Torch.Datasets;

/// <summary>
/// scikit-learn's <c>sklearn.datasets.make_circles</c> (1.2.x): a large circle containing a smaller one in 2-D,
/// reproduced bit for bit for an integer <c>random_state</c> through <see cref="LegacyRandomState"/>.
/// </summary>
/// <remarks>
/// The algorithm, in scikit-learn's order: outer points at angles <c>linspace(0, 2π, n_out, endpoint=False)</c>
/// (computed as <c>i · (2π / n_out)</c>, as numpy does), inner points likewise scaled by
/// <c>factor</c>; rows stacked outer first with labels 0 then 1; if shuffled, the rows are permuted
/// by <c>RandomState.shuffle(arange(n))</c> (what <c>sklearn.utils.shuffle</c> does); then, if
/// <c>noise</c> is set, <c>normal(scale=noise, size=(n, 2))</c> is added row-major. Shuffling therefore draws
/// from the generator before the noise does.
/// </remarks>
/// <example><code>
/// // the tutorial's data: X, y = make_circles(n_samples=1000, noise=0.1, random_state=1)
/// CirclesData data = MakeCircles.Generate(1000, noise: 0.1, randomState: 1);
/// CirclesData train = data.Slice(0, 500), test = data.Slice(500, 500);
/// </code></example>
public static class MakeCircles
{
    /// <summary>Generates <paramref name="nSamples"/> points: <c>n / 2</c> on the outer circle and the rest
    /// (one more when n is odd) on the inner circle.</summary>
    /// <param name="nSamples">Total number of points, at least 1.</param>
    /// <param name="shuffle">Whether to shuffle the samples.</param>
    /// <param name="noise">Standard deviation of the Gaussian noise added to the data, at least 0;
    /// <see langword="null"/> for none.</param>
    /// <param name="randomState">Seed of the <see cref="LegacyRandomState"/> used for shuffling and noise;
    /// <see langword="null"/> for an entropy-seeded generator.</param>
    /// <param name="factor">Scale factor between inner and outer circle, in [0, 1).</param>
    /// <returns>Features (n, 2) and labels 0 (outer) / 1 (inner).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static CirclesData Generate(int nSamples = 100, bool shuffle = true, double? noise = null,
        int? randomState = null, double factor = 0.8)
    {
        if (nSamples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(nSamples), nSamples,
                $"Expected `nSamples` to be a positive integer, but got {nSamples}.");
        }

        int nOut = nSamples / 2;
        return Generate(nOut, nSamples - nOut, shuffle, noise, randomState, factor);
    }

    /// <summary>Generates <paramref name="nSamplesOut"/> outer and <paramref name="nSamplesIn"/> inner points
    /// (scikit-learn's <c>n_samples=(n_out, n_in)</c>).</summary>
    /// <param name="nSamplesOut">Points on the outer circle, at least 0.</param>
    /// <param name="nSamplesIn">Points on the inner circle, at least 0.</param>
    /// <param name="shuffle">Whether to shuffle the samples.</param>
    /// <param name="noise">Standard deviation of the Gaussian noise, at least 0; <see langword="null"/> for none.
    /// </param>
    /// <param name="randomState">Seed for shuffling and noise; <see langword="null"/> for an entropy-seeded
    /// generator.</param>
    /// <param name="factor">Scale factor between inner and outer circle, in [0, 1).</param>
    /// <returns>Features (n_out + n_in, 2) and labels.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static CirclesData Generate(int nSamplesOut, int nSamplesIn, bool shuffle = true, double? noise = null,
        int? randomState = null, double factor = 0.8)
    {
        Validate(nSamplesOut, nSamplesIn, noise, factor);
        var generator = LegacyRandomState.FromSeed(randomState, nameof(randomState));
        return Build(nSamplesOut, nSamplesIn, shuffle, noise, generator, factor);
    }

    /// <summary>As <see cref="Generate(int, int, bool, double?, int?, double)"/>, drawing from an existing
    /// generator (scikit-learn's <c>random_state=RandomState instance</c>), which advances it.</summary>
    /// <param name="nSamplesOut">Points on the outer circle, at least 0.</param>
    /// <param name="nSamplesIn">Points on the inner circle, at least 0.</param>
    /// <param name="shuffle">Whether to shuffle the samples.</param>
    /// <param name="noise">Standard deviation of the Gaussian noise, at least 0; <see langword="null"/> for none.
    /// </param>
    /// <param name="generator">The generator to draw from.</param>
    /// <param name="factor">Scale factor between inner and outer circle, in [0, 1).</param>
    /// <returns>Features (n_out + n_in, 2) and labels.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static CirclesData Generate(int nSamplesOut, int nSamplesIn, bool shuffle, double? noise,
        LegacyRandomState generator, double factor = 0.8)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Validate(nSamplesOut, nSamplesIn, noise, factor);
        return Build(nSamplesOut, nSamplesIn, shuffle, noise, generator, factor);
    }

    private static void Validate(int nSamplesOut, int nSamplesIn, double? noise, double factor)
    {
        if (!(factor >= 0.0 && factor < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor,
                $"Expected `factor` to be in [0, 1), but got {factor}.");
        }

        if (nSamplesOut < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nSamplesOut), nSamplesOut,
                $"Expected `nSamplesOut` to be non-negative, but got {nSamplesOut}.");
        }

        if (nSamplesIn < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nSamplesIn), nSamplesIn,
                $"Expected `nSamplesIn` to be non-negative, but got {nSamplesIn}.");
        }

        if ((long)nSamplesOut + nSamplesIn is 0 or > int.MaxValue / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(nSamplesIn), nSamplesIn,
                $"Expected `nSamplesOut` + `nSamplesIn` in [1, {int.MaxValue / 2}], but got " +
                $"{nSamplesOut} + {nSamplesIn}.");
        }

        if (noise is { } sigma && !(sigma >= 0.0 && double.IsFinite(sigma)))
        {
            throw new ArgumentOutOfRangeException(nameof(noise), sigma,
                $"Expected `noise` to be a finite standard deviation >= 0, but got {sigma}.");
        }
    }

    private static CirclesData Build(int nOut, int nIn, bool shuffle, double? noise, LegacyRandomState generator,
        double factor)
    {
        int n = nOut + nIn;
        var x = new double[n, 2];
        var y = new int[n];
        FillCircle(x, 0, nOut, 1.0);
        FillCircle(x, nOut, nIn, factor);
        for (int i = nOut; i < n; i++)
        {
            y[i] = 1;
        }

        if (shuffle)
        {
            int[] order = generator.Permutation(n);
            var xs = new double[n, 2];
            var ys = new int[n];
            for (int i = 0; i < n; i++)
            {
                xs[i, 0] = x[order[i], 0];
                xs[i, 1] = x[order[i], 1];
                ys[i] = y[order[i]];
            }

            x = xs;
            y = ys;
        }

        if (noise is { } sigma)
        {
            for (int i = 0; i < n; i++)
            {
                // numpy: X += normal(loc=0.0, scale=noise, size=X.shape), with normal = loc + scale * gauss
                x[i, 0] += 0.0 + (sigma * generator.StandardNormal());
                x[i, 1] += 0.0 + (sigma * generator.StandardNormal());
            }
        }

        return new CirclesData(x, y);
    }

    private static void FillCircle(double[,] x, int offset, int count, double factor)
    {
        // numpy.linspace(0, 2π, count, endpoint=False) = arange(count) * (2π / count) + 0
        double step = 2.0 * Math.PI / count;
        for (int i = 0; i < count; i++)
        {
            double angle = i * step;
            x[offset + i, 0] = Math.Cos(angle) * factor;   // factor 1 for the outer circle: exact
            x[offset + i, 1] = Math.Sin(angle) * factor;
        }
    }
}
