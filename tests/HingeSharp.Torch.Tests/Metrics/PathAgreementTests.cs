using HingeSharp.Classification;
using HingeSharp.Torch.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>
/// Properties on seeded random streams: the torch-ops paths agree with the core kernels (which the core tests hold to
/// a scalar reference) for every input kind, dtype and shape; streaming equals one update on the concatenation;
/// merging equals feeding one metric.
/// </summary>
public sealed class PathAgreementTests
{
    private static readonly MetricPath[] TorchOpsPaths = [MetricPath.CoreTorchOps, MetricPath.TensorTorchOps,
        MetricPath.TensorEager];

    public static TheoryData<string, HingeInputKind, ScalarType> Kinds()
    {
        var data = new TheoryData<string, HingeInputKind, ScalarType>();
        foreach (var device in TorchDevices.Available)
        {
            foreach (var kind in Enum.GetValues<HingeInputKind>())
            {
                data.Add(device, kind, ScalarType.Float32);
                data.Add(device, kind, ScalarType.Float64);
            }
        }

        return data;
    }

    [Theory, MemberData(nameof(Kinds))]
    public void TorchOps_RandomBinaryStreams_AgreeWithKernels(string device, HingeInputKind kind, ScalarType dtype)
    {
        long[][] shapes = [[0], [1], [7], [513], [3, 5, 4], [2, 600]];
        for (var seed = 0; seed < 12; seed++)
        {
            int? ignore = seed % 3 == 0 ? null : seed % 3 == 1 ? -1 : 1;
            var squared = seed % 2 == 1;
            var batches = Enumerable.Range(0, 3)
                .Select(b => BinaryBatch(shapes[(seed + b) % shapes.Length], kind, dtype, ignore, seed * 10 + b))
                .ToArray();
            var expected = Run(MetricPath.Core, null, squared, default, ignore, kind, batches, "cpu");
            foreach (var path in TorchOpsPaths)
            {
                Approx.Equal(expected, Run(path, null, squared, default, ignore, kind, batches, device),
                    Tolerance(dtype), $"seed {seed} [{device}, {path}, {kind}, {dtype}]");
            }

            DisposeAll(batches);
        }
    }

    [Theory, MemberData(nameof(Kinds))]
    public void TorchOps_RandomMulticlassStreams_AgreeWithKernels(string device, HingeInputKind kind, ScalarType dtype)
    {
        for (var seed = 0; seed < 12; seed++)
        {
            var classes = 2 + seed % 5;
            var mode = seed % 2 == 0 ? MulticlassMode.CrammerSinger : MulticlassMode.OneVsAll;
            int? ignore = seed % 3 == 0 ? null : seed % 3 == 1 ? -100 : 0;
            var squared = seed % 4 >= 2;
            long[][] shapes = [[9, classes], [1, classes], [4, classes, 3], [300, classes], [2, classes, 2, 3]];
            var batches = Enumerable.Range(0, 3)
                .Select(b => MulticlassBatch(shapes[(seed + b) % shapes.Length], kind, dtype, ignore, seed * 10 + b))
                .ToArray();
            var expected = Run(MetricPath.Core, classes, squared, mode, ignore, kind, batches, "cpu");
            foreach (var path in TorchOpsPaths)
            {
                Approx.Equal(expected, Run(path, classes, squared, mode, ignore, kind, batches, device),
                    Tolerance(dtype), $"seed {seed} [{device}, {path}, {kind}, {dtype}, {mode}]");
            }

            DisposeAll(batches);
        }
    }

    [Theory, MemberData(nameof(Devices))]
    public void TorchOps_Stream_EqualsOneUpdateOnConcatenation(string device)
    {
        using var scope = torch.NewDisposeScope();
        // Logits: the per-update Auto decision cannot differ between the stream and the concatenation.
        var batches = Enumerable.Range(0, 4).Select(b => BinaryBatch([50 + b], HingeInputKind.Logits,
            ScalarType.Float64, -1, 100 + b)).ToArray();
        using var stream = new TensorBinaryHingeLoss(ignoreIndex: -1, inputKind: HingeInputKind.Logits,
            useTorchOps: true);
        foreach (var (p, t) in batches)
        {
            stream.Update(p.to(new Device(device)), t.to(new Device(device)));
        }

        using var once = new TensorBinaryHingeLoss(ignoreIndex: -1, inputKind: HingeInputKind.Logits,
            useTorchOps: true);
        once.Update(torch.cat(batches.Select(b => b.Preds).ToArray(), 0).to(new Device(device)),
            torch.cat(batches.Select(b => b.Target).ToArray(), 0).to(new Device(device)));
        Approx.Equal(once.Compute(), stream.Compute(), 1e-12, device);
        Assert.Equal(4, stream.UpdateCount);
    }

