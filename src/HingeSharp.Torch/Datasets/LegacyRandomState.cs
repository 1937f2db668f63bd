using System.Security.Cryptography;

namespace HingeSharp.Torch.Datasets;

/// <summary>
/// A port of numpy's legacy <c>numpy.random.RandomState</c> (numpy 1.17 – 1.26 and later): the MT19937 Mersenne
/// Twister, <c>random_sample</c>, the legacy polar-method <c>standard_normal</c> with its cached second value,
/// <c>normal</c> and <c>shuffle</c>. Seeded with the same integer it yields the same numbers, bit for bit, as
/// <c>numpy.random.RandomState(seed)</c>, which is what scikit-learn's <c>random_state=int</c> uses.
/// </summary>
/// <remarks>
/// Not thread-safe (numpy guards the state with a lock; here each caller owns its instance). Not cryptographic.
/// </remarks>
/// <example><code>
/// var rs = new LegacyRandomState(1);
/// double u = rs.RandomSample();            // numpy.random.RandomState(1).random_sample() = 0.417022004702574
/// double[] z = rs.Normal(0.0, 0.1, 4);     // .normal(scale=0.1, size=4), continuing the same stream
/// </code></example>
public sealed class LegacyRandomState
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    private readonly uint[] _key = new uint[N];
    private int _pos;
    private bool _hasGauss;
    private double _gauss;

    /// <summary>
    /// Seeds like <c>numpy.random.RandomState(seed)</c> with an integer seed: MT19937's <c>init_genrand</c>
    /// (numpy's <c>mt19937_seed</c>).
    /// </summary>
    /// <param name="seed">Any value in [0, 2³² − 1], as numpy accepts.</param>
    public LegacyRandomState(uint seed)
    {
        Seed(seed);
    }

    /// <summary>
    /// Seeds like <c>numpy.random.RandomState(array)</c> with a 1-D array of 32-bit words: MT19937's
    /// <c>init_by_array</c>.
    /// </summary>
    /// <param name="key">The seed words; must not be empty.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public LegacyRandomState(ReadOnlySpan<uint> key)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("Seed must be non-empty", nameof(key));
        }

        InitByArray(key);
    }

    /// <summary>
    /// Seeds from the operating system's entropy source (624 random words through <c>init_by_array</c>), like
    /// <c>numpy.random.RandomState()</c> without a seed; the stream is not reproducible.
    /// </summary>
    public LegacyRandomState()
    {
        Span<uint> words = stackalloc uint[N];
        RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words));
        InitByArray(words);
    }

    /// <summary>
    /// Creates the generator scikit-learn's <c>check_random_state</c> would use for an integer seed.
    /// </summary>
    /// <param name="seed">A seed in [0, 2³¹ − 1], or <see langword="null"/> for an entropy-seeded generator.</param>
    /// <param name="paramName">The caller's argument name, used in the error message.</param>
    /// <returns>A new generator.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative.</exception>
    public static LegacyRandomState FromSeed(int? seed, string paramName = "randomState")
    {
        if (seed is null)
        {
            return new LegacyRandomState();
        }

        if (seed.Value < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, seed.Value,
                $"Seed must be between 0 and 2**32 - 1, but got `{paramName}` = {seed.Value}.");
        }

        return new LegacyRandomState((uint)seed.Value);
    }

    /// <summary>The next raw 32-bit output of MT19937 (numpy's <c>next_uint32</c>).</summary>
    /// <returns>A uniformly distributed 32-bit word.</returns>
    public uint NextUInt32()
    {
        if (_pos == N)
        {
            Generate();
        }

        uint y = _key[_pos++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        return y;
    }

    /// <summary>Two 32-bit outputs joined high word first (numpy's <c>next_uint64</c> for MT19937).</summary>
    /// <returns>A uniformly distributed 64-bit word.</returns>
    public ulong NextUInt64()
    {
        ulong hi = NextUInt32();
        return (hi << 32) | NextUInt32();
    }

    /// <summary>
    /// A double in [0, 1) with 53 random bits, numpy's <c>random_sample()</c>:
    /// <c>((a &gt;&gt; 5)·2²⁶ + (b &gt;&gt; 6)) / 2⁵³</c> from two 32-bit draws.
    /// </summary>
    /// <returns>The next uniform double.</returns>
    public double RandomSample()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <summary><c>random_sample(size)</c>: <paramref name="size"/> uniform doubles in [0, 1).</summary>
    /// <param name="size">Number of values, at least 0.</param>
    /// <returns>A new array.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public double[] RandomSample(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var result = new double[size];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = RandomSample();
        }

        return result;
    }

    /// <summary>
    /// A standard normal value by numpy's legacy polar (Marsaglia) method, <c>legacy_gauss</c>: each accepted
    /// pair (x₁, x₂) gives <c>f·x₂</c> now and caches <c>f·x₁</c> for the next call.
    /// </summary>
    /// <returns>The next N(0, 1) value.</returns>
    public double StandardNormal()
    {
        if (_hasGauss)
        {
            double cached = _gauss;
            _hasGauss = false;
            _gauss = 0.0;
            return cached;
        }

        double x1, x2, r2;
        do
        {
            x1 = (2.0 * RandomSample()) - 1.0;
            x2 = (2.0 * RandomSample()) - 1.0;
            r2 = (x1 * x1) + (x2 * x2);
        }
        while (r2 >= 1.0 || r2 == 0.0);

        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    /// <summary><c>normal(loc, scale)</c>: <c>loc + scale·StandardNormal()</c>.</summary>
    /// <param name="loc">Mean.</param>
    /// <param name="scale">Standard deviation, at least 0.</param>
    /// <returns>The next value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is negative or NaN.</exception>
    public double Normal(double loc, double scale)
    {
        ValidateScale(scale);
        return loc + (scale * StandardNormal());
    }

    /// <summary><c>normal(loc, scale, size)</c>: values drawn in order (row-major for a shaped numpy call).</summary>
    /// <param name="loc">Mean.</param>
    /// <param name="scale">Standard deviation, at least 0.</param>
    /// <param name="size">Number of values, at least 0.</param>
    /// <returns>A new array.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is negative or NaN, or
    /// <paramref name="size"/> is negative.</exception>
    public double[] Normal(double loc, double scale, int size)
    {
        ValidateScale(scale);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var result = new double[size];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = loc + (scale * StandardNormal());
        }

        return result;
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="max"/>] by masked rejection, numpy's <c>random_interval</c>:
    /// draws 32-bit words (64-bit when <paramref name="max"/> ≥ 2³²) and keeps the first whose masked value
    /// is ≤ <paramref name="max"/>.
    /// </summary>
    /// <param name="max">Inclusive upper bound.</param>
    /// <returns>The value; 0 without consuming a draw when <paramref name="max"/> is 0.</returns>
    public ulong RandomInterval(ulong max)
    {
        if (max == 0)
        {
            return 0;
        }

        ulong mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;

        ulong value;
        if (max <= 0xffffffffUL)
        {
            while ((value = NextUInt32() & mask) > max)
            {
            }
        }
        else
        {
            while ((value = NextUInt64() & mask) > max)
            {
            }
        }

        return value;
    }

    /// <summary>
    /// Shuffles in place like <c>RandomState.shuffle</c> on a 1-D array: Fisher–Yates from the last element
    /// down, swapping element i with <c>RandomInterval(i)</c>.
    /// </summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="values">The values to permute.</param>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)RandomInterval((ulong)i);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary><c>permutation(n)</c>: a shuffled copy of 0, 1, …, n − 1.</summary>
    /// <param name="n">Length, at least 0.</param>
    /// <returns>The permutation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var indices = new int[n];
        for (int i = 0; i < n; i++)
        {
            indices[i] = i;
        }

        Shuffle<int>(indices);
        return indices;
    }

    private static void ValidateScale(double scale)
    {
        if (!(scale >= 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"scale < 0 (got {scale}).");
        }
    }

    private void Seed(uint seed)
    {
        for (int pos = 0; pos < N; pos++)
        {
            _key[pos] = seed;
            seed = unchecked((1812433253U * (seed ^ (seed >> 30))) + (uint)pos + 1);
        }

        _pos = N;
        _hasGauss = false;
        _gauss = 0.0;
    }

    private void InitByArray(ReadOnlySpan<uint> initKey)
    {
        Seed(19650218U);
        uint[] mt = _key;
        int i = 1;
        int j = 0;
        unchecked
        {
            for (int k = Math.Max(N, initKey.Length); k > 0; k--)
            {
                mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + initKey[j] + (uint)j;
                i++;
                j++;
                if (i >= N)
                {
                    mt[0] = mt[N - 1];
                    i = 1;
                }

                if (j >= initKey.Length)
                {
                    j = 0;
                }
            }

            for (int k = N - 1; k > 0; k--)
            {
                mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - (uint)i;
                i++;
                if (i >= N)
                {
                    mt[0] = mt[N - 1];
                    i = 1;
                }
            }
        }

        mt[0] = 0x80000000U;
        _pos = N;
    }

    private void Generate()
    {
        uint[] key = _key;
        uint y;
        int i = 0;
        for (; i < N - M; i++)
        {
            y = (key[i] & UpperMask) | (key[i + 1] & LowerMask);
            key[i] = key[i + M] ^ (y >> 1) ^ ((0U - (y & 1U)) & MatrixA);
        }

        for (; i < N - 1; i++)
        {
            y = (key[i] & UpperMask) | (key[i + 1] & LowerMask);
            key[i] = key[i + M - N] ^ (y >> 1) ^ ((0U - (y & 1U)) & MatrixA);
        }

        y = (key[N - 1] & UpperMask) | (key[0] & LowerMask);
        key[N - 1] = key[M - 1] ^ (y >> 1) ^ ((0U - (y & 1U)) & MatrixA);
        _pos = 0;
    }
}
