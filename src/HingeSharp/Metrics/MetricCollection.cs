using System.Numerics;
using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Kernels;

namespace HingeSharp.Metrics;

/// <summary>
/// Synchronises a collection's state across processes before <see cref="MetricCollection.Compute"/> (for example an
/// all-gather of <see cref="MetricCollection.SaveState(Stream)"/> and a <see cref="MetricCollection.Merge"/> of the
/// others' states). <see cref="MetricCollection.Sync"/> holds it.
/// </summary>
public interface IMetricCollectionSync
{
    /// <summary>Brings <paramref name="collection"/> to the state of the whole distributed run.</summary>
    /// <param name="collection">This process's collection.</param>
    void Synchronize(MetricCollection collection);
}

/// <summary>
/// Named metrics updated together (torchmetrics' <c>MetricCollection</c> with compute groups): one
/// <see cref="Update{TPred, TTarget}"/> feeds every metric, and metrics that derive from the same counts share one
/// pass over the data. Binary classification metrics with equal threshold, ignore index, validation, input kind and
/// non-finite handling form one group, and a <see cref="BinaryHingeLoss"/> with the same settings joins it: hinge,
/// accuracy, precision, recall, F1 and the confusion matrix come from a single fused read of the batch. Multiclass
/// classification metrics with equal C, top-k and ignore index share one counting pass, and for top-1 a
/// <see cref="MulticlassHingeLoss"/> with the same C and ignore index (either mode, squared or not, any input kind)
/// joins it: the hinge and the confusion matrix behind multiclass accuracy, precision, recall and F1 come from a
/// single fused read of the <c>(N, C)</c> scores.
/// </summary>
/// <example><code>
/// var metrics = new MetricCollection()
///     .Add("hinge", new BinaryHingeLoss())
///     .Add("accuracy", new BinaryAccuracy())
///     .Add("f1", new BinaryF1Score());
/// metrics.Update(preds, target);          // one pass over preds and target
/// metrics.Compute()["accuracy"].Value;
/// </code></example>
/// <remarks>Every group computes its batch before any state changes, so a batch rejected by a grouped metric changes
/// nothing; metrics outside groups (weighted hinge metrics, a hinge whose settings match no group, a multiclass hinge
/// beside top-k metrics only) update after the groups. A fused multiclass group falls back to its separate passes
/// for integer label predictions and for a rejected batch, so errors are those of the separate metrics. Not
/// thread-safe.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "torchmetrics' name for it.")]
public sealed class MetricCollection
{
    private readonly List<KeyValuePair<string, ICollectableMetric>> _metrics = [];
    private List<Group>? _groups;

    /// <summary>The names, in the order they were added.</summary>
    public IReadOnlyList<string> Names => _metrics.Select(m => m.Key).ToArray();

    /// <summary>How many metrics the collection holds.</summary>
    public int Count => _metrics.Count;

    /// <summary>The metric registered under <paramref name="name"/>.</summary>
    /// <param name="name">A name given to <see cref="Add"/>.</param>
    /// <exception cref="KeyNotFoundException">No such name.</exception>
    public ICollectableMetric this[string name] => _metrics.FirstOrDefault(m => m.Key == name).Value
        ?? throw new KeyNotFoundException($"The collection has no metric named '{name}'.");

    /// <summary>Called at the start of <see cref="Compute"/> when set (distributed synchronisation).</summary>
    public IMetricCollectionSync? Sync { get; set; }

    /// <summary>The compute groups: the names of the metrics that share each pass over the data.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ComputeGroups =>
        Groups().Select(g => (IReadOnlyList<string>)g.Names.ToArray()).ToArray();

