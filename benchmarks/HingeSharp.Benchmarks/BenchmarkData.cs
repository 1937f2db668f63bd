namespace HingeSharp.Benchmarks;

/// <summary>Seeded inputs (xorshift: 1e8 values in well under a second).</summary>
internal static class BenchmarkData
{
    public static float[] Uniform(long count, float scale, float shift, ulong seed)
    {
        var values = new float[count];
        var state = seed | 1;
        for (long i = 0; i < count; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values[i] = ((state >> 40) * (1f / (1 << 24)) * scale) + shift;
        }

        return values;
    }

    public static int[] Labels(int count, int classes, ulong seed)
    {
        var labels = new int[count];
        var state = seed | 1;
        for (var i = 0; i < count; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            labels[i] = (int)(state % (ulong)classes);
        }

        return labels;
    }
}
