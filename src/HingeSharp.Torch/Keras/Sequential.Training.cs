using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

public sealed partial class Sequential
{
    /// <summary>
    /// Trains the model like Keras' <c>fit</c>: per epoch, optionally shuffles, runs mini-batches of
    /// <paramref name="batchSize"/> (the last one smaller), then evaluates the validation data.
    /// </summary>
    /// <remarks>
    /// <para>The epoch's <c>loss</c> is Keras' running mean of the batch losses weighted by batch size, computed
    /// on each batch before its update (regularization penalties included); metrics are means over the epoch's
    /// samples, weighted by the sample weights when given. Validation values are what <c>Evaluate</c>
    /// returns for the validation data at the end of the epoch.</para>
    /// <para>Targets may be shaped like the output, or be class indices <c>(N,)</c> for an <c>(N, C)</c> output
    /// (see <see cref="KerasLoss.PrepareClassIndices"/>). <paramref name="validationSplit"/> follows Keras: the
    /// last <c>N − ⌊N·(1 − split)⌋</c> samples, taken before any shuffling, are held out.
    /// <paramref name="sampleWeight"/> scales each sample's loss (<c>Σ w·l / batch size</c>, Keras'
    /// <c>sum_over_batch_size</c>); <paramref name="classWeight"/> maps a class to such a weight.</para>
    /// </remarks>
    /// <param name="x">Inputs, shape <c>(N, …)</c>; converted to float32 on the model's device.</param>
    /// <param name="y">Targets, shape <c>(N, …)</c> matching the output, <c>(N,)</c> for a one-unit output, or
    /// class indices <c>(N,)</c> for a multi-unit output.</param>
    /// <param name="epochs">Index of the last epoch + 1 (as in Keras, with <paramref name="initialEpoch"/>).
    /// </param>
    /// <param name="batchSize">Samples per batch, &gt;= 1 (Keras default 32).</param>
    /// <param name="validationData">Data evaluated after every epoch (<c>val_</c> keys); wins over
    /// <paramref name="validationSplit"/>.</param>
    /// <param name="shuffle">Whether to reshuffle the training data every epoch (with <see cref="Generator"/>).
    /// </param>
    /// <param name="verbose">0: silent; 1: a progress bar per batch (plain epoch lines when output is
    /// redirected or <see cref="Log"/> is replaced); 2: one line per epoch.</param>
    /// <param name="callbacks">Callbacks.</param>
    /// <param name="validationSplit">Fraction in [0, 1) of the data held out for validation.</param>
    /// <param name="sampleWeight">Per-sample weights <c>(N,)</c>.</param>
    /// <param name="classWeight">Weight per class index (classes not listed weigh 1) for the training loss and
    /// metrics; as in Keras it does not weight the validation data. Not with <paramref name="sampleWeight"/>.
    /// </param>
    /// <param name="initialEpoch">Epoch to start at (to resume a run; epochs are numbered from 0).</param>
    /// <returns>The per-epoch history.</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    /// <exception cref="ArgumentException">Shapes do not fit the model, or an argument is out of range.</exception>
    public History Fit(Tensor x, Tensor y, int epochs = 1, int batchSize = 32,
        (Tensor X, Tensor Y)? validationData = null, bool shuffle = true, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0, Tensor? sampleWeight = null,
        IReadOnlyDictionary<int, double>? classWeight = null, int initialEpoch = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (!(validationSplit >= 0.0 && validationSplit < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit,
                $"Expected `validationSplit` to be in [0, 1), but got {validationSplit}.");
        }

        if (sampleWeight is not null && classWeight is not null)
        {
            throw new ArgumentException("Pass `sampleWeight` or `classWeight`, not both (as in Keras).",
                nameof(classWeight));
        }

        CheckCompiled(epochs, initialEpoch);
        using var fitScope = torch.NewDisposeScope();
        PreparedBatch? validation = null;
        if (validationData is { } v)
        {
            validation = PrepareData(v.X, v.Y, "validationData.X", "validationData.Y");
        }
        else if (validationSplit > 0.0)
        {
            long total = x.shape[0];
            long splitAt = (long)Math.Floor(total * (1.0 - validationSplit));
            if (splitAt == 0 || splitAt == total)
            {
                throw new ArgumentException($"Training data contains {total} samples, which is not enough to split "
                    + $"into training and validation sets with `validationSplit` = {validationSplit}.",
                    nameof(validationSplit));
            }

            validation = PrepareData(x.narrow(0, splitAt, total - splitAt), y.narrow(0, splitAt, total - splitAt),
                nameof(x), nameof(y), sampleWeight?.narrow(0, splitAt, total - splitAt));   // Keras: no class weights
            x = x.narrow(0, 0, splitAt);
            y = y.narrow(0, 0, splitAt);
            sampleWeight = sampleWeight?.narrow(0, 0, splitAt);
        }

        PreparedBatch train = PrepareData(x, y, nameof(x), nameof(y), sampleWeight, classWeight);
        long n = train.Count;
        int steps = (int)((n + batchSize - 1) / batchSize);
        IEnumerable<PreparedBatch> EpochBatches()
        {
            PreparedBatch data = train;
            if (shuffle)
            {
                Tensor order = torch.randperm(n, generator: Generator).to(_device);
                data = train.Select(order);
            }

            for (int b = 0; b < steps; b++)
            {
                long start = (long)b * batchSize;
                yield return data.Narrow(start, Math.Min(batchSize, n - start));
            }
        }

        return RunEpochs(_ => EpochBatches(), steps, epochs, initialEpoch, validation, batchSize, verbose,
            callbacks);
    }

