using System.Numerics;
using System.Text.Json;
using HingeSharp.Classification;
using HingeSharp.Functional;
using HingeSharp.Tests.Infrastructure;

namespace HingeSharp.Tests.Reliability;

/// <summary>
/// One case of errors.json, run through the HingeSharp call that mirrors its torchmetrics / scikit-learn call:
/// functional, module constructor, update, forward or compute, with the case's arguments and inputs. Defaults follow
/// torchmetrics (functional <c>validate_args=False</c>, modules and the wrapper <c>True</c>).
/// </summary>
internal sealed class ErrorCase
{
    public ErrorCase(string name)
    {
        Name = name;
        Case = Fixtures.Case("errors.json", name);
        Args = Case.Opt("args") ?? default;
        Inputs = Case.Opt("inputs") ?? default;
    }

    public string Name { get; }
    public JsonElement Case { get; }
    public JsonElement Args { get; }
    public JsonElement Inputs { get; }
    public string Api => Case.Api();
    public string Call => Case.GetProperty("call").GetString()!;
    public bool IsError => Case.GetProperty("outcome").GetString() == "error";
    public string TorchType => Case.GetProperty("error").GetProperty("type").GetString()!;

    /// <summary>torchmetrics' message with torch-only spellings removed (<c>torch.Size([3])</c> → <c>[3]</c>).</summary>
    public string TorchMessage => Case.GetProperty("error").GetProperty("message").GetString()!
        .Replace("torch.Size(", string.Empty, StringComparison.Ordinal).Replace("])", "]", StringComparison.Ordinal);

    public IReadOnlyList<double> Expected => Tensor.Doubles(Case.GetProperty("expected"));

    public JsonElement Preds => Inputs.GetProperty("preds");

    /// <summary>Flat index of the first non-finite prediction, or null.</summary>
    public long? FirstNonFinitePred => Inputs.Opt("preds") is { } p
        ? Tensor.Doubles(p).Select((v, i) => (v, i)).Where(x => !double.IsFinite(x.v)).Select(x => (long?)x.i).FirstOrDefault()
        : null;

    private bool IsFunctional => Call == "functional";
    private bool Validate => Args.Opt("validate_args")?.GetBoolean() ?? !(IsFunctional && Args.Opt("task") is null);
    private bool Squared => Args.Opt("squared")?.GetBoolean() ?? false;
    private int? IgnoreIndex => Args.Opt("ignore_index")?.GetInt32();

    /// <summary>
    /// Runs the case. <paramref name="mode"/> replaces an invalid <c>multiclass_mode</c> string; integer preds
    /// (which no HingeSharp overload accepts) are passed as float, the nearest .NET call.
    /// </summary>
    public HingeLossValue Run(NonFiniteHandling nonFinite = NonFiniteHandling.Throw, MulticlassMode? mode = null)
    {
        if (Api.StartsWith("sklearn.", StringComparison.Ordinal))
        {
            return new HingeLossValue(Sklearn());
        }

        var metric = Module(nonFinite, mode);
        if (Call is "module_init")
        {
            return default;
        }

        if (Call is "module_compute")
        {
            return metric!.ComputeValue();
        }

        var preds = Preds;
        var target = Inputs.GetProperty("target");
        return Tensor.IsFloat32(preds) || Tensor.Dtype(preds).StartsWith("int", StringComparison.Ordinal)
            ? Tensor.WithTyped(target, new Visitor<float>(this, metric, Tensor.Floats(preds), nonFinite, mode, null))
            : Tensor.WithTyped(target, new Visitor<double>(this, metric, Tensor.Doubles(preds), nonFinite, mode, null));
    }

    /// <summary>The metric the case's module call would build (its constructor may itself be the error).</summary>
    public IHingeMetric CreateMetric() => Module(NonFiniteHandling.Throw, null, forceModule: true)!;

