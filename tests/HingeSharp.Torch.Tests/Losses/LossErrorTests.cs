using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Losses;

/// <summary>
/// The torch.nn rows of errors.json: an error outcome must surface as an <see cref="ArgumentException"/> whose
/// message contains PyTorch's wording; a value outcome must give PyTorch's value. Every available device.
/// </summary>
public sealed class LossErrorTests
{
    private const string File = "errors.json";

    public static TheoryData<string> TorchNNCases
        => Fixtures.Names(File, c => c.GetProperty("api").GetString()!.StartsWith("torch.nn."));

    [Theory]
    [MemberData(nameof(TorchNNCases))]
    public void TorchNNLoss_OnErrorsCase_HasTorchOutcome(string name)
    {
        JsonElement c = Fixtures.Case(File, name);
        foreach (Device device in TestDevices.All)
        {
            using var scope = NewDisposeScope();
            Func<Tensor> call = Call(c, device);
            if (c.GetProperty("outcome").GetString() == "error")
            {
                string message = c.GetProperty("error").GetProperty("message").GetString()!;
                ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => call());
                Assert.Contains(message, e.Message, StringComparison.Ordinal);
                Assert.False(string.IsNullOrEmpty(e.ParamName), $"{name}: no argument named in '{e.Message}'");
            }
            else
            {
                JsonElement expected = c.GetProperty("expected");
                Tensor value = call();
                Assert.Equal(Fixtures.Shape(expected), value.shape);
                Close.Equal(Fixtures.Doubles(expected), value, 1e-6, 1e-7, $"{name} on {device.type}");
            }
        }
    }

    [Fact]
    public void MultiMarginLoss_TargetOutOfRange_NamesIndexAndValue()
    {
        foreach (Device device in TestDevices.All)
        {
            using var scope = NewDisposeScope();
            Tensor input = zeros(4, 3, device: device);
            Tensor target = tensor(new long[] { 0, 1, 3, 0 }, device: device);
            var e = Assert.Throws<ArgumentOutOfRangeException>(
                () => HingeNN.functional.multi_margin_loss(input, target));
            Assert.Equal("target", e.ParamName);
            Assert.Equal(3L, e.ActualValue);
            Assert.Contains("but got 3 at index 2", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MulticlassHingeLoss_NegativeTarget_NamesIndexAndValue()
    {
        foreach (Device device in TestDevices.All)
        {
            using var scope = NewDisposeScope();
            Tensor input = zeros(2, 3, 2, device: device);
            Tensor target = tensor(new long[] { 0, 1, 2, -1 }, device: device).reshape(2, 2);
            var e = Assert.Throws<ArgumentOutOfRangeException>(
                () => HingeNN.functional.multiclass_hinge_loss(input, target));
            Assert.Equal("target", e.ParamName);
            Assert.Equal(-1L, e.ActualValue);
            Assert.Contains("in [0, 3), but got -1 at index [1, 1]", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MultiLabelMarginLoss_ValuesAfterTerminator_AreIgnoredButRangeChecked()
    {
        foreach (Device device in TestDevices.All)
        {
            using var scope = NewDisposeScope();
            Tensor input = tensor(new float[] { 0.1f, 0.2f, 0.4f, 0.8f }, device: device).reshape(1, 4);
            Tensor tail0 = tensor(new long[] { 3, 0, -1, 0 }, device: device).reshape(1, 4);
            Tensor tail2 = tensor(new long[] { 3, 0, -1, 2 }, device: device).reshape(1, 4);
            Assert.Equal(Close.Values(HingeNN.functional.multilabel_margin_loss(input, tail0)),
                Close.Values(HingeNN.functional.multilabel_margin_loss(input, tail2)));

            Tensor tail99 = tensor(new long[] { 3, 0, -1, 99 }, device: device).reshape(1, 4);
            var e = Assert.Throws<ArgumentOutOfRangeException>(
                () => HingeNN.functional.multilabel_margin_loss(input, tail99));
            Assert.Equal(99L, e.ActualValue);
            Assert.Contains("but got 99 at index [0, 3]", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Constructors_WithBadArguments_NameTheArgument()
    {
        Assert.Equal("p", Assert.Throws<ArgumentOutOfRangeException>(() => HingeNN.MultiMarginLoss(p: 0)).ParamName);
        Assert.Equal("reduction",
            Assert.Throws<ArgumentOutOfRangeException>(() => HingeNN.HingeLoss((nn.Reduction)7)).ParamName);
        using Tensor matrix = ones(2, 2);
        Assert.Equal("weight",
            Assert.Throws<ArgumentException>(() => HingeNN.MultiMarginLoss(weight: matrix)).ParamName);
    }

    [Fact]
    public void Functional_WithBadTensors_NamesTheArgument()
    {
        using var scope = NewDisposeScope();
        Tensor scores = zeros(4, 3);
        Assert.Equal("input", Assert.Throws<ArgumentException>(
            () => HingeNN.functional.hinge_loss(zeros(4, dtype: ScalarType.Int64), zeros(4))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(
            () => HingeNN.functional.hinge_loss(scores, zeros(4, 2))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(
            () => HingeNN.functional.multiclass_hinge_loss(scores, zeros(4))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(
            () => HingeNN.functional.multiclass_hinge_loss(zeros(4, 1), zeros(4, dtype: ScalarType.Int64)))
            .ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(
            () => HingeNN.functional.multi_margin_loss(scores, zeros(4, dtype: ScalarType.Int64), weight: ones(4)))
            .ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(
            () => HingeNN.functional.soft_margin_loss(scores, null!)).ParamName);
    }

    private static Func<Tensor> Call(JsonElement c, Device device)
    {
        JsonElement inputs = c.GetProperty("inputs");
        JsonElement args = c.GetProperty("args");
        Tensor Input(string key) => Fixtures.ToTensor(inputs.GetProperty(key), device);
        nn.Reduction reduction = args.TryGetProperty("reduction", out JsonElement r)
            ? TorchNNLossTests.ParseReduction(r.GetString()!)
            : nn.Reduction.Mean;
        return c.GetProperty("api").GetString() switch
        {
            "torch.nn.MultiMarginLoss" => () => HingeNN.functional.multi_margin_loss(Input("input"), Input("target"),
                args.TryGetProperty("p", out JsonElement p) ? p.GetInt32() : 1, reduction: reduction),
            "torch.nn.MultiLabelMarginLoss" => () =>
                HingeNN.functional.multilabel_margin_loss(Input("input"), Input("target"), reduction),
            "torch.nn.MarginRankingLoss" => () => HingeNN.functional.margin_ranking_loss(Input("input1"),
                Input("input2"), Input("target"), reduction: reduction),
            "torch.nn.HingeEmbeddingLoss" => () =>
                HingeNN.functional.hinge_embedding_loss(Input("input"), Input("target"), reduction: reduction),
            "torch.nn.SoftMarginLoss" => () =>
                HingeNN.functional.soft_margin_loss(Input("input"), Input("target"), reduction),
            var api => throw new NotSupportedException(api),
        };
    }
}
