namespace HingeSharp;

/// <summary>How a multiclass hinge loss combines the class scores of one sample (torchmetrics' <c>multiclass_mode</c>).</summary>
public enum MulticlassMode
{
    /// <summary>
    /// <c>max(0, 1 − (p[y] − max_{j≠y} p[j]))</c> per sample, averaged over samples: one scalar
    /// (torchmetrics' <c>"crammer-singer"</c>, the default).
    /// </summary>
    CrammerSinger = 0,

    /// <summary>
    /// <c>max(0, 1 − s·p[c])</c> with <c>s = +1</c> for the true class and <c>−1</c> otherwise, summed over samples
    /// and divided by the number of samples for every class c: a vector of length C (torchmetrics'
    /// <c>"one-vs-all"</c>).
    /// </summary>
    OneVsAll = 1,
}

/// <summary>What a hinge metric does with NaN or ±∞ among the predictions it uses.</summary>
public enum NonFiniteHandling
{
    /// <summary>Reject the input with an <see cref="HingeArgumentException"/> naming the first non-finite element (default).</summary>
    Throw = 0,

    /// <summary>
    /// Let non-finite values flow through the formula as torchmetrics does: NaN fails the [0, 1] test (so the whole
    /// update is squashed) and makes the result NaN; ±∞ logits saturate the sigmoid.
    /// </summary>
    Propagate = 1,
}

/// <summary>Parsing of the option strings torchmetrics uses.</summary>
public static class HingeNames
{
    /// <summary>Parses torchmetrics' <c>multiclass_mode</c> spelling (<c>"crammer-singer"</c> or <c>"one-vs-all"</c>).</summary>
    /// <param name="multiclassMode">The mode's name; case-insensitive, <c>_</c> and <c>-</c> both accepted.</param>
    /// <exception cref="HingeArgumentException">The name is neither of the two modes.</exception>
    public static MulticlassMode ParseMulticlassMode(string multiclassMode)
    {
        ArgumentNullException.ThrowIfNull(multiclassMode);
        return multiclassMode.Trim().Replace('_', '-').ToUpperInvariant() switch
        {
            "CRAMMER-SINGER" or "CRAMMERSINGER" => MulticlassMode.CrammerSinger,
            "ONE-VS-ALL" or "ONEVSALL" => MulticlassMode.OneVsAll,
            _ => throw new HingeArgumentException(nameof(multiclassMode),
                "Expected argument `multiclass_mode` to be one of ('crammer-singer', 'one-vs-all'), " +
                $"but got {multiclassMode}."),
        };
    }

    /// <summary>Parses an input kind name: <c>auto</c>, <c>probabilities</c>, <c>logits</c> or <c>margins</c>.</summary>
    /// <param name="inputKind">The kind's name, case-insensitive.</param>
    /// <exception cref="HingeArgumentException">The name is not one of the four kinds.</exception>
    public static HingeInputKind ParseInputKind(string inputKind)
    {
        ArgumentNullException.ThrowIfNull(inputKind);
        return inputKind.Trim().ToUpperInvariant() switch
        {
            "AUTO" => HingeInputKind.Auto,
            "PROBABILITIES" or "PROBS" => HingeInputKind.Probabilities,
            "LOGITS" => HingeInputKind.Logits,
            "MARGINS" or "DECISION" => HingeInputKind.Margins,
            _ => throw new HingeArgumentException(nameof(inputKind),
                "Expected argument `input_kind` to be one of ('auto', 'probabilities', 'logits', 'margins'), " +
                $"but got {inputKind}."),
        };
    }
}
