using System.CommandLine;
using HingeSharp.Classification;
using HingeSharp.Cli.Output;
using HingeSharp.Metrics;
using HingeSharp.Statistics;

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

        var ci = new Option<double?>("--ci")
        {
            Description = "Add a normal-approximation confidence interval at this level, e.g. 0.95 (states saved by " +
                "'hinge eval --ci', which keep the loss moments).",
        };

        var command = new Command("merge", "Merge saved metric states (from 'hinge eval --save-state') and print the loss.")
        {
            states, format, ci,
        };
        command.SetAction(result =>
        {
            var level = result.GetValue(ci);
            if (level is { } l && !(l > 0 && l < 1))
            {
                throw new CliInputException(
                    $"--ci must be a level between 0 and 1 (exclusive), e.g. 0.95; got {Formats.Number(l)}");
            }

            var paths = result.GetValue(states)!;
            foreach (var path in paths)
            {
                Commands.CliChecks.NotEmpty("state", path);
            }

            var merged = Merge(paths);
            var outcome = Describe(merged);
            if (level is { } lv)
            {
                outcome = outcome with { Interval = IntervalOf(merged, lv, paths[0]) };
            }

            LossPrinter.Print(env, "hinge merge", outcome, result.GetValue(format) == "json");
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

    /// <summary>The interval of the merged states, which must keep the loss moments (saved with --ci).</summary>
    private static HingeInterval IntervalOf(IHingeMetric metric, double level, string first)
    {
        var tracked = metric switch
        {
            BinaryHingeLoss b => b.TrackVariance,
            MulticlassHingeLoss m => m.TrackVariance,
            _ => false,
        };
        if (!tracked)
        {
            throw CliInputException.InFile(first, null,
                "keeps no loss moments, so --ci has no interval to give: save the states with 'hinge eval --ci " +
                "LEVEL --save-state FILE' (binary and crammer-singer)");
        }

        return metric switch
        {
            BinaryHingeLoss b => b.ComputeInterval(level),
            MulticlassHingeLoss m => m.ComputeInterval(level),
            _ => throw new InvalidOperationException("unknown metric"),
        };
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
