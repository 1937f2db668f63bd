// The tutorial's Method 5: BinaryHingeLoss forward over 10 batches of random predictions and labels, then the
// values charted (y range from the data within the metric's bounds [0, 2], not torchmetrics' fixed [-0.1, 1.1]).
// Run from a clone: dotnet run examples/plot.cs [out.png]
#:project ../src/HingeSharp/HingeSharp.csproj
#:project ../src/HingeSharp.Plots/HingeSharp.Plots.csproj

using System.Globalization;
using HingeSharp.Classification;
using HingeSharp.Plots;

var path = args.Length > 0 ? args[0] : "binary_hinge_10_batches.png";
var random = new Random(42);
var metric = new BinaryHingeLoss();
var values = new double[10];
for (var i = 0; i < values.Length; i++)
{
    var preds = Enumerable.Range(0, 10).Select(_ => random.NextSingle()).ToArray();
    var target = Enumerable.Range(0, 10).Select(_ => random.Next(2)).ToArray();
    values[i] = metric.Forward<float, int>(preds, target);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch {i}: {values[i]:F4}"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compute(): {metric.Compute():F4}"));
using var chart = MetricPlot.Create(values, MetricPlotOptions.BinaryHinge());
chart.Save(path);
Console.WriteLine($"wrote {path}");
