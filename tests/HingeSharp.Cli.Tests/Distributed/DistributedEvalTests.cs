using System.Globalization;
using System.Text;
using System.Text.Json;
using HingeSharp.Cli.Tests.Infrastructure;
using HingeSharp.Distributed.Tests;

namespace HingeSharp.Cli.Tests.Distributed;

/// <summary><c>hinge eval/report --distributed</c> under mpirun (2 and 3 ranks) against the single-process run of the
/// same command: one result line, every number within 1e-12 relative (counts exact).</summary>
public sealed class DistributedEvalTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static string Hinge => Path.Combine(AppContext.BaseDirectory, "hinge.dll");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void EvalNpyBinary_Distributed_EqualsSingleProcess(int ranks)
    {
        var random = new Random(5);
        const int rows = 1003;
        var preds = NpyWriter.Write(_dir, "p.npy", "<f4", [rows], Draw(rows, () => random.NextDouble()));
        var target = NpyWriter.Write(_dir, "t.npy", "<i8", [rows], Draw(rows, () => random.Next(2)));
        var weights = NpyWriter.Write(_dir, "w.npy", "<f8", [rows], Draw(rows, () => random.NextDouble() * 2));
        AssertSame(ranks, "eval", "--task", "binary", "--preds", preds, "--target", target, "--sample-weight", weights,
            "--ci", "0.95", "--chunk-rows", "100");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void EvalCsvMulticlass_OnlyLastShareOutsideUnitInterval_AutoDecidedGloballyAsSingleProcess(int ranks)
    {
        var random = new Random(6);
        const int rows = 600;
        // Every score is in [0, 1] except in the last rows: only the last rank sees them, yet every rank must read
        // logits (as the single-process run does).
        var scores = Draw(rows * 3, () => random.NextDouble()).ToArray();
        scores[^2] = 3.5;
        var text = new StringBuilder("a,b,c\n");
        for (var r = 0; r < rows; r++)
        {
            text.Append(string.Join(',', scores.Skip(r * 3).Take(3).Select(v => v.ToString("R", CultureInfo.InvariantCulture))))
                .Append(r % 97 == 5 ? "\n\n" : "\n");
        }

        var preds = _dir.Write("p.csv", text.ToString());
        var target = CsvWriter.Write(_dir, "t.csv", Draw(rows, () => random.Next(3)), 1, header: "y");
        string[] args = ["eval", "--task", "multiclass", "--preds", preds, "--target", target, "--chunk-rows", "64"];
        var single = AssertSame(ranks, args);
        var logits = Mpirun.RunAlone(Hinge, [.. args, "--input-kind", "logits", "--format", "json"]);
        var probabilities = Mpirun.RunAlone(Hinge, [.. args, "--input-kind", "probabilities", "--format", "json"]);
        Assert.Equal(logits.Output, single);
        Assert.NotEqual(probabilities.Output, single);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ReportNpyMulticlass_Distributed_EqualsSingleProcess(int ranks)
    {
        var random = new Random(7);
        const int rows = 500;
        var preds = NpyWriter.Write(_dir, "p.npy", "<f8", [rows, 4], Draw(rows * 4, () => random.NextDouble() * 4 - 2));
        var target = NpyWriter.Write(_dir, "t.npy", "<i4", [rows], Draw(rows, () => random.Next(4)));
        AssertSame(ranks, "report", "--task", "multiclass", "--preds", preds, "--target", target);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void EvalBinaryMetrics_Distributed_EqualsSingleProcess(int ranks)
    {
        // Auto decided over all ranks (one share holds logits), the counts of every metric merged over the ranks.
        var random = new Random(8);
        const int rows = 701;
        var scores = Draw(rows, () => random.NextDouble()).ToArray();
        scores[650] = -2.5;
        var preds = NpyWriter.Write(_dir, "p.npy", "<f8", [rows], scores);
        var target = NpyWriter.Write(_dir, "t.npy", "<i8", [rows], Draw(rows, () => random.Next(2)));
        AssertSame(ranks, "eval", "--task", "binary", "--preds", preds, "--target", target, "--metrics",
            "hinge,accuracy,precision,recall,f1,confusion-matrix", "--threshold", "0.4", "--chunk-rows", "50");
    }

    [Theory]
    [InlineData(2, "macro")]
    [InlineData(3, "none")]
    public void EvalMulticlassMetrics_Distributed_EqualsSingleProcess(int ranks, string average)
    {
        var random = new Random(9);
        const int rows = 503;
        var preds = NpyWriter.Write(_dir, "p.npy", "<f4", [rows, 4], Draw(rows * 4, () => random.NextDouble()));
        var target = NpyWriter.Write(_dir, "t.npy", "<i4", [rows], Draw(rows, () => random.Next(4)));
        AssertSame(ranks, "eval", "--task", "multiclass", "--preds", preds, "--target", target, "--metrics",
            "accuracy,precision,recall,f1,confusion-matrix", "--average", average, "--top-k", "2", "--ignore-index",
            "3");
    }

    [Fact]
    public void EvalCsv_BadLabelInSecondRanksHalf_FailsJobNamingFileAndLine()
    {
        const int rows = 400;
        var preds = CsvWriter.Write(_dir, "p.csv", Draw(rows, () => 0.25), 1);
        var labels = Draw(rows, () => 1).ToArray();
        labels[300] = 7; // data row 300 (line 301): in rank 1's half
        var target = CsvWriter.Write(_dir, "t.csv", labels, 1);
        var run = Mpirun.Run(2, Hinge, "eval", "--distributed", "--task", "binary", "--preds", preds, "--target",
            target, "--format", "json");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("t.csv", run.Output, StringComparison.Ordinal);
        Assert.Contains("line 301", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"value\"", run.Output, StringComparison.Ordinal);
    }

    private static double[] Draw(int count, Func<double> next) => [.. Enumerable.Range(0, count).Select(_ => next())];

    /// <summary>Runs the command alone and under mpirun; the distributed run prints exactly the single run's
    /// numbers, once. Returns the single-process output.</summary>
    private static string AssertSame(int ranks, params string[] args)
    {
        var single = Mpirun.RunAlone(Hinge, [.. args, "--format", "json"]);
        Assert.True(single.ExitCode == 0, single.Output);
        var run = Mpirun.Run(ranks, Hinge, [.. args, "--format", "json", "--distributed"]);
        Assert.True(run.ExitCode == 0, run.Output);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = Assert.Single(lines, l => l.TrimStart().StartsWith('{'));
        var (expected, actual) = (Numbers(single.Output), Numbers(json));
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-12 * Math.Abs(expected[i]),
                $"number {i}: {actual[i]:R} distributed, {expected[i]:R} single\n{json}\n{single.Output}");
        }

        return single.Output;
    }

    private static List<double> Numbers(string json)
    {
        var list = new List<double>();
        using var doc = JsonDocument.Parse(json);
        Walk(doc.RootElement);
        return list;

        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        Walk(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
                case JsonValueKind.Number:
                    list.Add(e.GetDouble());
                    break;
            }
        }
    }
}
