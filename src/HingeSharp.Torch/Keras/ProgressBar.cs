using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace HingeSharp.Torch.Keras;

/// <summary>
/// Keras' <c>verbose=1</c> display: on a terminal a progress bar redrawn after every batch
/// (<c>12/38 [=======&gt;......] - 0s - loss: 0.4213</c>, the loss being the epoch's running mean), finished with
/// the epoch's values; without a terminal one plain line per epoch.
/// </summary>
/// <param name="write">Where finished lines go.</param>
/// <param name="terminal">The console to redraw the bar on, or <see langword="null"/> for plain lines.</param>
public sealed class ProgressBar(Action<string> write, TextWriter? terminal) : Callback
{
    private const int Width = 30;
    private readonly Stopwatch _clock = new();
    private double _lossSum;
    private int _seen;

    /// <summary>Batches per epoch, or −1 when unknown (a stream without <c>stepsPerEpoch</c>).</summary>
    public int Steps { get; init; } = -1;

    /// <inheritdoc/>
    public override bool NeedsBatchLogs => terminal is not null;

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch)
    {
        _clock.Restart();
        _lossSum = 0.0;
        _seen = 0;
        write(string.Create(CultureInfo.InvariantCulture, $"Epoch {epoch + 1}/{TotalEpochs}"));
    }

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, double loss)
    {
        _lossSum += loss;
        _seen = batch + 1;
        terminal?.Write("\r" + Bar(_seen) + string.Create(CultureInfo.InvariantCulture,
            $" - {_clock.Elapsed.TotalSeconds:F0}s - loss: {_lossSum / _seen:F4}"));
        terminal?.Flush();
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var line = new StringBuilder(Bar(Steps > 0 ? Steps : _seen));
        line.Append(CultureInfo.InvariantCulture, $" - {_clock.Elapsed.TotalSeconds:F2}s");
        foreach ((string key, double value) in logs)
        {
            line.Append(CultureInfo.InvariantCulture, $" - {key}: {value:F4}");
        }

        if (terminal is not null)
        {
            terminal.Write("\r");
        }

        write(line.ToString());
    }

    private string Bar(int done)
    {
        if (Steps <= 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{done}/Unknown");
        }

        int filled = (int)((long)Width * Math.Min(done, Steps) / Steps);
        string bar = new string('=', Math.Max(0, filled - 1)) + (filled == 0 ? "" : done >= Steps ? "=" : ">");
        string digits = Steps.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{done.ToString(CultureInfo.InvariantCulture).PadLeft(digits.Length)}/{digits} [{bar.PadRight(Width, '.')}]");
    }
}
