using System.Globalization;
using HingeSharp.Distributed;
using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras;
using HingeSharp.Torch.Metrics;
using HingeSharp.Torch.Tutorial;
using TorchSharp;
using static TorchSharp.torch;

// Usage: <worker> dp <batch> [weighted] | demo | tensor | cost
torch.set_num_threads(1);
var comm = Communicator.World;
var failures = args[0] switch
{
    "dp" => DataParallel(comm, int.Parse(args[1], CultureInfo.InvariantCulture), args.Length > 2 && args[2] == "weighted"),
    "demo" => Demo(comm),
    "tensor" => TensorMetrics(comm),
    "cost" => Cost.Run(comm),
    _ => throw new ArgumentException($"unknown scenario `{args[0]}`"),
};
var total = comm.Allreduce((long)failures, ReduceOperation.Sum);
if (comm.IsRoot)
{
    Console.WriteLine(total == 0 ? $"ALL OK ranks={comm.Size}" : $"FAILED {total}");
}

return total == 0 ? 0 : 1;

// N ranks × batch b against one process with batch N·b, same seed: the weights after two epochs agree. Weighted:
// sample weights, a validation split instead of validation data, and a resumed run (initialEpoch 1).
static int DataParallel(Communicator comm, int batch, bool weighted)
{
    const int samples = 480;
    using var scope = torch.NewDisposeScope();
    var (x, y) = MakeCircles.Generate(samples, noise: 0.1, randomState: 3).ToTensors(signedLabels: true);
    var (vx, vy) = MakeCircles.Generate(101, noise: 0.1, randomState: 4).ToTensors(signedLabels: true);
    var weights = weighted ? torch.rand(samples, generator: new Generator(5)).add_(0.25) : null;
    var (parallel, parallelHistory) = Train(x, y, (vx, vy), batch, comm, weights);
    var (single, singleHistory) = Train(x, y, (vx, vy), batch * comm.Size, null, weights);
    var maxDiff = parallel.Zip(single).Max(p => Math.Abs(p.First - p.Second));

    // Every rank holds the same weights: the spread over the ranks is zero.
    var spread = parallel.ToArray();
    var low = parallel.ToArray();
    comm.Allreduce(spread, ReduceOperation.Max);
    comm.Allreduce(low, ReduceOperation.Min);
    var ranksDiffer = spread.Zip(low).Max(p => p.First - p.Second);

    var failures = 0;
    if (maxDiff > 1e-5 || ranksDiffer != 0)
    {
        Console.WriteLine($"FAIL rank {comm.Rank}: weights differ from one process with batch {batch * comm.Size} " +
            $"by {maxDiff:G3}; spread over ranks {ranksDiffer:G3}");
        failures++;
    }

    foreach (var key in singleHistory.Keys.ToArray())
    {
        var (a, e) = (parallelHistory[key], singleHistory[key]);
        if (Math.Abs(a - e) > 1e-5 * Math.Max(1, Math.Abs(e)))
        {
            Console.WriteLine($"FAIL rank {comm.Rank}: {key} = {a:R}, one process {e:R}");
            failures++;
        }
    }

    if (comm.IsRoot)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DP weights max |diff| = {maxDiff:G3}; {string.Join(", ", parallelHistory.Select(p => $"{p.Key}={p.Value:F6}"))}"));
    }

    return failures;
}

