using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Functional;

/// <summary>
/// Every case of sklearn_hinge.json (scikit-learn 1.2.1 <c>hinge_loss</c>, with and without <c>sample_weight</c>)
/// through HingeSharp's weighted binary and Crammer–Singer paths on raw margins. Labels are mapped as scikit-learn does
/// (fixtures README, rule 24): binary through <c>LabelBinarizer(neg_label=-1)</c> fitted on <c>y_true</c> (the greater
/// label is positive; a single class is all negative), multiclass to the column of the sorted labels.
/// </summary>
public sealed class SklearnWeightedGoldenTests
{
    public static TheoryData<string> Cases => Fixtures.Names("sklearn_hinge.json");

    [Theory, MemberData(nameof(Cases))]
    public void WeightedFunctional_OnMargins_MatchesSklearn(string name)
    {
        var c = SklearnCase.Load(name);
        var actual = c.IsMulticlass
            ? HingeFunctional.MulticlassHingeLoss<double, int>(c.Decision, c.Target, c.Columns, c.Weights,
                inputKind: HingeInputKind.Margins).Value
            : HingeFunctional.BinaryHingeLoss<double, int>(c.Decision, c.Target, c.Weights,
                inputKind: HingeInputKind.Margins);
        Approx.Equal(c.Expected, actual, Approx.Float64Relative, name);
    }

    [Theory, MemberData(nameof(Cases))]
    public void WeightedMetric_UpdatedInPieces_MatchesSklearn(string name)
    {
        var c = SklearnCase.Load(name);
        var metric = c.Metric();
        var n = c.Target.Length;
        var pieces = new[] { (0, n / 3), (n / 3, n / 2 - n / 3), (n / 2, n - n / 2) };
        foreach (var (start, length) in pieces)
        {
            metric.Update<double, int>(c.Decision.AsSpan(start * c.Columns, length * c.Columns),
                c.Target.AsSpan(start, length), c.Weights.Length == 0 ? default : c.Weights.AsSpan(start, length));
        }

        Approx.Equal(c.Expected, metric.ComputeValue().Values[0], Approx.Float64Relative, name);
    }

    [Theory, MemberData(nameof(Cases))]
    public void WeightedMetric_MergeOfHalves_MatchesSklearn(string name)
    {
        var c = SklearnCase.Load(name);
        var (first, second) = (c.Metric(), c.Metric());
        var half = c.Target.Length / 2;
        first.Update<double, int>(c.Decision.AsSpan(0, half * c.Columns), c.Target.AsSpan(0, half),
            c.Weights.Length == 0 ? default : c.Weights.AsSpan(0, half));
        second.Update<double, int>(c.Decision.AsSpan(half * c.Columns), c.Target.AsSpan(half),
            c.Weights.Length == 0 ? default : c.Weights.AsSpan(half));
        switch (first)
        {
            case BinaryHingeLoss b:
                b.Merge((BinaryHingeLoss)second);
                break;
            case MulticlassHingeLoss m:
                m.Merge((MulticlassHingeLoss)second);
                break;
        }

        Approx.Equal(c.Expected, first.ComputeValue().Values[0], Approx.Float64Relative, name);
    }

    private sealed class SklearnCase
    {
        public required double[] Decision { get; init; }
        public required int[] Target { get; init; }
        public required double[] Weights { get; init; }
        public required int Columns { get; init; }
        public required double Expected { get; init; }
        public bool IsMulticlass => Columns > 1;

        public IWeightedHingeMetric Metric() => IsMulticlass
            ? new MulticlassHingeLoss(Columns, inputKind: HingeInputKind.Margins)
            : new BinaryHingeLoss(inputKind: HingeInputKind.Margins);

        public static SklearnCase Load(string name)
        {
            var c = Fixtures.Case("sklearn_hinge.json", name);
            var inputs = c.GetProperty("inputs");
            var decision = inputs.GetProperty("pred_decision");
            var shape = Tensor.Shape(decision);
            var columns = shape.Length == 2 ? shape[1] : 1;
            var yTrue = Labels(inputs.GetProperty("y_true"));
            int[] target;
            if (columns == 1)
            {
                // LabelBinarizer(neg_label=-1) fitted on y_true: the greater of two labels is +1.
                var fitted = yTrue.Distinct().Order(StringComparer.Ordinal).ToArray();
                target = yTrue.Select(y => fitted.Length == 2 && y == fitted[1] ? 1 : 0).ToArray();
            }
            else
            {
                var labels = c.GetProperty("args").Opt("labels") is { } l ? Labels(l) : yTrue;
                var sorted = labels.Distinct().OrderBy(x => x, LabelComparer.Instance).ToList();
                target = yTrue.Select(y => sorted.IndexOf(y)).ToArray();
            }

            var weights = inputs.Opt("sample_weight") is { } w ? Tensor.Doubles(w) : [];
            return new SklearnCase
            {
                Decision = Tensor.Doubles(decision),
                Target = target,
                Weights = weights,
                Columns = columns,
                Expected = Tensor.Doubles(c.GetProperty("expected"))[0],
            };
        }

        /// <summary>Labels as text: numbers in their invariant spelling, strings as they are.</summary>
        private static string[] Labels(JsonElement tensor) => tensor.GetProperty("data").EnumerateArray()
            .Select(x => x.ValueKind == JsonValueKind.String && Tensor.Dtype(tensor).StartsWith("<U")
                ? x.GetString()!
                : Tensor.ParseDouble(x).ToString("R", System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
    }

    /// <summary>Sorts numeric labels by value and text labels ordinally, as numpy's unique does.</summary>
    private sealed class LabelComparer : IComparer<string>
    {
        public static readonly LabelComparer Instance = new();

        public int Compare(string? x, string? y) =>
            double.TryParse(x, System.Globalization.CultureInfo.InvariantCulture, out var a) &&
            double.TryParse(y, System.Globalization.CultureInfo.InvariantCulture, out var b)
                ? a.CompareTo(b)
                : string.CompareOrdinal(x, y);
    }
}
