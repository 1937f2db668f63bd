namespace HingeSharp.Torch.Keras;

/// <summary>
/// What <c>Sequential.Fit</c> returns, like Keras' <c>History</c>: one value per completed epoch for each
/// key (<c>loss</c>, each metric, and <c>val_</c>-prefixed ones when validation data was given).
/// </summary>
/// <example><code>
/// History history = model.Fit(trainX, trainY, epochs: 200, validationData: (testX, testY), verbose: 0);
/// IReadOnlyList&lt;double&gt; loss = history["loss"], valLoss = history["val_loss"];
/// </code></example>
public sealed class History
{
    private readonly Dictionary<string, List<double>> _values = [];
    private readonly Dictionary<string, IReadOnlyList<double>> _view = [];
    private readonly List<int> _epochs = [];

    /// <summary>Keras' <c>history.history</c>: per-key lists of per-epoch values, in insertion order of keys.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Values => _view;

    /// <summary>Keras' <c>history.epoch</c>: the 0-based indices of the completed epochs.</summary>
    public IReadOnlyList<int> Epochs => _epochs;

    /// <summary>The per-epoch values of one key.</summary>
    /// <param name="key">e.g. <c>loss</c> or <c>val_accuracy</c>.</param>
    /// <returns>The values.</returns>
    /// <exception cref="KeyNotFoundException">The key was not recorded.</exception>
    public IReadOnlyList<double> this[string key]
        => _view.TryGetValue(key, out IReadOnlyList<double>? values)
            ? values
            : throw new KeyNotFoundException(
                $"History has no key `{key}`; it has {string.Join(", ", _view.Keys)}.");

    /// <summary>Appends one epoch's logs.</summary>
    /// <param name="epoch">0-based epoch index.</param>
    /// <param name="logs">The epoch's values.</param>
    internal void Append(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        _epochs.Add(epoch);
        foreach ((string key, double value) in logs)
        {
            if (!_values.TryGetValue(key, out List<double>? list))
            {
                list = [];
                _values[key] = list;
                _view[key] = list;
            }

            list.Add(value);
        }
    }
}
