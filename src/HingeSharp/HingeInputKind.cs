namespace HingeSharp;

/// <summary>How a hinge metric reads its <c>preds</c>.</summary>
public enum HingeInputKind
{
    /// <summary>
    /// torchmetrics' rule: per update, if every kept value lies in [0, 1] the values are probabilities and are used
    /// as they are; otherwise sigmoid (binary) or softmax over classes (multiclass) is applied to all of them.
    /// </summary>
    Auto = 0,

    /// <summary>Probabilities in [0, 1], used as they are; a value outside [0, 1] is an error.</summary>
    Probabilities = 1,

    /// <summary>Logits: sigmoid (binary) or softmax over classes (multiclass) is always applied.</summary>
    Logits = 2,

    /// <summary>
    /// Raw margins (decision values, as scikit-learn's <c>hinge_loss</c> and SVMs use them): hinged as they are,
    /// never squashed, any finite value allowed.
    /// </summary>
    Margins = 3,
}
