using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Keras' <c>TensorBoard</c> callback, epoch scalars only: after every epoch it writes each log value through
/// TorchSharp's <c>torch.utils.tensorboard.SummaryWriter</c>, training values to <c>{logDir}/train</c> and
/// <c>val_</c> values to <c>{logDir}/validation</c>, tagged <c>epoch_{name}</c> at step = epoch index (the layout
/// Keras uses, so TensorBoard overlays train and validation curves).
/// </summary>
/// <example><code>model.Fit(x, y, epochs: 20, callbacks: [new TensorBoard("runs/circles")]);</code></example>
public sealed class TensorBoard : Callback
{
    private SummaryWriter? _train;
    private SummaryWriter? _validation;

    /// <summary>Creates the callback.</summary>
    /// <param name="logDir">Directory for the event files (created when training starts).</param>
    /// <exception cref="ArgumentException"><paramref name="logDir"/> is empty.</exception>
    public TensorBoard(string logDir = "logs")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logDir);
        LogDir = logDir;
    }

    /// <summary>The root log directory.</summary>
    public string LogDir { get; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        _train = null;
        _validation = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        long wallTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();   // Event.wall_time is in seconds
        foreach ((string key, double value) in logs)
        {
            bool validation = key.StartsWith("val_", StringComparison.Ordinal);
            SummaryWriter writer = validation
                ? _validation ??= torch.utils.tensorboard.SummaryWriter(Path.Combine(LogDir, "validation"))
                : _train ??= torch.utils.tensorboard.SummaryWriter(Path.Combine(LogDir, "train"));
            string name = validation ? key["val_".Length..] : key;
            writer.add_scalar(string.Create(CultureInfo.InvariantCulture, $"epoch_{name}"), (float)value, epoch,
                wallTime);
        }
    }
}
