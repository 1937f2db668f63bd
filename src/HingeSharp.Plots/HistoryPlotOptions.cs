namespace HingeSharp.Plots;

/// <summary>Options of <see cref="HistoryPlot"/>; <c>with</c> expressions change single fields.</summary>
public sealed record HistoryPlotOptions
{
    /// <summary>x-axis label of the bottom panel.</summary>
    public string XLabel { get; init; } = "epoch";

    /// <summary>Legend text of the training series (the tutorial's pyplot code says "train").</summary>
    public string TrainLabel { get; init; } = "train";

    /// <summary>Legend text of the <c>val_</c> series (the tutorial's pyplot code says "test").</summary>
    public string ValidationLabel { get; init; } = "validation";

    /// <summary>Prefix that marks a validation series, as Keras' <c>val_loss</c>.</summary>
    public string ValidationPrefix { get; init; } = "val_";

    /// <summary>
    /// Bounds of metrics by name (without the prefix). Metrics not listed get bounds from their name: [0, 1] when
    /// it contains "acc", "precision", "recall", "auc" or "f1"; [0, +∞) when it contains "loss", "hinge", "error",
    /// "mse" or "mae"; none otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, (double Lower, double Upper)>? Bounds { get; init; }

    /// <summary>Room above and below the data as a fraction of the visible span.</summary>
    public double Padding { get; init; } = 0.06;

    /// <summary>Height in pixels of one panel when saving at the default size.</summary>
    public int PanelHeight { get; init; } = 340;
}
