namespace HingeSharp.Classification;

/// <summary>The weight settings (<c>trackVariance</c>, <c>classWeights</c>) that two weighted metrics must share to
/// merge; one check for <see cref="BinaryHingeLoss"/> and <see cref="MulticlassHingeLoss"/>.</summary>
internal static class WeightSettings
{
    /// <summary>Throws unless both metrics track the variance alike and have equal class weights (none equals
    /// none or empty).</summary>
    /// <param name="metricName">The metric's type name, used in the message.</param>
    /// <param name="trackVariance">The receiving metric's setting.</param>
    /// <param name="classWeights">The receiving metric's class weights, or null.</param>
    /// <param name="otherTrackVariance">The merged-in metric's setting.</param>
    /// <param name="otherClassWeights">The merged-in metric's class weights, or null.</param>
    /// <exception cref="HingeArgumentException">The settings differ (argument <c>other</c>).</exception>
    internal static void CheckMergeable(string metricName, bool trackVariance, double[]? classWeights,
        bool otherTrackVariance, double[]? otherClassWeights)
    {
        if (otherTrackVariance != trackVariance ||
            !(classWeights ?? []).AsSpan().SequenceEqual(otherClassWeights ?? []))
        {
            throw new HingeArgumentException("other",
                $"Cannot merge {metricName}(trackVariance: {Bool(otherTrackVariance)}, classWeights: " +
                $"{Describe(otherClassWeights)}) into {metricName}(trackVariance: {Bool(trackVariance)}, " +
                $"classWeights: {Describe(classWeights)}): the settings differ.");
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Describe(double[]? weights) =>
        weights is null ? "none" : "[" + string.Join(", ", weights.Select(w => ThrowHelper.Format(w))) + "]";
}
