using Xunit;
using HingeSharp.Tests.Infrastructure;

namespace HingeSharp.Tests.Classification;

/// <summary>Every case of classification_metrics.json through the functional API (float32 preds against
/// <c>expected</c>, widened to float64 against <c>expected_float64</c>).</summary>
public sealed class ClassificationGoldenTests
{
    public static TheoryData<string> Cases => ClassificationCase.Names();

    [Theory, MemberData(nameof(Cases))]
    public void Functional_AsStored_MatchesExpected(string name)
    {
        var c = new ClassificationCase(name);
        var actual = c.PredsAreLabels ? c.Functional(c.LabelPreds) : c.Functional(c.FloatPreds);
        Approx.Equal(c.Expected("expected"), actual, Approx.Float32Relative, name);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Functional_Float64_MatchesExpectedFloat64(string name)
    {
        var c = new ClassificationCase(name);
        var actual = c.PredsAreLabels ? c.Functional(c.LabelPreds) : c.Functional(c.DoublePreds);
        Approx.Equal(c.Expected("expected_float64"), actual, Approx.Float32Relative, name);
    }
}
