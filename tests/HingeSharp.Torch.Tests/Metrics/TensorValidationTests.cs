using HingeSharp.Torch.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Metrics;

/// <summary>
/// Invalid values on every path: the kernels and the eager torch-ops paths throw from the update with the same
/// argument, index and message and leave the state untouched; deferred validation throws the same error from
/// Compute (naming the update) and keeps it until Reset.
/// </summary>
public sealed class TensorValidationTests
{
    private sealed record BadCase(int? Classes, MulticlassMode Mode, int? Ignore, HingeInputKind Kind,
        Func<(Tensor Preds, Tensor Target)> Bad, Func<(Tensor Preds, Tensor Target)> Good);

    private static readonly Dictionary<string, BadCase> Cases = new()
    {
        ["binary/target=2"] = Binary(null, HingeInputKind.Auto,
            () => (torch.rand(10), torch.tensor(new long[] { 0, 1, 1, 0, 0, 1, 2, 0, 1, 1 }))),
        ["binary/float-target=0.5/ignore=-1"] = Binary(-1, HingeInputKind.Auto,
            () => (torch.rand(5), torch.tensor(new[] { 0f, -1f, 1f, 0.5f, 1f }))),
        ["binary/nan-pred"] = Binary(null, HingeInputKind.Auto,
            () => (torch.tensor(new[] { 0.1f, 0.2f, 2f, 0.3f, float.NaN, 0.4f }), torch.zeros(6, ScalarType.Int64))),
        ["binary/inf-logit/ignored-nan-first"] = Binary(-1, HingeInputKind.Logits,
            () => (torch.tensor(new[] { float.NaN, 1f, float.PositiveInfinity }),
                torch.tensor(new long[] { -1, 1, 0 }))),
        ["binary/probabilities-1.5"] = Binary(null, HingeInputKind.Probabilities,
            () => (torch.tensor(new[] { 0.1, 0.9, 1.5, 0.2 }), torch.tensor(new[] { true, false, true, true }))),
        ["multiclass/target=5-of-3"] = Multiclass(null, HingeInputKind.Auto,
            () => (torch.rand(4, 3), torch.tensor(new long[] { 0, 2, 5, 1 }))),
        ["multiclass/target=-1/one-vs-all"] = new(3, MulticlassMode.OneVsAll, null, HingeInputKind.Auto,
            () => (torch.rand(4, 3), torch.tensor(new[] { 0, -1, 2, 1 })), () => Good(3)),
        ["multiclass/float-target=1.5/ignore=-100"] = Multiclass(-100, HingeInputKind.Logits,
            () => (torch.randn(3, 3), torch.tensor(new[] { -100.0, 1.5, 0.0 }))),
        ["multiclass/nan-score/extra-dims"] = Multiclass(null, HingeInputKind.Auto,
            () => (torch.rand(2, 3, 2).index_put_(float.NaN, 1, 2, 0), torch.zeros(2, 2, ScalarType.Int64))),
        ["multiclass/probabilities-1.2"] = Multiclass(null, HingeInputKind.Probabilities,
            () => (torch.rand(3, 3).index_put_(1.2f, 2, 1), torch.zeros(3, ScalarType.Int64))),
        ["multiclass/all-rows-ignored"] = Multiclass(7, HingeInputKind.Auto,
            () => (torch.rand(3, 3), torch.full(3, 7, ScalarType.Int64))),
    };

    public static TheoryData<string, string> Names()
    {
        var data = new TheoryData<string, string>();
        foreach (var device in TorchDevices.Available)
        {
            foreach (var name in Cases.Keys)
            {
                data.Add(device, name);
            }
        }

        return data;
    }

