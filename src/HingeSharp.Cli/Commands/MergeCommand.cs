using System.CommandLine;
using HingeSharp.Classification;
using HingeSharp.Cli.Output;
using HingeSharp.Metrics;

namespace HingeSharp.Cli.Commands;

/// <summary>
/// <c>hinge merge</c>: loads metric states written by <c>hinge eval --save-state</c>, merges them in the order given
/// and prints the merged loss like <c>hinge eval</c>. Merging in a fixed order gives bit-identical results to one
/// metric updated with the same chunks in that order.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(CliEnvironment env)
    {
        var states = new Argument<string[]>("state")
        {
            Description = "State files (hingesharp.metric-state JSON), merged in this order.",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format")
        {
            Description = "text (a table on a terminal, plain lines otherwise) or json (one object).",
            DefaultValueFactory = _ => "text",
        }.AcceptOnlyFromAmong("text", "json");

        var command = new Command("merge", "Merge saved metric states (from 'hinge eval --save-state') and print the loss.")
        {
            states, format,
        };
        command.SetAction(result =>
        {
            var merged = Merge(result.GetValue(states)!);
            LossPrinter.Print(env, "hinge merge", Describe(merged), result.GetValue(format) == "json");
            return HingeCli.Success;
        });
        return command;
    }

    /// <summary>Loads and merges the states in order.</summary>
    /// <exception cref="CliInputException">A file is missing or not a state, holds a multilabel state, or its
    /// settings differ from the first file's; the message names the file.</exception>
    internal static IHingeMetric Merge(IReadOnlyList<string> paths)
    {
        IHingeMetric? merged = null;
        foreach (var path in paths)
        {
            var metric = Load(path);
            if (merged is null)
            {
                merged = metric;
                continue;
            }

            try
            {
                MetricState.Merge(merged, metric);
            }
            catch (HingeArgumentException e)
            {
                throw CliInputException.InFile(path, null,
                    $"cannot be merged with {paths[0]}: {EvalRunnerWording(e.Reason)}");
            }
        }

        return merged!;
    }

    private static IHingeMetric Load(string path)
    {
        if (!File.Exists(path))
        {
            throw CliInputException.InFile(path, null, "no such file");
        }

        IHingeMetric metric;
        try
        {
            metric = MetricState.Load(path);
        }
        catch (MetricStateException e)
        {
            var message = e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message : $"{path}: {e.Message}";
            throw new CliInputException(message, e);
        }

        if (metric is not (BinaryHingeLoss or MulticlassHingeLoss))
        {
            throw CliInputException.InFile(path, null,
                $"holds a {metric.GetType().Name} state; hinge merge takes the binary and multiclass states that " +
                "'hinge eval --save-state' writes");
        }

        return metric;
    }

    private static string EvalRunnerWording(string reason) => Eval.EvalRunner.CliWording(reason);

    private static LossPrinter.Outcome Describe(IHingeMetric metric) => metric switch
    {
        BinaryHingeLoss b => new LossPrinter.Outcome(HingeTask.Binary, null, b.Squared, b.InputKind, new HingeLossValue(b.Compute()),
            b.State.Total, null),
        MulticlassHingeLoss m => new LossPrinter.Outcome(HingeTask.Multiclass, m.MulticlassMode, m.Squared,
            m.InputKind, m.Compute(), m.Total, null),
        _ => throw new InvalidOperationException("unknown metric"),
    };
}
