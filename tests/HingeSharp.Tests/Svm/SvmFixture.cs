using System.Text.Json;

namespace HingeSharp.Tests.Svm;

/// <summary>A data set and a fitted case of svm_sklearn.json (scikit-learn 1.2.1 LinearSVC).</summary>
internal sealed record SvmSet(float[] XTrain, long[] YTrain, float[] XTest, long[] YTest, int Columns)
{
    public const string File = "svm_sklearn.json";

    public static SvmSet Of(string name)
    {
        var d = Fixtures.Root(File).GetProperty("datasets").GetProperty(name);
        var (xTrain, columns) = Matrix(d.GetProperty("x_train"));
        var (xTest, _) = Matrix(d.GetProperty("x_test"));
        return new SvmSet(xTrain, Labels(d.GetProperty("y_train")), xTest, Labels(d.GetProperty("y_test")), columns);
    }

    public static SvmSet For(JsonElement c) => Of(c.GetProperty("data").GetString()!);

    public static double[][] Rows(JsonElement e) =>
        e.EnumerateArray().Select(r => r.EnumerateArray().Select(Tensor.ParseDouble).ToArray()).ToArray();

    private static (float[] Data, int Columns) Matrix(JsonElement e)
    {
        var rows = Rows(e);
        return (rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), rows[0].Length);
    }

    private static long[] Labels(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();
}

/// <summary>Plain scalar reference for the objectives the fixture's description defines (independent of the
/// library's own evaluation).</summary>
internal static class SvmReference
{
    /// <summary>One-vs-rest primal objective, summed over the problems, for weights <paramref name="coef"/>
    /// (one row per problem) and intercepts; per-sample C from <paramref name="classC"/> (LIBLINEAR's weighting).</summary>
    public static double OvrPrimal(float[] x, int columns, long[] y, long[] classes, double[][] coef,
        double[] intercept, double c, double[] classWeight, bool hinge, double scaling = 1.0)
    {
        var total = 0.0;
        for (var p = 0; p < coef.Length; p++)
        {
            var positive = coef.Length == 1 ? classes[1] : classes[p];
            var reg = coef[p].Sum(v => v * v) + Math.Pow(intercept[p] / scaling, 2);
            var loss = 0.0;
            for (var i = 0; i < y.Length; i++)
            {
                var s = intercept[p];
                for (var j = 0; j < columns; j++)
                {
                    s += coef[p][j] * x[i * columns + j];
                }

                var yi = y[i] == positive ? 1.0 : -1.0;
                var k = Array.IndexOf(classes, y[i]);
                var ci = coef.Length == 1 ? c * classWeight[k] : (yi > 0 ? c * classWeight[k] : c);
                var h = Math.Max(0, 1 - yi * s);
                loss += ci * (hinge ? h : h * h);
            }

            total += 0.5 * reg + loss;
        }

        return total;
    }

    /// <summary>Crammer–Singer primal: ½Σ‖w̃ₘ‖² + C Σᵢ max(0, max_{m≠yᵢ} 1 + sₘ − s_{yᵢ}).</summary>
    public static double CrammerSingerPrimal(float[] x, int columns, long[] y, long[] classes, double[][] coef,
        double[] intercept, double c)
    {
        var reg = coef.Sum(r => r.Sum(v => v * v)) + intercept.Sum(b => b * b);
        var loss = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var scores = coef.Select((w, m) => intercept[m] + w.Select((v, j) => v * x[i * columns + j]).Sum()).ToArray();
            var yi = Array.IndexOf(classes, y[i]);
            var worst = 0.0;
            for (var m = 0; m < classes.Length; m++)
            {
                if (m != yi)
                {
                    worst = Math.Max(worst, 1 + scores[m] - scores[yi]);
                }
            }

            loss += c * worst;
        }

        return 0.5 * reg + loss;
    }

    public static double Accuracy(long[] predicted, long[] y) =>
        predicted.Zip(y).Count(p => p.First == p.Second) / (double)y.Length;
}
