using System.Globalization;
using HingeSharp.Classification;

namespace HingeSharp.Cli.Tests.Fuzz;

/// <summary>
/// Generates <c>hinge eval</c> / <c>hinge report</c> command lines from a seed: a valid data set (task, shapes,
/// dtypes, file formats, headers, ignore index, weights, input kind, chunking, interval, saved state), then at most
/// one mutation: of the data (out-of-range targets, non-finite values, negative or extreme weights, a missing row),
/// of a file (see <see cref="FuzzFiles.Mangled"/>) or of the arguments (unknown options, bad values, empty or
/// missing paths, an output that is an input).
/// </summary>
internal static class FuzzGenerator
{
    private static readonly string[] TargetDescrs = ["<i8", "<i4", "<i2", "|i1", "|u1", "<u4", "<u2"];

    public static FuzzCase Generate(int seed, string folder)
    {
        var random = new Random(seed);
        var files = new FuzzFiles(random, folder);
        var binary = random.Next(2) == 0;
        var classes = binary ? (random.Next(5) == 0 ? 2 : 1) : random.Next(2, 6);
        var rows = random.Next(1, 40);
        var ignore = random.Next(4) switch
        {
            0 => (long?)-1,
            1 => binary ? 2 : -100,
            2 => 4294967295,
            _ => null,
        };
        var targetDescr = TargetDescrs[random.Next(TargetDescrs.Length)];
        if (ignore is < 0 && targetDescr[1] == 'u')
        {
            targetDescr = "<i8";
        }

        if (ignore == 4294967295 && targetDescr is not ("<i8" or "<u4"))
        {
            targetDescr = "<u4";
        }

        var preds = Preds(random, rows * classes);
        var float32 = random.Next(2) == 0;
        if (float32)
        {
            preds = [.. preds.Select(x => (double)(float)x)];
        }

        var target = new long[binary ? rows * classes : rows];
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = ignore is { } k && random.Next(6) == 0 ? k : random.Next(binary ? 2 : classes);
        }

        double[]? weights = binary && classes == 1 || !binary
            ? random.Next(4) == 0 ? [.. target.Select(_ => random.Next(5) == 0 ? 0 : random.NextDouble() * 3)] : null
            : null;
        var options = new FuzzOptions(random.Next(3) == 0,
            !binary && random.Next(3) == 0 ? MulticlassMode.OneVsAll : MulticlassMode.CrammerSinger, ignore,
            random.Next(5) switch
            {
                0 => HingeInputKind.Probabilities,
                1 => HingeInputKind.Logits,
                2 => HingeInputKind.Margins,
                _ => HingeInputKind.Auto,
            },
            random.Next(6) == 0 ? NonFiniteHandling.Propagate : NonFiniteHandling.Throw,
            random.Next(5) == 0 ? 0.5 + (random.NextDouble() * 0.49) : null);
        if (options.Ci is not null && options.Mode == MulticlassMode.OneVsAll)
        {
            options = options with { Ci = null };
        }

        var expect = Expect.Value;
        var mutation = random.Next(10);
        double[]? oracleWeights = null;
        if (mutation == 0)
        {
            expect = MutateData(random, preds, target, ref weights, binary, classes, ref rows);
        }
        else if (weights is not null && random.Next(3) == 0)
        {
            (weights, oracleWeights) = (ExtremeScale(random, weights), weights);
        }

        var data = new FuzzData(binary, classes, preds, float32, target, weights) { OracleWeights = oracleWeights };
        int[] predsShape = binary && classes == 1 ? [preds.Length / classes] : [preds.Length / classes, classes];
        int[] targetShape = binary && classes > 1 ? [target.Length / classes, classes] : [target.Length];
        var mangle = mutation == 1 ? random.Next(3) : -1; // which file gets mangled
        var p = mangle == 0
            ? files.Mangled(preds, classes, false, predsShape, float32 ? "<f4" : "<f8")
            : random.Next(3) == 0 ? files.Csv(preds, classes, false) : files.Npy(float32 ? "<f4" : "<f8", predsShape, preds);
        var tColumns = binary ? classes : 1;
        var t = mangle == 1
            ? files.Mangled([.. target.Select(x => (double)x)], tColumns, true, targetShape, targetDescr)
            : random.Next(3) == 0 ? files.Csv([.. target.Select(x => (double)x)], tColumns, true)
            : files.Npy(targetDescr, targetShape, [.. target.Select(x => (double)x)]);
        // A .csv is read as float64 whatever the values; only an f4 .npy is read as float32.
        data = data with { Float32 = float32 && p.EndsWith(".npy", StringComparison.Ordinal) };
        string? w = null;
        if (weights is not null)
        {
            w = mangle == 2
                ? files.Mangled(weights, 1, false, [weights.Length], "<f8")
                : random.Next(2) == 0 ? files.Csv(weights, 1, false) : files.Npy("<f8", [weights.Length], weights);
        }

