using System.Text.Json;
using HingeSharp.Torch.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Losses;

/// <summary>
/// BinaryHingeLoss and MulticlassHingeLoss (raw margins / scores) against golden data that uses the same formulas:
/// scikit-learn's hinge_loss (decision values, labels encoded as scikit-learn does) and the torchmetrics cases
/// without ignore_index, after torchmetrics' own sigmoid/softmax step (applied by the test when some value lies
/// outside [0, 1]). Gradients are checked against the scalar reference; every available device.
/// </summary>
public sealed class MarginLossTests
{
    public static TheoryData<string> SklearnCases => Fixtures.Names("sklearn_hinge.json");

    public static TheoryData<string> TorchmetricsBinaryCases
        => Fixtures.Names("binary_hinge.json", c => !c.GetProperty("args").Has("ignore_index"));

    public static TheoryData<string> TorchmetricsMulticlassCases => Fixtures.Names("multiclass_hinge.json",
        c => !c.GetProperty("args").Has("ignore_index")
            && c.GetProperty("args").GetProperty("multiclass_mode").GetString() == "crammer-singer");

    [Theory]
    [MemberData(nameof(SklearnCases))]
    public void MarginLoss_OnSklearnCase_MatchesSklearn(string name)
    {
        JsonElement c = Fixtures.Case("sklearn_hinge.json", name);
        JsonElement inputs = c.GetProperty("inputs");
        JsonElement decision = inputs.GetProperty("pred_decision");
        string[] labels = LabelsOf(inputs.GetProperty("y_true"));
        string[] classes = c.GetProperty("args").Has("labels")
            ? LabelsOf(c.GetProperty("args").GetProperty("labels"))
            : labels.Distinct().ToArray();
        Array.Sort(classes, CompareLabels);
        double[]? weights = inputs.Has("sample_weight") ? Fixtures.Doubles(inputs.GetProperty("sample_weight")) : null;
        double expected = Fixtures.Doubles(c.GetProperty("expected"))[0];
        bool binary = Fixtures.Shape(decision).Length == 1;

        foreach (Device device in TestDevices.All)
        {
            using var scope = NewDisposeScope();
            Tensor scores = Fixtures.ToTensor(decision, device, requiresGrad: true);
            Tensor target;
            if (binary)
            {
                // LabelBinarizer(neg_label=-1): the greatest class is +1; with a single class everything is -1.
                double[] y = labels.Select(l => classes.Length > 1 && l == classes[^1] ? 1.0 : -1.0).ToArray();
                target = tensor(y, device: device);
            }
            else
            {
                target = tensor(labels.Select(l => (long)Array.IndexOf(classes, l)).ToArray(), device: device);
            }

            Tensor perSample = binary
                ? HingeNN.functional.binary_hinge_loss(scores, target, reduction: nn.Reduction.None)
                : HingeNN.functional.multiclass_hinge_loss(scores, target, reduction: nn.Reduction.None);
            double[] values = Close.Values(perSample);
            double actual = weights is null
                ? values.Average()
                : values.Zip(weights, (v, w) => v * w).Sum() / weights.Sum();
            Close.Equal([expected], [actual], 1e-12, 1e-14, $"{name} on {device.type}");
            if (weights is null)
            {
                Tensor mean = binary
                    ? HingeNN.functional.binary_hinge_loss(scores, target)
                    : HingeNN.functional.multiclass_hinge_loss(scores, target);
                Close.Equal([expected], mean, 1e-12, 1e-14, $"{name} on {device.type} (mean)");
            }

            perSample.sum().backward();
            double[] s = Fixtures.Doubles(decision);
            double[] refGrad = binary
                ? ScalarHinge.Binary(Close.Values(target), s, squared: false).GradOfSum
                : ScalarHinge.CrammerSinger(Close.Values(target).Select(v => (long)v).ToArray(), s,
                    classes.Length, 1, squared: false).GradOfSum;
            Close.Equal(refGrad, scores.grad!, 1e-12, 1e-14, $"{name} on {device.type} grad");
        }
    }

