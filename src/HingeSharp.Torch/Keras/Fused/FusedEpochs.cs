namespace HingeSharp.Torch.Keras.Fused;

/// <summary>
/// The epochs of one <c>Fit(x, y, …)</c> call on the fused path, as <c>Sequential.RunEpochs</c> runs them in
/// place of the autograd steps: each epoch copies the model's weights and the optimizer's slots in (callbacks may
/// have changed them), trains on <see cref="Data"/> with the same shuffle and batches as the autograd loop, and
/// writes them back before validation and the epoch-end callbacks (so <c>Save</c>, checkpoints and the
/// validation pass see the trained state).
/// </summary>
/// <param name="Trainer">The fused trainer (owned by the caller).</param>
/// <param name="Data">The prepared training data (<see cref="FusedTrainer.Supports"/> holds).</param>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="Shuffle">Whether each epoch draws a permutation from the model's generator.</param>
internal sealed record FusedEpochs(FusedTrainer Trainer, PreparedBatch Data, int BatchSize, bool Shuffle)
{
    /// <summary>One epoch; returns <c>loss</c> and the metrics.</summary>
    /// <param name="onBatch">Called with (batch index, batch loss) after every step, or <see langword="null"/>.
    /// </param>
    public Dictionary<string, double> Train(Action<int, double>? onBatch)
    {
        Trainer.LoadParameters();
        try
        {
            return Trainer.TrainEpoch(Data.X, Data.YLoss, Data.YRaw, BatchSize, Shuffle, Trainer.Model.Generator,
                onBatch);
        }
        finally
        {
            Trainer.StoreParameters();
        }
    }
}
