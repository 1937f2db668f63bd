// The tutorial's Method 4: torchmetrics' functional multiclass_hinge_loss on 4 rows of 3 class scores, target
// [0, 1, 2, 0]: Crammer–Singer, squared, and one-vs-all. Run from a clone: dotnet run examples/multiclass.cs
#:project ../src/HingeSharp/HingeSharp.csproj

using HingeSharp;
using HingeSharp.Functional;

float[] preds =
[
    0.25f, 0.20f, 0.55f,
    0.55f, 0.05f, 0.40f,
    0.10f, 0.30f, 0.60f,
    0.90f, 0.05f, 0.05f,
];
int[] target = [0, 1, 2, 0];

var crammerSinger = HingeFunctional.MulticlassHingeLoss<float, int>(preds, target, numClasses: 3);
var squared = HingeFunctional.MulticlassHingeLoss<float, int>(preds, target, numClasses: 3, squared: true);
var oneVsAll = HingeFunctional.MulticlassHingeLoss<float, int>(preds, target, numClasses: 3,
    multiclassMode: MulticlassMode.OneVsAll);
Console.WriteLine($" MultiClass HingeLoss: tensor({crammerSinger})");
Console.WriteLine($" MultiClass Squared HingeLoss: tensor({squared})");
Console.WriteLine($" One vs All Mode HingeLoss: tensor({oneVsAll})");
