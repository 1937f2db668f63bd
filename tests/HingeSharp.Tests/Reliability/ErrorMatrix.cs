using HingeSharp.Classification;
using HingeSharp.Functional;
using static HingeSharp.Functional.HingeFunctional;
using HingeLossFactory = HingeSharp.Classification.HingeLoss;

namespace HingeSharp.Tests.Reliability;

/// <summary>
/// A row of docs/errors.md: the call that makes the bad input happen. <see cref="Call"/> is the public entry point
/// (functional where there is one, null for metric-only rows); <see cref="Metric"/> and <see cref="Feed"/>, when set,
/// make the same bad input reach a streaming metric through <c>Update</c> (forward = false) or <c>Forward</c>
/// (forward = true), for the "same message" and atomicity tests.
/// </summary>
internal sealed record ErrorRow(string Id, Func<object?>? Call, Func<IHingeMetric>? Metric = null,
    Func<IHingeMetric, bool, object?>? Feed = null);

/// <summary>The calls behind every row of docs/errors.md (the messages live in the document).</summary>
internal static partial class ErrorMatrix
{
    private static readonly float[] P12 = [0.2f, 0.5f, 0.3f, 0.1f, 0.1f, 0.8f, 0.6f, 0.3f, 0.1f, 0.3f, 0.3f, 0.4f];

    private static Dictionary<string, ErrorRow>? _rows;

    /// <summary>Built on first use (the partial files' static fields must be initialised first).</summary>
    public static IReadOnlyDictionary<string, ErrorRow> Rows => _rows ??=
        BinaryRows().Concat(MulticlassRows()).Concat(OtherRows()).Concat(StateRows()).Concat(WeightedRows())
            .ToDictionary(r => r.Id);

    /// <summary>Update or Forward of a flat batch.</summary>
    public static object? Feed<TPred, TTarget>(IHingeMetric m, bool forward, TPred[] preds, TTarget[] target)
        where TPred : unmanaged, System.Numerics.IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, System.Numerics.INumberBase<TTarget>
    {
        if (forward)
        {
            return m.Forward<TPred, TTarget>(preds, target);
        }

        m.Update<TPred, TTarget>(preds, target);
        return null;
    }

    /// <summary>Update or Forward of a shaped batch.</summary>
    public static object? Feed<TPred, TTarget>(IHingeMetric m, bool forward, TPred[] preds, int[] shape,
        TTarget[] target, int[] targetShape)
        where TPred : unmanaged, System.Numerics.IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, System.Numerics.INumberBase<TTarget>
    {
        if (forward)
        {
            return m.Forward<TPred, TTarget>(preds, shape, target, targetShape);
        }

        m.Update<TPred, TTarget>(preds, shape, target, targetShape);
        return null;
    }

    private static ErrorRow Binary<TPred, TTarget>(string id, TPred[] preds, TTarget[] target, int? ignoreIndex = null,
        HingeInputKind kind = HingeInputKind.Auto)
        where TPred : unmanaged, System.Numerics.IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, System.Numerics.INumberBase<TTarget> =>
        new(id, () => BinaryHingeLoss<TPred, TTarget>(preds, target, ignoreIndex: ignoreIndex, inputKind: kind),
            () => new BinaryHingeLoss(ignoreIndex: ignoreIndex, inputKind: kind),
            (m, forward) => Feed(m, forward, preds, target));

    private static ErrorRow Multiclass<TPred, TTarget>(string id, TPred[] preds, TTarget[] target, int numClasses,
        int? ignoreIndex = null, HingeInputKind kind = HingeInputKind.Auto, bool validateArgs = true,
        MulticlassMode mode = MulticlassMode.CrammerSinger)
        where TPred : unmanaged, System.Numerics.IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, System.Numerics.INumberBase<TTarget> =>
        new(id, () => MulticlassHingeLoss<TPred, TTarget>(preds, target, numClasses, multiclassMode: mode,
                ignoreIndex: ignoreIndex, validateArgs: validateArgs, inputKind: kind),
            () => new MulticlassHingeLoss(numClasses, multiclassMode: mode, ignoreIndex: ignoreIndex, inputKind: kind),
            (m, forward) => Feed(m, forward, preds, target));