    /// <summary>Adds a metric.</summary>
    /// <param name="name">A unique, non-empty name (the key in <see cref="Compute"/>).</param>
    /// <param name="metric">The metric.</param>
    /// <returns>This collection.</returns>
    /// <exception cref="HingeArgumentException">The name is empty or taken.</exception>
    public MetricCollection Add(string name, ICollectableMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (string.IsNullOrWhiteSpace(name) || _metrics.Any(m => m.Key == name))
        {
            throw new HingeArgumentException(nameof(name),
                $"Metric name '{name}' is empty or already in the collection.");
        }

        _metrics.Add(new(name, metric));
        _groups = null;
        return this;
    }

    /// <summary>Feeds one batch to every metric, one pass per compute group. A rejected batch leaves every metric of
    /// the collection untouched: the groups' passes run first and commit last, and the metrics that update on their
    /// own in between are put back as they were when a later one rejects the batch.</summary>
    /// <param name="preds">Binary: predictions; multiclass: scores <c>(N, C)</c> row-major or labels.</param>
    /// <param name="target">Targets.</param>
    /// <exception cref="HingeArgumentException">A metric rejects the batch (the first one's error).</exception>
    public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var groups = Groups();
        var commits = new List<Action>(groups.Count);
        var own = new List<ICollectableMetric>();
        foreach (var g in groups)
        {
            if (g.Binary is { } key)
            {
                // A hinge weighted since the groups were formed (a weighted update, a merge or a load) takes no
                // unweighted share of the pass: it updates on its own, as if alone.
                var hinge = g.Hinge is { CanFuse: true } fused ? fused : null;
                if (g.Hinge is { CanFuse: false } weighted)
                {
                    own.Add(weighted);
                }

                var sums = BinaryStats.Update(preds, target, hinge is not null, hinge?.Squared ?? false,
                    key.IgnoreIndex, key.ValidateArgs, key.InputKind, key.NonFinite, key.Threshold,
                    KernelOptions.Default);
                commits.Add(() =>
                {
                    hinge?.CommitPass(sums);
                    foreach (var m in g.BinaryMembers)
                    {
                        m(sums);
                    }
                });
            }
            else if (g.Multiclass is { } mk)
            {
                MulticlassCounts counts;
                if (g.MulticlassHinge is { CanFuse: true } h)
                {
                    var batch = h.FusedBatch(preds, target, out counts);
                    commits.Add(() => h.CommitPass(batch));
                }
                else
                {
                    if (g.MulticlassHinge is { } weighted)
                    {
                        own.Add(weighted); // weighted since the groups were formed
                    }

                    counts = MulticlassStats.Update(preds, target, mk.NumClasses, mk.TopK, mk.IgnoreIndex);
                }

                commits.Add(() =>
                {
                    foreach (var m in g.MulticlassMembers)
                    {
                        m(counts);
                    }
                });
            }
            else if (g.Alone is not null)
            {
                own.Add(g.Alone);
            }
        }

