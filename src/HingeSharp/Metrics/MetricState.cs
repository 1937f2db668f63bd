using HingeSharp.Classification;

namespace HingeSharp.Metrics;

/// <summary>
/// Saving, loading and merging metric states, so that shards evaluated in other threads, processes or machines can be
/// combined: each shard saves its metric, and the merged files give the metric of the whole run.
/// </summary>
/// <remarks>
/// <para>The format (docs/state-format.md) is versioned UTF-8 JSON:
/// <c>{"format": "hingesharp.metric-state", "version": 2, "metric": "BinaryHingeLoss", settings…, "measures": [...],
/// "total": n, "weighted": …, "moments": …, "update_count": k}</c>: every part of the state, weighted sums and loss
/// moments included. Doubles are written in shortest round-trip form, so finite sums (−0 and
/// subnormals included) and ±∞ come back bit for bit; NaN is written as <c>"NaN"</c> and comes back as NaN (its sign
/// and payload bits are not kept — any NaN sum computes to NaN).</para>
/// <para>Loading is strict and atomic: a file that is not JSON, not a metric state, of another version, or with a
/// missing, unknown, repeated, mistyped or out-of-range field raises <see cref="MetricStateException"/> and changes
/// nothing.</para>
/// </remarks>
/// <example><code>
/// var shard = new BinaryHingeLoss();
/// shard.Update([0.25f, 0.75f], [0, 1]);
/// shard.SaveState("shard-0.json");
/// var whole = MetricState.Load("shard-0.json");
/// MetricState.Merge(whole, MetricState.Load("shard-1.json"));
/// whole.ComputeValue();
/// </code></example>
public static class MetricState
{
    /// <summary>The value of the <c>format</c> field.</summary>
    public const string FormatName = "hingesharp.metric-state";

    /// <summary>The format version this HingeSharp writes. It reads this one and version 1, which lacks the weighted
    /// parts' <c>weight_exponent</c> (read as 0).</summary>
    public const int FormatVersion = 2;

    /// <summary>Recreates a saved metric (<see cref="BinaryHingeLoss"/>, <see cref="MulticlassHingeLoss"/> or
    /// <see cref="MultilabelHingeLoss"/>) with its settings and state, weighted parts included.</summary>
    /// <param name="stream">UTF-8 JSON, read to its end; not closed.</param>
    /// <returns>The metric, ready to be updated, merged or computed.</returns>
    /// <exception cref="MetricStateException">The text is not a valid metric state (version 1 or 2).</exception>
    public static IHingeMetric Load(Stream stream) => MetricStateDocument.Read(stream).Create();

    /// <summary>Recreates a saved metric from a file.</summary>
    /// <param name="path">The file written by <see cref="Save(IHingeMetric, string)"/> or <c>SaveState</c>.</param>
    /// <returns>The metric.</returns>
    /// <exception cref="MetricStateException">The file is not a valid metric state; the message starts with
    /// <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IHingeMetric Load(string path) => ReadFile(path).Create();

    /// <summary>Writes a metric's settings and state.</summary>
    /// <param name="metric">A <see cref="BinaryHingeLoss"/>, <see cref="MulticlassHingeLoss"/> or
    /// <see cref="MultilabelHingeLoss"/>.</param>
    /// <param name="stream">Receives UTF-8 JSON; not closed.</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is another implementation.</exception>
    public static void Save(IHingeMetric metric, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Document(metric).Write(stream);
    }

    /// <summary>Writes a metric's settings and state to a file, atomically: the text goes to a temporary file in the
    /// same folder, which then replaces <paramref name="path"/>, so readers never see a half-written state.</summary>
    /// <param name="metric">A <see cref="BinaryHingeLoss"/>, <see cref="MulticlassHingeLoss"/> or
    /// <see cref="MultilabelHingeLoss"/>.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is another implementation.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(IHingeMetric metric, string path) => WriteFile(Document(metric), path);

    /// <summary>Adds <paramref name="source"/>'s state to <paramref name="target"/>, as if its batches had been given
    /// to <paramref name="target"/> (merging in a fixed order gives bit-identical results).</summary>
    /// <param name="target">The metric that accumulates.</param>
    /// <param name="source">A metric of the same type and state-defining settings; unchanged.</param>
    /// <exception cref="ArgumentException">The types or settings differ.</exception>
    public static void Merge(IHingeMetric target, IHingeMetric source)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        switch (target, source)
        {
            case (BinaryHingeLoss b, BinaryHingeLoss other):
                b.Merge(other);
                break;
            case (MulticlassHingeLoss m, MulticlassHingeLoss other):
                m.Merge(other);
                break;
            case (MultilabelHingeLoss m, MultilabelHingeLoss other):
                m.Merge(other);
                break;
            default:
                throw new HingeArgumentException(nameof(source),
                    $"Cannot merge a {source.GetType().Name} into a {target.GetType().Name}: both must be the " +
                    "same metric type (BinaryHingeLoss, MulticlassHingeLoss or MultilabelHingeLoss).");
        }
    }

    private static MetricStateDocument Document(IHingeMetric metric) => metric switch
    {
        BinaryHingeLoss b => MetricStateDocument.From(b),
        MulticlassHingeLoss m => MetricStateDocument.From(m),
        MultilabelHingeLoss m => MetricStateDocument.From(m),
        null => throw new ArgumentNullException(nameof(metric)),
        _ => throw new HingeArgumentException(nameof(metric),
            $"Cannot save a {metric.GetType().Name}: only BinaryHingeLoss, MulticlassHingeLoss and " +
            "MultilabelHingeLoss have a saved form."),
    };

    internal static MetricStateDocument ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return MetricStateDocument.Read(stream);
        }
        catch (MetricStateException ex)
        {
            throw ex.WithPath(path);
        }
    }

    /// <summary>Reads a saved state from <paramref name="path"/> and hands it to <paramref name="apply"/>; a
    /// <see cref="MetricStateException"/> from either step has a message that starts with the path.</summary>
    internal static void ApplyFile(string path, Action<MetricStateDocument> apply)
    {
        var document = ReadFile(path);
        try
        {
            apply(document);
        }
        catch (MetricStateException ex)
        {
            throw ex.WithPath(path);
        }
    }

    internal static void WriteFile(MetricStateDocument document, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                document.Write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
