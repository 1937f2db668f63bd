using System.Globalization;
using HingeSharp.Classification;
using HingeSharp.Statistics;

namespace HingeSharp.Cli.Tests.Fuzz;

/// <summary>What a fuzz case may do.</summary>
internal enum Expect
{
    /// <summary>The library accepts the data: exit 0 with the library's value (or exit 2 when the library, given the
    /// same data, rejects it).</summary>
    Value,

    /// <summary>Bad input for certain: exit 2.</summary>
    BadInput,

    /// <summary>Mangled input whose meaning is not defined here: exit 0 with a well-formed result, or exit 2.</summary>
    Either,
}

/// <summary>The data a valid case was generated from, as the library reads it (the oracle's input).</summary>
/// <param name="Binary">Binary task (else multiclass).</param>
/// <param name="Classes">C for multiclass, the columns per row for binary.</param>
/// <param name="Preds">Predictions, row-major, as float (f4 .npy) or double (.csv, f8 .npy) values.</param>
/// <param name="Float32">The CLI reads the predictions as float32.</param>
/// <param name="Target">Targets.</param>
/// <param name="Weights">Sample weights (one per target), or null.</param>
internal sealed record FuzzData(bool Binary, int Classes, double[] Preds, bool Float32, long[] Target,
    double[]? Weights)
{
    /// <summary>Weights the oracle uses instead of <see cref="Weights"/> (the same weights before an extreme scale was
    /// applied), or null.</summary>
    public double[]? OracleWeights { get; init; }
}

/// <summary>The options of a valid case, for the oracle.</summary>
internal sealed record FuzzOptions(bool Squared, MulticlassMode Mode, long? IgnoreIndex, HingeInputKind Kind,
    NonFiniteHandling NonFinite, double? Ci);

/// <summary>One generated command line: its files, arguments and what it may do.</summary>
internal sealed class FuzzCase
{
    public required string Name { get; init; }

    public required string[] Args { get; init; }

    public required Expect Expect { get; set; }

    /// <summary>Files and folders the case created before the run (must be unchanged and the only ones left, with
    /// <see cref="Output"/>).</summary>
    public List<string> Inputs { get; } = [];

    /// <summary>A file the run may create on success (--save-state).</summary>
    public string? Output { get; init; }

    public FuzzData? Data { get; init; }

    public FuzzOptions? Options { get; init; }

    /// <summary>The command is <c>report</c> (compare its overall hinge) rather than <c>eval</c>.</summary>
    public bool Report { get; init; }

    /// <summary>The expected value, computed with the library on the same data; null when the library rejects it.</summary>
    public (double[] Value, long Count, HingeInterval? Interval)? Oracle()
    {
        var d = Data!;
        var o = Options!;
        try
        {
            if (d.Weights is { } w && w.Any(x => !(double.IsFinite(x) && x >= 0)))
            {
                return null; // the CLI checks every weight, kept or not
            }

            if (o.IgnoreIndex is { } ig && ig is < int.MinValue or > int.MaxValue &&
                d.Target.Contains(int.MinValue))
            {
                return null;
            }

            int? ignore = o.IgnoreIndex is { } k ? (k is >= int.MinValue and <= int.MaxValue ? (int)k : int.MinValue) : null;
            var target = d.Target.Select(t => o.IgnoreIndex is { } s && t == s ? (long)ignore!.Value : t).ToArray();
            var kind = o.Kind == HingeInputKind.Auto ? Resolve(d, target, ignore) : o.Kind;
            var weights = d.Weights ?? [];
            weights = weights.Length > 0 && weights[0] > 0 && weights.All(x => x == weights[0])
                ? [.. weights.Select(_ => 1.0)] // equal weights of any scale: the unit-weight value
                : d.OracleWeights ?? weights;

            return d.Float32 ? Evaluate(d.Preds.Select(x => (float)x).ToArray(), target, weights, d, o, kind, ignore)
                : Evaluate(d.Preds, target, weights, d, o, kind, ignore);
        }
        catch (HingeArgumentException)
        {
            return null;
        }
    }

    private static HingeInputKind Resolve(FuzzData d, long[] target, int? ignore)
    {
        var width = d.Binary ? 1 : d.Classes;
        for (var u = 0; u < d.Preds.Length / width; u++)
        {
            if (ignore is { } k && target[u] == k)
            {
                continue;
            }

            for (var j = 0; j < width; j++)
            {
                var x = d.Float32 ? (float)d.Preds[(u * width) + j] : d.Preds[(u * width) + j];
                if (!(x >= 0 && x <= 1))
                {
                    return HingeInputKind.Logits;
                }
            }
        }

        return HingeInputKind.Probabilities;
    }

    private static (double[], long, HingeInterval?)? Evaluate<T>(T[] preds, long[] target, double[] weights,
        FuzzData d, FuzzOptions o, HingeInputKind kind, int? ignore)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var track = o.Ci is not null;
        if (d.Binary)
        {
            if (preds.Length != target.Length)
            {
                return null;
            }

            var b = new BinaryHingeLoss(o.Squared, ignore, validateArgs: true, kind, o.NonFinite) { TrackVariance = track };
            if (weights.Length == 0)
            {
                b.Update<T, long>(preds, target); // the default kernels, as hinge eval uses them without weights
            }
            else
            {
                b.Update<T, long>(preds, target, weights);
            }

            return ([b.Compute()], b.State.Total, track ? b.ComputeInterval(o.Ci!.Value) : null);
        }

        if (preds.Length != target.Length * d.Classes)
        {
            return null;
        }

        var m = new MulticlassHingeLoss(d.Classes, o.Squared, o.Mode, ignore, validateArgs: true, kind, o.NonFinite)
        {
            TrackVariance = track,
        };
        if (o.Mode == MulticlassMode.CrammerSinger && !target.Any(t => ignore is not { } k || t != k))
        {
            return null; // the CLI refuses a Crammer–Singer run with no kept row
        }

        if (weights.Length == 0)
        {
            m.Update<T, long>(preds, target);
        }
        else
        {
            m.Update<T, long>(preds, target, weights);
        }

        return ([.. m.Compute().Values], m.Total, track ? m.ComputeInterval(o.Ci!.Value) : null);
    }

    public override string ToString() =>
        $"{Name}: hinge {string.Join(' ', Args.Select(a => a.Length == 0 ? "''" : a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a))}";

    public static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