    private static ErrorRow Shaped(string id, float[] preds, int[] shape, long[] target, int[] targetShape,
        int numClasses = 3)
    {
        return new(id,
            () => MulticlassHingeLoss<float, long>(preds, shape, target, targetShape, numClasses),
            () => new MulticlassHingeLoss(numClasses),
            (m, forward) => Feed(m, forward, preds, shape, target, targetShape));
    }

    private static IEnumerable<ErrorRow> BinaryRows()
    {
        yield return Binary<float, long>("B01", [0.1f, 0.2f, 0.3f], [0, 1]);
        yield return new("B02", null, () => new BinaryHingeLoss(),
            (m, f) => Feed<float, long>(m, f, new float[6], [2, 3], new long[6], [3, 2]));
        yield return new("B03", null, () => new BinaryHingeLoss(),
            (m, f) => Feed<float, long>(m, f, new float[3], [2, 2], new long[3], [2, 2]));
        yield return new("B04", null, () => new BinaryHingeLoss(),
            (m, f) => Feed<float, long>(m, f, [], [-1, 0], [], [-1, 0]));
        yield return Binary<float, long>("B05", [0.2f, 0.3f], [0, 2]);
        yield return Binary<float, long>("B06", [0.2f, 0.3f], [0, -1]);
        yield return Binary<float, long>("B07", [0.2f, 0.3f], [0, 2], ignoreIndex: -1);
        yield return Binary<float, float>("B08", [0.2f, 0.3f], [0f, 0.5f]);
        yield return Binary<double, double>("B09", [0.2, 0.3], [1, double.NaN]);
        yield return Binary<float, byte>("B10", [0.2f, float.NaN, 0.4f], [0, 1, 1]);
        yield return Binary<double, int>("B11", [0.2, 0.7, double.PositiveInfinity], [0, 1, 1]);
        yield return Binary<float, long>("B12", [0.2f, 0.7f, 1.5f], [0, 1, 1], kind: HingeInputKind.Probabilities);
        yield return new("B13", () => BinaryHingeLoss<float, long>([0.5f], [1], inputKind: (HingeInputKind)9));
        yield return new("B14", () => new BinaryHingeLoss(nonFinite: (NonFiniteHandling)5));
        yield return new("B15", () => HingeNames.ParseInputKind("sigmoid"));
    }

    private static IEnumerable<ErrorRow> MulticlassRows()
    {
        yield return new("M01", () => new MulticlassHingeLoss(1));
        yield return Multiclass<float, long>("M02", P12, [0, 1, 2, 0], numClasses: 4);
        yield return Shaped("M03", P12, [4, 3], [0, 1, 2, 0], [4], numClasses: 4);
        yield return Multiclass<float, long>("M04", P12[..10], [0, 1, 2, 0], numClasses: 3);
        yield return Multiclass<float, long>("M05", P12[..3], [], numClasses: 3);
        yield return new("M06", () => MulticlassHingeLoss<float, long>(P12.AsSpan(0, 4), [0, 1, 1, 0], 2, validateArgs: false));
        yield return Multiclass<float, long>("M07", P12, [0, 1, 2, 5], numClasses: 3);
        yield return Multiclass<float, int>("M08", P12, [0, 1, 2, -1], numClasses: 3);
        yield return Multiclass<float, long>("M09", P12, [0, 1, 7, -100], numClasses: 3, ignoreIndex: -100);
        yield return Multiclass<float, float>("M10", P12, [0f, 1.5f, 2f, 0f], numClasses: 3);
        yield return Multiclass<double, double>("M11", P12.Select(x => (double)x).ToArray(), [0, double.NaN, 2, 0],
            numClasses: 3);
        yield return Multiclass<float, long>("M12", [0.2f, 0.5f, 0.3f, 0.1f, float.NegativeInfinity, 0.8f], [0, 1],
            numClasses: 3);
        yield return Multiclass<float, long>("M13", [0.2f, 0.5f, 0.3f, 0.1f, -0.5f, 0.8f], [0, 1], numClasses: 3,
            kind: HingeInputKind.Probabilities);
        yield return new("M14", () => MulticlassHingeLoss<float, long>(P12, [0, 1, 2, 0], 3,
            multiclassMode: (MulticlassMode)7));
        yield return new("M15", () => HingeNames.ParseMulticlassMode("ovr"));
        yield return Shaped("M16", P12[..4], [4], [0, 1, 2, 0], [4]);
        yield return Shaped("M17", new float[24], [2, 3, 2, 2], [0, 1], [2]);
        yield return Shaped("M18", new float[12], [2, 3, 2], [0, 1, 2, 0, 1, 2], [2, 3]);
        yield return Shaped("M19", [0.5f], [], [0], [1]);
        yield return Shaped("M20", new float[6], [2, -3], [0, 1], [2]);
        yield return new("M21", () => MulticlassHingeLoss<float, long>(P12.AsSpan(0, 2), [2, 1], [0, 1], [2], 2,
            validateArgs: false));
        yield return Multiclass<float, long>("M22", [], [], numClasses: 3);
        yield return Multiclass<float, long>("M23", P12[..6], [-1, -1], numClasses: 3, ignoreIndex: -1);
        yield return Shaped("M24", [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, float.NaN, 0.9f, 0.1f, 0.2f, 0.3f],
            [2, 3, 2], [0, 1, 2, 0], [2, 2]);
    }

