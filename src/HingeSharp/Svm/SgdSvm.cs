using System.Numerics;
using System.Text.Json;

namespace HingeSharp.Svm;

/// <summary>The step-size schedule of <see cref="SgdSvm"/> (scikit-learn's <c>learning_rate</c>).</summary>
public enum SgdLearningRate
{
    /// <summary><c>η = 1 / (α·(t₀ + t − 1))</c> with Bottou's t₀ = 1/(α·√(1/√α)) (scikit-learn's default).</summary>
    Optimal = 0,

    /// <summary><c>η = η₀ / t^power_t</c>.</summary>
    InvScaling = 1,
}

/// <summary>
/// A linear SVM trained by stochastic gradient descent as scikit-learn's <c>SGDClassifier(loss="hinge",
/// penalty="l2")</c>: one sample at a time, w ← (1 − ηα)·w, then w += η·y·x (and b += η·y) when y·(w·x + b) ≤ 1.
/// Multi-class is one-vs-rest. <see cref="PartialFit{TLabel}(ReadOnlySpan{float}, int, ReadOnlySpan{TLabel}, ReadOnlySpan{long})"/>
/// makes one pass over a chunk and keeps the step counter, so data that does not fit in memory can be streamed in
/// chunks (e.g. straight from a file reader).
/// </summary>
/// <example><code>
/// var sgd = new SgdSvm(alpha: 1e-4);
/// foreach (var (xChunk, yChunk) in chunks)
///     sgd.PartialFit(xChunk, columns: 100, yChunk, classes: [0, 1]);
/// long[] labels = sgd.Predict(xTest);
/// </code></example>
public sealed class SgdSvm : LinearClassifier
{
    private double[][] _w = [];
    private double[] _b = [];
    private double[] _scale = [];

    /// <summary>Creates an unfitted model (scikit-learn's defaults).</summary>
    /// <param name="alpha">L2 regularisation strength, &gt; 0.</param>
    /// <param name="learningRate">The step-size schedule.</param>
    /// <param name="eta0">Initial step for <see cref="SgdLearningRate.InvScaling"/> (must then be &gt; 0).</param>
    /// <param name="powerT">Exponent of <see cref="SgdLearningRate.InvScaling"/>.</param>
    /// <param name="fitIntercept">Learn an (unregularised) intercept.</param>
    /// <param name="maxIter">Most epochs of <c>Fit</c>.</param>
    /// <param name="tol">Stop when an epoch's summed loss is not below the best minus <c>tol·n</c> for
    /// <paramref name="nIterNoChange"/> epochs in a row.</param>
    /// <param name="nIterNoChange">Epochs without improvement before stopping.</param>
    /// <param name="shuffle">Shuffle the samples every epoch.</param>
    /// <param name="seed">Seed of the shuffles.</param>
    /// <exception cref="HingeArgumentException">A setting is out of range.</exception>
    public SgdSvm(double alpha = 1e-4, SgdLearningRate learningRate = SgdLearningRate.Optimal, double eta0 = 0.0,
        double powerT = 0.5, bool fitIntercept = true, int maxIter = 1000, double tol = 1e-3, int nIterNoChange = 5,
        bool shuffle = true, int seed = 0)
    {
        if (!double.IsFinite(alpha) || alpha <= 0)
        {
            ThrowHelper.ThrowArgument(nameof(alpha), $"Expected `alpha` to be > 0, but got {ThrowHelper.Format(alpha)}.");
        }

        if (learningRate == SgdLearningRate.InvScaling && !(eta0 > 0 && double.IsFinite(eta0)))
        {
            ThrowHelper.ThrowArgument(nameof(eta0),
                $"eta0 must be > 0 for the invscaling schedule, but got {ThrowHelper.Format(eta0)}.");
        }

        if (!Enum.IsDefined(learningRate) || maxIter < 1 || nIterNoChange < 1 || !double.IsFinite(powerT))
        {
            ThrowHelper.ThrowArgument(nameof(learningRate), $"Bad setting: learning_rate {(int)learningRate}, " +
                $"max_iter {maxIter}, n_iter_no_change {nIterNoChange}, power_t {ThrowHelper.Format(powerT)}.");
        }

        Alpha = alpha;
        LearningRate = learningRate;
        Eta0 = eta0;
        PowerT = powerT;
        FitIntercept = fitIntercept;
        MaxIter = maxIter;
        Tol = tol;
        NIterNoChange = nIterNoChange;
        Shuffle = shuffle;
        Seed = seed;
    }

    /// <summary>L2 regularisation strength.</summary>
    public double Alpha { get; }

    /// <summary>The step-size schedule.</summary>
    public SgdLearningRate LearningRate { get; }

