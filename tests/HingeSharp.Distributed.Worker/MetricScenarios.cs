using System.Globalization;
using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Metrics;
using HingeSharp.Reports;
using HingeSharp.Statistics;

namespace HingeSharp.Distributed.Worker;

/// <summary>
/// Every metric kind: each rank feeds its uneven share of one seeded data set, syncs, and compares with a single
/// metric fed the whole set (computed on every rank from the same seed).
/// </summary>
internal static class MetricScenarios
{
    private const int Rows = 1001;
    private const int Classes = 4;

    private sealed record Case(string Name, Func<IMergeableMetric> Make, Action<IMergeableMetric, int, int> Feed,
        Func<IMergeableMetric, IReadOnlyList<double>> Read);

    internal static int Run(Communicator comm)
    {
        var failures = 0;
        foreach (var c in Cases())
        {
            var whole = c.Make();
            c.Feed(whole, 0, Rows);
            var expected = c.Read(whole);

            var (lo, hi) = Share(comm, Rows);
            var shard = c.Make();
            c.Feed(shard, lo, hi);
            var localCount = shard.UpdateCount;

            // Compute(comm): the global value, local state kept.
            var computed = shard.Synced(comm, c.Read);
            failures += Check(comm, c.Name + " Compute(comm)", computed, expected);
            failures += localCount == shard.UpdateCount ? 0 : Report(comm, c.Name, "local state changed");

            // Sync(comm): the global state, then a plain read; counts add up.
            shard.Sync(comm);
            failures += Check(comm, c.Name + " Sync", c.Read(shard), expected);
            var updates = comm.Allreduce(localCount, ReduceOperation.Sum);
            failures += shard.UpdateCount == updates ? 0
                : Report(comm, c.Name, $"update count {shard.UpdateCount}, expected {updates}");
        }

        return failures + Collections(comm);
    }

    /// <summary><c>MetricCollection.Sync(comm, createEmpty)</c>: the classification counts (and a grouped hinge) of
    /// every rank's share merged equal one collection fed the whole set.</summary>
    private static int Collections(Communicator comm)
    {
        var d = new Data(43);
        var failures = 0;
        var cases = new (string Name, Func<MetricCollection> Make, Action<MetricCollection, int, int> Feed)[]
        {
            ("collection binary",
                () => new MetricCollection().Add("hinge", new BinaryHingeLoss()).Add("accuracy", new BinaryAccuracy())
                    .Add("f1", new BinaryF1Score(threshold: 0.4)).Add("confusion", new BinaryConfusionMatrix()),
                (c, lo, hi) => c.Update(d.Probabilities.AsSpan(lo, hi - lo), d.Binary.AsSpan(lo, hi - lo))),
            ("collection multiclass",
                () => new MetricCollection().Add("accuracy", new MulticlassAccuracy(Classes))
                    .Add("recall", new MulticlassRecall(Classes, ClassificationAverage.None, 2))
                    .Add("confusion", new MulticlassConfusionMatrix(Classes)),
                (c, lo, hi) => c.Update(d.Scores.AsSpan(lo * Classes, (hi - lo) * Classes), d.Labels.AsSpan(lo, hi - lo))),
        };
        foreach (var (name, make, feed) in cases)
        {
            var whole = make();
            feed(whole, 0, Rows);
            var (lo, hi) = Share(comm, Rows);
            var shard = make();
            feed(shard, lo, hi);
            shard.Sync(comm, make);
            failures += Check(comm, name + " Sync", Values(shard), Values(whole));
        }

        return failures;
    }

