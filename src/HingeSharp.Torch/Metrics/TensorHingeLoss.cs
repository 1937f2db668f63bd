using HingeSharp.Classification;

namespace HingeSharp.Torch.Metrics;

/// <summary>Builds the tensor metric for a task, as <see cref="HingeLoss"/> builds the core one.</summary>
public static class TensorHingeLoss
{
    /// <summary>Creates the tensor metric for a task named as torchmetrics names it.</summary>
    /// <param name="task"><c>"binary"</c> or <c>"multiclass"</c>, any case.</param>
    /// <param name="numClasses">Required for multiclass.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="multiclassMode"><c>"crammer-singer"</c> or <c>"one-vs-all"</c>.</param>
    /// <param name="ignoreIndex">Targets equal to it take no part.</param>
    /// <param name="validateArgs">Validate targets (binary) and class counts (multiclass).</param>
    /// <param name="inputKind">How to read predictions.</param>
    /// <param name="nonFinite">Whether NaN/±∞ predictions are errors (default) or propagate.</param>
    /// <param name="useTorchOps">Send CPU tensors through torch ops too.</param>
    /// <param name="eagerValidation">Validate device-path batches during the update.</param>
    /// <exception cref="HingeArgumentException">Unknown task, multilabel (no tensor metric), or multiclass without
    /// <paramref name="numClasses"/>.</exception>
    public static ITensorHingeMetric Create(string task, int? numClasses = null, bool squared = false,
        string multiclassMode = "crammer-singer", int? ignoreIndex = null, bool validateArgs = true,
        HingeInputKind inputKind = HingeInputKind.Auto, NonFiniteHandling nonFinite = NonFiniteHandling.Throw,
        bool useTorchOps = false, bool eagerValidation = false)
    {
        if (HingeLoss.ParseTask(task) == HingeTask.Multilabel)
        {
            throw new HingeArgumentException(nameof(task),
                "There is no tensor metric for task multilabel: use HingeLoss.Create(\"multilabel\", numLabels) " +
                "(the core MultilabelHingeLoss) on CPU data.");
        }

        // The core factory parses and validates every option.
        return HingeLoss.Create(task, numClasses, squared, multiclassMode, ignoreIndex, validateArgs, inputKind,
                nonFinite) switch
        {
            MulticlassHingeLoss m => new TensorMulticlassHingeLoss(m.NumClasses, squared, m.MulticlassMode,
                ignoreIndex, validateArgs, inputKind, nonFinite, useTorchOps, eagerValidation),
            _ => new TensorBinaryHingeLoss(squared, ignoreIndex, validateArgs, inputKind, nonFinite, useTorchOps,
                eagerValidation),
        };
    }
}
