using System.Numerics;
using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;

namespace HingeSharp.Tests.Functional;

/// <summary>
/// One torchmetrics golden case (binary or multiclass) and the ways HingeSharp can compute it: functional or metric,
/// with inputs as stored (float32 or float64) or widened to float64.
/// </summary>
internal sealed class GoldenCase
{
    public GoldenCase(JsonElement c)
    {
        Case = c;
        var args = c.Opt("args") ?? default;
        Squared = args.Opt("squared")?.GetBoolean() ?? false;
        IgnoreIndex = args.Opt("ignore_index") is { } ii ? ii.GetInt32() : null;
        ValidateArgs = args.Opt("validate_args")?.GetBoolean() ?? true;
        NumClasses = args.Opt("num_classes")?.GetInt32();
        Mode = args.Opt("multiclass_mode") is { } m ? HingeNames.ParseMulticlassMode(m.GetString()!) : MulticlassMode.CrammerSinger;
        var inputs = c.GetProperty("inputs");
        Preds = inputs.GetProperty("preds");
        Target = inputs.GetProperty("target");
        NonFinite = Tensor.AllFinite(Preds) ? NonFiniteHandling.Throw : NonFiniteHandling.Propagate;
    }

    public JsonElement Case { get; }
    public bool Squared { get; }
    public int? IgnoreIndex { get; }
    public bool ValidateArgs { get; }
    public int? NumClasses { get; }
    public MulticlassMode Mode { get; }
    public JsonElement Preds { get; }
    public JsonElement Target { get; }
    public NonFiniteHandling NonFinite { get; }
    public bool IsMulticlass => NumClasses is not null;
    public bool PredsAreFloat32 => Tensor.IsFloat32(Preds);

    /// <summary>The functional result with preds as stored (float32 → float, float64 → double).</summary>
    public HingeLossValue FunctionalAsStored() => PredsAreFloat32
        ? Tensor.WithTyped(Target, new FunctionalVisitor<float>(this, Tensor.Floats(Preds)))
        : Tensor.WithTyped(Target, new FunctionalVisitor<double>(this, Tensor.Doubles(Preds)));

    /// <summary>The functional result with every floating input widened to double.</summary>
    public HingeLossValue FunctionalWidened() =>
        Tensor.WithTyped(Target, new FunctionalVisitor<double>(this, Tensor.Doubles(Preds)));

    /// <summary>A metric fed the case in one update, then computed; or its forward value.</summary>
    public HingeLossValue Metric(bool forward, bool widened)
    {
        IHingeMetric metric = IsMulticlass
            ? new MulticlassHingeLoss(NumClasses!.Value, Squared, Mode, IgnoreIndex, ValidateArgs, nonFinite: NonFinite)
            : new BinaryHingeLoss(Squared, IgnoreIndex, ValidateArgs, nonFinite: NonFinite);
        return PredsAreFloat32 && !widened
            ? Tensor.WithTyped(Target, new MetricVisitor<float>(this, metric, Tensor.Floats(Preds), forward))
            : Tensor.WithTyped(Target, new MetricVisitor<double>(this, metric, Tensor.Doubles(Preds), forward));
    }

    public static IReadOnlyList<double> Values(JsonElement tensor) => Tensor.Doubles(tensor);

    private sealed class FunctionalVisitor<TPred>(GoldenCase g, TPred[] preds) : ITargetVisitor<HingeLossValue>
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
    {
        public HingeLossValue Visit<TTarget>(TTarget[] target)
            where TTarget : unmanaged, INumberBase<TTarget>
        {
            if (!g.IsMulticlass)
            {
                return new HingeLossValue(HingeFunctional.BinaryHingeLoss<TPred, TTarget>(preds, target, g.Squared,
                    g.IgnoreIndex, g.ValidateArgs, nonFinite: g.NonFinite));
            }

            var shape = Tensor.Shape(g.Preds);
            var targetShape = Tensor.Shape(g.Target);
            return HingeFunctional.MulticlassHingeLoss<TPred, TTarget>(preds, shape, target, targetShape,
                g.NumClasses!.Value, g.Squared, g.Mode, g.IgnoreIndex, g.ValidateArgs, nonFinite: g.NonFinite);
        }
    }

    private sealed class MetricVisitor<TPred>(GoldenCase g, IHingeMetric metric, TPred[] preds, bool forward)
        : ITargetVisitor<HingeLossValue>
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
    {
        public HingeLossValue Visit<TTarget>(TTarget[] target)
            where TTarget : unmanaged, INumberBase<TTarget>
        {
            var shape = Tensor.Shape(g.Preds);
            var targetShape = Tensor.Shape(g.Target);
            if (shape.Length == 0)
            {
                shape = [1];
                targetShape = [1];
            }

            if (forward)
            {
                return metric.Forward<TPred, TTarget>(preds, shape, target, targetShape);
            }

            metric.Update<TPred, TTarget>(preds, shape, target, targetShape);
            return metric.ComputeValue();
        }
    }
}
