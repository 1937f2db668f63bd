using System.Numerics;

namespace HingeSharp.Svm;

/// <summary>
/// A fitted linear classifier: one weight row and intercept per decision column (one column for two classes, one per
/// class otherwise), as scikit-learn's <c>coef_</c>, <c>intercept_</c> and <c>classes_</c>. Decision values are raw
/// margins: feed them to the hinge metrics and <see cref="Reports.MarginReport"/> with
/// <see cref="HingeInputKind.Margins"/>.
/// </summary>
public abstract class LinearClassifier
{
    private protected long[] _classes = [];
    private protected double[] _coef = [];
    private protected double[] _intercept = [];

    /// <summary>The training labels, sorted ascending; empty before fitting.</summary>
    public IReadOnlyList<long> Classes => _classes;

    /// <summary>The number of features the model was fitted on (0 before fitting).</summary>
    public int NumFeatures { get; private protected set; }

    /// <summary>Whether the model has been fitted (or loaded).</summary>
    public bool IsFitted => _classes.Length > 0;

    /// <summary>Decision columns: 1 for two classes (positive class <c>Classes[1]</c>), else one per class.</summary>
    public int DecisionColumns => _intercept.Length;

    /// <summary>The weights, <c>[DecisionColumns, NumFeatures]</c> (a copy).</summary>
    public double[,] Coef
    {
        get
        {
            var result = new double[DecisionColumns, NumFeatures];
            for (var k = 0; k < DecisionColumns; k++)
            {
                for (var j = 0; j < NumFeatures; j++)
                {
                    result[k, j] = _coef[k * NumFeatures + j];
                }
            }

            return result;
        }
    }

    /// <summary>The intercepts, one per decision column (a copy).</summary>
    public double[] Intercept => (double[])_intercept.Clone();

    /// <summary>Decision values <c>w·x + b</c>, row-major <c>[rows, DecisionColumns]</c>.</summary>
    /// <param name="x">Row-major features, <see cref="NumFeatures"/> per row.</param>
    /// <exception cref="HingeArgumentException">The model is not fitted, the length is not a whole number of rows,
    /// or a value is not finite.</exception>
    public double[] DecisionFunction(ReadOnlySpan<float> x) => Decide(x);

    /// <inheritdoc cref="DecisionFunction(ReadOnlySpan{float})"/>
    public double[] DecisionFunction(ReadOnlySpan<double> x) => Decide(x);

    /// <summary>Predicted labels: the sign of the decision value for two classes, else the class of the largest
    /// decision value (the first on ties).</summary>
    /// <param name="x">Row-major features, <see cref="NumFeatures"/> per row.</param>
    /// <exception cref="HingeArgumentException">As <see cref="DecisionFunction(ReadOnlySpan{float})"/>.</exception>
    public long[] Predict(ReadOnlySpan<float> x) => Labels(Decide(x));

    /// <inheritdoc cref="Predict(ReadOnlySpan{float})"/>
    public long[] Predict(ReadOnlySpan<double> x) => Labels(Decide(x));

    /// <summary>The share of rows whose predicted label equals <paramref name="y"/>.</summary>
    /// <param name="x">Row-major features.</param>
    /// <param name="y">One label per row.</param>
    /// <exception cref="HingeArgumentException">Bad features, or the label count differs from the row count.</exception>
    public double Score<TLabel>(ReadOnlySpan<float> x, ReadOnlySpan<TLabel> y)
        where TLabel : IBinaryInteger<TLabel> => Accuracy(Predict(x), y);

    /// <inheritdoc cref="Score{TLabel}(ReadOnlySpan{float}, ReadOnlySpan{TLabel})"/>
    public double Score<TLabel>(ReadOnlySpan<double> x, ReadOnlySpan<TLabel> y)
        where TLabel : IBinaryInteger<TLabel> => Accuracy(Predict(x), y);

