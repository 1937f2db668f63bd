using HingeSharp.Svm;
using Xunit;

namespace HingeSharp.Tests.Svm;

/// <summary>SgdSvm: scikit-learn's plain SGD for the hinge loss, against a scalar reference of that loop.</summary>
public sealed class SgdSvmTests
{
    private static readonly SvmSet Binary = SvmSet.Of("binary");
    private static readonly SvmSet Four = SvmSet.Of("multiclass4");

    /// <summary>scikit-learn's _plain_sgd for hinge + L2 written plainly (no weight scale), one problem, no shuffle.</summary>
    private static (double[] W, double B) Reference(SvmSet d, long positive, double alpha, SgdLearningRate rate,
        double eta0, double powerT, int epochs)
    {
        var w = new double[d.Columns];
        var b = 0.0;
        var t = 1.0;
        var typw = Math.Sqrt(1.0 / Math.Sqrt(alpha));
        var t0 = 1.0 / (typw * alpha);
        for (var e = 0; e < epochs; e++)
        {
            for (var i = 0; i < d.YTrain.Length; i++)
            {
                var y = d.YTrain[i] == positive ? 1.0 : -1.0;
                var p = b;
                for (var j = 0; j < d.Columns; j++)
                {
                    p += w[j] * d.XTrain[i * d.Columns + j];
                }

                var eta = rate == SgdLearningRate.Optimal ? 1.0 / (alpha * (t0 + t - 1)) : eta0 / Math.Pow(t, powerT);
                var update = p * y <= 1 ? eta * y : 0.0;
                var shrink = Math.Max(0, 1 - eta * alpha);
                for (var j = 0; j < d.Columns; j++)
                {
                    w[j] = w[j] * shrink + update * d.XTrain[i * d.Columns + j];
                }

                b += update;
                t += 1;
            }
        }

        return (w, b);
    }

    [Theory]
    [InlineData(SgdLearningRate.Optimal, 1e-4, 0.0)]
    [InlineData(SgdLearningRate.Optimal, 1e-2, 0.0)]
    [InlineData(SgdLearningRate.InvScaling, 1e-3, 0.1)]
    public void PartialFit_ThreeEpochs_MatchesScalarReference(SgdLearningRate rate, double alpha, double eta0)
    {
        var sgd = new SgdSvm(alpha: alpha, learningRate: rate, eta0: eta0, shuffle: false);
        for (var e = 0; e < 3; e++)
        {
            sgd.PartialFit(Binary.XTrain, Binary.Columns, Binary.YTrain.AsSpan(), [0, 1]);
        }

        var (w, b) = Reference(Binary, 1, alpha, rate, eta0, 0.5, 3);
        for (var j = 0; j < Binary.Columns; j++)
        {
            Assert.Equal(w[j], sgd.Coef[0, j], 1e-9 * Math.Max(1, Math.Abs(w[j])));
        }

        Assert.Equal(b, sgd.Intercept[0], 1e-9 * Math.Max(1, Math.Abs(b)));
        Assert.Equal(1 + 3.0 * Binary.YTrain.Length, sgd.TimeStep);
    }

    [Fact]
    public void PartialFit_TwoChunks_EqualsOneChunkOfBoth()
    {
        var cut = 100;
        var chunks = new SgdSvm(shuffle: false)
            .PartialFit(Four.XTrain.AsSpan(0, cut * Four.Columns), Four.Columns, Four.YTrain.AsSpan(0, cut), [0, 1, 2, 3])
            .PartialFit(Four.XTrain.AsSpan(cut * Four.Columns), Four.Columns, Four.YTrain.AsSpan(cut));
        var whole = new SgdSvm(shuffle: false).PartialFit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan(), [0, 1, 2, 3]);
        Assert.Equal(whole.Coef, chunks.Coef);
        Assert.Equal(whole.Intercept, chunks.Intercept);
    }

    [Fact]
    public void Fit_Blobs_AccuracyCloseToLinearSvc()
    {
        var sgd = new SgdSvm(seed: 3).Fit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan());
        var svc = new LinearSvc(loss: SvmLoss.Hinge).Fit(Four.XTrain, Four.Columns, Four.YTrain.AsSpan());
        var sgdAccuracy = SvmReference.Accuracy(sgd.Predict(Four.XTest), Four.YTest);
        var svcAccuracy = SvmReference.Accuracy(svc.Predict(Four.XTest), Four.YTest);
        Assert.InRange(sgdAccuracy, svcAccuracy - 0.1, 1.0);
        Assert.InRange(sgd.Epochs, 6, 1000);
    }

    [Fact]
    public void PartialFit_FirstCallWithoutClasses_Throws()
    {
        var e = Assert.Throws<HingeArgumentException>(() =>
            new SgdSvm().PartialFit(Binary.XTrain, Binary.Columns, Binary.YTrain.AsSpan()));
        Assert.Contains("classes must be passed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialFit_UnknownLabel_ThrowsAndLeavesModelUnchanged()
    {
        var sgd = new SgdSvm().PartialFit(Binary.XTrain, Binary.Columns, Binary.YTrain.AsSpan(), [0, 1]);
        var before = sgd.Coef;
        var labels = Binary.YTrain.ToArray();
        labels[4] = 9;
        var e = Assert.Throws<HingeArgumentException>(() => sgd.PartialFit(Binary.XTrain, Binary.Columns, labels.AsSpan()));
        Assert.Contains("`y[4]` = 9", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, sgd.Coef);
    }
}
