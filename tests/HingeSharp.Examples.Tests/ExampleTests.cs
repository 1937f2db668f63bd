using System.Globalization;
using System.Text.RegularExpressions;
using HingeSharp.Functional;

namespace HingeSharp.Examples.Tests;

/// <summary>
/// Every examples/*.cs file-based app runs with <c>dotnet run</c> from a clone and prints the tutorial's numbers
/// (golden fixtures), or properties where the numbers are random (training, plots). One collection: the examples
/// build the same projects, so they run one at a time.
/// </summary>
[Collection("examples")]
public sealed partial class ExampleTests
{
    private static double Golden(string file, string name) =>
        Tensor.Doubles(Fixtures.Case(file, name).GetProperty("expected"))[0];

    private static string F4(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

    private static double Number(string line, Regex pattern)
    {
        var match = pattern.Match(line);
        Assert.True(match.Success, $"'{line}' does not match {pattern}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Binary_Run_PrintsTheNotebooksTensor()
    {
        var lines = ExampleRunner.Run("binary");
        var expected = F4(Golden("hinge_wrapper.json", "wrapper/binary/tutorial"));
        Assert.Equal([$"tensor({expected})", $"streamed: {expected}"], lines);
    }

    [Fact]
    public void Multiclass_Run_PrintsTheDocstringValues()
    {
        var lines = ExampleRunner.Run("multiclass");
        var ova = Tensor.Doubles(Fixtures.Case("multiclass_hinge.json", "multiclass/docstring_example/one-vs-all")
            .GetProperty("expected")).Select(F4);
        Assert.Equal(
        [
            $"MultiClass HingeLoss: tensor({F4(Golden("multiclass_hinge.json", "multiclass/docstring_example"))})",
            $"MultiClass Squared HingeLoss: tensor({F4(Golden("multiclass_hinge.json", "multiclass/docstring_example/squared"))})",
            $"One vs All Mode HingeLoss: tensor([{string.Join(", ", ova)}])",
        ], lines.Select(l => l.Trim()));
    }

    [Fact]
    public void Plot_Run_ComputeIsTheMeanOfEqualBatchesAndThePngIsWritten()
    {
        var png = Path.Combine(Path.GetTempPath(), $"hinge-example-{Guid.NewGuid():N}.png");
        try
        {
            var lines = ExampleRunner.Run("plot", png);
            var batches = lines.Where(l => l.StartsWith("batch ", StringComparison.Ordinal))
                .Select(l => Number(l, BatchLine())).ToArray();
            Assert.Equal(10, batches.Length);
            Assert.All(batches, v => Assert.InRange(v, 0.0, 2.0));
            var compute = Number(lines.Single(l => l.StartsWith("compute()", StringComparison.Ordinal)), ComputeLine());
            Assert.Equal(batches.Average(), compute, 3);   // printed to 4 decimals
            var bytes = File.ReadAllBytes(png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
        finally
        {
            File.Delete(png);
        }
    }

    [Fact]
    public void EvalFile_Run_EqualsTheFunctionalLossOnTheWholeFile()
    {
        var folder = Directory.CreateTempSubdirectory("hinge-example-test-").FullName;
        try
        {
            var random = new Random(3);
            var preds = Enumerable.Range(0, 9_000).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
            var target = Enumerable.Range(0, 9_000).Select(_ => random.Next(2)).ToArray();
            var p = Path.Combine(folder, "p.csv");
            var t = Path.Combine(folder, "t.csv");
            File.WriteAllLines(p, preds.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
            File.WriteAllLines(t, target.Select(y => y.ToString(CultureInfo.InvariantCulture)));

            var lines = ExampleRunner.Run("eval-file", p, t);
            Assert.Equal("rows: 9000", lines[0]);
            var value = Number(lines[1], ValueLine());
            var expected = HingeFunctional.BinaryHingeLoss<float, int>(preds, target, inputKind: HingeInputKind.Logits);
            Assert.Equal(expected, value, 1e-6);   // chunked float32 losses summed in double
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Sequential_Run_SeparatesTheCircles()
    {
        var lines = ExampleRunner.Run("sequential");
        var match = TrainTestLine().Match(lines[0]);
        Assert.True(match.Success, lines[0]);
        Assert.InRange(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), 0.8, 1.0);
        Assert.InRange(double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 0.8, 1.0);
    }

    [Fact]
    public void Embedding_Run_LossesLieInTheHingeRange()
    {
        var lines = ExampleRunner.Run("embedding");
        Assert.True(double.IsFinite(Number(lines[0], OutputLine())));
        Assert.Equal("input.grad shape: [3, 5]", lines[1]);
        var epochs = lines.Skip(2).Select(l => Number(l, EpochLine())).ToArray();
        Assert.Equal(2, epochs.Length);
        Assert.All(epochs, v => Assert.InRange(v, 0.0, 2.0));   // tanh outputs, margin 1
    }

    [GeneratedRegex(@"^batch \d: (\d+\.\d{4})$")]
    private static partial Regex BatchLine();

    [GeneratedRegex(@"^compute\(\): (\d+\.\d{4})$")]
    private static partial Regex ComputeLine();

    [GeneratedRegex(@"^binary hinge \(logits\): (\S+)$")]
    private static partial Regex ValueLine();

    [GeneratedRegex(@"^Train: (\d\.\d{3}), Test: (\d\.\d{3})$")]
    private static partial Regex TrainTestLine();

    [GeneratedRegex(@"^output: (-?\d+\.\d{4})$")]
    private static partial Regex OutputLine();

    [GeneratedRegex(@"^epoch \d: mean loss (\d+\.\d{4})$")]
    private static partial Regex EpochLine();
}