        if (mangle >= 0)
        {
            expect = Expect.Either;
        }

        var report = random.Next(8) == 0 && weights is null && !options.Squared && options.Ci is null &&
            options.Mode == MulticlassMode.CrammerSinger && options.NonFinite == NonFiniteHandling.Throw;
        var args = new List<string> { report ? "report" : "eval", "--task", binary ? "binary" : "multiclass",
            "--preds", p, "--target", t, "--format", "json" };
        string? output = null;
        if (!report)
        {
            Add(args, options, w, random, binary, classes);
            if (random.Next(6) == 0)
            {
                output = Path.Combine(folder, random.Next(3) == 0 ? "new-folder/state.json" : "state.json");
                args.AddRange(["--save-state", output]);
            }
        }
        else
        {
            if (ignore is { } k)
            {
                args.AddRange(["--ignore-index", k.ToString(CultureInfo.InvariantCulture)]);
            }

            if (options.Kind != HingeInputKind.Auto)
            {
                args.AddRange(["--input-kind", options.Kind.ToString().ToLowerInvariant()]);
            }
        }

        if (random.Next(2) == 0)
        {
            args.AddRange(["--chunk-rows", random.Next(1, 20).ToString(CultureInfo.InvariantCulture)]);
        }

        if (mutation == 2)
        {
            expect = MutateArguments(random, args, files, p, t, binary);
        }

