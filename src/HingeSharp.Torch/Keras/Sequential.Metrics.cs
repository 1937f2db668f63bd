using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

public sealed partial class Sequential
{
    /// <summary>One float64 state per compiled metric, zeroed on the model's device: <c>[1]</c> for a mean metric
    /// (Σ w·value), the confusion counts for precision/recall/F1.</summary>
    private Tensor[] NewMetricStates()
        => _metrics!.Select(m => torch.zeros([m.StateLength], ScalarType.Float64, _device)).ToArray();

    /// <summary>The metric states read back, flattened in metric order (one host transfer per state, once per
    /// epoch); the data-parallel loop adds these over the ranks.</summary>
    private static IEnumerable<double> ReadStates(Tensor[] states)
        => states.SelectMany(state => state.cpu().data<double>().ToArray());

    /// <summary>Each metric's epoch value(s) from the flattened, summed states.</summary>
    private void ReportMetrics(ReadOnlySpan<double> states, double weightSum, IDictionary<string, double> logs)
    {
        int offset = 0;
        foreach (KerasMetric metric in _metrics!)
        {
            metric.Report(states.Slice(offset, metric.StateLength), weightSum, logs);
            offset += metric.StateLength;
        }
    }
}
