// The tutorial's Method 3: torchmetrics' HingeLoss(task="binary") on preds [0.5, 0.7, 0.1], target [0, 1, 1];
// the notebook prints tensor(0.9000). Run from a clone: dotnet run examples/binary.cs
#:project ../src/HingeSharp/HingeSharp.csproj

using HingeSharp.Classification;

var hinge = HingeLoss.Create("binary");
var value = hinge.Forward<float, int>([0.5f, 0.7f, 0.1f], [0, 1, 1]);
Console.WriteLine($"tensor({value})");

// The same metric streams: update per batch, compute at the end.
var metric = new BinaryHingeLoss();
metric.Update<float, int>([0.5f, 0.7f], [0, 1]);
metric.Update<float, int>([0.1f], [1]);
Console.WriteLine($"streamed: {metric.Compute():F4}");
