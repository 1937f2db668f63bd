using System.Text.Json;
using HingeSharp.Svm;
using Xunit;

namespace HingeSharp.Tests.Svm;

/// <summary>LinearSvc against scikit-learn 1.2.1 LinearSVC fits (svm_sklearn.json).</summary>
public sealed class LinearSvcGoldenTests
{
    public static TheoryData<string> Cases => Fixtures.Names(SvmSet.File);

    internal static LinearSvc Create(JsonElement args) => new(
        c: args.GetProperty("C").GetDouble(),
        loss: args.GetProperty("loss").GetString() == "hinge" ? SvmLoss.Hinge : SvmLoss.SquaredHinge,
        multiClass: args.GetProperty("multi_class").GetString() == "ovr"
            ? SvmMultiClass.OneVsRest
            : SvmMultiClass.CrammerSinger,
        tol: args.GetProperty("tol").GetDouble(),
        maxIter: 200_000,
        fitIntercept: args.GetProperty("fit_intercept").GetBoolean(),
        interceptScaling: args.GetProperty("intercept_scaling").GetDouble(),
        classWeight: args.Opt("class_weight") is { } w && w.GetString() == "balanced" ? SvmClassWeight.Balanced : null);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_FixtureCase_ObjectiveAndAccuracyMatchScikitLearn(string name)
    {
        var c = Fixtures.Case(SvmSet.File, name);
        var data = SvmSet.For(c);
        var svc = Create(c.GetProperty("args")).Fit(data.XTrain, data.Columns, data.YTrain);

        var expectedCoef = SvmSet.Rows(c.GetProperty("coef"));
        var expectedIntercept = c.GetProperty("intercept").EnumerateArray().Select(Tensor.ParseDouble).ToArray();
        var classes = c.GetProperty("classes").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(classes, svc.Classes);
        Assert.True(svc.Converged, $"{name}: not converged after {svc.Iterations} iterations");

        // The objective scikit-learn reached (given, or evaluated from its coefficients for Crammer–Singer).
        double sklearnObjective;
        double ours;
        var cValue = c.GetProperty("args").GetProperty("C").GetDouble();
        var ourCoef = Enumerable.Range(0, svc.DecisionColumns)
            .Select(k => Enumerable.Range(0, data.Columns).Select(j => svc.Coef[k, j]).ToArray()).ToArray();
        if (svc.MultiClass == SvmMultiClass.CrammerSinger)
        {
            sklearnObjective = SvmReference.CrammerSingerPrimal(data.XTrain, data.Columns, data.YTrain, classes,
                expectedCoef, expectedIntercept, cValue);
            ours = SvmReference.CrammerSingerPrimal(data.XTrain, data.Columns, data.YTrain, classes, ourCoef,
                svc.Intercept, cValue);
        }
        else
        {
            sklearnObjective = c.GetProperty("primal_objective").GetDouble();
            var weights = svc.ClassC.Select(ci => ci / cValue).ToArray();
            ours = SvmReference.OvrPrimal(data.XTrain, data.Columns, data.YTrain, classes, ourCoef, svc.Intercept,
                cValue, weights, svc.Loss == SvmLoss.Hinge);
            // The fixture's objective, recomputed from scikit-learn's own coefficients by the reference, agrees.
            var check = SvmReference.OvrPrimal(data.XTrain, data.Columns, data.YTrain, classes, expectedCoef,
                expectedIntercept, cValue, weights, svc.Loss == SvmLoss.Hinge);
            Assert.Equal(sklearnObjective, check, sklearnObjective * 1e-6);
        }

        Assert.Equal(ours, svc.PrimalObjective, Math.Abs(ours) * 1e-9);
        Assert.True(ours <= sklearnObjective * 1.001, $"{name}: objective {ours} > scikit-learn's {sklearnObjective} × 1.001");
        Assert.True(svc.DualObjective <= svc.PrimalObjective + 1e-9 * Math.Abs(svc.PrimalObjective),
            $"{name}: dual {svc.DualObjective} above primal {svc.PrimalObjective}");

        var train = SvmReference.Accuracy(svc.Predict(data.XTrain), data.YTrain);
        var test = SvmReference.Accuracy(svc.Predict(data.XTest), data.YTest);
        Assert.InRange(train, c.GetProperty("train_accuracy").GetDouble() - 0.01, 1.0);
        Assert.InRange(test, c.GetProperty("test_accuracy").GetDouble() - 0.01, 1.0);

        // The primal is strongly convex in (w, b/s): the minimiser is unique, so both fits lie close to it.
        for (var k = 0; k < svc.DecisionColumns; k++)
        {
            for (var j = 0; j < data.Columns; j++)
            {
                Assert.True(Math.Abs(ourCoef[k][j] - expectedCoef[k][j]) <= 0.005 + 0.005 * Math.Abs(expectedCoef[k][j]),
                    $"{name}: coef[{k},{j}] = {ourCoef[k][j]}, scikit-learn {expectedCoef[k][j]}");
            }

            Assert.True(Math.Abs(svc.Intercept[k] - expectedIntercept[k]) <= 0.005 + 0.005 * Math.Abs(expectedIntercept[k]),
                $"{name}: intercept[{k}] = {svc.Intercept[k]}, scikit-learn {expectedIntercept[k]}");
        }
    }
}
