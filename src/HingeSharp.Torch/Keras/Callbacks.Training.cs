using System.Globalization;
using System.Text;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Keras' <c>ReduceLROnPlateau</c>: multiplies the optimizer's learning rate by <see cref="Factor"/> (not below
/// <see cref="MinLearningRate"/>) once <see cref="Monitor"/> has not improved by more than
/// <see cref="MinDelta"/> for <see cref="Patience"/> epochs, then waits <see cref="Cooldown"/> epochs. Adds
/// <c>learning_rate</c> to the epoch logs.
/// </summary>
public sealed class ReduceLROnPlateau : Callback
{
    private double _best;
    private int _wait;
    private int _cooldownCounter;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">Log key to watch.</param>
    /// <param name="factor">Factor in (0, 1) (Keras default 0.1).</param>
    /// <param name="patience">Epochs without improvement before reducing (Keras default 10).</param>
    /// <param name="mode"><c>auto</c> (max for keys containing <c>acc</c>), <c>min</c> or <c>max</c>.</param>
    /// <param name="minDelta">Smallest change that counts as improvement (Keras default 1e-4).</param>
    /// <param name="cooldown">Epochs to wait after a reduction.</param>
    /// <param name="minLearningRate">Lower bound of the learning rate.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, string mode = "auto",
        double minDelta = 1e-4, int cooldown = 0, double minLearningRate = 0.0)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!(factor > 0.0 && factor < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor,
                $"Expected `factor` in (0, 1), but got {factor}.");
        }

        Monitor = monitor;
        Factor = factor;
        Patience = patience;
        Maximize = MonitorMode.Maximize(monitor, mode);
        MinDelta = Math.Abs(minDelta);
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
    }

    /// <summary>The watched log key.</summary>
    public string Monitor { get; }

    /// <summary>Reduction factor.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement before reducing.</summary>
    public int Patience { get; }

    /// <summary>Whether larger values are better.</summary>
    public bool Maximize { get; }

    /// <summary>Smallest improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Epochs to wait after a reduction.</summary>
    public int Cooldown { get; }

    /// <summary>Lower bound of the learning rate.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        _best = Maximize ? double.NegativeInfinity : double.PositiveInfinity;
        _wait = 0;
        _cooldownCounter = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        KerasOptimizer optimizer = Model!.Optimizer!;
        if (logs is IDictionary<string, double> writable)
        {
            writable["learning_rate"] = optimizer.LearningRate;
        }

        double current = MonitorMode.Read(logs, Monitor, nameof(ReduceLROnPlateau));
        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            _wait = 0;
        }

        if (Maximize ? current > _best + MinDelta : current < _best - MinDelta)
        {
            _best = current;
            _wait = 0;
        }
        else if (_cooldownCounter == 0 && ++_wait >= Patience)
        {
            double old = optimizer.LearningRate;
            if (old > (float)MinLearningRate)
            {
                optimizer.LearningRate = Math.Max(old * Factor, MinLearningRate);
                _cooldownCounter = Cooldown;
                _wait = 0;
            }
        }
    }
}

/// <summary>Keras' <c>LearningRateScheduler</c>: at the start of every epoch sets the learning rate to
/// <c>schedule(epoch, currentRate)</c>; adds <c>learning_rate</c> to the epoch logs.</summary>
/// <param name="schedule">(0-based epoch, current rate) → new rate.</param>
public sealed class LearningRateScheduler(Func<int, double, double> schedule) : Callback
{
    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch)
        => Model!.Optimizer!.LearningRate = schedule(epoch, Model.Optimizer.LearningRate);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (logs is IDictionary<string, double> writable)
        {
            writable["learning_rate"] = Model!.Optimizer!.LearningRate;
        }
    }
}

/// <summary>Keras' <c>TerminateOnNaN</c>: stops training after the first batch whose loss is NaN or infinite.
/// </summary>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>The 0-based batch at which training was stopped, or -1.</summary>
    public int StoppedBatch { get; private set; } = -1;

    /// <inheritdoc/>
    public override bool NeedsBatchLogs => true;

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, double loss)
    {
        if (!double.IsFinite(loss))
        {
            StoppedBatch = batch;
            Model!.StopTraining = true;
        }
    }
}

