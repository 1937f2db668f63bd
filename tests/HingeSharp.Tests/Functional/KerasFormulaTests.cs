using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Functional;

/// <summary>keras_formulas.json: Keras' hinge, squared_hinge and categorical_hinge (per sample and mean).</summary>
public sealed class KerasFormulaTests
{
    public static TheoryData<string> Cases => Fixtures.Names("keras_formulas.json");

    public static TheoryData<string> StrictVariantCases =>
        Fixtures.Names("keras_formulas.json", c => c.Opt("max_over_negatives_variant") is not null);

    [Theory, MemberData(nameof(Cases))]
    public void KerasHinge_Formula_MatchesPerSampleAndMean(string name)
    {
        var c = Fixtures.Case("keras_formulas.json", name);
        var (yTrue, yPred, last) = Inputs(c);
        var perSample = new double[yPred.Length / last];
        var mean = c.Api() switch
        {
            "keras.losses.hinge" => KerasHinge.Hinge(yTrue, yPred, last, perSample),
            "keras.losses.squared_hinge" => KerasHinge.SquaredHinge(yTrue, yPred, last, perSample),
            _ => KerasHinge.CategoricalHinge(yTrue, yPred, last, perSample),
        };
        Approx.Equal(Tensor.Doubles(c.GetProperty("expected_per_sample")), perSample, Approx.Float64Relative, name);
        Approx.Equal(Tensor.Doubles(c.GetProperty("expected"))[0], mean, Approx.Float64Relative, name);
    }

    [Theory, MemberData(nameof(StrictVariantCases))]
    public void KerasHinge_CategoricalMaxOverNegatives_MatchesVariant(string name)
    {
        var c = Fixtures.Case("keras_formulas.json", name);
        var (yTrue, yPred, last) = Inputs(c);
        var perSample = new double[yPred.Length / last];
        var mean = KerasHinge.CategoricalHinge(yTrue, yPred, last, perSample, maxOverNegatives: true);
        var variant = c.GetProperty("max_over_negatives_variant");
        Approx.Equal(Tensor.Doubles(variant.GetProperty("per_sample")), perSample, Approx.Float64Relative, name);
        Approx.Equal(Tensor.Doubles(variant.GetProperty("mean"))[0], mean, Approx.Float64Relative, name);
    }

    private static (double[] YTrue, double[] YPred, int Last) Inputs(System.Text.Json.JsonElement c)
    {
        var inputs = c.GetProperty("inputs");
        var shape = Tensor.Shape(inputs.GetProperty("y_pred"));
        return (Tensor.Doubles(inputs.GetProperty("y_true")), Tensor.Doubles(inputs.GetProperty("y_pred")),
            shape.Length > 1 ? shape[^1] : 1);
    }
}