    [Theory]
    [MemberData(nameof(TorchmetricsBinaryCases))]
    public void BinaryHingeLoss_OnTorchmetricsCase_MatchesAfterTorchmetricsSquashing(string name)
        => CheckTorchmetricsCase("binary_hinge.json", name, raw => raw.sigmoid(),
            squared => HingeNN.BinaryHingeLoss(squared),
            (probs, target, squared) => ScalarHinge.Binary(Close.Values(target), Close.Values(probs), squared));

    [Theory]
    [MemberData(nameof(TorchmetricsMulticlassCases))]
    public void MulticlassHingeLoss_OnTorchmetricsCase_MatchesAfterTorchmetricsSoftmax(string name)
        => CheckTorchmetricsCase("multiclass_hinge.json", name, raw => raw.softmax(1),
            squared => HingeNN.MulticlassHingeLoss(squared),
            (scores, target, squared) =>
            {
                long[] shape = scores.shape;
                int inner = (int)shape.Skip(2).Aggregate(1L, (a, b) => a * b);
                long[] t = Close.Values(target).Select(v => (long)v).ToArray();
                return ScalarHinge.CrammerSinger(t, Close.Values(scores), (int)shape[1], inner, squared);
            });

    /// <summary>
    /// One torchmetrics case on every device, at the fixture's dtype and widened to float64: the preds, passed
    /// through <paramref name="squash"/> when some value lies outside [0, 1] (torchmetrics' own step), go through the
    /// module from <paramref name="createModule"/>; the loss must match the fixture's expected value and the gradient
    /// the mean of <paramref name="reference"/>'s per-element gradients.
    /// </summary>
    private static void CheckTorchmetricsCase(string file, string name, Func<Tensor, Tensor> squash,
        Func<bool, Loss<Tensor, Tensor, Tensor>> createModule,
        Func<Tensor, Tensor, bool, (double[] Values, double[] Grad)> reference)
    {
        JsonElement c = Fixtures.Case(file, name);
        bool squared = c.GetProperty("args").GetProperty("squared").GetBoolean();
        foreach (Device device in TestDevices.All)
        {
            foreach (bool widen in new[] { false, true })
            {
                using var scope = NewDisposeScope();
                JsonElement inputs = c.GetProperty("inputs");
                Tensor raw = Fixtures.ToTensor(inputs.GetProperty("preds"), device,
                    widen ? ScalarType.Float64 : null);
                Tensor preds = (Outside01(raw) ? squash(raw) : raw).detach().requires_grad_(true);
                Tensor target = Fixtures.ToTensor(inputs.GetProperty("target"), device);
                (double rtol, double atol, string key) = preds.dtype == ScalarType.Float32 && !widen
                    ? (1e-6, 1e-7, "expected") : (1e-10, 1e-12, widen ? "expected_float64" : "expected");
                string how = $"{name} {preds.dtype} on {device.type}";

                using var module = createModule(squared);
                Tensor loss = module.call(preds, target);
                Close.Equal(Fixtures.Doubles(c.GetProperty(key)), loss, rtol, atol, how);

                loss.backward();
                (double[] values, double[] grad) = reference(preds, target, squared);
                Close.Equal(grad.Select(g => g / values.Length).ToArray(), preds.grad!, rtol, atol, how + " grad");
            }
        }
    }

    private static bool Outside01(Tensor t)
    {
        using var scope = NewDisposeScope();
        return !t.ge(0).logical_and(t.le(1)).all().item<bool>();
    }

    private static string[] LabelsOf(JsonElement spec) => Fixtures.DType(spec).StartsWith("<U")
        ? Fixtures.Strings(spec)
        : Fixtures.Longs(spec).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>numpy's sort order: numbers numerically, strings ordinally.</summary>
    private static int CompareLabels(string a, string b)
        => long.TryParse(a, out long x) && long.TryParse(b, out long y) ? x.CompareTo(y) : string.CompareOrdinal(a, b);
}
