using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;
using Xunit;
using static HingeSharp.Tests.Reliability.ErrorExpect;

namespace HingeSharp.Tests.Reliability;

/// <summary>
/// Every binary, multiclass, wrapper and scikit-learn case of errors.json (torchmetrics 1.9 / scikit-learn 1.2.1), one
/// theory row each. The torch.nn rows belong to the Torch adapter. Each case states how HingeSharp answers it:
/// the same value; an error that keeps torchmetrics' text; a clear HingeSharp error where torchmetrics fails inside
/// torch; or, for Python-only mistakes, the .NET type that makes them impossible.
/// </summary>
public sealed class ErrorsGoldenTests
{
    private const string Target01 = "but expected only the following values [0, 1]";
    private static readonly string[] TargetWords = ["in `target`", "but expected only the following values"];
    private static readonly string[] TargetWords01 = ["in `target`", Target01];

    private static readonly Dictionary<string, Action<ErrorCase>> Checks = new()
    {
        ["binary/shape_mismatch/validate"] = c => KeepsTorchText(c, "target", null, null),
        ["binary/shape_mismatch/no_validate"] = c => ClearInstead(c, "target", null,
            "Predictions and targets are expected to have the same shape, but got [3] and [2]."),
        ["binary/shape_mismatch/module"] = c => KeepsTorchText(c, "target", null, null),
        ["binary/target_value_2/validate"] = c => KeepsTorchText(c, "target", 1, TargetWords01, "`target[1]` = 2"),
        ["binary/target_value_2/no_validate"] = c => SameValue(c),
        // torchmetrics lists only [-1] here; HingeSharp lists 0, 1 and the ignore index.
        ["binary/target_value_2/with_ignore_index"] = c => KeepsTorchText(c, "target", 1, TargetWords,
            "`target[1]` = 2", "[0, 1] or the ignore index -1"),
        ["binary/target_minus1_without_ignore_index"] = c => KeepsTorchText(c, "target", 1, TargetWords01,
            "`target[1]` = -1"),
        ["binary/float_target_0.5"] = c => KeepsTorchText(c, "target", 1, TargetWords01, "`target[1]` = 0.5"),
        // Python-only: integer preds. TPred must be float or double, so the call does not compile.
        ["binary/int_preds/validate"] = _ =>
        {
            IntegerPredsUnrepresentable(typeof(HingeFunctional), nameof(HingeFunctional.BinaryHingeLoss));
            IntegerPredsUnrepresentable(typeof(BinaryHingeLoss), nameof(BinaryHingeLoss.Update));
        },
        // Nearest .NET call: the integer scores passed as float give torchmetrics' value.
        ["binary/int_preds/no_validate"] = c => SameValue(c),
        // Python-only: squared=1 / "yes", ignore_index=1.5 / "x". The parameters are bool and int?.
        ["binary/squared_not_bool"] = _ =>
            ParameterIsTyped(typeof(HingeFunctional), nameof(HingeFunctional.BinaryHingeLoss), "squared", typeof(bool)),
        ["binary/ignore_index_not_int"] = _ =>
            ParameterIsTyped(typeof(HingeFunctional), nameof(HingeFunctional.BinaryHingeLoss), "ignoreIndex", typeof(int?)),
        ["binary/module_ctor_squared_not_bool"] = _ =>
            ParameterIsTyped(typeof(BinaryHingeLoss), ".ctor", "squared", typeof(bool)),
        ["binary/module_ctor_ignore_index_not_int"] = _ =>
            ParameterIsTyped(typeof(BinaryHingeLoss), ".ctor", "ignoreIndex", typeof(int?)),
        ["binary/nan_preds"] = c => SameValue(c),
        ["binary/nan_preds/module"] = c => SameValue(c),
        ["binary/all_ignored"] = c => SameValue(c),
        ["binary/empty_input"] = c => SameValue(c),
        ["binary/compute_before_update"] = c => SameValue(c),

        ["multiclass/num_classes_mismatch/validate"] = c => KeepsTorchText(c, "preds", null, null,
            "Got preds.shape[1] = 3 and num_classes = 4."),
        ["multiclass/num_classes_mismatch/module"] = c => KeepsTorchText(c, "preds", null, null,
            "Got preds.shape[1] = 3 and num_classes = 4."),
        // torch fails adding a 3-entry update to the 4-entry state; HingeSharp checks the class count up front.
        ["multiclass/num_classes_mismatch/ova_module_no_validate"] = c => ClearInstead(c, "preds", null,
            "Got preds.shape[1] = 3 and num_classes = 4."),
        ["multiclass/num_classes=1"] = c => KeepsTorchText(c, "numClasses", null, null),
        ["multiclass/num_classes=0"] = c => KeepsTorchText(c, "numClasses", null, null),
        // Python-only: num_classes=3.0. The parameter is int.
        ["multiclass/num_classes=3.0"] = _ => ParameterIsTyped(typeof(HingeFunctional),
            nameof(HingeFunctional.MulticlassHingeLoss), "numClasses", typeof(int)),
        ["multiclass/module_ctor_num_classes=1"] = c => KeepsTorchText(c, "numClasses", null, null),
        // The string "ovr" through HingeNames (same text), and the nearest .NET mistake: an undefined enum value.
        ["multiclass/multiclass_mode_invalid/validate"] = c =>
        {
            KeepsTorchText(c, "multiclassMode", null, null);
            var ex = Throws(() => c.Run(mode: (MulticlassMode)7), "multiclassMode", null);
            Assert.Contains("to be one of ('crammer-singer', 'one-vs-all'), but got 7", ex.Message, StringComparison.Ordinal);
        },
        // Deliberate difference: torchmetrics silently treats "ovr" as one-vs-all without validation; HingeSharp
        // always rejects an unknown mode. Its value is torchmetrics' value with the mode spelled correctly.
        ["multiclass/multiclass_mode_invalid/no_validate"] = c =>
        {
            Throws(() => c.Run(), "multiclassMode", null);
            SameValue(c, MulticlassMode.OneVsAll);
        },
        ["multiclass/module_ctor_mode_invalid"] = c =>
        {
            KeepsTorchText(c, "multiclassMode", null, null);
            Throws(() => new MulticlassHingeLoss(3, multiclassMode: (MulticlassMode)7), "multiclassMode", null);
        },
        // torchmetrics never checks target values for float preds; torch then fails in one_hot's scatter_.
        ["multiclass/target_out_of_range/validate"] = c => ClearInstead(c, "target", 3, "`target[3]` = 5",
            "expected a class index in [0, 2] for 3 classes"),
        ["multiclass/target_out_of_range/no_validate"] = c => ClearInstead(c, "target", 3, "`target[3]` = 5",
            "expected a class index in [0, 2] for 3 classes"),
        ["multiclass/negative_target_without_ignore_index"] = c => ClearInstead(c, "target", 3, "`target[3]` = -1",
            "[0, 2]"),
        ["multiclass/more_unique_targets_than_classes"] = c => ClearInstead(c, "target", 3, "`target[3]` = 3",
            "[0, 2]"),
        ["multiclass/out_of_range_besides_ignore_index"] = c => ClearInstead(c, "target", 3, "`target[3]` = 7",
            "or the ignore index -100"),
        ["multiclass/preds_same_ndim_as_target"] = c => ClearInstead(c, "preds", null, "shape [4], the same rank as",
            "(N, C, ...)"),
        ["multiclass/preds_two_more_dims"] = c => KeepsTorchText(c, "preds", null, null, "Got [4, 3, 2, 2] and [4]."),
        ["multiclass/extra_dims_mismatch"] = c => KeepsTorchText(c, "target", null, null),
        ["multiclass/int_preds"] = _ =>
        {
            IntegerPredsUnrepresentable(typeof(HingeFunctional), nameof(HingeFunctional.MulticlassHingeLoss));
            IntegerPredsUnrepresentable(typeof(MulticlassHingeLoss), nameof(MulticlassHingeLoss.Update));
        },
        ["multiclass/single_column_preds/no_validate"] = c => ClearInstead(c, "preds", null, "[2, 1]", "C ≥ 2"),
        ["multiclass/nan_preds/crammer-singer"] = c => SameValue(c),
        ["multiclass/all_ignored/crammer-singer"] = c => ClearInstead(c, "target", null,
            "all 2 rows of `target` equal the ignore index"),
        ["multiclass/nan_preds/one-vs-all"] = c => SameValue(c),
        ["multiclass/all_ignored/one-vs-all"] = c => SameValue(c),
        ["multiclass/empty_update/module"] = c => ClearInstead(c, "target", null, "`target` is empty (0 rows)"),
        ["multiclass/compute_before_update"] = c => SameValue(c),

        // HingeSharp's wrapper also builds the multilabel metric (issue 15); torchmetrics rejects the task.
        ["wrapper/task_multilabel"] = _ => Assert.IsType<MultilabelHingeLoss>(HingeLoss.Create("multilabel", 3)),
        ["wrapper/task_unknown"] = c => KeepsTorchText(c, "task", null, null),
        ["wrapper/multiclass_without_num_classes"] = c => KeepsTorchText(c, "numClasses", null,
            ["`num_classes` is expected to be `int` but"]),
        // Python-only: num_classes=3.0. The parameter is int?.
        ["wrapper/multiclass_num_classes_float"] = _ =>
            ParameterIsTyped(typeof(HingeLoss), nameof(HingeLoss.Create), "numClasses", typeof(int?)),
        ["wrapper/functional_task_multilabel"] = _ => Assert.Equal("numClasses",
            Assert.Throws<HingeArgumentException>(() => HingeLoss.Create("multilabel")).ParamName),
        ["wrapper/functional_validates_by_default"] = c => KeepsTorchText(c, "target", 1, TargetWords01,
            "`target[1]` = 2"),

        ["sklearn/multiclass_missing_label"] = c => KeepsTorchText(c, "yTrue", null, null),
        ["sklearn/multiclass_labels_column_mismatch"] = c => KeepsTorchText(c, "predDecision", null, null),
        ["sklearn/binary_2d_decision"] = c => KeepsTorchText(c, "predDecision", null, null),
        ["sklearn/single_class_y_true"] = c => SameValue(c),
    };

    public static TheoryData<string> Cases => Fixtures.Names("errors.json", Applies);

    private static bool Applies(System.Text.Json.JsonElement c) => !c.Api().StartsWith("torch.nn.", StringComparison.Ordinal);

    [Theory, MemberData(nameof(Cases))]
    public void ErrorsJson_Case_HingeSharpAnswersAsDocumented(string name) => Checks[name](new ErrorCase(name));

    [Fact]
    public void ErrorsJson_EveryApplicableCaseHasACheck_AndNoCheckIsStale()
    {
        var applicable = Fixtures.Cases("errors.json").Where(Applies).Select(c => c.GetProperty("name").GetString()!);
        Assert.Equal(applicable.Order(StringComparer.Ordinal), Checks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(55, Checks.Count);
    }
}
