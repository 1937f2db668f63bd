namespace HingeSharp.Kernels;

/// <summary>The threaded baseline: same pinning and unit order as the kernels' jobs.</summary>
internal sealed unsafe class BaselineJob : IUnitJob
{
    private readonly float* _values;
    private readonly int _valueCount;
    private readonly int* _labels;
    private readonly int _labelCount;
    private readonly int _units;
    private readonly double[] _results;
    private readonly SimdWidth _width;

    private BaselineJob(float* values, int valueCount, int* labels, int labelCount, int units, double[] results,
        SimdWidth width)
    {
        _width = width;
        _values = values;
        _valueCount = valueCount;
        _labels = labels;
        _labelCount = labelCount;
        _units = units;
        _results = results;
    }

    public bool Run(int unit)
    {
        _results[unit] = StreamingBaseline.Unit(new ReadOnlySpan<float>(_values, _valueCount),
            new ReadOnlySpan<int>(_labels, _labelCount), unit, _units, _width);
        return true;
    }

    internal static double Run(ReadOnlySpan<float> values, ReadOnlySpan<int> labels, int units, int threads,
        SimdWidth width)
    {
        var results = new double[units];
        fixed (float* v = values)
        fixed (int* l = labels)
        {
            UnitScheduler.Run(new BaselineJob(v, values.Length, l, labels.Length, units, results, width), units,
                threads);
        }

        return results.Sum();
    }
}
