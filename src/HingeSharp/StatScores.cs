namespace HingeSharp;

/// <summary>
/// torchmetrics' stat scores of a binary classifier: true positives, false positives, true negatives and false
/// negatives over every kept element. Accuracy, precision, recall, F1 and the binary confusion matrix all derive from
/// them.
/// </summary>
/// <param name="TruePositives">Positive targets predicted positive.</param>
/// <param name="FalsePositives">Negative targets predicted positive.</param>
/// <param name="TrueNegatives">Negative targets predicted negative.</param>
/// <param name="FalseNegatives">Positive targets predicted negative.</param>
public readonly record struct StatScores(long TruePositives, long FalsePositives, long TrueNegatives,
    long FalseNegatives)
{
    /// <summary>Elements counted: the sum of the four counts.</summary>
    public long Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>Adds two states (the state of the concatenated inputs).</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other state.</param>
    public static StatScores operator +(StatScores left, StatScores right) =>
        new(left.TruePositives + right.TruePositives, left.FalsePositives + right.FalsePositives,
            left.TrueNegatives + right.TrueNegatives, left.FalseNegatives + right.FalseNegatives);

    /// <summary>Adds two states (the state of the concatenated inputs).</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other state.</param>
    public static StatScores Add(StatScores left, StatScores right) => left + right;
}
