namespace HingeSharp.Classification;

/// <summary>The classification task of a hinge metric (torchmetrics' <c>task</c>).</summary>
public enum HingeTask
{
    /// <summary>Binary: <see cref="BinaryHingeLoss"/>.</summary>
    Binary = 0,

    /// <summary>Multiclass: <see cref="MulticlassHingeLoss"/>.</summary>
    Multiclass = 1,

    /// <summary>Multilabel: <see cref="MultilabelHingeLoss"/> (HingeSharp only; torchmetrics' wrapper rejects it).</summary>
    Multilabel = 2,
}

/// <summary>
/// torchmetrics' <c>HingeLoss(task=...)</c> wrapper: builds the binary or multiclass metric for a task.
/// </summary>
/// <example><code>
/// var hinge = HingeLoss.Create("binary");
/// hinge.Forward([0.5f, 0.7f, 0.1f], [0, 1, 1]); // 0.9000 (the tutorial's Method 3)
/// </code></example>
public static class HingeLoss
{
    /// <summary>Parses a task name case-insensitively (<c>"binary"</c>, <c>"multiclass"</c> or
    /// <c>"multilabel"</c>).</summary>
    /// <param name="task">The task's name.</param>
    /// <exception cref="ArgumentException">Any other name.</exception>
    public static HingeTask ParseTask(string task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Trim().ToUpperInvariant() switch
        {
            "BINARY" => HingeTask.Binary,
            "MULTICLASS" => HingeTask.Multiclass,
            "MULTILABEL" => HingeTask.Multilabel,
            _ => throw new HingeArgumentException(nameof(task),
                $"Invalid Classification: expected one of ['BINARY', 'MULTICLASS'], but got {task}. " +
                "Argument `task` must be \"binary\", \"multiclass\" or (HingeSharp only) \"multilabel\" (any case)."),
        };
    }

    /// <summary>Creates the metric for a task named as torchmetrics names it.</summary>
    /// <param name="task"><c>"binary"</c>, <c>"multiclass"</c> or <c>"multilabel"</c>, any case.</param>
    /// <param name="numClasses">Required for multiclass (C) and multilabel (the number of labels, macro average);
    /// ignored for binary.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="multiclassMode"><c>"crammer-singer"</c> or <c>"one-vs-all"</c> (multiclass only).</param>
    /// <param name="ignoreIndex">Targets equal to it take no part.</param>
    /// <param name="validateArgs">Validate inputs (default true, as the wrapper's).</param>
    /// <param name="inputKind">How to read predictions.</param>
    /// <param name="nonFinite">Whether NaN/±∞ predictions throw (default) or propagate.</param>
    /// <exception cref="HingeArgumentException">Unknown task, or multiclass/multilabel without
    /// <paramref name="numClasses"/>.</exception>
    public static IHingeMetric Create(string task, int? numClasses = null, bool squared = false,
        string multiclassMode = "crammer-singer", int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
    {
        var parsed = ParseTask(task);
        var mode = parsed == HingeTask.Multiclass
            ? HingeNames.ParseMulticlassMode(multiclassMode)
            : MulticlassMode.CrammerSinger;
        return Create(parsed, numClasses, squared, mode, ignoreIndex, validateArgs, inputKind, nonFinite);
    }

    /// <summary>Creates the metric for a task.</summary>
    /// <inheritdoc cref="Create(string, int?, bool, string, int?, bool, HingeInputKind, NonFiniteHandling)"/>
    public static IHingeMetric Create(HingeTask task, int? numClasses = null, bool squared = false,
        MulticlassMode multiclassMode = MulticlassMode.CrammerSinger, int? ignoreIndex = null,
        bool validateArgs = true, HingeInputKind inputKind = HingeInputKind.Auto,
        NonFiniteHandling nonFinite = NonFiniteHandling.Throw)
    {
        switch (task)
        {
            case HingeTask.Binary:
                return new BinaryHingeLoss(squared, ignoreIndex, validateArgs, inputKind, nonFinite);
            case HingeTask.Multiclass:
                if (numClasses is not { } classes)
                {
                    throw new HingeArgumentException(nameof(numClasses),
                        "`num_classes` is expected to be `int` but `null` was passed: the multiclass task needs the " +
                        "number of classes.");
                }

                return new MulticlassHingeLoss(classes, squared, multiclassMode, ignoreIndex, validateArgs, inputKind,
                    nonFinite);
            case HingeTask.Multilabel:
                if (numClasses is not { } labels)
                {
                    throw new HingeArgumentException(nameof(numClasses),
                        "`num_labels` is expected to be `int` but `null` was passed: the multilabel task needs the " +
                        "number of labels (pass it as `numClasses`).");
                }

                return new MultilabelHingeLoss(labels, HingeSharp.Functional.MultilabelAverage.Macro, squared, ignoreIndex, validateArgs,
                    inputKind, nonFinite);
            default:
                throw new HingeArgumentException(nameof(task),
                    $"Invalid Classification: expected one of ['BINARY', 'MULTICLASS'], but got {(int)task}. " +
                    "Argument `task` must be HingeTask.Binary or HingeTask.Multiclass.");
        }
    }
}
