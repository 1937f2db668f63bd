using HingeSharp.Classification;

namespace HingeSharp.Tests.Reliability;

/// <summary>Seeded batches for shard/merge tests: binary or multiclass, mixing probabilities and logits.</summary>
internal static class ShardData
{
    public sealed record Batch(float[] Preds, int[] Target);

    /// <summary>Binary batches; every third batch holds logits (so Auto decides per batch), -1 is the ignore index.</summary>
    public static Batch[] Binary(int seed, int count, int maxLength)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(b =>
        {
            var n = random.Next(0, maxLength + 1);
            var logits = b % 3 == 2;
            return new Batch(
                Enumerable.Range(0, n).Select(_ => logits ? (float)(random.NextDouble() * 8 - 4) : random.NextSingle()).ToArray(),
                Enumerable.Range(0, n).Select(_ => random.Next(-1, 2)).ToArray());
        }).ToArray();
    }

    /// <summary>Multiclass batches of row-major (N, C) scores with at least one kept row (Crammer–Singer needs one).</summary>
    public static Batch[] Multiclass(int seed, int count, int maxRows, int classes)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(b =>
        {
            var n = random.Next(1, maxRows + 1);
            var logits = b % 2 == 1;
            var target = Enumerable.Range(0, n).Select(_ => random.Next(-1, classes)).ToArray();
            target[0] = random.Next(classes);
            return new Batch(
                Enumerable.Range(0, n * classes)
                    .Select(_ => logits ? (float)(random.NextDouble() * 6 - 3) : random.NextSingle()).ToArray(),
                target);
        }).ToArray();
    }

    public static IHingeMetric Create(bool multiclass, MulticlassMode mode = MulticlassMode.CrammerSinger,
        bool squared = false, int classes = 4) => multiclass
        ? new MulticlassHingeLoss(classes, squared, mode, ignoreIndex: -1)
        : new BinaryHingeLoss(squared, ignoreIndex: -1);
}
