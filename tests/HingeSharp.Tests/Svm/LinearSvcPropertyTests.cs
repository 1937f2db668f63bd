using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Reports;
using HingeSharp.Svm;
using Xunit;

namespace HingeSharp.Tests.Svm;

/// <summary>Properties of LinearSvc: determinism, precision agreement, monotone dual, duality gap, errors, and the
/// decision values feeding the hinge metrics.</summary>
public sealed class LinearSvcPropertyTests
{
    private static readonly SvmSet Binary = SvmSet.Of("binary");
    private static readonly SvmSet Four = SvmSet.Of("multiclass4");

    private static double[] Widen(float[] x) => x.Select(v => (double)v).ToArray();

    [Theory]
    [InlineData(SvmLoss.Hinge, SvmMultiClass.OneVsRest)]
    [InlineData(SvmLoss.SquaredHinge, SvmMultiClass.OneVsRest)]
    [InlineData(SvmLoss.SquaredHinge, SvmMultiClass.CrammerSinger)]
    public void Fit_SameSeedTwice_BitIdenticalModel(SvmLoss loss, SvmMultiClass multiClass)
    {
        var a = new LinearSvc(loss: loss, multiClass: multiClass, seed: 7).Fit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan());
        var b = new LinearSvc(loss: loss, multiClass: multiClass, seed: 7).Fit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan());
        Assert.Equal(a.Coef, b.Coef);
        Assert.Equal(a.Intercept, b.Intercept);
        Assert.Equal(a.ProblemIterations, b.ProblemIterations);
        Assert.Equal(a.PrimalObjective, b.PrimalObjective);
    }

    [Theory]
    [InlineData(SvmMultiClass.OneVsRest)]
    [InlineData(SvmMultiClass.CrammerSinger)]
    public void Fit_Float32AndItsFloat64Copy_SameModel(SvmMultiClass multiClass)
    {
        var single = new LinearSvc(multiClass: multiClass).Fit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan());
        var wide = new LinearSvc(multiClass: multiClass).Fit(Widen(Four.XTrain), Four.Columns, Four.YTrain.AsSpan());
        Assert.Equal(single.Coef, wide.Coef);
        Assert.Equal(single.Intercept, wide.Intercept);
        Assert.Equal(single.DecisionFunction(Four.XTest), wide.DecisionFunction(Widen(Four.XTest)));
    }

    [Theory]
    [InlineData(SvmLoss.Hinge)]
    [InlineData(SvmLoss.SquaredHinge)]
    public void Fit_MoreIterations_DualNeverDecreases(SvmLoss loss)
    {
        // Each coordinate step minimises the dual exactly along its coordinate, so with the same seed (same order)
        // a longer run's dual is at least the shorter run's, and it never exceeds the primal.
        var previous = double.NegativeInfinity;
        foreach (var iterations in new[] { 1, 2, 3, 5, 8, 20, 50 })
        {
            var svc = new LinearSvc(c: 1.0, loss: loss, maxIter: iterations, seed: 1)
                .Fit(Binary.XTrain, Binary.Columns, Binary.YTrain.AsSpan());
            Assert.True(svc.DualObjective >= previous - 1e-9 * Math.Abs(previous),
                $"dual fell from {previous} to {svc.DualObjective} at {iterations} iterations");
            Assert.True(svc.DualObjective <= svc.PrimalObjective * (1 + 1e-12));
            previous = svc.DualObjective;
        }
    }

    [Theory]
    [InlineData(SvmLoss.Hinge, 0.1)]
    [InlineData(SvmLoss.SquaredHinge, 1.0)]
    [InlineData(SvmLoss.SquaredHinge, 10.0)]
    public void Fit_Converged_DualityGapIsSmall(SvmLoss loss, double c)
    {
        var svc = new LinearSvc(c: c, loss: loss, tol: 1e-6, maxIter: 1_000_000)
            .Fit(Binary.XTrain, Binary.Columns, Binary.YTrain.AsSpan());
        Assert.True(svc.Converged);
        var gap = (svc.PrimalObjective - svc.DualObjective) / svc.PrimalObjective;
        Assert.InRange(gap, 0, 1e-4);
    }

    [Fact]
    public void Fit_NoIntercept_InterceptIsZeroAndObjectiveNoBetter()
    {
        var with = new LinearSvc().Fit(Binary.XTrain, Binary.Columns, Binary.YTrain.AsSpan());
        var without = new LinearSvc(fitIntercept: false).Fit(Binary.XTrain, Binary.Columns, Binary.YTrain.AsSpan());
        Assert.Equal([0.0], without.Intercept);
        Assert.True(with.PrimalObjective <= without.PrimalObjective * 1.001);
    }

    [Fact]
    public void Fit_ClassWeightDictionary_EqualsBalancedWhenTheSame()
    {
        var n0 = Binary.YTrain.Count(v => v == 0);
        var n1 = Binary.YTrain.Length - n0;
        var weights = new Dictionary<long, double>
        {
            [0] = Binary.YTrain.Length / (2.0 * n0),
            [1] = Binary.YTrain.Length / (2.0 * n1),
        };
        var balanced = new LinearSvc(classWeight: SvmClassWeight.Balanced).Fit(Binary.XTrain, Binary.Columns, Binary.YTrain.AsSpan());
        var given = new LinearSvc(classWeight: SvmClassWeight.Of(weights)).Fit(Binary.XTrain, Binary.Columns, Binary.YTrain.AsSpan());
        Assert.Equal(balanced.Coef, given.Coef);
        Assert.Equal(new[] { weights[0], weights[1] }, balanced.ClassC);
    }

    [Fact]
    public void Fit_AnyIntegerLabels_ClassesSortedAndPredicted()
    {
        var labels = Four.YTrain.Select(v => (short)(v * 100 - 7)).ToArray();
        var svc = new LinearSvc().Fit(Four.XTrain, Four.Columns, labels.AsSpan());
        Assert.Equal(new long[] { -7, 93, 193, 293 }, svc.Classes);
        var reference = new LinearSvc().Fit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan());
        Assert.Equal(reference.Predict(Four.XTest).Select(v => v * 100 - 7), svc.Predict(Four.XTest));
    }

    [Fact]
    public void Fit_NonFiniteFeature_NamesRowAndColumn()
    {
        var x = (float[])Binary.XTrain.Clone();
        x[3 * Binary.Columns + 2] = float.NaN;
        var e = Assert.Throws<HingeArgumentException>(() =>
            new LinearSvc().Fit(x, Binary.Columns, Binary.YTrain.AsSpan()));
        Assert.Contains("`x[3, 2]` = NaN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_OneClass_Throws()
    {
        var e = Assert.Throws<HingeArgumentException>(() =>
            new LinearSvc().Fit(Binary.XTrain, Binary.Columns, new int[Binary.YTrain.Length].AsSpan()));
        Assert.Contains("at least 2 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecisionFunction_Margins_FeedTheHingeMetricsAndMarginReport()
    {
        var svc = new LinearSvc(loss: SvmLoss.Hinge).Fit(Binary.XTrain, Binary.Columns, Binary.YTrain.AsSpan());
        var margins = svc.DecisionFunction(Binary.XTest);
        var target = Binary.YTest.Select(v => (int)v).ToArray();

        var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Margins);
        metric.Update<double, int>(margins, target);
        var expected = margins.Zip(target, (m, t) => Math.Max(0, 1 - (t == 1 ? 1 : -1) * m)).Average();
        Assert.Equal(expected, metric.Compute(), 1e-12);
        Assert.Equal(expected, SklearnHinge.HingeLoss<int>(target, margins), 1e-12);

        var report = MarginReport.Binary(HingeInputKind.Margins);
        report.Update<double, int>(margins, target);
        var accuracy = SvmReference.Accuracy(svc.Predict(Binary.XTest), Binary.YTest);
        Assert.Equal(1 - accuracy, report.Compute().Overall.MisclassifiedShare, 1e-12);
    }

    [Fact]
    public void DecisionFunction_CrammerSinger_FeedsMulticlassHingeOnMargins()
    {
        var svc = new LinearSvc(multiClass: SvmMultiClass.CrammerSinger).Fit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan());
        var scores = svc.DecisionFunction(Four.XTest);
        var target = Four.YTest.Select(v => (int)v).ToArray();
        var metric = new MulticlassHingeLoss(4, inputKind: HingeInputKind.Margins);
        metric.Update<double, int>(scores, target);
        var expected = target.Select((t, i) =>
        {
            var row = scores.AsSpan(i * 4, 4).ToArray();
            var rival = row.Where((_, m) => m != t).Max();
            return Math.Max(0, 1 - (row[t] - rival));
        }).Average();
        Assert.Equal(expected, metric.Compute().Value, 1e-12);
    }
}
