using HingeSharp.Classification;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Classification;

/// <summary>hinge_wrapper.json: torchmetrics' HingeLoss(task=...) module and hinge_loss(task=...) functional.</summary>
public sealed class HingeWrapperGoldenTests
{
    public static TheoryData<string> Cases => Fixtures.Names("hinge_wrapper.json");

    /// <summary>The flat functional wrapper takes (N) or (N, C); extra dims go through the shaped metric above.</summary>
    public static TheoryData<string> FlatCases => Fixtures.Names("hinge_wrapper.json",
        c => c.GetProperty("inputs").GetProperty("preds").GetProperty("shape").GetArrayLength() <= 2);

    [Theory, MemberData(nameof(Cases))]
    public void HingeLossFactory_ForwardThenCompute_MatchesModule(string name)
    {
        var c = Fixtures.Case("hinge_wrapper.json", name);
        var metric = Create(c);
        Assert.Equal(c.GetProperty("module_resolves_to").GetString(), metric.GetType().Name);
        var (preds, shape, target, targetShape) = Inputs(c);
        Approx.Equal(Tensor.Doubles(c.GetProperty("module_forward")),
            metric.Forward<float, long>(preds, shape, target, targetShape).Values, Approx.Float32Relative, name);
        Approx.Equal(Tensor.Doubles(c.GetProperty("expected")), metric.ComputeValue().Values, Approx.Float32Relative, name);
    }

    [Theory, MemberData(nameof(Cases))]
    public void HingeLossFactory_Float64_MatchesExpectedFloat64(string name)
    {
        var c = Fixtures.Case("hinge_wrapper.json", name);
        var metric = Create(c);
        var p = c.GetProperty("inputs").GetProperty("preds");
        var t = c.GetProperty("inputs").GetProperty("target");
        metric.Update<double, long>(Tensor.Doubles(p), Tensor.Shape(p), Tensor.Longs(t), Tensor.Shape(t));
        Approx.Equal(Tensor.Doubles(c.GetProperty("expected_float64")), metric.ComputeValue().Values,
            Approx.Float64Relative, name);
    }

    [Theory, MemberData(nameof(FlatCases))]
    public void HingeFunctional_HingeLoss_MatchesFunctional(string name)
    {
        var c = Fixtures.Case("hinge_wrapper.json", name);
        var args = c.GetProperty("args");
        var (preds, _, target, _) = Inputs(c);
        var value = HingeSharp.Functional.HingeFunctional.HingeLoss<float, long>(preds, target,
            args.GetProperty("task").GetString()!, args.Opt("num_classes")?.GetInt32(),
            args.Opt("squared")?.GetBoolean() ?? false, args.Opt("multiclass_mode")?.GetString() ?? "crammer-singer",
            args.Opt("ignore_index")?.GetInt32());
        Approx.Equal(Tensor.Doubles(c.GetProperty("functional")), value.Values, Approx.Float32Relative, name);
    }

    private static IHingeMetric Create(System.Text.Json.JsonElement c)
    {
        var args = c.GetProperty("args");
        return HingeLoss.Create(args.GetProperty("task").GetString()!, args.Opt("num_classes")?.GetInt32(),
            args.Opt("squared")?.GetBoolean() ?? false, args.Opt("multiclass_mode")?.GetString() ?? "crammer-singer",
            args.Opt("ignore_index")?.GetInt32());
    }

    private static (float[] Preds, int[] Shape, long[] Target, int[] TargetShape) Inputs(System.Text.Json.JsonElement c)
    {
        var p = c.GetProperty("inputs").GetProperty("preds");
        var t = c.GetProperty("inputs").GetProperty("target");
        return (Tensor.Floats(p), Tensor.Shape(p), Tensor.Longs(t), Tensor.Shape(t));
    }
}
