using System.Numerics;
using HingeSharp.Classification;
using HingeSharp.Functional;
using Xunit;

namespace HingeSharp.Tests.Reliability;

public sealed partial class FuzzTests
{
    /// <summary>
    /// Weighted binary hinge (functional and metric): the same random cases with random sample weights — zero, large,
    /// and now and then negative, NaN, ∞ or of the wrong length. Value Σ w·loss / Σ w, or a documented error naming
    /// the offending weight, target or prediction.
    /// </summary>
    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void WeightedBinaryHinge_RandomCases_ValueOrDocumentedError(int seed)
    {
        var random = new Random(seed);
        (_values, _errors) = (0, 0);
        for (var n = 0; n < Cases; n++)
        {
            var c = BinaryCase.Draw(random);
            var weights = DrawWeights(random, c.Target.Length);
            var name = $"seed {seed} case {n}: {c} weights={weights.Length}";
            if (random.Next(2) == 0)
            {
                RunWeighted<float, int>(c, weights, name);
            }
            else
            {
                RunWeighted<double, double>(c, weights, name);
            }
        }

        AssertBothOutcomesCovered();
    }

    private static double[] DrawWeights(Random random, int n)
    {
        if (random.Next(6) == 0)
        {
            return [];
        }

        var bad = random.Next(4) == 0;
        var length = random.Next(30) == 0 ? n + 1 : n;
        return Enumerable.Range(0, length).Select(_ => random.Next(12) switch
        {
            0 => 0,
            1 => 1e6,
            2 when bad => -1,
            3 when bad => double.NaN,
            4 when bad => double.PositiveInfinity,
            _ => random.NextDouble() * 3,
        }).ToArray();
    }

    private static void RunWeighted<TPred, TTarget>(BinaryCase c, double[] weights, string name)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var preds = c.Preds.Select(TPred.CreateTruncating).ToArray();
        var target = c.Target.Select(TTarget.CreateTruncating).ToArray();
        var single = typeof(TPred) == typeof(float);
        var expected = FuzzReference.Binary(preds.Select(double.CreateTruncating).ToArray(),
            target.Select(double.CreateTruncating).ToArray(), single, c.Squared, c.IgnoreIndex, c.Validate, c.Kind,
            c.NonFinite, weights);
        Check($"{name} [functional]", expected, () => HingeFunctional.BinaryHingeLoss<TPred, TTarget>(preds, target,
            weights, c.Squared, c.IgnoreIndex, c.Validate, c.Kind, c.NonFinite), single);

        var metric = (BinaryHingeLoss)AtomicityTests.Prefilled(new BinaryHingeLoss(c.Squared, c.IgnoreIndex,
            c.Validate, c.Kind, c.NonFinite));
        var before = AtomicityTests.Snapshot(metric);
        var ok = Check($"{name} [metric forward]", expected,
            () => metric.Forward<TPred, TTarget>(preds, target, weights), single);
        if (!ok)
        {
            Assert.Equal(before, AtomicityTests.Snapshot(metric));
        }
    }
}
