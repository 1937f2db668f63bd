namespace HingeSharp.Plots.Tests.Support;

/// <summary>Seeded Keras-style histories shaped like the tutorial's 200-epoch run (loss falling, accuracy rising).
/// They only feed the charts; no test compares a chart with a number taken from them.</summary>
internal static class Histories
{
    internal static Dictionary<string, IReadOnlyList<double>> Tutorial(int epochs = 200, int seed = 42)
    {
        var random = new Random(seed);
        double Noise(double scale) => scale * ((random.NextDouble() * 2) - 1);
        double[] Curve(Func<int, double> f, double noise) =>
            Enumerable.Range(0, epochs).Select(e => f(e) + Noise(noise)).ToArray();

        return new Dictionary<string, IReadOnlyList<double>>
        {
            ["loss"] = Curve(e => 0.35 + (0.75 * Math.Exp(-e / 30.0)), 0.02),
            ["accuracy"] = Curve(e => Math.Clamp(0.84 - (0.5 * Math.Exp(-e / 25.0)), 0, 1), 0.015),
            ["val_loss"] = Curve(e => 0.38 + (0.72 * Math.Exp(-e / 28.0)), 0.03),
            ["val_accuracy"] = Curve(e => Math.Clamp(0.82 - (0.5 * Math.Exp(-e / 25.0)), 0, 1), 0.025),
        };
    }
}
