using System.Text;
using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Metrics;
using HingeSharp.Tests.Reliability;
using Xunit;

namespace HingeSharp.Tests.Metrics;

/// <summary>SaveState / LoadState / MetricState: exact round trips, the documented format, files, merging shards.</summary>
public sealed class MetricStateTests
{
    /// <summary>Finite doubles that stress the text form: −0, subnormals, extremes, non-terminating decimals.</summary>
    public static TheoryData<double> SpecialSums => new(0.0, -0.0, double.Epsilon, 1e-310, 2.2250738585072014e-308,
        0.1 + 0.2, 1.0 / 3, Math.PI * 1e200, double.MaxValue, double.PositiveInfinity, 4503599627370497.0,
        1e23, 5e-324 * 3);

    [Theory, MemberData(nameof(SpecialSums))]
    public void SaveLoad_BinarySum_RoundTripsBitForBit(double sum)
    {
        // Margins: the only input kind whose losses are unbounded (and whose sums may overflow to +∞).
        var metric = new BinaryHingeLoss(squared: true, ignoreIndex: 255, inputKind: HingeInputKind.Margins);
        metric.SetState(new HingeState(sum, 12345678901L));
        var loaded = RoundTrip(metric);
        Assert.Equal(BitConverter.DoubleToInt64Bits(sum), BitConverter.DoubleToInt64Bits(loaded.State.Measures));
        Assert.Equal(metric.State.Total, loaded.State.Total);
    }