    /// <summary>Saves the model as versioned JSON (<c>hingesharp.linear-model</c>), atomically: a temporary file in
    /// the same folder replaces <paramref name="path"/> only when complete.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        RequireFitted();
        LinearModelFile.Save(this, path);
    }

    /// <summary>Writes the model as versioned JSON to a stream (not closed).</summary>
    /// <param name="stream">Receives UTF-8 JSON.</param>
    /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
    public void Save(Stream stream)
    {
        RequireFitted();
        LinearModelFile.Write(this, stream);
    }

    /// <summary>Loads a model saved by <see cref="Save(string)"/>: a <see cref="LinearSvc"/> or an
    /// <see cref="SgdSvm"/>, ready to decide and predict.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="LinearModelException">The file is not a valid version-1 linear model (truncated, foreign, or
    /// a bad field); the message starts with <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static LinearClassifier Load(string path) => LinearModelFile.Load(path);

    /// <summary>Loads a model from a stream of UTF-8 JSON (read to its end; not closed).</summary>
    /// <param name="stream">The JSON.</param>
    /// <returns>The model.</returns>
    /// <exception cref="LinearModelException">The text is not a valid version-1 linear model.</exception>
    public static LinearClassifier Load(Stream stream) => LinearModelFile.Read(stream);

    /// <summary>The model kind written to its file (<c>LinearSvc</c> or <c>SgdSvm</c>).</summary>
    internal abstract string Kind { get; }

    internal long[] ClassArray => _classes;

    internal double[] CoefArray => _coef;

    internal double[] InterceptArray => _intercept;

    /// <summary>Writes the kind-specific settings and fit results.</summary>
    internal abstract void WriteDetails(System.Text.Json.Utf8JsonWriter writer);

    /// <summary>Sets the fitted arrays (loading).</summary>
    internal void SetModel(long[] classes, int features, double[] coef, double[] intercept)
    {
        _classes = classes;
        NumFeatures = features;
        _coef = coef;
        _intercept = intercept;
    }

    private protected void RequireFitted()
    {
        if (!IsFitted)
        {
            throw new InvalidOperationException(
                $"This {GetType().Name} instance is not fitted yet: call Fit (or load a saved model) first.");
        }
    }

    private double[] Decide<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireFitted();
        var rows = SvmData.Rows(x, NumFeatures);
        var cols = DecisionColumns;
        var result = new double[rows * cols];
        for (var i = 0; i < rows; i++)
        {
            var row = SvmData.Row(x, NumFeatures, i);
            for (var k = 0; k < cols; k++)
            {
                result[i * cols + k] = SvmData.Dot(row, _coef.AsSpan(k * NumFeatures, NumFeatures)) + _intercept[k];
            }
        }

        return result;
    }

    private long[] Labels(double[] decision)
    {
        var cols = DecisionColumns;
        var rows = decision.Length / cols;
        var labels = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            if (cols == 1)
            {
                labels[i] = _classes[decision[i] > 0 ? 1 : 0];
                continue;
            }

            var best = 0;
            for (var k = 1; k < cols; k++)
            {
                if (decision[i * cols + k] > decision[i * cols + best])
                {
                    best = k;
                }
            }

            labels[i] = _classes[best];
        }

        return labels;
    }

    private static double Accuracy<TLabel>(long[] predicted, ReadOnlySpan<TLabel> y)
        where TLabel : IBinaryInteger<TLabel>
    {
        if (y.Length != predicted.Length)
        {
            ThrowHelper.ThrowArgument("y", $"Found input variables with inconsistent numbers of samples: x has " +
                $"{predicted.Length} rows, y has {y.Length} labels.");
        }

        var correct = 0L;
        for (var i = 0; i < y.Length; i++)
        {
            if (SvmData.TryLong(y[i], out var label) && label == predicted[i])
            {
                correct++;
            }
        }

        return predicted.Length == 0 ? double.NaN : (double)correct / predicted.Length;
    }
}