    [Theory, MemberData(nameof(Devices))]
    public void Merge_KernelAndTorchOpsHalves_EqualsOneMetricOnBoth(string device)
    {
        using var scope = torch.NewDisposeScope();
        var first = MulticlassBatch([20, 4], HingeInputKind.Auto, ScalarType.Float32, -1, 1);
        var second = MulticlassBatch([30, 4, 2], HingeInputKind.Auto, ScalarType.Float32, -1, 2);
        var on = new Device(device);
        using var kernels = new TensorMulticlassHingeLoss(4, multiclassMode: MulticlassMode.OneVsAll, ignoreIndex: -1);
        kernels.Update(first.Preds, first.Target);
        using var torchOps = new TensorMulticlassHingeLoss(4, multiclassMode: MulticlassMode.OneVsAll, ignoreIndex: -1,
            useTorchOps: true);
        torchOps.Update(second.Preds.to(on), second.Target.to(on));
        using var both = new TensorMulticlassHingeLoss(4, multiclassMode: MulticlassMode.OneVsAll, ignoreIndex: -1);
        both.Update(first.Preds, first.Target);
        both.Update(second.Preds, second.Target);

        kernels.Merge(torchOps);
        Approx.Equal(both.Compute().Values, kernels.Compute().Values, Approx.Float32Relative, device);
        Assert.Equal(2, kernels.UpdateCount);
        Assert.Equal(device, kernels.StateDevice!.type.ToString(), ignoreCase: true);
    }

    [Fact]
    public void Merge_DifferentSettings_Throws()
    {
        using var a = new TensorBinaryHingeLoss(squared: true);
        using var b = new TensorBinaryHingeLoss(squared: false);
        Assert.Throws<HingeArgumentException>(() => a.Merge(b));
    }

    public static TheoryData<string> Devices() => new(TorchDevices.Available);

    private static double Tolerance(ScalarType dtype) =>
        dtype == ScalarType.Float32 ? Approx.Float32Relative : Approx.Float64Relative;

    private static double[] Run(MetricPath path, int? classes, bool squared, MulticlassMode mode, int? ignore,
        HingeInputKind kind, (Tensor Preds, Tensor Target)[] batches, string device)
    {
        using var metric = PathMetric.Create(path, classes, squared, mode, ignore, inputKind: kind);
        foreach (var (p, t) in batches)
        {
            using var onP = p.to(new Device(device));
            using var onT = t.to(new Device(device));
            metric.Update(onP, onT);
        }

        return metric.Compute();
    }

    /// <summary>Values suited to the input kind; targets 0/1 with some set to the ignore index.</summary>
    private static (Tensor Preds, Tensor Target) BinaryBatch(long[] shape, HingeInputKind kind, ScalarType dtype,
        int? ignore, int seed)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(seed);
        var preds = Scores(shape, kind, dtype, seed);
        var target = torch.randint(0, 2, shape, ScalarType.Int64);
        if (ignore is { } ii)
        {
            target = target.masked_fill(torch.rand(shape).lt(0.2), ii);
        }

        return (preds.MoveToOuterDisposeScope(), target.MoveToOuterDisposeScope());
    }

    private static (Tensor Preds, Tensor Target) MulticlassBatch(long[] shape, HingeInputKind kind, ScalarType dtype,
        int? ignore, int seed)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(seed);
        var preds = Scores(shape, kind, dtype, seed);
        long[] targetShape = [shape[0], .. shape[2..]];
        var target = torch.randint(0, shape[1], targetShape, ScalarType.Int64);
        if (ignore is { } ii)
        {
            // The first row is always kept: a Crammer–Singer batch with no kept row is an error.
            var first = torch.arange(target.numel()).reshape(targetShape).eq(0);
            target = target.masked_fill(torch.rand(targetShape).lt(0.2).logical_and(first.logical_not()), ii);
        }

        return (preds.MoveToOuterDisposeScope(), target.MoveToOuterDisposeScope());
    }

    private static Tensor Scores(long[] shape, HingeInputKind kind, ScalarType dtype, int seed) => kind switch
    {
        HingeInputKind.Probabilities => torch.rand(shape, dtype),
        // Auto: some batches probabilities, some logits, so both sides of the decision are exercised.
        HingeInputKind.Auto => seed % 2 == 0 ? torch.rand(shape, dtype) : torch.randn(shape, dtype).mul(3),
        _ => torch.randn(shape, dtype).mul(3),
    };

    private static void DisposeAll((Tensor Preds, Tensor Target)[] batches)
    {
        foreach (var (p, t) in batches)
        {
            p.Dispose();
            t.Dispose();
        }
    }
}