/// <summary>
/// Keras' <c>CSVLogger</c>: one row per epoch, <c>epoch</c> then the log keys in ordinal order (fixed by the
/// first epoch), values in invariant culture; the file is flushed after every row.
/// </summary>
/// <param name="path">The CSV file.</param>
/// <param name="separator">Field separator.</param>
/// <param name="append">Whether to append (no header is written when the file is not empty).</param>
public sealed class CSVLogger(string path, char separator = ',', bool append = false) : Callback, IDisposable
{
    private StreamWriter? _writer;
    private string[]? _keys;

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        bool hasHeader = append && File.Exists(path) && new FileInfo(path).Length > 0;
        _writer?.Dispose();
        _writer = new StreamWriter(path, append, new UTF8Encoding(false));
        _keys = null;
        if (hasHeader)
        {
            _keys = [];
        }
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        if (_keys is null || _keys.Length == 0)
        {
            bool writeHeader = _keys is null;
            _keys = logs.Keys.Order(StringComparer.Ordinal).ToArray();
            if (writeHeader)
            {
                _writer!.WriteLine(string.Join(separator, _keys.Prepend("epoch")));
            }
        }

        IEnumerable<string> values = _keys.Select(k => logs.TryGetValue(k, out double v)
            ? v.ToString("R", CultureInfo.InvariantCulture) : "NA");
        _writer!.WriteLine(string.Join(separator, values.Prepend(epoch.ToString(CultureInfo.InvariantCulture))));
        _writer.Flush();
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(History history) => Dispose();

    /// <inheritdoc/>
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }
}

/// <summary>
/// Keras' <c>ModelCheckpoint</c>: saves the model (<see cref="Sequential.Save"/>, or only the weights) at the end
/// of every epoch, or only when <see cref="Monitor"/> improved with <see cref="SaveBestOnly"/>. The path may
/// contain <c>{epoch}</c> (1-based, as Keras formats it).
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    /// <summary>Creates the callback.</summary>
    /// <param name="path">Target file; <c>{epoch}</c> is replaced by the 1-based epoch number.</param>
    /// <param name="monitor">Log key compared with <paramref name="saveBestOnly"/>.</param>
    /// <param name="saveBestOnly">Whether to save only when the monitored value improves.</param>
    /// <param name="saveWeightsOnly">Whether to write <see cref="Sequential.SaveWeights"/> files.</param>
    /// <param name="mode"><c>auto</c>, <c>min</c> or <c>max</c>.</param>
    public ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false,
        bool saveWeightsOnly = false, string mode = "auto")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(monitor);
        Path = path;
        Monitor = monitor;
        SaveBestOnly = saveBestOnly;
        SaveWeightsOnly = saveWeightsOnly;
        Maximize = MonitorMode.Maximize(monitor, mode);
        Best = Maximize ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>The path pattern.</summary>
    public string Path { get; }

    /// <summary>The monitored key.</summary>
    public string Monitor { get; }

    /// <summary>Whether only improvements are saved.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>Whether only weights are saved.</summary>
    public bool SaveWeightsOnly { get; }

    /// <summary>Whether larger values are better.</summary>
    public bool Maximize { get; }

    /// <summary>Best monitored value so far.</summary>
    public double Best { get; private set; }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        if (SaveBestOnly)
        {
            double current = MonitorMode.Read(logs, Monitor, nameof(ModelCheckpoint));
            if (!(Maximize ? current > Best : current < Best))
            {
                return;
            }

            Best = current;
        }

        string file = Path.Replace("{epoch}", (epoch + 1).ToString(CultureInfo.InvariantCulture),
            StringComparison.Ordinal);
        if (SaveWeightsOnly)
        {
            Model!.SaveWeights(file);
        }
        else
        {
            Model!.Save(file);
        }
    }
}

/// <summary>Shared monitor handling of the callbacks.</summary>
internal static class MonitorMode
{
    public static bool Maximize(string monitor, string mode) => mode.ToLowerInvariant() switch
    {
        "min" => false,
        "max" => true,
        "auto" => monitor.Contains("acc", StringComparison.OrdinalIgnoreCase),
        _ => throw new ArgumentException($"Expected `mode` to be auto, min or max, but got `{mode}`.", nameof(mode)),
    };

    public static double Read(IReadOnlyDictionary<string, double> logs, string monitor, string owner)
        => logs.TryGetValue(monitor, out double value) ? value : throw new InvalidOperationException(
            $"{owner} monitors `{monitor}`, which is not in the logs ({string.Join(", ", logs.Keys)}); pass "
            + "validation data or monitor another key.");
}