    /// <summary>
    /// Runs the case's inputs into <paramref name="into"/> (through Forward when <paramref name="forward"/>, else
    /// Update) instead of a fresh module.
    /// </summary>
    public void Feed(IHingeMetric into, bool forward) =>
        Tensor.WithTyped(Inputs.GetProperty("target"), new Visitor<float>(this, into, Tensor.Floats(Preds),
            NonFiniteHandling.Throw, null, forward));

    private IHingeMetric? Module(NonFiniteHandling nonFinite, MulticlassMode? mode, bool forceModule = false)
    {
        if (IsFunctional && !forceModule)
        {
            return null;
        }

        var task = Args.Opt("task")?.GetString();
        if (task is not null)
        {
            return HingeLoss.Create(task, Args.Opt("num_classes")?.GetInt32(), Squared,
                Args.Opt("multiclass_mode")?.GetString() ?? "crammer-singer", IgnoreIndex, Validate,
                nonFinite: nonFinite);
        }

        return Api.Contains("binary", StringComparison.OrdinalIgnoreCase)
            ? new BinaryHingeLoss(Squared, IgnoreIndex, Validate, nonFinite: nonFinite)
            : new MulticlassHingeLoss(Args.GetProperty("num_classes").GetInt32(), Squared, Mode(mode), IgnoreIndex,
                Validate, nonFinite: nonFinite);
    }

    private MulticlassMode Mode(MulticlassMode? mode) => mode ??
        (Args.Opt("multiclass_mode") is { } m ? HingeNames.ParseMulticlassMode(m.GetString()!) : MulticlassMode.CrammerSinger);

    private double Sklearn()
    {
        var pred = Inputs.GetProperty("pred_decision");
        var shape = Tensor.Shape(pred);
        var labels = Args.Opt("labels") is { } l ? l.EnumerateArray().Select(x => x.GetInt64()).ToArray() : [];
        return SklearnHinge.HingeLoss<long>(Tensor.Longs(Inputs.GetProperty("y_true")), Tensor.Doubles(pred),
            shape.Length == 2 ? shape[1] : 1, labels);
    }

    private sealed class Visitor<TPred>(ErrorCase c, IHingeMetric? metric, TPred[] preds, NonFiniteHandling nonFinite,
        MulticlassMode? mode, bool? forward) : ITargetVisitor<HingeLossValue>
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
    {
        public HingeLossValue Visit<TTarget>(TTarget[] target)
            where TTarget : unmanaged, INumberBase<TTarget>
        {
            var shape = Tensor.Shape(c.Preds);
            var targetShape = Tensor.Shape(c.Inputs.GetProperty("target"));
            if (metric is not null)
            {
                if (forward ?? c.Call == "module_forward")
                {
                    return metric.Forward<TPred, TTarget>(preds, shape, target, targetShape);
                }

                metric.Update<TPred, TTarget>(preds, shape, target, targetShape);
                return metric.ComputeValue();
            }

            if (c.Args.Opt("task")?.GetString() is { } task)
            {
                return HingeFunctional.HingeLoss<TPred, TTarget>(preds, target, task, c.Args.Opt("num_classes")?.GetInt32(),
                    c.Squared, c.Args.Opt("multiclass_mode")?.GetString() ?? "crammer-singer", c.IgnoreIndex,
                    c.Validate);
            }

            if (c.Api.EndsWith("binary_hinge_loss", StringComparison.Ordinal))
            {
                return new HingeLossValue(HingeFunctional.BinaryHingeLoss<TPred, TTarget>(preds, target, c.Squared,
                    c.IgnoreIndex, c.Validate, nonFinite: nonFinite));
            }

            // The fixture leaves num_classes out where torchmetrics never reached it; C is then preds.shape[1].
            var classes = c.Args.Opt("num_classes")?.GetInt32() ?? (shape.Length > 1 ? shape[1] : 2);
            return HingeFunctional.MulticlassHingeLoss<TPred, TTarget>(preds, shape, target, targetShape, classes,
                c.Squared, c.Mode(mode), c.IgnoreIndex, c.Validate, nonFinite: nonFinite);
        }
    }
}
