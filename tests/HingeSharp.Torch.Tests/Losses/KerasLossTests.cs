using System.Text.Json;
using HingeSharp.Torch.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Losses;

/// <summary>
/// Every case of keras_formulas.json: per-sample values against <c>expected_per_sample</c>, the mean against
/// <c>expected</c> (Keras' sum_over_batch_size), the strict variant against <c>max_over_negatives_variant</c>
/// where the case has one; gradients against the scalar reference. float64 and float32, functional and module,
/// every available device.
/// </summary>
public sealed class KerasLossTests
{
    private const string File = "keras_formulas.json";

    public static TheoryData<string> Cases => Fixtures.Names(File);

    public static TheoryData<string> CategoricalCases
        => Fixtures.Names(File, c => c.GetProperty("api").GetString() == "keras.losses.categorical_hinge");

    [Theory]
    [MemberData(nameof(Cases))]
    public void KerasLoss_OnGoldenCase_MatchesFormulaAndReferenceGradient(string name)
    {
        JsonElement c = Fixtures.Case(File, name);
        double[] golden = Fixtures.Doubles(c.GetProperty("expected_per_sample"));
        double goldenMean = Fixtures.Doubles(c.GetProperty("expected"))[0];
        (double[] reference, _) = Reference(c, maxOverNegatives: false, ScalarType.Float64);
        Close.Equal(golden, reference, 1e-12, 1e-14, name + " scalar reference vs golden");

        Run(c, maxOverNegatives: false, golden, goldenMean);
    }

    [Theory]
    [MemberData(nameof(CategoricalCases))]
    public void CategoricalHinge_MaxOverNegatives_MatchesVariantAndReferenceGradient(string name)
    {
        JsonElement c = Fixtures.Case(File, name);
        if (c.TryGetProperty("max_over_negatives_variant", out JsonElement variant))
        {
            double[] golden = Fixtures.Doubles(variant.GetProperty("per_sample"));
            Run(c, maxOverNegatives: true, golden, Fixtures.Doubles(variant.GetProperty("mean"))[0]);
        }
        else
        {
            // No golden variant for this case: the scalar reference (checked against the Keras form above) is it.
            (double[] reference, _) = Reference(c, maxOverNegatives: true, ScalarType.Float64);
            Run(c, maxOverNegatives: true, reference, reference.Average());
        }
    }

    private static void Run(JsonElement c, bool maxOverNegatives, double[] golden, double goldenMean)
    {
        string name = c.GetProperty("name").GetString()!;
        foreach (Device device in TestDevices.All)
        {
            foreach (ScalarType dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
            {
                (double rtol, double atol) = dtype == ScalarType.Float64 ? (1e-10, 1e-12) : (1e-5, 1e-6);
                (double[] refValues, double[] refGrad) = Reference(c, maxOverNegatives, dtype);
                foreach (nn.Reduction reduction in new[] { nn.Reduction.None, nn.Reduction.Mean, nn.Reduction.Sum })
                {
                    foreach (bool module in new[] { false, true })
                    {
                        string how = $"{name} {dtype} {reduction} on {device.type} via "
                            + (module ? "module" : "functional");
                        using var scope = NewDisposeScope();
                        JsonElement inputs = c.GetProperty("inputs");
                        Tensor yPred = Fixtures.ToTensor(inputs.GetProperty("y_pred"), device, dtype, true);
                        Tensor yTrue = Fixtures.ToTensor(inputs.GetProperty("y_true"), device, dtype);
                        Tensor loss = Compute(c, yPred, yTrue, maxOverNegatives, reduction, module);

                        Assert.Equal(dtype, loss.dtype);
                        double[] expected = reduction switch
                        {
                            nn.Reduction.None => golden,
                            nn.Reduction.Mean => [goldenMean],
                            _ => [golden.Sum()],
                        };
                        if (dtype == ScalarType.Float64)
                        {
                            Close.Equal(expected, loss, rtol, atol, how + " vs golden");
                        }

                        double[] reference = reduction switch
                        {
                            nn.Reduction.None => refValues,
                            nn.Reduction.Mean => [refValues.Average()],
                            _ => [refValues.Sum()],
                        };
                        Close.Equal(reference, loss, rtol, atol, how + " vs reference");

                        (reduction == nn.Reduction.None ? loss.sum() : loss).backward();
                        double scale = reduction == nn.Reduction.Mean ? 1.0 / refValues.Length : 1.0;
                        Close.Equal(refGrad.Select(g => g * scale).ToArray(), yPred.grad!, rtol, atol, how + " grad");
                    }
                }
            }
        }
    }

    private static Tensor Compute(JsonElement c, Tensor yPred, Tensor yTrue, bool maxOverNegatives,
        nn.Reduction reduction, bool module) => c.GetProperty("api").GetString() switch
        {
            "keras.losses.hinge" => module
                ? HingeNN.HingeLoss(reduction).call(yPred, yTrue)
                : HingeNN.functional.hinge_loss(yPred, yTrue, reduction),
            "keras.losses.squared_hinge" => module
                ? HingeNN.SquaredHingeLoss(reduction).call(yPred, yTrue)
                : HingeNN.functional.squared_hinge_loss(yPred, yTrue, reduction),
            "keras.losses.categorical_hinge" => module
                ? HingeNN.CategoricalHingeLoss(maxOverNegatives, reduction).call(yPred, yTrue)
                : HingeNN.functional.categorical_hinge_loss(yPred, yTrue, maxOverNegatives, reduction),
            var api => throw new NotSupportedException(api),
        };

    /// <summary>The scalar reference on the inputs as the given dtype stores them.</summary>
    private static (double[] Values, double[] Grad) Reference(JsonElement c, bool maxOverNegatives, ScalarType dtype)
    {
        JsonElement inputs = c.GetProperty("inputs");
        double[] yTrue = Fixtures.Doubles(inputs.GetProperty("y_true"));
        double[] yPred = Fixtures.Doubles(inputs.GetProperty("y_pred"));
        if (dtype == ScalarType.Float32)
        {
            yTrue = yTrue.Select(v => (double)(float)v).ToArray();
            yPred = yPred.Select(v => (double)(float)v).ToArray();
        }

        int width = (int)Fixtures.Shape(inputs.GetProperty("y_pred"))[^1];
        return c.GetProperty("api").GetString() switch
        {
            "keras.losses.hinge" => ScalarHinge.Keras(yTrue, yPred, width, squared: false),
            "keras.losses.squared_hinge" => ScalarHinge.Keras(yTrue, yPred, width, squared: true),
            _ => ScalarHinge.Categorical(yTrue, yPred, width, maxOverNegatives),
        };
    }
}
