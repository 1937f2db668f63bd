using System.Text.Json;
using HingeSharp.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Losses;

/// <summary>Module plumbing, defaults and memory hygiene of the losses.</summary>
public sealed class LossModuleTests
{
    [Fact]
    public void HingeEmbeddingLoss_DefaultMargin_IsPyTorchsOne()
    {
        // Golden case computed by PyTorch with margin=1.0; TorchSharp's functional form would default to 0.0.
        JsonElement c = Fixtures.Case("torch_nn_losses.json", "nn/hinge_embedding/shape=[3, 5]/margin=1.0/mean");
        using var scope = NewDisposeScope();
        Tensor x = Fixtures.ToTensor(c.GetProperty("inputs").GetProperty("input"), CPU);
        Tensor y = Fixtures.ToTensor(c.GetProperty("inputs").GetProperty("target"), CPU);
        double[] expected = Fixtures.Doubles(c.GetProperty("expected").GetProperty("output"));

        Close.Equal(expected, HingeNN.functional.hinge_embedding_loss(x, y), 1e-6, 1e-7, "functional default");
        using HingeEmbeddingLoss module = HingeNN.HingeEmbeddingLoss();
        Assert.Equal(1.0, module.Margin);
        Close.Equal(expected, module.call(x, y), 1e-6, 1e-7, "module default");
    }

    [Fact]
    public void MultiMarginLoss_Weight_IsABufferThatFollowsTo()
    {
        using Tensor weight = tensor(new float[] { 1f, 2f, 0.5f });
        using (MultiMarginLoss module = HingeNN.MultiMarginLoss(weight: weight))
        {
            Assert.Contains(module.named_buffers(), b => b.name == "weight");
            module.to(ScalarType.Float64);
            Assert.Equal(ScalarType.Float64, module.Weight!.dtype);

            using var scope = NewDisposeScope();
            Tensor input = tensor(new double[] { 0.1, 0.7, 0.2, 0.9, 0.3, 0.4 }).reshape(2, 3);
            Tensor target = tensor(new long[] { 1, 2 });
            Close.Equal(Close.Values(nn.functional.multi_margin_loss(input, target, 1, 1.0, module.Weight)),
                module.call(input, target), 0, 0, "module vs TorchSharp's functional");
        }

        // Disposing the module releases only its own handle.
        Assert.Equal([1.0, 2.0, 0.5], Close.Values(weight));
    }

    public static TheoryData<string> LossNames => ["hinge", "squared_hinge", "categorical_hinge", "binary",
        "multiclass", "hinge_embedding", "multi_margin", "multilabel_margin", "soft_margin", "margin_ranking"];

    [Theory]
    [MemberData(nameof(LossNames))]
    public void Functional_InsideCallersScope_AddsOnlyItsResult(string loss)
    {
        using var outer = NewDisposeScope();
        Tensor scores = rand(4, 3).requires_grad_(true);
        Tensor oneHot = eye(3)[tensor(new long[] { 0, 2, 1, 2 })];
        Tensor classes = tensor(new long[] { 0, 2, 1, 2 });
        Tensor signs = tensor(new float[] { 1, -1, 1, -1, 1, -1, 1, 1, -1, -1, 1, 1 }).reshape(4, 3);
        Tensor labels = tensor(new long[] { 0, 2, -1, 0, 1, -1, 2, 1, 0, 1, -1, 0 }).reshape(4, 3);
        Tensor flipped = rand(4, 3);
        int before = outer.DisposablesCount;

        Tensor result = loss switch
        {
            "hinge" => HingeNN.functional.hinge_loss(scores, oneHot),
            "squared_hinge" => HingeNN.functional.squared_hinge_loss(scores, signs),
            "categorical_hinge" => HingeNN.functional.categorical_hinge_loss(scores, oneHot),
            "binary" => HingeNN.functional.binary_hinge_loss(scores, signs, squared: true),
            "multiclass" => HingeNN.functional.multiclass_hinge_loss(scores, classes),
            "hinge_embedding" => HingeNN.functional.hinge_embedding_loss(scores, signs),
            "multi_margin" => HingeNN.functional.multi_margin_loss(scores, classes, p: 2),
            "multilabel_margin" => HingeNN.functional.multilabel_margin_loss(scores, labels),
            "soft_margin" => HingeNN.functional.soft_margin_loss(scores, signs),
            _ => HingeNN.functional.margin_ranking_loss(scores, flipped, signs),
        };

        Assert.Equal(before + 1, outer.DisposablesCount);
        Assert.Contains(result, outer.DisposablesView);
        result.backward();
        Assert.True(scores.grad is not null && Close.Values(scores.grad).All(double.IsFinite));
    }

    [Fact]
    public void KerasHinge_VectorLabelsForColumnPredictions_MatchColumnLabels()
    {
        using var scope = NewDisposeScope();
        Tensor predictions = tensor(new double[] { 0.3, -1.2, 2.0, 0.1 }).reshape(4, 1);
        Tensor labels = tensor(new long[] { 1, 0, 1, 0 });
        Close.Equal(Close.Values(HingeNN.functional.hinge_loss(predictions, labels.to(ScalarType.Float64).reshape(4, 1),
            nn.Reduction.None)), HingeNN.functional.hinge_loss(predictions, labels, nn.Reduction.None), 0, 0,
            "(N) int64 labels vs (N, 1) float64 labels");
        Assert.Equal([4L], HingeNN.functional.hinge_loss(predictions, labels, nn.Reduction.None).shape);
    }

    [Fact]
    public void AnyOutside_FindsValuesOutsideTheRange()
    {
        // The device-side pre-check used on GPUs, exercised here on the CPU.
        using var scope = NewDisposeScope();
        Tensor values = tensor(new long[] { 0, 2, -1, 1 });
        Assert.False(LossChecks.AnyOutside(values, -1, 3));
        Assert.True(LossChecks.AnyOutside(values, 0, 3));
        Assert.True(LossChecks.AnyOutside(values, -1, 2));
    }
}
