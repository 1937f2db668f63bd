using System.Globalization;
using System.Text.Json;
using HingeSharp.Cli.Tests.Infrastructure;

namespace HingeSharp.Cli.Tests.Commands;

/// <summary>
/// torchmetrics golden cases (binary_hinge.json, multiclass_hinge.json, hinge_wrapper.json) written to .npy and .csv
/// files and evaluated by <c>hinge eval</c> in small chunks. .npy keeps the stored dtypes (float32 preds are held to
/// torch's float32 <c>expected</c>); .csv is read as float64 and held to <c>expected_float64</c>.
/// </summary>
public sealed class EvalGoldenTests
{
    private static readonly string[] TargetDtypes = ["int64", "int32", "int16", "uint8", "bool"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in new[] { "binary_hinge.json", "multiclass_hinge.json", "hinge_wrapper.json" })
        {
            foreach (var name in Fixtures.Names(file, Eligible))
            {
                data.Add(file, name);
            }
        }

        return data;
    }

    /// <summary>Cases the CLI can express: integer/bool targets, validation on, multiclass scores (N, C).</summary>
    private static bool Eligible(JsonElement c)
    {
        var args = c.GetProperty("args");
        var preds = c.GetProperty("inputs").GetProperty("preds");
        var target = c.GetProperty("inputs").GetProperty("target");
        var multiclass = IsMulticlass(args);
        return TargetDtypes.Contains(Tensor.Dtype(target)) &&
            (args.Opt("validate_args")?.GetBoolean() ?? true) &&
            (!multiclass || Tensor.Shape(preds).Length == 2);
    }

    private static bool IsMulticlass(JsonElement args) =>
        args.Opt("task")?.GetString()?.ToUpperInvariant() == "MULTICLASS" ||
        (args.Opt("task") is null && args.Opt("num_classes") is not null);

    [Theory, MemberData(nameof(Cases))]
    public void Eval_NpyAsStored_MatchesExpected(string file, string name)
    {
        var c = Fixtures.Case(file, name);
        using var dir = new TempDir();
        var (predsShape, targetShape) = FileShapes(c);
        var preds = c.GetProperty("inputs").GetProperty("preds");
        var target = c.GetProperty("inputs").GetProperty("target");
        var float32 = Tensor.Dtype(preds) == "float32";
        var predsPath = NpyWriter.Write(dir, "preds.npy", float32 ? "<f4" : "<f8", predsShape, Tensor.Doubles(preds));
        var targetPath = NpyWriter.Write(dir, "target.npy", Descr(Tensor.Dtype(target)), targetShape,
            Tensor.Doubles(target));

        var json = Hinge.Run([.. Arguments(c, predsPath, targetPath), "--chunk-rows", "3"]).Json();

        var expected = Tensor.Doubles(c.GetProperty(float32 ? "expected" : "expected_float64"));
        Approx.Equal(expected, Hinge.Values(json.GetProperty("value")),
            float32 ? Approx.Float32Relative : Approx.Float64Relative, name);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Eval_CsvAsFloat64_MatchesExpectedFloat64(string file, string name)
    {
        var c = Fixtures.Case(file, name);
        using var dir = new TempDir();
        var (predsShape, targetShape) = FileShapes(c);
        var preds = Tensor.Doubles(c.GetProperty("inputs").GetProperty("preds"));
        var target = Tensor.Doubles(c.GetProperty("inputs").GetProperty("target"));
        var columns = predsShape.Length == 2 ? predsShape[1] : 1;
        var header = string.Join(",", Enumerable.Range(0, columns).Select(j => $"score_{j}"));
        var predsPath = CsvWriter.Write(dir, "preds.csv", preds, columns, header);
        var targetPath = CsvWriter.Write(dir, "target.csv", target, targetShape.Length == 2 ? targetShape[1] : 1);

        var json = Hinge.Run([.. Arguments(c, predsPath, targetPath), "--chunk-rows", "2"]).Json();

        Approx.Equal(Tensor.Doubles(c.GetProperty("expected_float64")), Hinge.Values(json.GetProperty("value")),
            Approx.Float64Relative, name);
    }

    /// <summary>Binary inputs of any rank become (N, rest) tables (binary hinge flattens anyway); 0-d becomes (1,).
    /// </summary>
    private static (int[] Preds, int[] Target) FileShapes(JsonElement c)
    {
        var preds = Tensor.Shape(c.GetProperty("inputs").GetProperty("preds"));
        var target = Tensor.Shape(c.GetProperty("inputs").GetProperty("target"));
        if (IsMulticlass(c.GetProperty("args")))
        {
            return (preds, target);
        }

        static int[] Table(int[] shape) => shape.Length switch
        {
            0 => [1],
            1 or 2 => shape,
            _ => [shape[0], shape[1..].Aggregate(1, (a, b) => a * b)],
        };

        return (Table(preds), Table(target));
    }

    private static string[] Arguments(JsonElement c, string predsPath, string targetPath)
    {
        var args = c.GetProperty("args");
        var multiclass = IsMulticlass(args);
        var list = new List<string>
        {
            "eval", "--task", multiclass ? "multiclass" : "binary", "--preds", predsPath, "--target", targetPath,
            "--format", "json",
        };
        if (multiclass)
        {
            list.AddRange(["--num-classes", args.GetProperty("num_classes").GetInt32().ToString(CultureInfo.InvariantCulture)]);
            if (args.Opt("multiclass_mode")?.GetString() is { } mode)
            {
                list.AddRange(["--multiclass-mode", mode]);
            }
        }

        if (args.Opt("squared")?.GetBoolean() == true)
        {
            list.Add("--squared");
        }

        if (args.Opt("ignore_index") is { } ignore)
        {
            list.AddRange(["--ignore-index", ignore.GetInt32().ToString(CultureInfo.InvariantCulture)]);
        }

        if (Tensor.Doubles(c.GetProperty("inputs").GetProperty("preds")).Any(d => !double.IsFinite(d)))
        {
            list.AddRange(["--non-finite", "propagate"]);
        }

        return [.. list];
    }

    private static string Descr(string dtype) => dtype switch
    {
        "int64" => "<i8",
        "int32" => "<i4",
        "int16" => "<i2",
        "uint8" => "|u1",
        "bool" => "|b1",
        _ => throw new NotSupportedException(dtype),
    };
}