    [Fact]
    public void SaveLoad_RandomBitPatterns_RoundTripBitForBit()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            // Any non-negative finite double: random exponent and mantissa bits.
            var bits = random.NextInt64(0, 0x7FF0000000000000);
            var metric = new MulticlassHingeLoss(3, multiclassMode: MulticlassMode.OneVsAll,
                inputKind: HingeInputKind.Margins);
            double[] sums = [BitConverter.Int64BitsToDouble(bits), random.NextDouble() * 1e6, double.Epsilon * i];
            metric.SetState(sums, 1 + i);
            var loaded = (MulticlassHingeLoss)MetricState.Load(Save(metric));
            Assert.Equal(sums.Select(BitConverter.DoubleToInt64Bits), loaded.Measures.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    /// <summary>
    /// Documented choice: NaN comes back as NaN, but not with its sign or payload bits (JSON has no NaN; the text is
    /// "NaN"). A NaN sum computes to NaN whatever its bits.
    /// </summary>
    [Fact]
    public void SaveLoad_NaNSum_ComesBackAsNaN()
    {
        var negativeNaN = BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000001));
        var metric = new BinaryHingeLoss(nonFinite: NonFiniteHandling.Propagate);
        metric.SetState(new HingeState(negativeNaN, 3));
        var loaded = RoundTrip(metric);
        Assert.True(double.IsNaN(loaded.State.Measures));
        Assert.True(double.IsNaN(loaded.Compute()));
        Assert.Contains("\"NaN\"", Text(metric), StringComparison.Ordinal);
    }

    /// <summary>A NaN sum is a state only a metric that propagates non-finite predictions can reach: loading it into
    /// one that throws is refused (the rules apply to the receiving metric, as its <c>SetState</c> applies them).</summary>
    [Fact]
    public void LoadState_NaNSumIntoThrowingMetric_IsRejectedAndChangesNothing()
    {
        var saved = new BinaryHingeLoss(nonFinite: NonFiniteHandling.Propagate);
        saved.SetState(new HingeState(double.NaN, 3));
        var receiver = new BinaryHingeLoss();
        receiver.Update<float, int>([0.25f], [1]);
        var before = AtomicityTests.Snapshot(receiver);
        var ex = Assert.Throws<MetricStateException>(() => receiver.LoadState(Save(saved)));
        Assert.Equal("measures[0]", ex.Field);
        Assert.Equal(before, AtomicityTests.Snapshot(receiver));
        Assert.Throws<HingeArgumentException>(() => receiver.SetState(new HingeState(double.NaN, 3)));
    }

    [Fact]
    public void MetricStateLoad_RecreatesEverySetting()
    {
        var binary = new BinaryHingeLoss(squared: true, ignoreIndex: -1, validateArgs: false,
            inputKind: HingeInputKind.Margins, nonFinite: NonFiniteHandling.Propagate);
        binary.Update<float, int>([0.5f, -2f, 3f], [1, 0, -1]);
        var b = Assert.IsType<BinaryHingeLoss>(MetricState.Load(Save(binary)));
        Assert.Equal((true, (int?)-1, false, HingeInputKind.Margins, NonFiniteHandling.Propagate),
            (b.Squared, b.IgnoreIndex, b.ValidateArgs, b.InputKind, b.NonFinite));
        Assert.Equal(AtomicityTests.Snapshot(binary), AtomicityTests.Snapshot(b));

        var multi = new MulticlassHingeLoss(4, squared: true, multiclassMode: MulticlassMode.OneVsAll, ignoreIndex: 9,
            validateArgs: false, inputKind: HingeInputKind.Logits, nonFinite: NonFiniteHandling.Propagate);
        multi.Update<double, long>([0.1, 2, -3, 0.5, 1, 1, 1, 1, 9, 9, 9, 9], [3, 0, 9]);
        var m = Assert.IsType<MulticlassHingeLoss>(MetricState.Load(Save(multi)));
        Assert.Equal((4, true, MulticlassMode.OneVsAll, (int?)9, false, HingeInputKind.Logits, NonFiniteHandling.Propagate),
            (m.NumClasses, m.Squared, m.MulticlassMode, m.IgnoreIndex, m.ValidateArgs, m.InputKind, m.NonFinite));
        Assert.Equal(AtomicityTests.Snapshot(multi), AtomicityTests.Snapshot(m));
    }

    [Fact]
    public void LoadState_KeepsTheInstancesValidationAndNonFiniteHandling()
    {
        var saved = new BinaryHingeLoss(validateArgs: false, nonFinite: NonFiniteHandling.Propagate);
        saved.Update<float, int>([0.2f, 0.9f], [0, 1]);
        var target = new BinaryHingeLoss();
        target.LoadState(Save(saved));
        Assert.True(target.ValidateArgs);
        Assert.Equal(NonFiniteHandling.Throw, target.NonFinite);
        Assert.Equal(AtomicityTests.Snapshot(saved), AtomicityTests.Snapshot(target));
    }

    [Fact]
    public void SaveState_WritesTheExampleOfStateFormatDoc()
    {
        var metric = new BinaryHingeLoss();
        metric.Update<float, int>([0.25f, 0.25f, 0.55f, 0.75f, 0.75f], [0, 0, 1, 1, 1]);
        metric.Update<float, int>([0.9f], [0]);
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "state-format.md"));
        var start = doc.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var example = doc[start..doc.IndexOf("\n```", start, StringComparison.Ordinal)];
        Assert.Equal(example, Text(metric).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void SaveAndLoad_LeaveTheCallersStreamOpen()
    {
        var metric = new BinaryHingeLoss();
        using var stream = new MemoryStream();
        metric.SaveState(stream);
        Assert.True(stream.CanWrite);
        stream.Position = 0;
        metric.LoadState(stream);
        Assert.True(stream.CanRead);
    }

    [Fact]
    public void SaveStateToFile_ReplacesAtomically_AndLeavesNoTemporaryFile()
    {
        var dir = Directory.CreateTempSubdirectory("hingesharp-state-");
        try
        {
            var path = Path.Combine(dir.FullName, "shard.json");
            File.WriteAllText(path, "old content");
            var metric = new MulticlassHingeLoss(3);
            metric.Update<float, int>([0.2f, 0.5f, 0.3f], [1]);
            metric.SaveState(path);
            Assert.Equal([path], Directory.GetFiles(dir.FullName));
            var loaded = new MulticlassHingeLoss(3);
            loaded.LoadState(path);
            Assert.Equal(AtomicityTests.Snapshot(metric), AtomicityTests.Snapshot(loaded));
            MetricState.Save(loaded, path);
            Assert.Equal(AtomicityTests.Snapshot(metric), AtomicityTests.Snapshot(MetricState.Load(path)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadFromFile_BadFile_NamesThePathAndTheField()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, ErrorMatrix.Json(
            [
                ("format", "\"hingesharp.metric-state\""), ("version", "1"), ("metric", "\"BinaryHingeLoss\""),
                ("squared", "false"), ("ignore_index", "null"), ("validate_args", "true"), ("input_kind", "\"auto\""),
                ("non_finite", "\"throw\""), ("measures", "[1.5]"), ("total", "-3"),
            ]));
            var ex = Assert.Throws<MetricStateException>(() => MetricState.Load(path));
            Assert.Equal(path + ": `total` must be an integer ≥ 0, but got -3.", ex.Message);
            Assert.Equal((path, "total"), (ex.FilePath, ex.Field));
            var metric = (BinaryHingeLoss)AtomicityTests.Prefilled(new BinaryHingeLoss());
            var before = AtomicityTests.Snapshot(metric);
            Assert.StartsWith(path + ": ", Assert.Throws<MetricStateException>(() => metric.LoadState(path)).Message,
                StringComparison.Ordinal);
            Assert.Equal(before, AtomicityTests.Snapshot(metric));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Save_OfAnotherIHingeMetric_IsRejected()
    {
        var ex = Assert.Throws<HingeArgumentException>(() => MetricState.Save(new Foreign(), new MemoryStream()));
        Assert.Equal("metric", ex.ParamName);
    }

    private static BinaryHingeLoss RoundTrip(BinaryHingeLoss metric)
    {
        var loaded = new BinaryHingeLoss(metric.Squared, metric.IgnoreIndex, inputKind: metric.InputKind,
            nonFinite: metric.NonFinite);
        loaded.LoadState(Save(metric));
        Assert.IsType<BinaryHingeLoss>(MetricState.Load(Save(metric)));
        return loaded;
    }

    internal static MemoryStream Save(IHingeMetric metric)
    {
        var stream = new MemoryStream();
        MetricState.Save(metric, stream);
        stream.Position = 0;
        return stream;
    }

    private static string Text(IHingeMetric metric) => Encoding.UTF8.GetString(Save(metric).ToArray());

    private sealed class Foreign : IHingeMetric
    {
        public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
            where TPred : unmanaged, System.Numerics.IFloatingPointIeee754<TPred>
            where TTarget : unmanaged, System.Numerics.INumberBase<TTarget> => throw new NotSupportedException();

        public HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<TTarget> target)
            where TPred : unmanaged, System.Numerics.IFloatingPointIeee754<TPred>
            where TTarget : unmanaged, System.Numerics.INumberBase<TTarget> => throw new NotSupportedException();

        public void Update<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
            ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
            where TPred : unmanaged, System.Numerics.IFloatingPointIeee754<TPred>
            where TTarget : unmanaged, System.Numerics.INumberBase<TTarget> => throw new NotSupportedException();

        public HingeLossValue Forward<TPred, TTarget>(ReadOnlySpan<TPred> preds, ReadOnlySpan<int> predsShape,
            ReadOnlySpan<TTarget> target, ReadOnlySpan<int> targetShape)
            where TPred : unmanaged, System.Numerics.IFloatingPointIeee754<TPred>
            where TTarget : unmanaged, System.Numerics.INumberBase<TTarget> => throw new NotSupportedException();

        public HingeLossValue ComputeValue() => default;

        public void Reset()
        {
        }
    }

    [Fact]
    public void SavedJson_HasTheDocumentedFieldsInOrder()
    {
        using var json = JsonDocument.Parse(Save(new MulticlassHingeLoss(3)));
        Assert.Equal(
            ["format", "version", "metric", "num_classes", "multiclass_mode", "squared", "ignore_index", "validate_args",
             "input_kind", "non_finite", "class_weights", "track_variance", "measures", "total", "weighted", "moments",
             "update_count"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(MetricState.FormatName, json.RootElement.GetProperty("format").GetString());
        Assert.Equal(MetricState.FormatVersion, json.RootElement.GetProperty("version").GetInt32());
    }
}
