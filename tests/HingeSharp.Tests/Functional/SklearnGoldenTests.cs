using System.Text.Json;
using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Functional;

/// <summary>sklearn_hinge.json through the scikit-learn-compatible entry point (raw decision values).</summary>
public sealed class SklearnGoldenTests
{
    public static TheoryData<string> Cases => Fixtures.Names("sklearn_hinge.json");

    [Theory, MemberData(nameof(Cases))]
    public void SklearnHinge_HingeLoss_MatchesScikitLearn(string name)
    {
        var c = Fixtures.Case("sklearn_hinge.json", name);
        var inputs = c.GetProperty("inputs");
        var pred = inputs.GetProperty("pred_decision");
        var shape = Tensor.Shape(pred);
        var columns = shape.Length == 2 ? shape[1] : 1;
        var weights = inputs.Opt("sample_weight") is { } w ? Tensor.Doubles(w) : [];
        var yTrue = inputs.GetProperty("y_true");
        var labels = c.GetProperty("args").Opt("labels");
        double value;
        if (Tensor.Dtype(yTrue).StartsWith("<U", StringComparison.Ordinal))
        {
            value = SklearnHinge.HingeLoss<string>(Strings(yTrue), Tensor.Doubles(pred), columns,
                labels is { } l ? Strings(l) : [], weights);
        }
        else
        {
            value = SklearnHinge.HingeLoss<long>(Tensor.Longs(yTrue), Tensor.Doubles(pred), columns,
                labels is { } l ? Tensor.Longs(l) : [], weights);
        }

        Approx.Equal(Tensor.Doubles(c.GetProperty("expected"))[0], value, Approx.Float64Relative, name);
        if (c.Opt("torchmetrics_value") is { } tm)
        {
            Approx.Equal(Tensor.Doubles(tm)[0], value, Approx.Float64Relative, name + " (torchmetrics cross-check)");
        }
    }

    private static string[] Strings(JsonElement t) =>
        t.GetProperty("data").EnumerateArray().Select(x => x.GetString()!).ToArray();
}
