using System.Numerics;
using System.Text.Json;

namespace HingeSharp.Svm;

/// <summary>
/// A linear support vector classifier trained as scikit-learn's <c>LinearSVC</c> trains it (LIBLINEAR, in managed
/// code): L2-regularised hinge or squared-hinge loss by dual coordinate descent with shrinking and random permutation
/// (Hsieh et al. 2008), one-vs-rest (the binary problems solved in parallel) or Crammer–Singer for more classes.
/// </summary>
/// <remarks>
/// <para>The intercept is LIBLINEAR's: the weight of an extra feature of value <see cref="InterceptScaling"/>, so it is
/// regularised like the other weights, and <c>Intercept = InterceptScaling · w_extra</c>. Each binary problem
/// minimises ½(‖w‖² + (b/s)²) + Σᵢ Cᵢ·loss(yᵢ(w·xᵢ + b)); <see cref="PrimalObjective"/> sums it over the problems.
/// Class weights multiply C as in LIBLINEAR: for two classes each sample's C is <c>C·weight(its class)</c>; in
/// one-vs-rest with more classes the positive samples of problem k get <c>C·weight(k)</c>, the rest <c>C</c>;
/// Crammer–Singer uses <c>C·weight(yᵢ)</c>.</para>
/// <para>Features are dense, row-major float32 or float64 (float32 is widened exactly, so a float32 matrix and its
/// float64 copy give the same model). The random order of the coordinates comes from <see cref="Seed"/>: the same
/// seed, data and settings give the same model bit for bit, whatever the number of threads.</para>
/// </remarks>
/// <example><code>
/// var svc = new LinearSvc(c: 1.0, loss: SvmLoss.Hinge, maxIter: 100_000);
/// svc.Fit(xTrain, columns: 8, yTrain);          // float[] or double[] row-major, integer labels
/// double[] margins = svc.DecisionFunction(xTest); // raw margins, one per row for two classes
/// long[] labels = svc.Predict(xTest);
/// svc.PrimalObjective; svc.Iterations; svc.Converged;
/// </code></example>
public sealed class LinearSvc : LinearClassifier
{
    /// <summary>Creates an unfitted classifier (scikit-learn's defaults).</summary>
    /// <param name="c">Regularisation: the weight of the loss term, &gt; 0.</param>
    /// <param name="loss">Hinge or squared hinge (one-vs-rest only).</param>
    /// <param name="multiClass">One-vs-rest or Crammer–Singer (used with more than two classes; scikit-learn also
    /// uses Crammer–Singer for two classes when asked, and so does this).</param>
    /// <param name="tol">Stopping tolerance on the projected-gradient gap (LIBLINEAR's eps), &gt; 0.</param>
    /// <param name="maxIter">Most outer iterations per problem, ≥ 1.</param>
    /// <param name="fitIntercept">Learn an intercept (as a regularised extra feature).</param>
    /// <param name="interceptScaling">The extra feature's value s, &gt; 0.</param>
    /// <param name="classWeight">Per-class multipliers of C, or <see cref="SvmClassWeight.Balanced"/>; null for none.</param>
    /// <param name="seed">Seed of the coordinate order.</param>
    /// <exception cref="HingeArgumentException">A setting is out of range.</exception>
    public LinearSvc(double c = 1.0, SvmLoss loss = SvmLoss.SquaredHinge,
        SvmMultiClass multiClass = SvmMultiClass.OneVsRest, double tol = 1e-4, int maxIter = 1000,
        bool fitIntercept = true, double interceptScaling = 1.0, SvmClassWeight? classWeight = null, int seed = 0)
    {
        Positive(nameof(c), "C", c);
        Positive(nameof(tol), "tol", tol);
        Positive(nameof(interceptScaling), "intercept_scaling", interceptScaling);
        if (maxIter < 1)
        {
            ThrowHelper.ThrowArgument(nameof(maxIter), $"Expected `max_iter` to be at least 1, but got {maxIter}.");
        }

        if (!Enum.IsDefined(loss) || !Enum.IsDefined(multiClass))
        {
            ThrowHelper.ThrowArgument(!Enum.IsDefined(loss) ? nameof(loss) : nameof(multiClass),
                $"Undefined setting: loss {(int)loss}, multi_class {(int)multiClass}.");
        }

        C = c;
        Loss = loss;
        MultiClass = multiClass;
        Tol = tol;
        MaxIter = maxIter;
        FitIntercept = fitIntercept;
        InterceptScaling = interceptScaling;
        ClassWeight = classWeight;
        Seed = seed;
    }

    /// <summary>Regularisation parameter C.</summary>
    public double C { get; }

    /// <summary>The loss.</summary>
    public SvmLoss Loss { get; }

    /// <summary>The multi-class strategy.</summary>
    public SvmMultiClass MultiClass { get; }

    /// <summary>Stopping tolerance.</summary>
    public double Tol { get; }

    /// <summary>Most outer iterations per problem.</summary>
    public int MaxIter { get; }

    /// <summary>Whether an intercept is learned.</summary>
    public bool FitIntercept { get; }

    /// <summary>The value of the intercept's extra feature.</summary>
    public double InterceptScaling { get; }

