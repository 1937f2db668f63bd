using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Losses;

/// <summary>
/// Every case of torch_nn_losses.json (PyTorch 1.13.1): values and input gradients, float32 inputs against
/// <c>expected</c> and the same inputs widened to float64 against <c>expected_float64</c>, through both the
/// functional form and the module, on every available device.
/// </summary>
public sealed class TorchNNLossTests
{
    private const string File = "torch_nn_losses.json";

    public static TheoryData<string> Cases => Fixtures.Names(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_OnGoldenCase_MatchesTorchValuesAndGradients(string name)
    {
        JsonElement c = Fixtures.Case(File, name);
        foreach (Device device in TestDevices.All)
        {
            foreach (bool module in new[] { false, true })
            {
                string how = $"{name} on {device.type} via {(module ? "module" : "functional")}";
                Check(c, device, module, ScalarType.Float32, c.GetProperty("expected"), 1e-5, 1e-6, how + " float32");
                Check(c, device, module, ScalarType.Float64, c.GetProperty("expected_float64"), 1e-10, 1e-12,
                    how + " float64");
            }
        }
    }

    private static void Check(JsonElement c, Device device, bool module, ScalarType dtype, JsonElement expected,
        double rtol, double atol, string how)
    {
        using var scope = NewDisposeScope();
        JsonElement inputs = c.GetProperty("inputs");
        JsonElement args = c.GetProperty("args");
        nn.Reduction reduction = ParseReduction(args.GetProperty("reduction").GetString()!);
        string api = c.GetProperty("api").GetString()!;
        Tensor Input(string key, bool grad = false) => Fixtures.ToTensor(inputs.GetProperty(key), device, dtype, grad);

        var grads = new List<(string Key, Tensor Tensor)>();
        Tensor output;
        if (api == "torch.nn.MarginRankingLoss")
        {
            Tensor x1 = Input("input1", grad: true);
            Tensor x2 = Input("input2", grad: true);
            double margin = args.GetProperty("margin").GetDouble();
            output = module
                ? HingeNN.MarginRankingLoss(margin, reduction).call(x1, x2, Input("target"))
                : HingeNN.functional.margin_ranking_loss(x1, x2, Input("target"), margin, reduction);
            grads.Add(("grad_input1", x1));
            grads.Add(("grad_input2", x2));
        }
        else
        {
            Tensor x = Input("input", grad: true);
            Tensor target = Input("target");
            output = api switch
            {
                "torch.nn.HingeEmbeddingLoss" => module
                    ? HingeNN.HingeEmbeddingLoss(args.GetProperty("margin").GetDouble(), reduction).call(x, target)
                    : HingeNN.functional.hinge_embedding_loss(x, target, args.GetProperty("margin").GetDouble(),
                        reduction),
                "torch.nn.MultiMarginLoss" => MultiMargin(x, target, args, inputs, device, dtype, module, reduction),
                "torch.nn.MultiLabelMarginLoss" => module
                    ? HingeNN.MultiLabelMarginLoss(reduction).call(x, target)
                    : HingeNN.functional.multilabel_margin_loss(x, target, reduction),
                "torch.nn.SoftMarginLoss" => module
                    ? HingeNN.SoftMarginLoss(reduction).call(x, target)
                    : HingeNN.functional.soft_margin_loss(x, target, reduction),
                _ => throw new NotSupportedException(api),
            };
            grads.Add(("grad_input", x));
        }

        Assert.Equal(dtype, output.dtype);
        Assert.Equal(device.type, output.device_type);
        JsonElement expectedOutput = expected.GetProperty("output");
        Assert.Equal(Fixtures.Shape(expectedOutput), output.shape);
        Close.Equal(Fixtures.Doubles(expectedOutput), output, rtol, atol, how + " output");

        (reduction == nn.Reduction.None ? output.sum() : output).backward();
        foreach ((string key, Tensor leaf) in grads)
        {
            Close.Equal(Fixtures.Doubles(expected.GetProperty(key)), leaf.grad!, rtol, atol, $"{how} {key}");
        }
    }

    private static Tensor MultiMargin(Tensor x, Tensor target, JsonElement args, JsonElement inputs, Device device,
        ScalarType dtype, bool module, nn.Reduction reduction)
    {
        int p = args.GetProperty("p").GetInt32();
        double margin = args.GetProperty("margin").GetDouble();
        Tensor? weight = inputs.Has("weight") ? Fixtures.ToTensor(inputs.GetProperty("weight"), device, dtype) : null;
        return module
            ? HingeNN.MultiMarginLoss(p, margin, weight, reduction).call(x, target)
            : HingeNN.functional.multi_margin_loss(x, target, p, margin, weight, reduction);
    }

    internal static nn.Reduction ParseReduction(string reduction) => reduction switch
    {
        "none" => nn.Reduction.None,
        "mean" => nn.Reduction.Mean,
        "sum" => nn.Reduction.Sum,
        _ => throw new NotSupportedException(reduction),
    };
}
