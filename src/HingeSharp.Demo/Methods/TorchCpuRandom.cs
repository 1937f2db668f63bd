namespace HingeSharp.Demo.Methods;

/// <summary>
/// PyTorch's CPU generator for the two calls the tutorial's Method 5 makes, so <c>hinge demo plot</c> draws the very
/// numbers that <c>torch.manual_seed(seed); rand(10); randint(2, (10,))</c> draws: an MT19937 seeded as
/// <c>manual_seed</c> seeds it; <c>rand</c> (float32) keeps the low 24 bits of one 32-bit draw per value,
/// <c>(x &amp; 0xFFFFFF) / 2^24</c>; <c>randint(high)</c> takes one 32-bit draw modulo <c>high</c> per value.
/// </summary>
internal sealed class TorchCpuRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index;

    /// <summary>Seeds as <c>torch.manual_seed(seed)</c> does (the low 32 bits).</summary>
    public TorchCpuRandom(ulong seed)
    {
        _state[0] = (uint)seed;
        for (var i = 1; i < N; i++)
        {
            _state[i] = (1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30))) + (uint)i;
        }

        _index = N;
    }

    /// <summary><c>torch.rand(count)</c> in float32: uniform on [0, 1).</summary>
    public float[] Rand(int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (NextUInt32() & 0xFFFFFF) * (1f / (1 << 24));
        }

        return values;
    }

    /// <summary><c>torch.randint(high, (count,))</c>: int64 values in [0, high).</summary>
    public long[] RandInt(int high, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(high, 1);
        var values = new long[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = NextUInt32() % (uint)high;
        }

        return values;
    }

    /// <summary>The next 32-bit output of MT19937.</summary>
    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Twist();
        }

        var y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    private void Twist()
    {
        for (var i = 0; i < N; i++)
        {
            var y = (_state[i] & 0x80000000u) | (_state[(i + 1) % N] & 0x7FFFFFFFu);
            var next = _state[(i + M) % N] ^ (y >> 1);
            _state[i] = (y & 1) != 0 ? next ^ 0x9908B0DFu : next;
        }

        _index = 0;
    }
}
