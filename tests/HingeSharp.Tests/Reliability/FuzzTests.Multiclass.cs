using System.Numerics;
using HingeSharp.Classification;
using HingeSharp.Functional;
using Xunit;

namespace HingeSharp.Tests.Reliability;

public sealed partial class FuzzTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void MulticlassHinge_RandomCases_ValueOrDocumentedError(int seed)
    {
        var random = new Random(seed);
        (_values, _errors) = (0, 0);
        for (var n = 0; n < Cases; n++)
        {
            var c = MulticlassCase.Draw(random);
            var name = $"seed {seed} case {n}: {c}";
            RunTyped(new MulticlassRun(c, random, name), single: random.Next(2) == 0, c.TargetType);
        }

        AssertBothOutcomesCovered();
    }

    [Fact]
    public void MulticlassHinge_ZeroSizedExtraDimension_WithHugeShape_AnswersAtOnce()
    {
        // 65536 × 65536 × 0 scores: no element, but a naive (N, C, d) → (N·d, C) loop would run 2^32 times (seconds,
        // visible in the test duration). No wall-clock assertion: timings do not belong in unit tests.
        var value = HingeFunctional.MulticlassHingeLoss<float, int>([], [65536, 65536, 0], [], [65536, 0], 65536,
            multiclassMode: MulticlassMode.OneVsAll);
        Assert.Equal(65536, value.Values.Count);
        Assert.All(value.Values, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void MulticlassHinge_ShapeWhoseProductOverflows_IsAClearError()
    {
        var ex = Assert.Throws<HingeArgumentException>(() => HingeFunctional.MulticlassHingeLoss<float, int>([],
            [int.MaxValue, int.MaxValue, int.MaxValue, 4], [], [int.MaxValue, int.MaxValue, 4], 3));
        Assert.Equal("preds", ex.ParamName);
        Assert.Equal("`preds` has 0 values but its shape [2147483647, 2147483647, 2147483647, 4] needs more than " +
            "int.MaxValue.", ex.Message);
    }

    private static void RunMulticlass<TPred, TTarget>(MulticlassCase c, Random random, string name)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var (preds, target, p, t) = Typed<TPred, TTarget>(c.Preds, c.Target);
        var single = typeof(TPred) == typeof(float);

        // Flat (N, C) overload: only for data without extra dimensions.
        if (c.PredsShape.Length == 2 && c.TargetShape.Length == 1)
        {
            Check($"{name} [flat]", FlatExpectation(c, p, t, single, strict: c.Validate), () =>
                HingeFunctional.MulticlassHingeLoss<TPred, TTarget>(preds, target, c.NumClasses, c.Squared, c.Mode,
                    c.IgnoreIndex, c.Validate, c.Kind, c.NonFinite), single);
        }

        Check($"{name} [shaped]", ShapedExpectation(c, p, t, single, c.Validate), () =>
            HingeFunctional.MulticlassHingeLoss<TPred, TTarget>(preds, c.PredsShape, target, c.TargetShape,
                c.NumClasses, c.Squared, c.Mode, c.IgnoreIndex, c.Validate, c.Kind, c.NonFinite), single);

        if (c.NumClasses < 2)
        {
            var ex = Assert.Throws<HingeArgumentException>(() => new MulticlassHingeLoss(c.NumClasses));
            Assert.Equal("numClasses", ex.ParamName);
            return;
        }

        // The metric always checks the class count (its state has NumClasses entries).
        var metric = (MulticlassHingeLoss)AtomicityTests.Prefilled(new MulticlassHingeLoss(c.NumClasses, c.Squared,
            c.Mode, c.IgnoreIndex, c.Validate, c.Kind, c.NonFinite));
        var before = AtomicityTests.Snapshot(metric);
        var expected = ShapedExpectation(c, p, t, single, validate: true);
        var forward = random.Next(2) == 0;
        var ok = Check($"{name} [metric]", expected, () =>
        {
            if (forward)
            {
                return metric.Forward<TPred, TTarget>(preds, c.PredsShape, target, c.TargetShape);
            }

            metric.Update<TPred, TTarget>(preds, c.PredsShape, target, c.TargetShape);
            return null;
        }, single);
        if (!ok)
        {
            Assert.Equal(before, AtomicityTests.Snapshot(metric));
        }
    }

    private static FuzzExpectation FlatExpectation(MulticlassCase c, double[] p, double[] t, bool single, bool strict)
    {
        var structural = new FuzzExpectation();
        var rows = t.Length;
        var classes = 0;
        if (strict && c.NumClasses < 2)
        {
            structural.Errors.Add(("numClasses", null));
        }

        if (rows == 0)
        {
            if (p.Length != 0)
            {
                structural.Errors.Add(("preds", null));
            }

            classes = Math.Max(c.NumClasses, 2);
        }
        else if (p.Length % rows != 0 || p.Length / rows == 1 || (strict && p.Length / rows != c.NumClasses))
        {
            structural.Errors.Add(("preds", null));
        }
        else
        {
            classes = p.Length / rows;
        }

        return structural.IsError
            ? structural
            : FuzzReference.Multiclass(p, t, classes, 1, single, c.Squared, c.Mode, c.IgnoreIndex, c.Kind, c.NonFinite);
    }

    private static FuzzExpectation ShapedExpectation(MulticlassCase c, double[] p, double[] t, bool single,
        bool validate)
    {
        var e = new FuzzExpectation();
        int[] ps = c.PredsShape, ts = c.TargetShape;
        if (ps.Aggregate(1L, (a, d) => a * d) != p.Length)
        {
            e.Errors.Add(("preds", null));
        }

        if (ts.Aggregate(1L, (a, d) => a * d) != t.Length)
        {
            e.Errors.Add(("target", null));
        }

        if (ps.Length != ts.Length + 1)
        {
            e.Errors.Add(("preds", null));
        }
        else if (ps[0] != ts[0] || !ps.AsSpan(2).SequenceEqual(ts.AsSpan(1)))
        {
            e.Errors.Add(("target", null));
        }

        if (validate && c.NumClasses < 2)
        {
            e.Errors.Add(("numClasses", null));
        }

        if (ps.Length >= 2 && ((validate && ps[1] != c.NumClasses) || ps[1] < 2))
        {
            e.Errors.Add(("preds", null));
        }

        if (e.IsError)
        {
            return e;
        }

        var inner = ps[2..].Aggregate(1, (a, d) => a * d);
        return FuzzReference.Multiclass(p, t, ps[1], inner, single, c.Squared, c.Mode, c.IgnoreIndex, c.Kind,
            c.NonFinite);
    }

    internal sealed record MulticlassCase(double[] Preds, int[] PredsShape, double[] Target, int[] TargetShape,
        int NumClasses, int TargetType, bool Squared, MulticlassMode Mode, int? IgnoreIndex, bool Validate,
        HingeInputKind Kind, NonFiniteHandling NonFinite)
    {
        public static MulticlassCase Draw(Random random)
        {
            var n = random.Next(12) switch
            {
                0 => 0,
                1 => 1,
                2 => random.Next(250, 300), // crosses the kernels' 256-row chunks
                _ => random.Next(2, 40),
            };
            var classes = random.Next(2, 8);
            int[] extra = random.Next(5) switch
            {
                0 => [random.Next(1, 4)],
                1 => [random.Next(1, 3), random.Next(1, 3)],
                _ => [],
            };
            var inner = extra.Aggregate(1, (a, d) => a * d);
            var ignore = DrawIgnoreIndex(random);
            var probabilitiesOnly = random.Next(3) == 0;
            var nonFinite = random.Next(4) == 0;
            var badTargets = random.Next(5) == 0;
            var preds = Enumerable.Range(0, n * classes * inner).Select(_ => Value(random, probabilitiesOnly, nonFinite))
                .ToArray();
            var target = Enumerable.Range(0, n * inner).Select(double (_) => random.Next(30) switch
            {
                0 when ignore is { } ii => ii,
                1 when badTargets => classes,
                2 when badTargets => -2,
                3 when badTargets => 1.5,
                4 when badTargets => double.NaN,
                _ => random.Next(classes),
            }).ToArray();
            int[] predsShape = [n, classes, .. extra];
            int[] targetShape = [n, .. extra];
            switch (random.Next(40))
            {
                case 0: predsShape = [n * classes * inner]; break;                    // label-shaped / rank mismatch
                case 1: targetShape = [n + 1, .. extra]; break;                       // N mismatch
                case 2 when n > 0: preds = preds[..^1]; break;                        // length vs shape
                case 3: predsShape = [n, classes, .. extra, 1, 1]; break;             // two dims too many
            }

            var numClasses = random.Next(20) switch
            {
                0 => 1,
                1 => classes + 1,
                2 => 0,
                _ => classes,
            };
            return new MulticlassCase(preds, predsShape, target, targetShape, numClasses, random.Next(5),
                random.Next(2) == 0, (MulticlassMode)random.Next(2), ignore, random.Next(4) != 0,
                (HingeInputKind)random.Next(4), (NonFiniteHandling)random.Next(2));
        }

        public override string ToString() =>
            $"preds [{string.Join(", ", PredsShape)}] ({Preds.Length}) target [{string.Join(", ", TargetShape)}] " +
            $"({Target.Length}) numClasses={NumClasses} targetType={TargetType} squared={Squared} mode={Mode} " +
            $"ignore={IgnoreIndex} validate={Validate} kind={Kind} nonFinite={NonFinite}";
    }
}
