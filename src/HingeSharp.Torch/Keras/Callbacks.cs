using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Hooks into <c>Sequential.Fit</c>, like Keras' <c>Callback</c>. Override what you need; every method is
/// a no-op by default.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained; set by <c>Sequential.Fit</c> before
    /// <see cref="OnTrainBegin"/>.</summary>
    public Sequential? Model { get; internal set; }

    /// <summary>The <c>epochs</c> argument of the running <c>Sequential.Fit</c>; set before <see cref="OnTrainBegin"/>.</summary>
    public int TotalEpochs { get; internal set; }

    /// <summary>
    /// Whether <see cref="OnBatchEnd"/> should be called. Reading a batch loss forces a device synchronisation
    /// (<c>.item()</c>) per step, so training only does it when some callback asks.
    /// </summary>
    public virtual bool NeedsBatchLogs => false;

    /// <summary>Called once before the first epoch.</summary>
    public virtual void OnTrainBegin()
    {
    }

    /// <summary>Called at the start of every epoch.</summary>
    /// <param name="epoch">0-based epoch index.</param>
    public virtual void OnEpochBegin(int epoch)
    {
    }

    /// <summary>Called after every training batch when <see cref="NeedsBatchLogs"/> is true.</summary>
    /// <param name="batch">0-based batch index within the epoch.</param>
    /// <param name="loss">The batch's mean loss.</param>
    public virtual void OnBatchEnd(int batch, double loss)
    {
    }

    /// <summary>Called at the end of every epoch, after validation.</summary>
    /// <param name="epoch">0-based epoch index.</param>
    /// <param name="logs">The epoch's values: <c>loss</c>, metrics, <c>val_</c> values.</param>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
    }

    /// <summary>Called once after the last epoch (also after early stopping).</summary>
    /// <param name="history">Everything recorded.</param>
    public virtual void OnTrainEnd(History history)
    {
    }
}

/// <summary>A callback from delegates (Keras' <c>LambdaCallback</c>).</summary>
/// <param name="onEpochEnd">Called with the epoch index and its logs.</param>
/// <param name="onBatchEnd">Called with the batch index and its loss; setting it makes training read every
/// batch loss.</param>
public sealed class LambdaCallback(
    Action<int, IReadOnlyDictionary<string, double>>? onEpochEnd = null,
    Action<int, double>? onBatchEnd = null) : Callback
{
    /// <inheritdoc/>
    public override bool NeedsBatchLogs => onBatchEnd is not null;

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
        => onEpochEnd?.Invoke(epoch, logs);

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, double loss) => onBatchEnd?.Invoke(batch, loss);
}

/// <summary>
/// Writes one line per epoch, like Keras' <c>verbose=2</c>:
/// <c>Epoch 3/200 - 0.02s - loss: 0.4213 - accuracy: 0.8120 - val_loss: 0.4377 - val_accuracy: 0.8020</c>.
/// </summary>
/// <param name="write">Where lines go (e.g. <c>Console.WriteLine</c>).</param>
public sealed class ProgressLogger(Action<string> write) : Callback
{
    private readonly Stopwatch _clock = new();

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch) => _clock.Restart();

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture,
            $"Epoch {epoch + 1}/{TotalEpochs} - {_clock.Elapsed.TotalSeconds:F2}s");
        foreach ((string key, double value) in logs)
        {
            line.Append(CultureInfo.InvariantCulture, $" - {key}: {value:F4}");
        }

        write(line.ToString());
    }
}

/// <summary>
/// Keras' <c>EarlyStopping</c>: stops training when <see cref="Monitor"/> has not improved by more than
/// <see cref="MinDelta"/> for <see cref="Patience"/> epochs; optionally restores the weights of the best epoch
/// when training ends.
/// </summary>
/// <remarks>
/// As in Keras 3: an epoch counts as an improvement when it beats the best value by more than
/// <see cref="MinDelta"/>; training stops at the end of the epoch where the number of epochs without improvement
/// reaches <see cref="Patience"/> (never at epoch 0); with <see cref="RestoreBestWeights"/> the best weights are
/// put back at the end of training, whether or not it stopped early. Mode <c>auto</c> maximises monitors whose
/// name contains <c>acc</c> and minimises the rest (Keras 2's rule; Keras 3 asks the metric for its direction).
/// Unlike Keras, which only warns, a monitor missing from the logs is an error.
/// </remarks>
public sealed class EarlyStopping : Callback, IDisposable
{
    private IReadOnlyList<TorchSharp.torch.Tensor>? _bestWeights;
    private int _wait;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The log key to watch (e.g. <c>val_loss</c>).</param>
    /// <param name="minDelta">Smallest change that counts as an improvement, &gt;= 0.</param>
    /// <param name="patience">Epochs without improvement before stopping, &gt;= 0.</param>
    /// <param name="mode"><c>auto</c>, <c>min</c> or <c>max</c>.</param>
    /// <param name="restoreBestWeights">Whether to restore the best epoch's weights at the end.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public EarlyStopping(string monitor = "val_loss", double minDelta = 0.0, int patience = 0, string mode = "auto",
        bool restoreBestWeights = false)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        if (!(minDelta >= 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta,
                $"Expected `minDelta` to be >= 0, but got {minDelta}.");
        }

        Maximize = mode.ToLowerInvariant() switch
        {
            "min" => false,
            "max" => true,
            "auto" => monitor.Contains("acc", StringComparison.OrdinalIgnoreCase),
            _ => throw new ArgumentException($"Expected `mode` to be auto, min or max, but got `{mode}`.",
                nameof(mode)),
        };
        Best = Maximize ? double.NegativeInfinity : double.PositiveInfinity;
        Monitor = monitor;
        MinDelta = minDelta;
        Patience = patience;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>The watched log key.</summary>
    public string Monitor { get; }

    /// <summary>Smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>Whether larger values are better.</summary>
    public bool Maximize { get; }

    /// <summary>Whether the best weights are restored at the end of training.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The 0-based epoch at which training was stopped, or -1.</summary>
    public int StoppedEpoch { get; private set; } = -1;

    /// <summary>The 0-based epoch with the best monitored value so far, or -1.</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>The best monitored value so far (−∞ when maximising, +∞ when minimising, before the first
    /// epoch).</summary>
    public double Best { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        _wait = 0;
        StoppedEpoch = -1;
        BestEpoch = -1;
        Best = Maximize ? double.NegativeInfinity : double.PositiveInfinity;
        ReleaseWeights();
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        if (!logs.TryGetValue(Monitor, out double current))
        {
            throw new InvalidOperationException($"EarlyStopping monitors `{Monitor}`, which is not in the logs "
                + $"({string.Join(", ", logs.Keys)}); pass validation data or monitor another key.");
        }

        if (RestoreBestWeights && _bestWeights is null)
        {
            _bestWeights = Model!.GetWeights();
            BestEpoch = epoch;
        }

        _wait++;
        if (Maximize ? current - MinDelta > Best : current + MinDelta < Best)
        {
            Best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights)
            {
                ReleaseWeights();
                _bestWeights = Model!.GetWeights();
            }

            _wait = 0;
            return;
        }

        if (_wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            Model!.StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(History history)
    {
        if (RestoreBestWeights && _bestWeights is not null)
        {
            Model!.SetWeights(_bestWeights);
        }

        ReleaseWeights();
    }

    /// <inheritdoc/>
    public void Dispose() => ReleaseWeights();

    private void ReleaseWeights()
    {
        if (_bestWeights is not null)
        {
            foreach (TorchSharp.torch.Tensor t in _bestWeights)
            {
                t.Dispose();
            }

            _bestWeights = null;
        }
    }
}