        var fuzz = new FuzzCase
        {
            Name = $"seed {seed}",
            Args = [.. args],
            Expect = expect,
            Output = output,
            Data = data,
            Options = options,
            Report = report,
        };
        fuzz.Inputs.AddRange(Directory.GetFileSystemEntries(folder));
        return fuzz;
    }

    private static double[] Preds(Random random, int count)
    {
        var style = random.Next(4);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = style switch
            {
                0 => random.NextDouble(),                                  // probabilities
                1 => (random.NextDouble() - 0.5) * 8,                      // logits
                2 => random.Next(3) switch { 0 => 0, 1 => 1, _ => random.NextDouble() }, // exact 0 and 1
                _ => random.Next(8) switch                                 // extremes
                {
                    0 => 1e30,
                    1 => -1e30,
                    2 => 1e-310,
                    3 => -0.0,
                    _ => (random.NextDouble() - 0.5) * 100,
                },
            };
        }

        return values;
    }

    /// <summary>
    /// Weights of an extreme scale (issue 14, item 8): all equal to one extreme value (the oracle then uses weight 1),
    /// or the given weights times an extreme constant (the oracle uses the given ones). Either way the value must be
    /// the unscaled one.
    /// </summary>
    private static double[] ExtremeScale(Random random, double[] weights)
    {
        if (random.Next(2) == 0)
        {
            var value = random.Next(6) switch
            {
                0 => 1e308, 1 => double.MaxValue, 2 => 1e-320, 3 => double.Epsilon, 4 => 1e200, _ => 1e-200,
            };
            return [.. weights.Select(_ => value)];
        }

        var factor = random.Next(6) switch
        {
            0 => 1e300, 1 => 1e-300, 2 => 1e200, 3 => 1e-200, 4 => Math.ScaleB(1.0, 1000), _ => Math.ScaleB(1.0, -1000),
        };
        return [.. weights.Select(w => w * factor)];
    }

    private static Expect MutateData(Random random, double[] preds, long[] target, ref double[]? weights, bool binary,
        int classes, ref int rows)
    {
        switch (random.Next(6))
        {
            case 0:
                target[random.Next(target.Length)] = binary ? 7 : classes + random.Next(3);
                return Expect.Value; // the library rejects it: the oracle expects exit 2
            case 1:
                preds[random.Next(preds.Length)] = random.Next(3) switch
                {
                    0 => double.NaN,
                    1 => double.PositiveInfinity,
                    _ => double.NegativeInfinity,
                };
                return Expect.Value;
            case 2 when weights is not null:
                weights[random.Next(weights.Length)] = random.Next(2) == 0 ? -1 : double.NaN;
                return Expect.Value;
            case 3 when weights is not null:
            {
                // Equal weights of an extreme scale: the unit-weight value (issue 14, item 8; the oracle uses weight
                // 1 for equal weights).
                var scale = random.Next(4) switch { 0 => 1e308, 1 => 1e-320, 2 => 1e200, _ => 1e-200 };
                for (var i = 0; i < weights.Length; i++)
                {
                    weights[i] = scale;
                }

                return Expect.Value;
            }

            default:
                return Expect.Value;
        }
    }

    private static void Add(List<string> args, FuzzOptions o, string? w, Random random, bool binary, int classes)
    {
        if (o.Squared)
        {
            args.Add("--squared");
        }

        if (!binary && (o.Mode == MulticlassMode.OneVsAll || random.Next(4) == 0))
        {
            args.AddRange(["--multiclass-mode", o.Mode == MulticlassMode.OneVsAll ? "one-vs-all" : "crammer-singer"]);
        }

        if (!binary && random.Next(4) == 0)
        {
            args.AddRange(["--num-classes", classes.ToString(CultureInfo.InvariantCulture)]);
        }

        if (o.IgnoreIndex is { } k)
        {
            args.AddRange(["--ignore-index", k.ToString(CultureInfo.InvariantCulture)]);
        }

        if (o.Kind != HingeInputKind.Auto || random.Next(4) == 0)
        {
            args.AddRange(["--input-kind", o.Kind.ToString().ToLowerInvariant()]);
        }

        if (o.NonFinite == NonFiniteHandling.Propagate)
        {
            args.AddRange(["--non-finite", "propagate"]);
        }

        if (w is not null)
        {
            args.AddRange(["--sample-weight", w]);
        }

        if (o.Ci is { } ci)
        {
            args.AddRange(["--ci", FuzzCase.Number(ci)]);
        }
    }

    private static Expect MutateArguments(Random random, List<string> args, FuzzFiles files, string p, string t,
        bool binary)
    {
        switch (random.Next(14))
        {
            case 0:
                args.Add("--bogus");
                return Expect.BadInput;
            case 1:
                args[args.IndexOf("--task") + 1] = "regression";
                return Expect.BadInput;
            case 2:
                args[args.IndexOf("--preds") + 1] = string.Empty;
                return Expect.BadInput;
            case 3:
                args[args.IndexOf("--target") + 1] = files.Name(".npy"); // missing
                return Expect.BadInput;
            case 4 when args[0] == "eval":
                args.AddRange(["--save-state", random.Next(2) == 0 ? p : t]);
                return Expect.BadInput;
            case 5 when args[0] == "eval":
                args.AddRange(["--save-state", string.Empty]);
                return Expect.BadInput;
            case 6:
                args.AddRange(["--chunk-rows", random.Next(2) == 0 ? "0" : "abc"]);
                return Expect.BadInput;
            case 7 when args[0] == "eval":
                args.AddRange(["--ci", random.Next(3) switch { 0 => "1.5", 1 => "abc", _ => "0" }]);
                return Expect.BadInput;
            case 8 when binary:
                args.AddRange(["--num-classes", "3"]);
                return Expect.BadInput;
            case 9:
                args.AddRange(["--ignore-index", random.Next(2) == 0 ? "x" : "99999999999999999999"]);
                return Expect.BadInput;
            case 10:
                args[args.IndexOf("--preds") + 1] = Path.GetDirectoryName(p)!; // a folder
                return Expect.BadInput;
            case 11:
                args[0] = random.Next(2) == 0 ? "evaluate" : "EVAL";
                return Expect.BadInput;
            case 12:
                args.AddRange(["--format", "xml"]);
                return Expect.BadInput;
            default:
                args.AddRange(["--input-kind", "auto"]); // given twice
                return Expect.Either;
        }
    }
}
