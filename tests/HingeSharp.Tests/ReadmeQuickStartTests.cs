using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests;

/// <summary>
/// The README's C# quick start, run as written: the tutorial's metric examples must give the oracle's numbers
/// (hinge_wrapper.json / multiclass_hinge.json docstring cases) to float32 precision.
/// </summary>
public sealed class ReadmeQuickStartTests
{
    private static readonly float[] MulticlassPreds =
    [
        0.25f, 0.20f, 0.55f,
        0.55f, 0.05f, 0.40f,
        0.10f, 0.30f, 0.60f,
        0.90f, 0.05f, 0.05f,
    ];

    private static readonly int[] MulticlassTarget = [0, 1, 2, 0];

    private static double[] Golden(string file, string name) =>
        Tensor.Doubles(Fixtures.Case(file, name).GetProperty("expected"));

    [Fact]
    public void QuickStart_Method3_BinaryHingeLoss_GivesTutorialValue()
    {
        // README: Method 3, HingeLoss(task: "binary")
        var hinge = HingeLoss.Create("binary");
        var value = hinge.Forward<float, int>([0.5f, 0.7f, 0.1f], [0, 1, 1]);
        Approx.Equal(Golden("hinge_wrapper.json", "wrapper/binary/tutorial")[0], value.Value, Approx.Float32Relative);
        Assert.Equal("0.9000", value.ToString());
    }

    [Fact]
    public void QuickStart_Method4_MulticlassFunctional_GivesTutorialValues()
    {
        // README: Method 4, functional multiclass hinge
        var crammerSinger = HingeFunctional.MulticlassHingeLoss<float, int>(MulticlassPreds, MulticlassTarget, numClasses: 3);
        var squared = HingeFunctional.MulticlassHingeLoss<float, int>(MulticlassPreds, MulticlassTarget, numClasses: 3,
            squared: true);
        var oneVsAll = HingeFunctional.MulticlassHingeLoss<float, int>(MulticlassPreds, MulticlassTarget, numClasses: 3,
            multiclassMode: MulticlassMode.OneVsAll);

        Approx.Equal(Golden("multiclass_hinge.json", "multiclass/docstring_example"), crammerSinger.Values, Approx.Float32Relative);
        Approx.Equal(Golden("multiclass_hinge.json", "multiclass/docstring_example/squared"), squared.Values, Approx.Float32Relative);
        Approx.Equal(Golden("multiclass_hinge.json", "multiclass/docstring_example/one-vs-all"), oneVsAll.Values,
            Approx.Float32Relative);
        Assert.Equal("0.9125", crammerSinger.ToString());
        Assert.Equal("1.1131", squared.ToString());
        Assert.Equal("[0.8750, 1.1250, 1.1000]", oneVsAll.ToString());
    }

    [Fact]
    public void QuickStart_StreamingMetric_MatchesDocstring()
    {
        // README: streaming metric with update/compute (torchmetrics' BinaryHingeLoss docstring)
        var metric = new BinaryHingeLoss();
        metric.Update<float, int>([0.25f, 0.25f], [0, 0]);
        metric.Update<float, int>([0.55f, 0.75f, 0.75f], [1, 1, 1]);
        Approx.Equal(Golden("binary_hinge.json", "binary/docstring_example")[0], metric.Compute(), Approx.Float32Relative);
    }
}
