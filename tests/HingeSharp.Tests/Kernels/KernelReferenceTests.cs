using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;
using HingeSharp.Tests.Reference;
using Xunit;

namespace HingeSharp.Tests.Kernels;

/// <summary>The vectorised kernels against the plain scalar reference, for every length 0..300 and every tail.</summary>
public sealed class KernelReferenceTests
{
    public static TheoryData<bool, bool, HingeInputKind> BinaryVariants()
    {
        var data = new TheoryData<bool, bool, HingeInputKind>();
        foreach (var squared in new[] { false, true })
        {
            foreach (var ignore in new[] { false, true })
            {
                foreach (var kind in new[] { HingeInputKind.Auto, HingeInputKind.Logits, HingeInputKind.Probabilities })
                {
                    data.Add(squared, ignore, kind);
                }
            }
        }

        return data;
    }

    [Theory, MemberData(nameof(BinaryVariants))]
    public void BinaryHingeLoss_EveryLength0To300_EqualsScalarReference(bool squared, bool ignore, HingeInputKind kind)
    {
        var random = new Random(42);
        for (var n = 0; n <= 300; n++)
        {
            var logits = kind == HingeInputKind.Logits || (kind == HingeInputKind.Auto && n % 2 == 1);
            var preds = Enumerable.Range(0, n)
                .Select(_ => logits ? (float)(random.NextDouble() * 8 - 4) : (float)random.NextDouble()).ToArray();
            var target = Enumerable.Range(0, n).Select(_ => (long)random.Next(ignore ? -1 : 0, 2)).ToArray();
            long? ii = ignore ? -1 : null;
            var expected = ScalarHinge.Binary(preds.Select(x => (double)x).ToArray(), target, squared, ii, kind);

            var single = HingeFunctional.BinaryHingeLoss<float, long>(preds, target, squared, (int?)ii, inputKind: kind);
            Approx.Equal(expected, single, 1e-6, $"float n={n}");
            var dbl = HingeFunctional.BinaryHingeLoss<double, long>(preds.Select(x => (double)x).ToArray(), target,
                squared, (int?)ii, inputKind: kind);
            Approx.Equal(expected, dbl, 1e-12, $"double n={n}");
        }
    }

    [Theory]
    [InlineData(MulticlassMode.CrammerSinger, false)]
    [InlineData(MulticlassMode.CrammerSinger, true)]
    [InlineData(MulticlassMode.OneVsAll, false)]
    [InlineData(MulticlassMode.OneVsAll, true)]
    public void MulticlassHingeLoss_ManyShapes_EqualsScalarReference(MulticlassMode mode, bool squared)
    {
        var random = new Random(7);
        foreach (var classes in new[] { 2, 3, 4, 5, 8, 10, 17 })
        {
            for (var n = 1; n <= 70; n += 3)
            {
                var logits = n % 2 == 0;
                var preds = Enumerable.Range(0, n * classes)
                    .Select(_ => logits ? random.NextDouble() * 10 - 5 : random.NextDouble()).ToArray();
                var target = Enumerable.Range(0, n).Select(_ => (long)random.Next(0, classes)).ToArray();
                target[0] = random.Next(classes); // at least one kept row
                var expected = ScalarHinge.Multiclass(preds, target, classes, squared, mode, ignore: null);
                var actual = HingeFunctional.MulticlassHingeLoss<double, long>(preds, target, classes, squared, mode);
                Approx.Equal(expected, actual.Values, 1e-12, $"C={classes} N={n}");
            }
        }
    }
}