static (float[] Weights, Dictionary<string, double> Last) Train(Tensor x, Tensor y, (Tensor, Tensor) validation,
    int batch, Communicator? comm, Tensor? sampleWeight = null)
{
    using var generator = new Generator(7);
    using var model = new Sequential(generator) { Communicator = comm };
    model.Add(new Dense(8, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"));
    model.Add(new Dense(1, activation: "tanh"));
    using var optimizer = new SGD(learningRate: 0.05, momentum: 0.9);
    // With sample weights also the count-based metrics: their epoch counts are summed over the ranks.
    model.Compile("hinge", optimizer, sampleWeight is null ? ["accuracy"] : ["accuracy", "precision", "f1_score"]);
    var history = sampleWeight is null
        ? model.Fit(x, y, epochs: 2, batchSize: batch, validationData: validation, verbose: 0)
        : model.Fit(x, y, epochs: 3, batchSize: batch, verbose: 0, validationSplit: 0.2, sampleWeight: sampleWeight,
            initialEpoch: 1);
    if (comm is { Size: > 1 })
    {
        // Streams are not sharded: a clear NotSupportedException on every rank, not a hang.
        var thrown = false;
        try
        {
            model.Fit(new List<(Tensor, Tensor)> { (x, y) }, verbose: 0);
        }
        catch (NotSupportedException)
        {
            thrown = true;
        }

        if (!thrown)
        {
            throw new InvalidOperationException("Fit on a stream with several ranks did not throw NotSupportedException");
        }
    }

    var weights = model.Parameters.SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();
    var last = history.Values.ToDictionary(p => p.Key, p => p.Value[^1]);
    return (weights, last);
}

// The tutorial's Method 1 trained data-parallel: one result line, from rank 0.
static int Demo(Communicator comm)
{
    var result = SequentialHingeDemo.Run(log: comm.IsRoot ? Console.WriteLine : null, communicator: comm);
    if (comm.IsRoot)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DEMO test accuracy {result.TestAccuracy:F3}"));
    }

    return result.TestAccuracy >= 0.80 ? 0 : 1;
}

// The tensor metrics synced: each rank's share on the host and device paths against one metric over everything.
static int TensorMetrics(Communicator comm)
{
    using var scope = torch.NewDisposeScope();
    var generator = new Generator(11);
    var preds = torch.rand(1000, generator: generator);
    var target = torch.randint(0, 2, [1000], generator: generator);
    var scores = torch.randn([1000, 3], generator: generator);
    var labels = torch.randint(0, 3, [1000], generator: generator);
    int lo = 1000 * comm.Rank / comm.Size, hi = 1000 * (comm.Rank + 1) / comm.Size;
    var failures = 0;
    foreach (var torchOps in new[] { false, true })
    {
        using var binary = new TensorBinaryHingeLoss(useTorchOps: torchOps);
        using var wholeBinary = new TensorBinaryHingeLoss(useTorchOps: torchOps);
        binary.Update(preds[lo..hi], target[lo..hi]);
        wholeBinary.Update(preds, target);
        failures += Check(comm, $"TensorBinaryHingeLoss torchOps={torchOps}", binary.Compute(comm), wholeBinary.Compute());
        foreach (var mode in new[] { HingeSharp.MulticlassMode.CrammerSinger, HingeSharp.MulticlassMode.OneVsAll })
        {
            using var multi = new TensorMulticlassHingeLoss(3, multiclassMode: mode, useTorchOps: torchOps);
            using var wholeMulti = new TensorMulticlassHingeLoss(3, multiclassMode: mode, useTorchOps: torchOps);
            multi.Update(scores[lo..hi], labels[lo..hi]);
            wholeMulti.Update(scores, labels);
            var synced = multi.Compute(comm).Values;
            var expected = wholeMulti.Compute().Values;
            for (var i = 0; i < expected.Count; i++)
            {
                failures += Check(comm, $"TensorMulticlassHingeLoss {mode} torchOps={torchOps} [{i}]", synced[i], expected[i]);
            }

            multi.Sync(comm);
            failures += Check(comm, $"TensorMulticlassHingeLoss {mode} Sync", multi.Compute().Values[0], expected[0]);
        }
    }

    return failures;
}

static int Check(Communicator comm, string name, double actual, double expected)
{
    if (Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected))
    {
        if (comm.IsRoot)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"OK {name}: {actual:R}"));
        }

        return 0;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FAIL rank {comm.Rank} {name}: {actual:R}, expected {expected:R}"));
    return 1;
}