    /// <summary>Initial step (invscaling).</summary>
    public double Eta0 { get; }

    /// <summary>Exponent (invscaling).</summary>
    public double PowerT { get; }

    /// <summary>Whether an intercept is learned.</summary>
    public bool FitIntercept { get; }

    /// <summary>Most epochs of <c>Fit</c>.</summary>
    public int MaxIter { get; }

    /// <summary>Stopping tolerance of <c>Fit</c>.</summary>
    public double Tol { get; }

    /// <summary>Epochs without improvement before <c>Fit</c> stops.</summary>
    public int NIterNoChange { get; }

    /// <summary>Whether samples are shuffled each epoch.</summary>
    public bool Shuffle { get; }

    /// <summary>Seed of the shuffles.</summary>
    public int Seed { get; }

    /// <summary>Epochs of the last <c>Fit</c> (the most over the one-vs-rest problems), or 1 per
    /// <c>PartialFit</c> call.</summary>
    public int Epochs { get; private set; }

    /// <summary>The step counter t (scikit-learn's <c>t_</c>): 1 + the number of updates so far.</summary>
    public double TimeStep { get; private set; } = 1.0;

    internal override string Kind => "SgdSvm";

    /// <summary>Fits from scratch: epochs over the whole data until the loss stops improving or
    /// <see cref="MaxIter"/>.</summary>
    /// <param name="x">Row-major features.</param>
    /// <param name="columns">Features per row.</param>
    /// <param name="y">Integer labels, at least two distinct.</param>
    /// <returns>This model.</returns>
    /// <exception cref="HingeArgumentException">Bad shapes, non-finite features or fewer than two classes.</exception>
    public SgdSvm Fit<TLabel>(ReadOnlySpan<float> x, int columns, ReadOnlySpan<TLabel> y)
        where TLabel : IBinaryInteger<TLabel> => FitCore(x, columns, y);

    /// <inheritdoc cref="Fit{TLabel}(ReadOnlySpan{float}, int, ReadOnlySpan{TLabel})"/>
    public SgdSvm Fit<TLabel>(ReadOnlySpan<double> x, int columns, ReadOnlySpan<TLabel> y)
        where TLabel : IBinaryInteger<TLabel> => FitCore(x, columns, y);

    /// <summary>One pass over a chunk, continuing from the current weights and step counter.</summary>
    /// <param name="x">Row-major features of the chunk.</param>
    /// <param name="columns">Features per row (the same in every call).</param>
    /// <param name="y">The chunk's labels; each must be one of the classes.</param>
    /// <param name="classes">All labels, required on the first call (as scikit-learn's <c>classes</c>); later calls
    /// may pass the same set or nothing.</param>
    /// <returns>This model.</returns>
    /// <exception cref="HingeArgumentException">No classes on the first call, a label outside them, a column count
    /// that differs from the first call, or non-finite features. The model is unchanged.</exception>
    public SgdSvm PartialFit<TLabel>(ReadOnlySpan<float> x, int columns, ReadOnlySpan<TLabel> y,
        ReadOnlySpan<long> classes = default)
        where TLabel : IBinaryInteger<TLabel> => PartialCore(x, columns, y, classes);

    /// <inheritdoc cref="PartialFit{TLabel}(ReadOnlySpan{float}, int, ReadOnlySpan{TLabel}, ReadOnlySpan{long})"/>
    public SgdSvm PartialFit<TLabel>(ReadOnlySpan<double> x, int columns, ReadOnlySpan<TLabel> y,
        ReadOnlySpan<long> classes = default)
        where TLabel : IBinaryInteger<TLabel> => PartialCore(x, columns, y, classes);

