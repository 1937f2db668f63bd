using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Metrics;

/// <summary>
/// torchmetrics 1.9's functional hinge losses transcribed line by line into TorchSharp ops — the "same loss written as
/// tensor ops" that benchmarks time against the core kernels, and tests hold to the golden fixtures.
/// </summary>
/// <remarks>
/// Like torchmetrics it drops ignored elements with boolean-mask indexing and decides probabilities vs logits with a
/// host-side <c>all()</c>, so on a GPU it synchronises (unlike <see cref="TorchHingeOps"/>); it does not validate
/// inputs. Sums run in the preds' dtype, as torchmetrics' do. Every intermediate is disposed; the result (a 0-d
/// tensor, or <c>(C)</c> for one-vs-all, in the preds' dtype) belongs to the caller.
/// </remarks>
internal static class TorchHingeReference
{
    /// <summary><c>_binary_hinge_loss_update</c> + <c>_hinge_loss_compute</c>.</summary>
    /// <param name="preds">Predictions, any shape.</param>
    /// <param name="target">0/1 targets, same shape.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="ignoreIndex">Targets equal to it are dropped.</param>
    internal static Tensor BinaryHinge(Tensor preds, Tensor target, bool squared = false, int? ignoreIndex = null)
    {
        using var scope = torch.NewDisposeScope();
        var p = preds.flatten();
        var t = target.flatten();
        (p, t) = DropIgnored(p, t, ignoreIndex);
        if (!AllInUnitInterval(p))
        {
            p = p.sigmoid();
        }

        var positive = t.to_type(ScalarType.Bool);
        // margin[target] = preds[target]; margin[~target] = -preds[~target]
        var margin = torch.where(positive, p, p.neg());
        var measures = Clamp(margin, squared);
        var total = t.shape[0];
        return measures.sum().div(total).MoveToOuterDisposeScope();
    }

    /// <summary><c>_multiclass_hinge_loss_update</c> + <c>_hinge_loss_compute</c>.</summary>
    /// <param name="preds">Scores <c>(N, C, ...)</c>.</param>
    /// <param name="target">Class indices <c>(N, ...)</c>.</param>
    /// <param name="mode">Crammer–Singer or one-vs-all.</param>
    /// <param name="squared">Square the clamped loss.</param>
    /// <param name="ignoreIndex">Rows whose target equals it are dropped.</param>
    internal static Tensor MulticlassHinge(Tensor preds, Tensor target,
        MulticlassMode mode = MulticlassMode.CrammerSinger, bool squared = false, int? ignoreIndex = null)
    {
        using var scope = torch.NewDisposeScope();
        var c = preds.shape[1];
        var p = preds.dim() > 2 ? preds.movedim([1], [-1]).reshape(-1, c) : preds;
        var t = target.flatten();
        (p, t) = DropIgnored(p, t, ignoreIndex);
        if (!AllInUnitInterval(p))
        {
            p = p.softmax(1);
        }

        // to_onehot(target, max(2, C)).bool()
        var oneHot = torch.nn.functional.one_hot(t.to_type(ScalarType.Int64), Math.Max(2, c))
            .to_type(ScalarType.Bool);
        Tensor margin;
        if (mode == MulticlassMode.CrammerSinger)
        {
            // margin = preds[target]; margin -= max(preds[~target].view(N, -1), dim=1)[0]
            var rows = p.shape[0];
            var (others, _) = p[oneHot.logical_not()].view(rows, -1).max(1, false);
            margin = p[oneHot].sub(others);
        }
        else
        {
            margin = torch.where(oneHot, p, p.neg());
        }

        var measures = Clamp(margin, squared).sum(0L, keepdim: false);
        return measures.div(t.shape[0]).MoveToOuterDisposeScope();
    }

    /// <summary><c>measures = clamp(1 - margin, 0)</c>, then <c>pow(2)</c> when squared.</summary>
    private static Tensor Clamp(Tensor margin, bool squared)
    {
        var measures = (1 - margin).clamp_min(0);
        return squared ? measures.pow(2) : measures;
    }

    /// <summary>torchmetrics' <c>ignore_index</c> step: keeps the elements (rows) of <paramref name="p"/> and
    /// <paramref name="t"/> whose target is not <paramref name="ignoreIndex"/>.</summary>
    private static (Tensor P, Tensor T) DropIgnored(Tensor p, Tensor t, int? ignoreIndex)
    {
        if (ignoreIndex is not { } ii)
        {
            return (p, t);
        }

        var idx = t.ne(ii);
        return (p[idx], t[idx]);
    }

    /// <summary>Whether every value lies in [0, 1] (then torchmetrics applies no sigmoid/softmax).</summary>
    private static bool AllInUnitInterval(Tensor p) => p.ge(0).logical_and(p.le(1)).all().item<bool>();
}
