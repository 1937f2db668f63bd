using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Demo.Bench;

/// <summary>
/// Throughput of torchmetrics 1.9's hinge loss as libtorch runs it on the CPU (its <c>_binary_hinge_loss_update</c>
/// and <c>_multiclass_hinge_loss_update</c> ops, transcribed), for <c>hinge bench</c>'s
/// <c>torchElementsPerSecond</c>. Seeded float32 probabilities and int32 labels, as the kernel workloads use.
/// </summary>
internal static class TorchThroughput
{
    /// <summary>Elements (binary) or rows (multiclass) per second; the median of several timed batches.</summary>
    /// <param name="workload"><c>binary</c>, <c>crammer-singer</c> or <c>one-vs-all</c>.</param>
    /// <param name="n">Elements or rows.</param>
    /// <param name="numClasses">Classes of the multiclass workload.</param>
    /// <param name="quick">Fewer, shorter batches.</param>
    public static double Measure(string workload, int n, int numClasses, bool quick)
    {
        var binary = workload == "binary";
        var columns = binary ? 1 : numClasses;
        var random = new Random(1234);
        var scores = new float[(long)n * columns];
        for (long i = 0; i < scores.Length; i++)
        {
            scores[i] = random.NextSingle();
        }

        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.Next(Math.Max(2, columns));
        }

        using var preds = binary ? torch.tensor(scores) : torch.tensor(scores, [n, columns]);
        using var target = torch.tensor(labels);
        Func<double> run = binary ? () => Binary(preds, target)
            : workload == "one-vs-all" ? () => OneVsAll(preds, target)
            : () => CrammerSinger(preds, target);

        var seconds = Timing.MedianSeconds(run, quick);
        return n / seconds;
    }

    /// <summary>torchmetrics' binary hinge: sigmoid unless all in [0, 1]; margin ±p; mean of clamp(1 − margin, 0).
    /// </summary>
    private static double Binary(Tensor preds, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var p = preds;
        if (!p.ge(0).logical_and(p.le(1)).all().item<bool>())
        {
            p = p.sigmoid();
        }

        var margin = torch.where(target.to_type(ScalarType.Bool), p, p.neg());
        return (1 - margin).clamp_min(0).sum().div(target.shape[0]).item<float>();
    }

    /// <summary>torchmetrics' Crammer–Singer hinge: softmax unless all in [0, 1]; one-hot mask; true score minus the
    /// best other score; mean of clamp(1 − margin, 0).</summary>
    private static double CrammerSinger(Tensor preds, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var (p, oneHot) = ScoresAndOneHot(preds, target);
        var rows = p.shape[0];
        var (others, _) = p[oneHot.logical_not()].view(rows, -1).max(1, false);
        var margin = p[oneHot].sub(others);
        return (1 - margin).clamp_min(0).sum().div(rows).item<float>();
    }

    /// <summary>torchmetrics' one-vs-all hinge: softmax unless all in [0, 1]; one-hot mask; the score where it is
    /// set, its negation elsewhere; per-class means of clamp(1 − margin, 0).</summary>
    private static double OneVsAll(Tensor preds, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var (p, oneHot) = ScoresAndOneHot(preds, target);
        var margin = torch.where(oneHot, p, p.neg());
        return (1 - margin).clamp_min(0).sum(dim: 0L).div(p.shape[0])[0].item<float>();
    }

    /// <summary>The multiclass updates' common start (inside the caller's dispose scope): the scores, softmaxed
    /// unless all lie in [0, 1], and the targets' one-hot mask.</summary>
    private static (Tensor Scores, Tensor OneHot) ScoresAndOneHot(Tensor preds, Tensor target)
    {
        var p = preds;
        if (!p.ge(0).logical_and(p.le(1)).all().item<bool>())
        {
            p = p.softmax(1);
        }

        var oneHot = torch.nn.functional.one_hot(target.to_type(ScalarType.Int64), Math.Max(2, p.shape[1]))
            .to_type(ScalarType.Bool);
        return (p, oneHot);
    }
}

/// <summary>The timing method of <c>hinge bench</c>'s torch column: warm up, calibrate a batch of calls long enough
/// for the clock, take the median time per call over several batches.</summary>
internal static class Timing
{
    public static double MedianSeconds(Func<double> f, bool quick)
    {
        var warmup = quick ? 0.02 : 0.2;
        var batchSeconds = quick ? 0.005 : 0.04;
        var runs = quick ? 5 : 15;
        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (calls < 2 || clock.Elapsed.TotalSeconds < warmup)
        {
            f();
            calls++;
        }

        var perBatch = (int)Math.Clamp(Math.Ceiling(batchSeconds / (clock.Elapsed.TotalSeconds / calls)), 1, 1_000_000);
        var times = new double[runs];
        double sink = 0;
        for (var r = 0; r < runs; r++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < perBatch; i++)
            {
                sink += f();
            }

            times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / perBatch;
        }

        GC.KeepAlive(sink);
        Array.Sort(times);
        return times[runs / 2];
    }
}