    /// <summary>Per-class multipliers of C, or null.</summary>
    public SvmClassWeight? ClassWeight { get; }

    /// <summary>Seed of the coordinate order.</summary>
    public int Seed { get; }

    /// <summary>The primal objective at the solution, summed over the one-vs-rest problems (NaN for a loaded model
    /// that did not record it).</summary>
    public double PrimalObjective { get; private set; } = double.NaN;

    /// <summary>The dual objective at the solution, summed over the problems; at most <see cref="PrimalObjective"/>,
    /// and close to it when converged.</summary>
    public double DualObjective { get; private set; } = double.NaN;

    /// <summary>The largest number of outer iterations over the problems (scikit-learn's <c>n_iter_</c>).</summary>
    public int Iterations { get; private set; }

    /// <summary>Outer iterations of each problem (one per one-vs-rest class; one for two classes or Crammer–Singer).</summary>
    public IReadOnlyList<int> ProblemIterations { get; private set; } = [];

    /// <summary>Whether every problem met the tolerance before <see cref="MaxIter"/>.</summary>
    public bool Converged { get; private set; }

    /// <summary>The C each class's samples get (after class weights), in <see cref="LinearClassifier.Classes"/> order.</summary>
    public IReadOnlyList<double> ClassC { get; private set; } = [];

    internal override string Kind => "LinearSvc";

    /// <summary>Fits the model to row-major float32 features.</summary>
    /// <param name="x">Features, <paramref name="columns"/> per row.</param>
    /// <param name="columns">Features per row.</param>
    /// <param name="y">One integer label per row; at least two distinct labels.</param>
    /// <returns>This model.</returns>
    /// <exception cref="HingeArgumentException">Bad shapes, non-finite features, fewer than two classes, or class
    /// weights naming an unknown class.</exception>
    public LinearSvc Fit<TLabel>(ReadOnlyMemory<float> x, int columns, ReadOnlySpan<TLabel> y)
        where TLabel : IBinaryInteger<TLabel> => FitCore(x, columns, y);

    /// <inheritdoc cref="Fit{TLabel}(ReadOnlyMemory{float}, int, ReadOnlySpan{TLabel})"/>
    public LinearSvc Fit<TLabel>(ReadOnlyMemory<double> x, int columns, ReadOnlySpan<TLabel> y)
        where TLabel : IBinaryInteger<TLabel> => FitCore(x, columns, y);

    private LinearSvc FitCore<T, TLabel>(ReadOnlyMemory<T> x, int columns, ReadOnlySpan<TLabel> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLabel : IBinaryInteger<TLabel>
    {
        var rows = SvmData.Rows(x.Span, columns);
        var (classes, classIndex) = SvmData.Encode(y, rows);
        var weights = ClassWeight?.For(classes, classIndex) ?? Enumerable.Repeat(1.0, classes.Length).ToArray();
        var classC = weights.Select(w => C * w).ToArray();
        var bias = FitIntercept ? InterceptScaling : 0.0;
        var norms = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            norms[i] = SvmData.SquaredNorm(SvmData.Row(x.Span, columns, i));
        }

        var fit = MultiClass == SvmMultiClass.CrammerSinger
            ? SvmProblems.CrammerSinger(this, x, columns, norms, classIndex, classC, bias)
            : SvmProblems.OneVsRest(this, x, columns, norms, classIndex, classes.Length, classC, bias);

        SetModel(classes, columns, fit.Coef, fit.Intercept);
        PrimalObjective = fit.Primal;
        DualObjective = fit.Dual;
        ProblemIterations = fit.Iterations;
        Iterations = fit.Iterations.Max();
        Converged = fit.Converged;
        ClassC = classC;
        return this;
    }

    internal override void WriteDetails(Utf8JsonWriter writer)
    {
        writer.WriteNumber("c", C);
        writer.WriteString("loss", Loss == SvmLoss.Hinge ? "hinge" : "squared_hinge");
        writer.WriteString("multi_class", MultiClass == SvmMultiClass.OneVsRest ? "ovr" : "crammer_singer");
        writer.WriteNumber("tol", Tol);
        writer.WriteNumber("max_iter", MaxIter);
        writer.WriteBoolean("fit_intercept", FitIntercept);
        writer.WriteNumber("intercept_scaling", InterceptScaling);
        writer.WriteNumber("seed", Seed);
        writer.WriteNumber("iterations", Iterations);
        writer.WriteBoolean("converged", Converged);
        LinearModelFile.WriteDouble(writer, "primal_objective", PrimalObjective);
        LinearModelFile.WriteDouble(writer, "dual_objective", DualObjective);
    }

    /// <summary>Restores the fit results recorded in a file.</summary>
    internal void SetFitRecord(int iterations, bool converged, double primal, double dual)
    {
        Iterations = iterations;
        Converged = converged;
        PrimalObjective = primal;
        DualObjective = dual;
    }

    private static void Positive(string parameter, string name, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            ThrowHelper.ThrowArgument(parameter,
                $"Expected `{name}` to be a finite number > 0, but got {ThrowHelper.Format(value)}.");
        }
    }
}