    /// <summary>
    /// Trains on a stream of batches (Keras' <c>fit</c> on a generator or <c>tf.data.Dataset</c>). Without
    /// <paramref name="stepsPerEpoch"/> every epoch enumerates <paramref name="batches"/> from the start; with it,
    /// each epoch takes the next <paramref name="stepsPerEpoch"/> batches from one running enumeration (an
    /// endless stream works), and training stops, as in Keras, when the stream runs dry.
    /// </summary>
    /// <param name="batches">Batches of (inputs, targets); targets as for
    /// <c>Fit(x, y, …)</c>.
    /// Tensors are used within their step only (a <c>DataLoader</c> may dispose them afterwards).</param>
    /// <param name="epochs">Index of the last epoch + 1.</param>
    /// <param name="stepsPerEpoch">Batches per epoch, or <see langword="null"/> for one full pass.</param>
    /// <param name="validationData">Data evaluated after every epoch.</param>
    /// <param name="verbose">As for the tensor overload.</param>
    /// <param name="callbacks">Callbacks.</param>
    /// <param name="initialEpoch">Epoch to start at.</param>
    /// <param name="validationBatchSize">Batch size for evaluating <paramref name="validationData"/>.</param>
    /// <returns>The per-epoch history.</returns>
    public History Fit(IEnumerable<(Tensor X, Tensor Y)> batches, int epochs = 1, int? stepsPerEpoch = null,
        (Tensor X, Tensor Y)? validationData = null, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        int initialEpoch = 0, int validationBatchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (stepsPerEpoch is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch,
                $"Expected `stepsPerEpoch` to be >= 1, but got {stepsPerEpoch}.");
        }

        CheckCompiled(epochs, initialEpoch);
        using var fitScope = torch.NewDisposeScope();
        PreparedBatch? validation = validationData is { } v
            ? PrepareData(v.X, v.Y, "validationData.X", "validationData.Y")
            : null;
        using IEnumerator<(Tensor X, Tensor Y)>? running = stepsPerEpoch is null ? null : batches.GetEnumerator();
        IEnumerable<PreparedBatch> EpochBatches(int epoch)
        {
            int b = 0;
            if (running is null)
            {
                foreach ((Tensor bx, Tensor by) in batches)
                {
                    yield return PrepareData(bx, by, $"batch {b} X", $"batch {b} Y");
                    b++;
                }

                yield break;
            }

            for (; b < stepsPerEpoch; b++)
            {
                if (!running.MoveNext())
                {
                    Log($"Epoch {epoch + 1}: the input ran out of data after {b} of {stepsPerEpoch} steps; "
                        + "training stops.");
                    StopTraining = true;
                    yield break;
                }

                yield return PrepareData(running.Current.X, running.Current.Y, $"batch {b} X", $"batch {b} Y");
            }
        }

        return RunEpochs(EpochBatches, stepsPerEpoch ?? -1, epochs, initialEpoch, validation, validationBatchSize,
            verbose, callbacks);
    }

    /// <summary>Trains from a TorchSharp <c>DataLoader</c> whose batches are dictionaries (TorchSharp's datasets
    /// use the keys <c>data</c> and <c>label</c>).</summary>
    /// <param name="loader">The loader (not disposed here).</param>
    /// <param name="epochs">Index of the last epoch + 1.</param>
    /// <param name="stepsPerEpoch">Batches per epoch, or <see langword="null"/> for one full pass.</param>
    /// <param name="validationData">Data evaluated after every epoch.</param>
    /// <param name="verbose">As for the tensor overload.</param>
    /// <param name="callbacks">Callbacks.</param>
    /// <param name="initialEpoch">Epoch to start at.</param>
    /// <param name="xKey">Key of the inputs in each batch.</param>
    /// <param name="yKey">Key of the targets in each batch.</param>
    /// <returns>The per-epoch history.</returns>
    public History Fit(TorchSharp.Modules.DataLoader loader, int epochs = 1, int? stepsPerEpoch = null,
        (Tensor X, Tensor Y)? validationData = null, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        int initialEpoch = 0, string xKey = "data", string yKey = "label")
    {
        ArgumentNullException.ThrowIfNull(loader);
        return Fit(loader.Select(batch => (Pick(batch, xKey, nameof(xKey)), Pick(batch, yKey, nameof(yKey)))),
            epochs, stepsPerEpoch, validationData, verbose, callbacks, initialEpoch);
    }

    /// <summary>The number of epochs completed by <c>Fit(x, y, …)</c>
    /// so far (saved by <see cref="Save"/>; pass it as <c>initialEpoch</c> to resume).</summary>
    public int CompletedEpochs { get; private set; }

    private static Tensor Pick(Dictionary<string, Tensor> batch, string key, string paramName)
        => batch.TryGetValue(key, out Tensor? t) ? t : throw new ArgumentException(
            $"A DataLoader batch has no key `{key}`; it has {string.Join(", ", batch.Keys)}.", paramName);

    private void CheckCompiled(int epochs, int initialEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialEpoch);
        if (epochs <= initialEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs,
                $"Expected `epochs` ({epochs}) to exceed `initialEpoch` ({initialEpoch}), at least 1.");
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = Loss ?? throw new InvalidOperationException("Call Compile before Fit.");
    }
}
