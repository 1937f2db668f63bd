using System.Diagnostics;
using System.Globalization;
using HingeSharp.Functional;

namespace HingeSharp.Benchmarks;

/// <summary>
/// The precision run of docs/numerics.md at full size: <c>precision [N]</c> (default 1e8) builds adversarial float32
/// margins (one loss of 2^23 followed by losses k·2^-10, and alternating magnitudes), computes HingeSharp's mean
/// through the functional call, and compares it and a torchmetrics-style float32 state with the exact mean
/// (losses scaled by 2^60 to integers and summed in Int128).
/// </summary>
internal static class PrecisionRun
{
    public static int Run(string[] args)
    {
        var n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000_000;
        Console.WriteLine($"precision run, N = {n:N0} float32 margins, binary hinge (HingeInputKind.Margins)");
        foreach (var (name, make) in new (string, Func<int, float>)[]
                 {
                     ("huge-then-tiny", i => i == 0 ? -(1 << 23) : 1f - ((i % 8) + 1) / 1024f),
                     ("alternating", i => i % 2 == 0 ? 1f - (3 * 1024f + ((i / 2) % 8 + 1) / 1024f)
                                                     : 1f - ((i / 2) % 8 + 1) / 1048576f),
                     ("uniform [-1, 1]", i => (float)((Hash(i) >> 11) * (2.0 / (1UL << 53)) - 1.0)),
                 })
        {
            var preds = new float[n];
            var target = new byte[n];
            for (var i = 0; i < n; i++)
            {
                preds[i] = make(i);
                target[i] = 1;   // y = +1: loss = max(0, 1 − m)
            }

            var clock = Stopwatch.StartNew();
            var value = HingeFunctional.BinaryHingeLoss<float, byte>(preds, target, inputKind: HingeInputKind.Margins);
            clock.Stop();
            var (exact, float32State) = References(preds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-15} exact {exact:R}  HingeSharp rel. error {Math.Abs(value - exact) / exact:E2} " +
                $"({clock.Elapsed.TotalMilliseconds:F0} ms)  float32 state (4096-element updates) rel. error " +
                $"{Math.Abs(float32State - exact) / exact:E2}"));
        }

        return 0;
    }

    /// <summary>A fixed pseudo-random 64-bit value per index (splitmix64), so every run sees the same data.</summary>
    private static ulong Hash(int i)
    {
        var z = (ulong)i * 0x9E3779B97F4A7C15UL + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The exact mean (Int128 over losses scaled by 2^60), and torchmetrics' float32 state: each update's
    /// exact sum rounded to float32, added to a float32 state.</summary>
    private static (double Exact, double Float32State) References(float[] preds)
    {
        const double scale = 1152921504606846976d; // 2^60
        Int128 total = 0;
        float state = 0;
        for (var start = 0; start < preds.Length; start += 4096)
        {
            Int128 batch = 0;
            var end = Math.Min(preds.Length, start + 4096);
            for (var i = start; i < end; i++)
            {
                var loss = MathF.Max(0f, 1f - preds[i]);
                batch += (Int128)((double)loss * scale);   // exact: a float loss ≥ 2^-36 is a multiple of 2^-60
            }

            total += batch;
            state += (float)((double)batch / scale);
        }

        return ((double)total / scale / preds.Length, (double)(state / preds.Length));
    }
}
