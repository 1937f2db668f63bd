namespace HingeSharp.Tests.Reliability;

public sealed partial class FuzzTests
{
    /// <summary>Prediction values: mostly ordinary, with every kind of edge value now and then.</summary>
    internal static double Value(Random random, bool probabilitiesOnly, bool nonFinite)
    {
        if (probabilitiesOnly)
        {
            return random.Next(10) switch
            {
                0 => 0,
                1 => 1,
                2 => 1e-45 * random.Next(1, 100), // float subnormals
                _ => random.NextDouble(),
            };
        }

        return random.Next(24) switch
        {
            < 8 => random.NextDouble(),
            < 14 => (random.NextDouble() - 0.5) * 16,
            14 => random.Next(2) == 0 ? 0 : 1,
            15 => random.Next(2) == 0 ? 1e30 : -1e30,
            16 => random.Next(2) == 0 ? 3e38 : -1e300,
            17 => double.Epsilon * random.Next(1, 1000),
            18 => random.Next(2) == 0 ? 1.0000001 : -1e-7,
            19 => (random.NextDouble() - 0.5) * 200,
            20 when nonFinite => double.NaN,
            21 when nonFinite => double.PositiveInfinity,
            22 when nonFinite => double.NegativeInfinity,
            _ => random.NextDouble(),
        };
    }

    internal static int? DrawIgnoreIndex(Random random) => random.Next(6) switch
    {
        0 => -1,
        1 => 255,
        2 => 0,
        3 => -100,
        _ => null,
    };

    internal static int Length(Random random) => random.Next(12) switch
    {
        0 => 0,
        1 => 1,
        2 => random.Next(500, 1100), // crosses the 512-element chunks
        _ => random.Next(2, 70),
    };

    internal sealed record BinaryCase(double[] Preds, double[] Target, int TargetType, bool Squared, int? IgnoreIndex,
        bool Validate, HingeInputKind Kind, NonFiniteHandling NonFinite)
    {
        public static BinaryCase Draw(Random random)
        {
            var n = Length(random);
            var ignore = DrawIgnoreIndex(random);
            var probabilitiesOnly = random.Next(3) == 0;
            var nonFinite = random.Next(4) == 0;
            var preds = Enumerable.Range(0, n).Select(_ => Value(random, probabilitiesOnly, nonFinite)).ToArray();
            var badTargets = random.Next(6) == 0;
            var target = Enumerable.Range(0, n).Select(double (_) => random.Next(40) switch
            {
                0 when ignore is { } ii => ii,
                1 when badTargets => 2,
                2 when badTargets => -3,
                3 when badTargets => 0.5,
                4 when badTargets => double.NaN,
                _ => random.Next(2),
            }).ToArray();
            if (random.Next(50) == 0 && n > 0)
            {
                target = target[..^1]; // length mismatch
            }

            return new BinaryCase(preds, target, random.Next(5), random.Next(2) == 0, ignore, random.Next(4) != 0,
                (HingeInputKind)random.Next(4), (NonFiniteHandling)random.Next(2));
        }

        public override string ToString() =>
            $"n={Preds.Length}/{Target.Length} targetType={TargetType} squared={Squared} ignore={IgnoreIndex} " +
            $"validate={Validate} kind={Kind} nonFinite={NonFinite}";
    }
}
