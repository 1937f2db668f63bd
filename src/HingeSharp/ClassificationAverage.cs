namespace HingeSharp;

/// <summary>How a multiclass metric reduces its per-class values (torchmetrics' <c>average</c>).</summary>
public enum ClassificationAverage
{
    /// <summary>Counts summed over classes first, then one value (<c>"micro"</c>).</summary>
    Micro = 0,

    /// <summary>Unweighted mean of the per-class values; classes that never occur in preds or target (top-k: in
    /// target) take no part (<c>"macro"</c>, torchmetrics' default).</summary>
    Macro = 1,

    /// <summary>Mean of the per-class values weighted by each class's support, tp + fn (<c>"weighted"</c>).</summary>
    Weighted = 2,

    /// <summary>No reduction: one value per class (<c>"none"</c> or <c>None</c>).</summary>
    None = 3,
}

/// <summary>How a confusion matrix is normalised (torchmetrics' <c>normalize</c>).</summary>
public enum ConfusionMatrixNormalization
{
    /// <summary>Counts as they are.</summary>
    None = 0,

    /// <summary>Each row (true class) divided by its sum.</summary>
    True = 1,

    /// <summary>Each column (predicted class) divided by its sum.</summary>
    Pred = 2,

    /// <summary>Everything divided by the total.</summary>
    All = 3,
}

/// <summary>Parses the torchmetrics spellings of classification options.</summary>
public static class ClassificationNames
{
    /// <summary>Parses <c>"micro"</c>, <c>"macro"</c>, <c>"weighted"</c> or <c>"none"</c> (any case).</summary>
    /// <param name="average">The name.</param>
    /// <exception cref="HingeArgumentException">Any other name.</exception>
    public static ClassificationAverage ParseAverage(string? average) =>
        (average ?? "none").Trim().ToUpperInvariant() switch
        {
            "MICRO" => ClassificationAverage.Micro,
            "MACRO" => ClassificationAverage.Macro,
            "WEIGHTED" => ClassificationAverage.Weighted,
            "NONE" or "" => ClassificationAverage.None,
            _ => throw new HingeArgumentException(nameof(average),
                $"Expected argument `average` to be one of ('micro', 'macro', 'weighted', 'none', None), but got {average}."),
        };

    /// <summary>Parses <c>"true"</c>, <c>"pred"</c>, <c>"all"</c> or <c>"none"</c>/null (any case).</summary>
    /// <param name="normalize">The name.</param>
    /// <exception cref="HingeArgumentException">Any other name.</exception>
    public static ConfusionMatrixNormalization ParseNormalize(string? normalize) =>
        (normalize ?? "none").Trim().ToUpperInvariant() switch
        {
            "TRUE" => ConfusionMatrixNormalization.True,
            "PRED" => ConfusionMatrixNormalization.Pred,
            "ALL" => ConfusionMatrixNormalization.All,
            "NONE" or "" => ConfusionMatrixNormalization.None,
            _ => throw new HingeArgumentException(nameof(normalize),
                $"Expected argument `normalize` to be one of ('true', 'pred', 'all', 'none', None), but got {normalize}."),
        };

    /// <summary>The torchmetrics spelling of an average.</summary>
    /// <param name="average">The average.</param>
    public static string Name(ClassificationAverage average) => average switch
    {
        ClassificationAverage.Micro => "micro",
        ClassificationAverage.Macro => "macro",
        ClassificationAverage.Weighted => "weighted",
        _ => "none",
    };
}