    private SgdSvm FitCore<T, TLabel>(ReadOnlySpan<T> x, int columns, ReadOnlySpan<TLabel> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLabel : IBinaryInteger<TLabel>
    {
        var rows = SvmData.Rows(x, columns);
        var (classes, index) = SvmData.Encode(y, rows);
        Start(classes, columns);
        TimeStep = 1.0;
        Run(x, columns, index, MaxIter, stopEarly: true, fitCall: 0);
        return this;
    }

    private SgdSvm PartialCore<T, TLabel>(ReadOnlySpan<T> x, int columns, ReadOnlySpan<TLabel> y,
        ReadOnlySpan<long> classes)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLabel : IBinaryInteger<TLabel>
    {
        var rows = SvmData.Rows(x, columns);
        long[] known;
        if (IsFitted)
        {
            known = _classes;
            if (!classes.IsEmpty && !classes.ToArray().Distinct().Order().SequenceEqual(known))
            {
                ThrowHelper.ThrowArgument(nameof(classes), "`classes` is not the same as on the first call to " +
                    $"PartialFit: [{string.Join(", ", known)}].");
            }

            if (columns != NumFeatures)
            {
                ThrowHelper.ThrowArgument(nameof(columns), $"Number of features {columns} does not match previous " +
                    $"data {NumFeatures}.");
            }
        }
        else
        {
            known = classes.ToArray().Distinct().Order().ToArray();
            if (known.Length < 2)
            {
                ThrowHelper.ThrowArgument(nameof(classes), "classes must be passed on the first call to PartialFit " +
                    "(at least two distinct labels).");
            }
        }

        if (y.Length != rows)
        {
            ThrowHelper.ThrowArgument(nameof(y), $"Found input variables with inconsistent numbers of samples: x has " +
                $"{rows} rows, y has {y.Length} labels.");
        }

        var index = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            var at = SvmData.TryLong(y[i], out var label) ? Array.BinarySearch(known, label) : -1;
            if (at < 0)
            {
                ThrowHelper.ThrowArgument(nameof(y), $"`y[{i}]` = {y[i]} is not one of the classes " +
                    $"[{string.Join(", ", known)}].", i);
            }

            index[i] = at;
        }

        if (!IsFitted)
        {
            Start(known, columns);
        }

        Run(x, columns, index, 1, stopEarly: false, fitCall: (int)Math.Min(TimeStep, int.MaxValue));
        return this;
    }

    private void Start(long[] classes, int columns)
    {
        var columnsOut = classes.Length == 2 ? 1 : classes.Length;
        _w = new double[columnsOut][];
        for (var k = 0; k < columnsOut; k++)
        {
            _w[k] = new double[columns];
        }

        _b = new double[columnsOut];
        _scale = Enumerable.Repeat(1.0, columnsOut).ToArray();
        SetModel(classes, columns, new double[columnsOut * columns], new double[columnsOut]);
    }

    private void Run<T>(ReadOnlySpan<T> x, int columns, int[] classIndex, int epochs, bool stopEarly, int fitCall)
        where T : unmanaged
    {
        var rows = classIndex.Length;
        var y = new double[rows];
        var order = new int[rows];
        var maxEpochs = 0;
        for (var k = 0; k < _w.Length; k++)
        {
            var positive = _w.Length == 1 ? 1 : k;
            for (var i = 0; i < rows; i++)
            {
                y[i] = classIndex[i] == positive ? 1.0 : -1.0;
            }

            var rng = new SplitMix64(SplitMix64.Derive(Seed, fitCall * 65_537 + k));
            var settings = new SgdRun(Alpha, LearningRate, Eta0, PowerT, FitIntercept, Shuffle, Tol, NIterNoChange);
            var done = SgdRun.Epochs(settings, x, columns, y, order, _w[k], ref _b[k], ref _scale[k], TimeStep, epochs,
                stopEarly, ref rng);
            maxEpochs = Math.Max(maxEpochs, done);
            for (var j = 0; j < columns; j++)
            {
                _coef[k * columns + j] = _w[k][j] * _scale[k];
            }

            _intercept[k] = _b[k];
        }

        Epochs = maxEpochs;
        TimeStep += (double)maxEpochs * rows;
    }

    internal override void WriteDetails(Utf8JsonWriter writer)
    {
        writer.WriteNumber("alpha", Alpha);
        writer.WriteString("learning_rate", LearningRate == SgdLearningRate.Optimal ? "optimal" : "invscaling");
        writer.WriteNumber("eta0", Eta0);
        writer.WriteNumber("power_t", PowerT);
        writer.WriteBoolean("fit_intercept", FitIntercept);
        writer.WriteNumber("max_iter", MaxIter);
        writer.WriteNumber("tol", Tol);
        writer.WriteNumber("n_iter_no_change", NIterNoChange);
        writer.WriteBoolean("shuffle", Shuffle);
        writer.WriteNumber("seed", Seed);
        writer.WriteNumber("t", TimeStep);
        writer.WriteNumber("epochs", Epochs);
    }

    /// <summary>Restores the step counter of a loaded model (PartialFit continues from it).</summary>
    internal void SetStep(double t, int epochs)
    {
        TimeStep = t;
        Epochs = epochs;
    }

    /// <summary>After loading, the per-column working weights come from the saved coefficients.</summary>
    internal void RestoreWorkingWeights()
    {
        _w = new double[DecisionColumns][];
        for (var k = 0; k < DecisionColumns; k++)
        {
            _w[k] = _coef.AsSpan(k * NumFeatures, NumFeatures).ToArray();
        }

        _b = (double[])_intercept.Clone();
        _scale = Enumerable.Repeat(1.0, DecisionColumns).ToArray();
    }
}
