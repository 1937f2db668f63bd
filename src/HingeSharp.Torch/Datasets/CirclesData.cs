namespace HingeSharp.Torch.Datasets;

/// <summary>
/// A two-feature binary data set as scikit-learn returns it: features <see cref="X"/> of shape (n, 2) and
/// integer labels <see cref="Y"/> of length n.
/// </summary>
public sealed class CirclesData
{
    /// <summary>Creates the data set from its arrays (not copied).</summary>
    /// <param name="x">Features, shape (n, 2).</param>
    /// <param name="y">Labels, length n.</param>
    /// <exception cref="ArgumentException">The row count of <paramref name="x"/> differs from the length of
    /// <paramref name="y"/>, or <paramref name="x"/> does not have 2 columns.</exception>
    public CirclesData(double[,] x, int[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.GetLength(1) != 2)
        {
            throw new ArgumentException($"Expected `x` to have 2 columns, but got {x.GetLength(1)}.", nameof(x));
        }

        if (x.GetLength(0) != y.Length)
        {
            throw new ArgumentException(
                $"Expected `y` to have one label per row of `x` ({x.GetLength(0)}), but got {y.Length}.",
                nameof(y));
        }

        X = x;
        Y = y;
    }

    /// <summary>Features, shape (n, 2): column 0 is the x coordinate, column 1 the y coordinate.</summary>
    public double[,] X { get; }

    /// <summary>Labels, length n: 0 for the outer circle, 1 for the inner one.</summary>
    public int[] Y { get; }

    /// <summary>Number of samples n.</summary>
    public int Count => Y.Length;

    /// <summary>Copies rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>),
    /// like numpy's <c>X[start:start+length]</c> (the tutorial's train/test split).</summary>
    /// <param name="start">First row.</param>
    /// <param name="length">Number of rows.</param>
    /// <returns>A new data set holding copies of those rows.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside [0, <see cref="Count"/>].
    /// </exception>
    public CirclesData Slice(int start, int length)
    {
        if (start < 0 || length < 0 || start > Count - length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"Rows [{start}, {start}+{length}) are outside the data set of {Count} samples.");
        }

        var x = new double[length, 2];
        var y = new int[length];
        for (int i = 0; i < length; i++)
        {
            x[i, 0] = X[start + i, 0];
            x[i, 1] = X[start + i, 1];
            y[i] = Y[start + i];
        }

        return new CirclesData(x, y);
    }

    /// <summary>The labels with 0 mapped to −1 and every other label to +1, the ±1 form hinge losses take
    /// (the tutorial's <c>y[where(y == 0)] = -1</c>).</summary>
    /// <returns>A new array.</returns>
    public int[] SignedLabels()
    {
        var signed = new int[Y.Length];
        for (int i = 0; i < signed.Length; i++)
        {
            signed[i] = Y[i] == 0 ? -1 : 1;
        }

        return signed;
    }
}
