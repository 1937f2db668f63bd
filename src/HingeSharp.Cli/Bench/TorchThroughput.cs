using System.Diagnostics;
using HingeSharp.Torch.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Cli.Bench;

/// <summary>
/// Throughput of torchmetrics' hinge loss written as libtorch ops (HingeSharp.Torch's line-by-line transcription
/// of <c>binary_hinge_loss</c> and <c>multiclass_hinge_loss</c>) on the CPU, for <c>hinge bench</c>'s
/// <c>torchElementsPerSecond</c>. Seeded float32 probabilities and int32 labels, as the kernel workloads use.
/// </summary>
internal static class TorchThroughput
{
    /// <summary>Elements (binary) or rows (multiclass) per second; the median of several timed batches.</summary>
    /// <param name="workload"><c>binary</c> or <c>crammer-singer</c>.</param>
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
        Func<double> run = binary
            ? () => Value(TorchHingeReference.BinaryHinge(preds, target))
            : () => Value(TorchHingeReference.MulticlassHinge(preds, target));

        var seconds = Timing.MedianSeconds(run, quick);
        return n / seconds;
    }

    private static double Value(Tensor result)
    {
        using (result)
        {
            return result.item<float>();
        }
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
