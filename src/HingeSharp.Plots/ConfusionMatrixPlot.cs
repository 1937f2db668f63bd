using System.Globalization;
using ScottPlot;

namespace HingeSharp.Plots;

/// <summary>
/// A confusion-matrix heatmap (torchmetrics' <c>ConfusionMatrix.plot()</c>): rows are the true classes (top to
/// bottom), columns the predicted classes, each cell shaded by its share of its row and labelled with its value.
/// </summary>
/// <example><code>
/// using var chart = ConfusionMatrixPlot.Create(metric.Compute().ToRows(), ["cat", "dog", "bird"]);
/// chart.Save("confusion.png");
/// </code></example>
public static class ConfusionMatrixPlot
{
    /// <summary>Draws a square matrix.</summary>
    /// <param name="matrix">matrix[true][predicted]: counts or normalised values, finite and ≥ 0.</param>
    /// <param name="labels">Class names (default: the class indices).</param>
    /// <param name="title">The chart's title.</param>
    /// <exception cref="ArgumentException">The matrix is empty or not square, a value is negative or not finite, or
    /// the label count is not the class count.</exception>
    public static Chart Create(IReadOnlyList<IReadOnlyList<double>> matrix, IReadOnlyList<string>? labels = null,
        string title = "Confusion matrix")
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int c = matrix.Count;
        if (c == 0 || matrix.Any(r => r is null || r.Count != c))
        {
            throw new ArgumentException($"Expected a square matrix with at least one class, but got {c} rows",
                nameof(matrix));
        }

        if (matrix.SelectMany(r => r).Any(v => !double.IsFinite(v) || v < 0))
        {
            throw new ArgumentException("Expected finite values ≥ 0 in `matrix`", nameof(matrix));
        }

        if (labels is not null && labels.Count != c)
        {
            throw new ArgumentException($"Expected {c} labels (one per class), but got {labels.Count}", nameof(labels));
        }

        string[] names = labels?.ToArray() ?? Enumerable.Range(0, c).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        Plot plot = Theme.NewPlot(title, "Predicted class", "True class");
        var colormap = new ScottPlot.Colormaps.Viridis();
        bool integers = matrix.SelectMany(r => r).All(v => v == Math.Floor(v));
        for (int r = 0; r < c; r++)
        {
            double rowSum = matrix[r].Sum();
            for (int j = 0; j < c; j++)
            {
                double value = matrix[r][j];
                double share = rowSum > 0 ? value / rowSum : 0;
                double y = c - 1 - r;
                var cell = plot.Add.Rectangle(j - 0.5, j + 0.5, y - 0.5, y + 0.5);
                cell.FillStyle.Color = colormap.GetColor(share);
                cell.LineStyle.Width = 0;
                var text = plot.Add.Text(integers
                    ? value.ToString("0", CultureInfo.InvariantCulture)
                    : value.ToString("0.###", CultureInfo.InvariantCulture), j, y);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = share > 0.5 ? Colors.Black : Colors.White;
                text.LabelFontSize = c <= 10 ? 14 : 9;
            }
        }

        double[] positions = Enumerable.Range(0, c).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, names);
        plot.Axes.Left.SetTicks(positions.Reverse().ToArray(), names);
        plot.Axes.SetLimits(-0.5, c - 0.5, -0.5, c - 0.5);
        return new Chart([plot], 560, 520);
    }
}