    private static double[] Values(MetricCollection collection) =>
        [.. collection.Compute().OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value.Values)];

    /// <summary>dist_sync_on_step: each step's synced value equals the value of that step's concatenated batches.</summary>
    internal static int SyncOnStep(Communicator comm)
    {
        var failures = 0;
        var data = new Data(7);
        var metric = new BinaryHingeLoss();
        var whole = new BinaryHingeLoss();
        const int step = 50;
        for (var s = 0; s * step * comm.Size < Rows; s++)
        {
            var start = s * step * comm.Size;
            var end = Math.Min(Rows, start + step * comm.Size);
            var reference = new BinaryHingeLoss().Forward(data.Probabilities.AsSpan(start, end - start),
                data.Binary.AsSpan(start, end - start));
            var lo = Math.Min(end, start + comm.Rank * step);
            var hi = Math.Min(end, lo + step);
            var value = metric.Forward(data.Probabilities.AsSpan(lo, hi - lo), data.Binary.AsSpan(lo, hi - lo), comm);
            whole.Update(data.Probabilities.AsSpan(lo, hi - lo), data.Binary.AsSpan(lo, hi - lo));
            failures += Check(comm, $"step {s}", [value.Value], [reference]);
        }

        // The local state holds only this rank's batches.
        failures += Check(comm, "local state after steps", [metric.Compute()], [whole.Compute()]);
        return failures;
    }

    internal static (int Lo, int Hi) Share(Communicator comm, int rows)
    {
        // Uneven on purpose: rank r gets a share proportional to r + 1.
        long weights = (long)comm.Size * (comm.Size + 1) / 2;
        long before = (long)comm.Rank * (comm.Rank + 1) / 2;
        return ((int)(rows * before / weights), (int)(rows * (before + comm.Rank + 1) / weights));
    }

    private static int Check(Communicator comm, string name, IReadOnlyList<double> actual,
        IReadOnlyList<double> expected)
    {
        var problem = Compare.Numbers(actual, expected);
        if (problem is not null)
        {
            return Report(comm, name, problem);
        }

        if (comm.IsRoot)
        {
            Console.WriteLine($"OK {name}: {string.Join(" ", actual.Take(3).Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}");
        }

        return 0;
    }

    private static int Report(Communicator comm, string name, string problem)
    {
        Console.WriteLine($"FAIL rank {comm.Rank} {name}: {problem}");
        return 1;
    }

    private static IEnumerable<Case> Cases()
    {
        var d = new Data(42);
        yield return Binary("binary", () => new BinaryHingeLoss(), d, weighted: false);
        yield return Binary("binary squared ignore_index", () => new BinaryHingeLoss(squared: true, ignoreIndex: -1),
            d, weighted: false, ignore: true);
        yield return new Case("binary weighted variance",
            () => new BinaryHingeLoss { ClassWeights = [0.5, 2.0], TrackVariance = true },
            (m, lo, hi) => ((BinaryHingeLoss)m).Update(d.Probabilities.AsSpan(lo, hi - lo), d.Binary.AsSpan(lo, hi - lo),
                d.Weights.AsSpan(lo, hi - lo)),
            m => Interval(((BinaryHingeLoss)m).Compute(), ((BinaryHingeLoss)m).ComputeInterval(0.9)));
        foreach (var mode in new[] { MulticlassMode.CrammerSinger, MulticlassMode.OneVsAll })
        {
            yield return new Case($"multiclass {mode}", () => new MulticlassHingeLoss(Classes, multiclassMode: mode),
                (m, lo, hi) => ((MulticlassHingeLoss)m).Update(d.Scores.AsSpan(lo * Classes, (hi - lo) * Classes),
                    d.Labels.AsSpan(lo, hi - lo)),
                m => [.. ((MulticlassHingeLoss)m).Compute().Values]);
            yield return new Case($"multiclass {mode} weighted variance",
                () => new MulticlassHingeLoss(Classes, squared: true, multiclassMode: mode)
                {
                    ClassWeights = [1, 2, 0.5, 1.5],
                    TrackVariance = mode == MulticlassMode.CrammerSinger,
                },
                (m, lo, hi) => ((MulticlassHingeLoss)m).Update(d.Scores.AsSpan(lo * Classes, (hi - lo) * Classes),
                    d.Labels.AsSpan(lo, hi - lo), d.Weights.AsSpan(lo, hi - lo)),
                m => mode == MulticlassMode.CrammerSinger
                    ? Interval(((MulticlassHingeLoss)m).Compute().Value, ((MulticlassHingeLoss)m).ComputeInterval())
                    : [.. ((MulticlassHingeLoss)m).Compute().Values]);
        }

        foreach (var average in new[] { MultilabelAverage.Micro, MultilabelAverage.Macro, MultilabelAverage.None })
        {
            yield return new Case($"multilabel {average}",
                () => new MultilabelHingeLoss(Classes, average) { LabelWeights = [1, 1, 2, 0.5] },
                (m, lo, hi) => ((MultilabelHingeLoss)m).Update(d.Probabilities4.AsSpan(lo * Classes, (hi - lo) * Classes),
                    d.Multilabel.AsSpan(lo * Classes, (hi - lo) * Classes), d.Weights.AsSpan(lo, hi - lo)),
                m => [.. ((MultilabelHingeLoss)m).Compute().Values]);
        }

        yield return new Case("MarginReport binary", () => MarginReport.Binary(),
            (m, lo, hi) => ((MarginReport)m).Update(d.Probabilities.AsSpan(lo, hi - lo), d.Binary.AsSpan(lo, hi - lo),
                d.Weights.AsSpan(lo, hi - lo)),
            m => Json(((MarginReport)m).Compute().ToJson()));
        yield return new Case("MarginReport multiclass", () => MarginReport.Multiclass(Classes),
            (m, lo, hi) => ((MarginReport)m).Update(d.Scores.AsSpan(lo * Classes, (hi - lo) * Classes),
                d.Labels.AsSpan(lo, hi - lo)),
            m => Json(((MarginReport)m).Compute().ToJson()));
    }

    private static Case Binary(string name, Func<BinaryHingeLoss> make, Data d, bool weighted, bool ignore = false) =>
        new(name, make,
            (m, lo, hi) => ((BinaryHingeLoss)m).Update(d.Probabilities.AsSpan(lo, hi - lo),
                (ignore ? d.BinaryWithIgnored : d.Binary).AsSpan(lo, hi - lo),
                weighted ? d.Weights.AsSpan(lo, hi - lo) : default),
            m => [((BinaryHingeLoss)m).Compute()]);

    private static double[] Interval(double mean, HingeInterval interval) =>
        [mean, interval.Mean, interval.Lower, interval.Upper];

    private static double[] Json(string json)
    {
        var list = new List<double>();
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Walk(doc.RootElement);
        return [.. list];

        void Walk(System.Text.Json.JsonElement e)
        {
            switch (e.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        Walk(p.Value);
                    }

                    break;
                case System.Text.Json.JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
                case System.Text.Json.JsonValueKind.Number:
                    list.Add(e.GetDouble());
                    break;
            }
        }
    }

    /// <summary>One seeded data set (the same on every rank).</summary>
    private sealed class Data
    {
        public Data(int seed)
        {
            var random = new Random(seed);
            Probabilities = [.. Enumerable.Range(0, Rows).Select(_ => (float)random.NextDouble())];
            Binary = [.. Enumerable.Range(0, Rows).Select(_ => random.Next(2))];
            BinaryWithIgnored = [.. Binary.Select((t, i) => i % 7 == 3 ? -1 : t)];
            Weights = [.. Enumerable.Range(0, Rows).Select(_ => random.NextDouble() * 3)];
            Scores = [.. Enumerable.Range(0, Rows * Classes).Select(_ => (float)(random.NextDouble() * 4 - 2))];
            Labels = [.. Enumerable.Range(0, Rows).Select(_ => random.Next(Classes))];
            Probabilities4 = [.. Enumerable.Range(0, Rows * Classes).Select(_ => (float)random.NextDouble())];
            Multilabel = [.. Enumerable.Range(0, Rows * Classes).Select(_ => random.Next(2))];
        }

        public float[] Probabilities { get; }

        public int[] Binary { get; }

        public int[] BinaryWithIgnored { get; }

        public double[] Weights { get; }

        public float[] Scores { get; }

        public int[] Labels { get; }

        public float[] Probabilities4 { get; }

        public int[] Multilabel { get; }
    }
}
