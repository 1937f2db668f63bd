// The tutorial's Method 1: a Keras-style Sequential network (Dense 50 relu, Dense 1 tanh) trained with the hinge
// loss on scikit-learn's make_circles, labels mapped 0 → −1. Run from a clone: dotnet run examples/sequential.cs
#:project ../src/HingeSharp.Torch/HingeSharp.Torch.csproj
#:package libtorch-cpu-linux-x64

// The usual TorchSharp usings next to the Keras namespace: Sequential and SGD are the Keras types here
// (HingeSharp.Torch gives the project global aliases for the names TorchSharp.Modules also defines).
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras;

torch.set_num_threads(1);   // tiny layers: one thread is fastest
var data = MakeCircles.Generate(1000, noise: 0.1, randomState: 1);
var (trainX, trainY) = data.Slice(0, 500).ToTensors(signedLabels: true);
var (testX, testY) = data.Slice(500, 500).ToTensors(signedLabels: true);

using var model = new Sequential(new Generator(1));
model.Add(new Dense(50, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"));
model.Add(new Dense(1, activation: "tanh"));
model.Compile("hinge", new SGD(learningRate: 0.01, momentum: 0.9), "accuracy");
var history = model.Fit(trainX, trainY, epochs: 200, validationData: (testX, testY), verbose: 0);

var train = model.Evaluate(trainX, trainY)["accuracy"];
var test = model.Evaluate(testX, testY)["accuracy"];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Train: {train:F3}, Test: {test:F3}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"final loss: {history.Values["loss"][^1]:F4}, val_loss: {history.Values["val_loss"][^1]:F4}"));
