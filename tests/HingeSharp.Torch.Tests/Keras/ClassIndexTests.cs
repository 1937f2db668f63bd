using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Keras;

/// <summary>Class-index targets, the cross-entropy/mae losses and the sparse/top-k metrics against torch.nn and
/// Keras' documented formulas.</summary>
public sealed class ClassIndexTests
{
    private static readonly long[] Labels = [0, 2, 1, 2, 0];

    [Fact]
    public void SparseCategoricalCrossentropy_FromLogits_EqualsTorchCrossEntropyValueAndGradient()
    {
        using var scope = NewDisposeScope();
        (Tensor logits, Tensor labels) = Scores(seed: 1);
        Tensor mine = logits.detach().requires_grad_(true);
        Tensor reference = logits.detach().requires_grad_(true);

        Tensor loss = KerasLoss.SparseCategoricalCrossentropy(fromLogits: true).Call(labels, mine);
        Tensor torchLoss = nn.functional.cross_entropy(reference, labels);
        loss.backward();
        torchLoss.backward();

        Assert.Equal(torchLoss.item<float>(), loss.item<float>(), 1e-6f);
        Assert.True(mine.grad!.allclose(reference.grad!, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void CategoricalCrossentropy_Probabilities_MatchesKerasFormulaAndSparseForm()
    {
        using var scope = NewDisposeScope();
        (Tensor logits, Tensor labels) = Scores(seed: 2);
        Tensor scores = logits.abs().add(0.1);   // unnormalised positive scores: Keras divides by their sum
        double[,] s = ToArray(scores);
        double expected = 0;
        for (int i = 0; i < Labels.Length; i++)
        {
            double total = s[i, 0] + s[i, 1] + s[i, 2];
            expected -= Math.Log(Math.Clamp(s[i, Labels[i]] / total, 1e-7, 1 - 1e-7));
        }

        expected /= Labels.Length;
        Tensor oneHot = nn.functional.one_hot(labels, 3).to(ScalarType.Float32);

        Assert.Equal(expected, KerasLoss.Get("categorical_crossentropy").Call(oneHot, scores).item<float>(), 1e-6);
        Assert.Equal(expected, KerasLoss.Get("categorical_crossentropy").Call(labels, scores).item<float>(), 1e-6);
        Assert.Equal(expected, KerasLoss.Get("sparse_categorical_crossentropy").Call(labels, scores).item<float>(),
            1e-6);
    }

    [Fact]
    public void CategoricalHinge_ClassIndices_EqualOneHotValueAndGradient()
    {
        using var scope = NewDisposeScope();
        (Tensor logits, Tensor labels) = Scores(seed: 3);
        Tensor a = logits.detach().requires_grad_(true), b = logits.detach().requires_grad_(true);
        Tensor oneHot = nn.functional.one_hot(labels, 3).to(ScalarType.Float32);

        Tensor fromIndices = KerasLoss.CategoricalHinge.Call(labels, a);
        Tensor fromOneHot = KerasLoss.CategoricalHinge.Call(oneHot, b);
        fromIndices.backward();
        fromOneHot.backward();

        double[,] s = ToArray(logits);
        double expected = Enumerable.Range(0, Labels.Length).Select(i =>
        {
            double pos = s[i, Labels[i]];
            double neg = Enumerable.Range(0, 3).Max(c => c == Labels[i] ? 0.0 : s[i, c]);   // Keras: (1 − y)·ŷ
            return Math.Max(0, neg - pos + 1);
        }).Average();
        Assert.Equal(expected, fromIndices.item<float>(), 1e-6);
        Assert.Equal(fromOneHot.item<float>(), fromIndices.item<float>());
        Assert.True(a.grad!.eq(b.grad!).all().item<bool>());
    }

    [Fact]
    public void BinaryCrossentropy_FromLogits_EqualsTorchWithLogitsValueAndGradient()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(4);
        Tensor logits = torch.randn([6, 1], generator: generator).mul(4);
        Tensor target = torch.tensor(new float[] { 0, 1, 1, 0, 1, 0 }).reshape(6, 1);
        Tensor a = logits.detach().requires_grad_(true), b = logits.detach().requires_grad_(true);

        Tensor mine = KerasLoss.Get("binary_crossentropy:from_logits").Call(target, a);
        Tensor reference = nn.functional.binary_cross_entropy_with_logits(b, target);
        mine.backward();
        reference.backward();

        Assert.Equal(reference.item<float>(), mine.item<float>(), 1e-6f);
        Assert.True(a.grad!.allclose(b.grad!, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void MeanAbsoluteError_EqualsTorchL1Loss()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        Tensor p = torch.randn([4, 3], generator: generator), t = torch.randn([4, 3], generator: generator);

        Assert.Equal(nn.functional.l1_loss(p, t).item<float>(), KerasLoss.Get("mae").Call(t, p).item<float>(), 1e-6f);
    }

    [Fact]
    public void Metrics_SparseAndTopK_EqualScalarCounts()
    {
        using var scope = NewDisposeScope();
        (Tensor logits, Tensor labels) = Scores(seed: 6);
        double[,] s = ToArray(logits);
        double argmaxRight = 0, top2Right = 0;
        for (int i = 0; i < Labels.Length; i++)
        {
            int larger = Enumerable.Range(0, 3).Count(c => s[i, c] > s[i, Labels[i]]);
            argmaxRight += larger == 0 ? 1 : 0;
            top2Right += larger < 2 ? 1 : 0;
        }

        KerasMetric sparse = KerasMetric.Get("sparse_categorical_accuracy", KerasLoss.CategoricalHinge, 3);
        Assert.Equal(argmaxRight / Labels.Length, sparse.Compute(labels, logits), 12);
        Assert.Equal(top2Right / Labels.Length, KerasMetric.TopKCategoricalAccuracy(k: 2).Compute(labels, logits), 12);
        Assert.Equal(1.0, KerasMetric.Get("top_k_categorical_accuracy", KerasLoss.CategoricalHinge, 3)
            .Compute(labels, logits));   // k = 5 ≥ C
    }

    [Fact]
    public void Fit_MultiMarginModuleOnClassIndices_ReportsTheModuleLoss()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(60, seed: 7);
        using var loss = nn.MultiMarginLoss();
        using var generator = new Generator(7);
        using var model = new Sequential([new Dense(3, inputDim: 2)], generator);
        model.Compile(KerasLoss.FromModule(loss, isMarginBased: true), new SGD(0.05),
            [KerasMetric.Get("sparse_categorical_accuracy", KerasLoss.CategoricalHinge, 3)]);
        model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);

        double expected = loss.call(model.Predict(x), y).item<float>();

        Assert.Equal(expected, model.Evaluate(x, y, batchSize: 60)["loss"], 1e-6);
    }

    [Fact]
    public void Fit_CrammerSingerModuleOnClassIndices_ReportsTheModuleLossAndLearns()
    {
        using var scope = NewDisposeScope();
        (Tensor x, Tensor y) = Blobs.Make(90, seed: 8);
        using var loss = HingeNN.MulticlassHingeLoss();
        using var generator = new Generator(8);
        using var model = new Sequential([new Dense(3, inputDim: 2)], generator);
        model.Compile(KerasLoss.FromModule(loss, isMarginBased: true), new AdamW(learningRate: 0.05),
            [KerasMetric.Get("sparse_categorical_accuracy", KerasLoss.CategoricalHinge, 3)]);
        model.Fit(x, y, epochs: 15, batchSize: 16, verbose: 0);

        double expected = loss.call(model.Predict(x), y).item<float>();
        IReadOnlyDictionary<string, double> result = model.Evaluate(x, y, batchSize: 90);

        Assert.Equal(expected, result["loss"], 1e-6);
        Assert.True(result["sparse_categorical_accuracy"] >= 0.9);
    }

    [Fact]
    public void Fit_ClassIndexOutOfRange_ThrowsNamingTheIndex()
    {
        using var scope = NewDisposeScope();
        using var model = new Sequential([new Dense(3, inputDim: 2)]);
        model.Compile("sparse_categorical_crossentropy", new RMSprop(learningRate: 0.01));
        Tensor y = torch.tensor(new long[] { 0, 1, 3, 2 });

        var error = Assert.Throws<ArgumentException>(() => model.Fit(torch.zeros(4, 2), y, verbose: 0));

        Assert.Contains("`y`[2] = 3", error.Message);
    }

    private static (Tensor Logits, Tensor Labels) Scores(int seed)
    {
        using var generator = new Generator((ulong)seed);
        return (torch.randn([Labels.Length, 3], generator: generator).mul(2), torch.tensor(Labels));
    }

    private static double[,] ToArray(Tensor t)
    {
        float[] data = t.data<float>().ToArray();
        var result = new double[t.shape[0], t.shape[1]];
        for (int i = 0; i < data.Length; i++)
        {
            result[i / t.shape[1], i % t.shape[1]] = data[i];
        }

        return result;
    }
}

/// <summary>Three Gaussian blobs in 2-D (class c centred on a point of a triangle), int64 labels.</summary>
internal static class Blobs
{
    public static (Tensor X, Tensor Y) Make(int n, int seed, double spread = 0.8)
    {
        using var generator = new Generator((ulong)seed);
        Tensor y = torch.arange(n, dtype: ScalarType.Int64).remainder(3);
        Tensor centers = torch.tensor(new float[,] { { -3, 0 }, { 3, 0 }, { 0, 4 } });
        Tensor x = centers.index_select(0, y).add(torch.randn([n, 2], generator: generator).mul(spread));
        return (x, y);
    }
}