    private static IEnumerable<ErrorRow> OtherRows()
    {
        yield return new("W01", () => HingeLossFactory.Create("ternary", 3));
        yield return new("W02", () => HingeLossFactory.Create((HingeTask)5));
        yield return new("W03", () => HingeLossFactory.Create("multiclass"));
        yield return new("W04", () => HingeLossFactory.Create(null!));
        yield return new("W05", () => HingeFunctional.HingeLoss<float, long>([0.2f, 0.3f], [0, 2], "binary"));

        yield return new("O01", null, () => new BinaryHingeLoss(),
            (m, _) => { ((BinaryHingeLoss)m).Merge(new BinaryHingeLoss(squared: true)); return null; });
        yield return new("O02", null, () => new MulticlassHingeLoss(3),
            (m, _) => { ((MulticlassHingeLoss)m).Merge(new MulticlassHingeLoss(4)); return null; });
        yield return new("O03", null, () => new BinaryHingeLoss(),
            (m, _) => { ((BinaryHingeLoss)m).Merge(null!); return null; });
        yield return new("O04", null, () => new BinaryHingeLoss(),
            (m, _) => { global::HingeSharp.Metrics.MetricState.Merge(m, new MulticlassHingeLoss(3)); return null; });
        yield return new("O05", null, () => new BinaryHingeLoss(),
            (m, _) => { ((BinaryHingeLoss)m).SetState(new HingeState(1, -1)); return null; });
        yield return new("O06", null, () => new MulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll),
            (m, _) => { ((MulticlassHingeLoss)m).SetState([1.0], 1); return null; });
        yield return new("O07", () => new HingeLossValue([0.5, 0.25]).Value);

        yield return new("S01", () => SklearnHinge.HingeLoss<long>([0, 1, 1], [0.5, -0.5]));
        yield return new("S02", () => SklearnHinge.HingeLoss<long>([0, 1, 1], [0.2, 0.8, 0.6, 0.4, 0.1, 0.9], 2));
        yield return new("S03", () => SklearnHinge.HingeLoss<long>([0, 1, 2], [0.2, 0.8, 0.6]));
        yield return new("S04", () => SklearnHinge.HingeLoss<long>([0, 1, 2, 1], new double[16], 4));
        yield return new("S05", () => SklearnHinge.HingeLoss<long>([0, 1, 2], new double[9], 3, [0, 1, 3]));
        yield return new("S06", () => SklearnHinge.HingeLoss<long>([0, 1, 1], [0.5, -0.5, 1], 1, [],
            [1, double.NaN, 1]));
        yield return new("S08", () => SklearnHinge.HingeLoss<long>([0, 1, 2, 1], new double[12], 3, [0, 1, 2, 3]));
        yield return new("S07", () => SklearnHinge.HingeLoss<long>([0, 1], [0.5, -0.5], 1, [], [0, 0]));

        yield return new("K01", () => KerasHinge.Hinge([1, 0], [0.5, 0.5], lastDimension: 0));
        yield return new("K02", () => KerasHinge.Hinge([1, 0, 1], [0.5, 0.5]));
        yield return new("K03", () => KerasHinge.Hinge([1, 0, 1], [0.5, 0.5, 0.1], lastDimension: 2));
        yield return new("K04", () => KerasHinge.CategoricalHinge([1, 0, 0, 1], [0.5, 0.5, 0.1, 0.9], 2, new double[3]));
    }
}
