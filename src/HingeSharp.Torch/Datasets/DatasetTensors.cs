using static TorchSharp.torch;

namespace HingeSharp.Torch.Datasets;

/// <summary>Conversions of the array data sets to TorchSharp tensors.</summary>
public static class DatasetTensors
{
    /// <summary>
    /// The features as a <c>(n, 2)</c> tensor and the labels as a <c>(n,)</c> tensor, both of
    /// <paramref name="dtype"/> (float32 by default, what Keras-style training uses).
    /// </summary>
    /// <param name="data">The data set.</param>
    /// <param name="signedLabels">Map label 0 to −1 (and others to +1), the tutorial's
    /// <c>y[where(y == 0)] = -1</c>.</param>
    /// <param name="dtype">Element type of both tensors.</param>
    /// <param name="device">Target device; <see langword="null"/> for the CPU.</param>
    /// <returns>The two tensors, registered in the current dispose scope.</returns>
    public static (Tensor X, Tensor Y) ToTensors(this CirclesData data, bool signedLabels = false,
        ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var flat = new double[data.Count * 2];
        Buffer.BlockCopy(data.X, 0, flat, 0, flat.Length * sizeof(double));
        int[] labels = signedLabels ? data.SignedLabels() : data.Y;
        Tensor x = tensor(flat, [data.Count, 2], ScalarType.Float64).to(dtype, device ?? CPU, disposeAfter: true);
        Tensor y = tensor(labels, ScalarType.Int32).to(dtype, device ?? CPU, disposeAfter: true);
        return (x, y);
    }
}