        UpdateEach(own, preds, target);
        foreach (var commit in commits)
        {
            commit();
        }
    }

    /// <summary>Updates <paramref name="metrics"/> one by one; when one rejects the batch, the ones before it get their
    /// states back (saved just before their update; the last metric needs none) and its error is rethrown.</summary>
    private static void UpdateEach<TPred, TTarget>(List<ICollectableMetric> metrics, ReadOnlySpan<TPred> preds,
        ReadOnlySpan<TTarget> target)
        where TPred : unmanaged, INumberBase<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var saved = new MemoryStream?[metrics.Count];
        for (var i = 0; i < metrics.Count; i++)
        {
            if (i < metrics.Count - 1)
            {
                saved[i] = new MemoryStream();
                metrics[i].SaveState(saved[i]!);
            }

            try
            {
                metrics[i].UpdateBatch(preds, target);
            }
            catch
            {
                for (var j = 0; j < i; j++)
                {
                    saved[j]!.Position = 0;
                    metrics[j].LoadState(saved[j]!);
                }

                throw;
            }
        }
    }

    /// <summary>Every metric's value, by name (after <see cref="Sync"/>, when set). A <see cref="ClasswiseWrapper"/>
    /// contributes one entry per class instead of its own name.</summary>
    public IReadOnlyDictionary<string, MetricValue> Compute()
    {
        Sync?.Synchronize(this);
        var result = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        foreach (var (name, metric) in _metrics)
        {
            if (metric is ClasswiseWrapper wrapper)
            {
                foreach (var (label, value) in wrapper.ComputeClasswise())
                {
                    result[label] = MetricValue.Scalar(value);
                }
            }
            else
            {
                result[name] = metric.ComputeMetricValue();
            }
        }

        return result;
    }

    /// <summary>Resets every metric.</summary>
    public void Reset()
    {
        foreach (var (_, metric) in _metrics)
        {
            metric.Reset();
        }
    }

    /// <summary>Adds another collection's states, metric by metric (same names, types and settings).</summary>
    /// <param name="other">A collection built the same way.</param>
    /// <exception cref="HingeArgumentException">The names differ, or a metric cannot merge.</exception>
    public void Merge(MetricCollection other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!other.Names.SequenceEqual(Names))
        {
            throw new HingeArgumentException(nameof(other),
                $"Cannot merge a collection of [{string.Join(", ", other.Names)}] into one of [{string.Join(", ", Names)}].");
        }

        foreach (var (name, metric) in _metrics)
        {
            metric.MergeFrom(other[name]);
        }
    }

    /// <summary>Writes every metric's state: <c>{"format": "hingesharp.metric-collection", "version": 1,
    /// "metrics": {name: state}}</c>.</summary>
    /// <param name="stream">Receives UTF-8 JSON; not closed.</param>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", "hingesharp.metric-collection");
        w.WriteNumber("version", 1);
        w.WriteStartObject("metrics");
        foreach (var (name, metric) in _metrics)
        {
            using var buffer = new MemoryStream();
            metric.SaveState(buffer);
            w.WritePropertyName(name);
            w.WriteRawValue(buffer.ToArray());
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Writes the states to a file atomically (temporary file, then rename).</summary>
    /// <param name="path">The file.</param>
    public void SaveState(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var temp = path + ".tmp-" + Environment.ProcessId;
        using (var file = File.Create(temp))
        {
            SaveState(file);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Replaces every metric's state with a saved one. Every state is checked before any is applied.</summary>
    /// <param name="stream">UTF-8 JSON written by <see cref="SaveState(Stream)"/> for the same names.</param>
    /// <exception cref="MetricStateException">Not a collection state, other names, or a metric's state does not
    /// fit; nothing is changed then.</exception>
    public void LoadState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        if (!root.TryGetProperty("format", out var format) || format.GetString() != "hingesharp.metric-collection" ||
            !root.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object)
        {
            throw new MetricStateException("Not a metric-collection state (format \"hingesharp.metric-collection\").",
                "format");
        }

        var names = metrics.EnumerateObject().Select(p => p.Name).ToArray();
        if (!names.SequenceEqual(Names))
        {
            throw new MetricStateException(
                $"The saved collection holds [{string.Join(", ", names)}], this one [{string.Join(", ", Names)}].",
                "metrics");
        }

        // Check every state on a scratch save first, so a bad one leaves the whole collection unchanged.
        var backups = new List<byte[]>();
        foreach (var (_, metric) in _metrics)
        {
            using var backup = new MemoryStream();
            metric.SaveState(backup);
            backups.Add(backup.ToArray());
        }

        var index = 0;
        try
        {
            foreach (var (name, metric) in _metrics)
            {
                using var state = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(metrics.GetProperty(name).GetRawText()));
                metric.LoadState(state);
                index++;
            }
        }
        catch
        {
            for (var i = 0; i < index; i++)
            {
                using var restore = new MemoryStream(backups[i]);
                _metrics[i].Value.LoadState(restore);
            }

            throw;
        }
    }

    /// <summary>Replaces the states with those saved in a file.</summary>
    /// <param name="path">The file.</param>
    public void LoadState(string path)
    {
        using var file = File.OpenRead(path);
        LoadState(file);
    }

    private List<Group> Groups()
    {
        if (_groups is not null)
        {
            return _groups;
        }

        var groups = new List<Group>();
        foreach (var (name, metric) in _metrics)
        {
            switch (metric)
            {
                case BinaryStatMetric<double> d:
                    BinaryGroup(groups, d.Key).Add(name, s => d.CommitPass(s));
                    break;
                case BinaryStatMetric<MetricValue> v:
                    BinaryGroup(groups, v.Key).Add(name, s => v.CommitPass(s));
                    break;
                case MulticlassStatMetric<MetricValue> m:
                    MulticlassGroup(groups, m.Key).Add(name, c => m.Commit(c));
                    break;
                case ClasswiseWrapper { Metric: var inner }:
                    MulticlassGroup(groups, inner.Key).Add(name, c => inner.Commit(c));
                    break;
                default:
                    groups.Add(new Group { Alone = metric, Names = { name } });
                    break;
            }
        }

        // A hinge metric joins the first binary group with its settings; the others stay alone.
        foreach (var g in groups.Where(g => g.Alone is BinaryHingeLoss).ToArray())
        {
            var h = (BinaryHingeLoss)g.Alone!;
            var home = groups.FirstOrDefault(b => b.Binary is { } k && b.Hinge is null && h.CanFuse &&
                k.IgnoreIndex == h.IgnoreIndex && k.ValidateArgs == h.ValidateArgs && k.InputKind == h.InputKind &&
                k.NonFinite == h.NonFinite);
            if (home is not null)
            {
                home.Hinge = h;
                home.Names.Insert(0, g.Names[0]);
                groups.Remove(g);
            }
        }

        // A multiclass hinge joins the first top-1 multiclass group of its C and ignore index (the counts do not
        // depend on its mode, squaring, input kind or non-finite handling).
        foreach (var g in groups.Where(g => g.Alone is MulticlassHingeLoss).ToArray())
        {
            var h = (MulticlassHingeLoss)g.Alone!;
            var home = groups.FirstOrDefault(m => m.Multiclass is { TopK: 1 } k && m.MulticlassHinge is null &&
                h.CanFuse && k.NumClasses == h.NumClasses && k.IgnoreIndex == h.IgnoreIndex);
            if (home is not null)
            {
                home.MulticlassHinge = h;
                home.Names.Insert(0, g.Names[0]);
                groups.Remove(g);
            }
        }

        return _groups = groups;
    }

    private static Group BinaryGroup(List<Group> groups, BinaryStatKey key)
    {
        var g = groups.FirstOrDefault(g => g.Binary == key);
        if (g is null)
        {
            g = new Group { Binary = key };
            groups.Add(g);
        }

        return g;
    }

    private static Group MulticlassGroup(List<Group> groups, MulticlassStatKey key)
    {
        var g = groups.FirstOrDefault(g => g.Multiclass == key);
        if (g is null)
        {
            g = new Group { Multiclass = key };
            groups.Add(g);
        }

        return g;
    }

    private sealed class Group
    {
        public BinaryStatKey? Binary { get; init; }
        public MulticlassStatKey? Multiclass { get; init; }
        public BinaryHingeLoss? Hinge { get; set; }
        public MulticlassHingeLoss? MulticlassHinge { get; set; }
        public ICollectableMetric? Alone { get; init; }
        public List<string> Names { get; } = [];
        public List<Action<BinaryStatSums>> BinaryMembers { get; } = [];
        public List<Action<MulticlassCounts>> MulticlassMembers { get; } = [];

        public void Add(string name, Action<BinaryStatSums> member)
        {
            Names.Add(name);
            BinaryMembers.Add(member);
        }

        public void Add(string name, Action<MulticlassCounts> member)
        {
            Names.Add(name);
            MulticlassMembers.Add(member);
        }
    }
}
