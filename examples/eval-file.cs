// Scores a prediction file exported from any framework, in chunks (flat memory for any file size): a CSV with one
// logit per line and a CSV of 0/1 labels, streamed through BinaryHingeLoss and MarginReport-style shares.
// Run from a clone: dotnet run examples/eval-file.cs [preds.csv target.csv]
// (without arguments it writes and scores a small pair of files in the temporary folder)
#:project ../src/HingeSharp/HingeSharp.csproj

using System.Globalization;
using HingeSharp;
using HingeSharp.Classification;

string predsPath, targetPath;
if (args.Length == 2)
{
    (predsPath, targetPath) = (args[0], args[1]);
}
else
{
    var folder = Directory.CreateTempSubdirectory("hinge-example-").FullName;
    predsPath = Path.Combine(folder, "preds.csv");
    targetPath = Path.Combine(folder, "target.csv");
    var random = new Random(7);
    var labels = Enumerable.Range(0, 10_000).Select(_ => random.Next(2)).ToArray();
    File.WriteAllLines(targetPath, labels.Select(y => y.ToString(CultureInfo.InvariantCulture)));
    File.WriteAllLines(predsPath, labels.Select(y =>
        ((y == 1 ? 1.0 : -1.0) + (random.NextDouble() * 4) - 2).ToString("R", CultureInfo.InvariantCulture)));
}

const int ChunkRows = 4096;
var metric = new BinaryHingeLoss(inputKind: HingeInputKind.Logits);
var preds = new List<float>(ChunkRows);
var target = new List<int>(ChunkRows);
long line = 0;
using (var p = new StreamReader(predsPath))
using (var t = new StreamReader(targetPath))
{
    while (p.ReadLine() is { } pl)
    {
        line++;
        var tl = t.ReadLine() ?? throw new InvalidDataException($"{targetPath} ends before line {line}");
        preds.Add(float.Parse(pl, CultureInfo.InvariantCulture));
        target.Add(int.Parse(tl, CultureInfo.InvariantCulture));
        if (preds.Count == ChunkRows)
        {
            metric.Update<float, int>(preds.ToArray(), target.ToArray());
            preds.Clear();
            target.Clear();
        }
    }
}

if (preds.Count > 0)
{
    metric.Update<float, int>(preds.ToArray(), target.ToArray());
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows: {line}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"binary hinge (logits): {metric.Compute():R}"));