    [Theory, MemberData(nameof(Names))]
    public void BadBatch_EagerPaths_ThrowTheKernelErrorAndKeepTheState(string device, string name)
    {
        using var scope = torch.NewDisposeScope();
        var c = Cases[name];
        var kernelError = KernelError(c);
        var (goodP, goodT) = On(c.Good(), device);
        var (badP, badT) = On(c.Bad(), device);
        foreach (var path in new[] { MetricPath.Core, MetricPath.CoreTorchOps, MetricPath.TensorEager })
        {
            using var metric = Create(path, c);
            metric.Update(goodP, goodT);
            var before = metric.Compute();
            var ex = Assert.Throws<HingeArgumentException>(() => metric.Update(badP, badT));
            AssertSame(kernelError, ex, $"{name} [{device}, {path}]");
            Assert.Equal(ex.Message, kernelError.Message);
            Assert.Equal(before, metric.Compute());
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void BadBatch_DeferredValidation_ThrowsAtComputeUntilReset(string device, string name)
    {
        using var scope = torch.NewDisposeScope();
        var c = Cases[name];
        var kernelError = KernelError(c);
        var (goodP, goodT) = On(c.Good(), device);
        var (badP, badT) = On(c.Bad(), device);
        using var metric = Create(MetricPath.TensorTorchOps, c);
        metric.Update(goodP, goodT);
        var value = metric.Forward(badP, badT);
        Assert.All(value, v => Assert.True(double.IsNaN(v), $"{name}: forward of a rejected batch reads {v}"));
        metric.Update(goodP, goodT);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var ex = Assert.Throws<HingeArgumentException>(() => metric.Compute());
            AssertSame(kernelError, ex, $"{name} [{device}] attempt {attempt}");
            Assert.StartsWith(kernelError.Message, ex.Message, StringComparison.Ordinal);
            Assert.Contains("(update 2;", ex.Message, StringComparison.Ordinal);
        }

        metric.Reset();
        metric.Update(goodP, goodT);
        using var fresh = Create(MetricPath.Core, c);
        fresh.Update(goodP, goodT);
        Approx.Equal(fresh.Compute(), metric.Compute(), Approx.Float32Relative, name);
    }

    [Theory, MemberData(nameof(Devices))]
    public void DeferredValidation_TwoBadUpdates_ReportsTheFirst(string device)
    {
        using var scope = torch.NewDisposeScope();
        var on = new Device(device);
        using var metric = new TensorBinaryHingeLoss(useTorchOps: true);
        metric.Update(torch.rand(4, device: on), torch.tensor(new long[] { 0, 1, 1, 0 }, device: on));
        metric.Update(torch.rand(4, device: on), torch.tensor(new long[] { 0, 1, 1, 3 }, device: on));
        metric.Update(torch.rand(4, device: on), torch.tensor(new long[] { 9, 1, 1, 0 }, device: on));
        var ex = Assert.Throws<HingeArgumentException>(() => metric.Compute());
        Assert.Equal(("target", 3L), (ex.ParamName, ex.Index));
        Assert.Contains("`target[3]` = 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(update 2;", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, metric.UpdateCount);
    }

    [Theory, MemberData(nameof(Devices))]
    public void ShapeAndEmptyErrors_ThrowFromTheUpdateOnEveryPath(string device)
    {
        using var scope = torch.NewDisposeScope();
        var on = new Device(device);
        foreach (var path in Enum.GetValues<MetricPath>())
        {
            using var binary = PathMetric.Create(path, null);
            var shape = Assert.Throws<HingeArgumentException>(() =>
                binary.Update(torch.rand(4, device: on), torch.zeros(5, ScalarType.Int64, on)));
            Assert.Equal("target", shape.ParamName);
            Assert.Contains("[4] and [5]", shape.Message, StringComparison.Ordinal);

            using var multiclass = PathMetric.Create(path, 3);
            var classes = Assert.Throws<HingeArgumentException>(() =>
                multiclass.Update(torch.rand(4, 5, device: on), torch.zeros(4, ScalarType.Int64, on)));
            Assert.Equal("preds", classes.ParamName);
            Assert.Contains("num_classes = 3", classes.Message, StringComparison.Ordinal);
            var empty = Assert.Throws<HingeArgumentException>(() =>
                multiclass.Update(torch.rand(0, 3, device: on), torch.zeros(0, ScalarType.Int64, on)));
            Assert.Contains("0 rows", empty.Message, StringComparison.Ordinal);
        }
    }

    [Theory, MemberData(nameof(Devices))]
    public void ValidateArgsOff_BinaryTarget2_CountsAsPositiveOnEveryPath(string device)
    {
        using var scope = torch.NewDisposeScope();
        var on = new Device(device);
        var preds = torch.tensor(new[] { 0.2f, 0.7f, 0.4f }, device: on);
        var twos = torch.tensor(new long[] { 2, 0, 2 }, device: on);
        var ones = torch.tensor(new long[] { 1, 0, 1 }, device: on);
        foreach (var path in Enum.GetValues<MetricPath>())
        {
            using var off = PathMetric.Create(path, null, validateArgs: false);
            off.Update(preds, twos);
            using var expected = PathMetric.Create(MetricPath.Core, null);
            expected.Update(preds, ones);
            Approx.Equal(expected.Compute(), off.Compute(), Approx.Float32Relative, path.ToString());
        }
    }

    [Fact]
    public void TorchOpsState_BatchOnAnotherDevice_NamesBothDevices()
    {
        using var scope = torch.NewDisposeScope();
        using var metric = new TensorBinaryHingeLoss(useTorchOps: true);
        metric.Update(torch.rand(3), torch.zeros(3, ScalarType.Int64));
        Assert.Equal(DeviceType.CPU, metric.StateDevice!.type);
        var meta = new Device(DeviceType.META);
        var ex = Assert.Throws<HingeArgumentException>(() =>
            metric.Update(torch.rand(3, device: meta), torch.zeros(3, ScalarType.Int64, meta)));
        Assert.Equal("preds", ex.ParamName);
        Assert.Contains("state is on cpu", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, metric.UpdateCount);
    }

    public static TheoryData<string> Devices() => new(TorchDevices.Available);

    private static BadCase Binary(int? ignore, HingeInputKind kind, Func<(Tensor, Tensor)> bad) =>
        new(null, MulticlassMode.CrammerSinger, ignore, kind, bad,
            () => (torch.tensor(new[] { 0.25f, 0.75f, 0.5f }), torch.tensor(new long[] { 0, 1, 1 })));

    private static BadCase Multiclass(int? ignore, HingeInputKind kind, Func<(Tensor, Tensor)> bad) =>
        new(3, MulticlassMode.CrammerSinger, ignore, kind, bad, () => Good(3));

    private static (Tensor, Tensor) Good(int classes) =>
        (torch.tensor(new[] { 0.2f, 0.3f, 0.5f, 0.6f, 0.3f, 0.1f }).reshape(2, classes),
            torch.tensor(new long[] { 2, 0 }));

    private static PathMetric Create(MetricPath path, BadCase c) =>
        PathMetric.Create(path, c.Classes, mode: c.Mode, ignoreIndex: c.Ignore, inputKind: c.Kind);

    private static (Tensor, Tensor) On((Tensor P, Tensor T) batch, string device) =>
        (batch.P.to(new Device(device)), batch.T.to(new Device(device)));

    /// <summary>The error of the core kernels (a core metric fed CPU tensors): the reference.</summary>
    private static HingeArgumentException KernelError(BadCase c)
    {
        using var metric = Create(MetricPath.Core, c);
        var (p, t) = c.Bad();
        return Assert.Throws<HingeArgumentException>(() => metric.Update(p, t));
    }

    private static void AssertSame(HingeArgumentException expected, HingeArgumentException actual, string what) =>
        Assert.True((expected.ParamName, expected.Index) == (actual.ParamName, actual.Index),
            $"{what}: expected ({expected.ParamName}, {expected.Index}), got ({actual.ParamName}, {actual.Index}): " +
            actual.Message);
}
