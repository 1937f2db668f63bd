// The tutorial's Method 2: torch.nn's HingeEmbeddingLoss. Example 1 computes it on random input and target and
// backpropagates; Example 2 trains a small MLP with it on FakeData (a shortened run: 2 epochs of 3000 images).
// Run from a clone: dotnet run examples/embedding.cs
#:project ../src/HingeSharp.Torch/HingeSharp.Torch.csproj
#:package libtorch-cpu-linux-x64

using System.Globalization;
using HingeSharp.Torch;
using HingeSharp.Torch.Datasets;
using TorchSharp;
using static TorchSharp.torch;

torch.set_num_threads(1);
torch.manual_seed(42);

// Example 1: margin 1.0 as in PyTorch (TorchSharp's own default is 0.0).
var input = torch.randn(3, 5, requires_grad: true);
var target = torch.randn(3, 5);
var output = HingeNN.HingeEmbeddingLoss().call(input, target);
output.backward();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"output: {output.item<float>():F4}"));
Console.WriteLine($"input.grad shape: [{string.Join(", ", input.grad!.shape)}]");

// Example 2: an MLP with a tanh output trained on ±1 labels with Adam.
using var dataset = new FakeData(3000, [3, 28, 28], numClasses: 2, seed: 42);
using var loader = dataset.CreateLoader(64, shuffle: true, seed: 42, numWorkers: 1);
using var mlp = nn.Sequential(("flatten", nn.Flatten()), ("fc1", nn.Linear(3 * 28 * 28, 64)), ("relu1", nn.ReLU()),
    ("fc2", nn.Linear(64, 32)), ("relu2", nn.ReLU()), ("fc3", nn.Linear(32, 1)), ("tanh", nn.Tanh()));
using var lossFunction = HingeNN.HingeEmbeddingLoss();
using var optimizer = torch.optim.Adam(mlp.parameters(), lr: 1e-4);
for (var epoch = 1; epoch <= 2; epoch++)
{
    double sum = 0;
    var batches = 0;
    foreach (var batch in loader)
    {
        using var scope = torch.NewDisposeScope();
        var labels = batch["label"];
        var targets = torch.where(labels.eq(0), -1L, labels).to(ScalarType.Float32).reshape(labels.shape[0], 1);
        optimizer.zero_grad();
        var loss = lossFunction.call(mlp.call(batch["data"]), targets);
        loss.backward();
        optimizer.step();
        sum += loss.item<float>();
        batches++;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}: mean loss {sum / batches:F4}"));
}
