namespace HingeSharp.Svm;

/// <summary>The loss of <see cref="LinearSvc"/>: LIBLINEAR's L1-loss (hinge) or L2-loss (squared hinge) SVM.</summary>
public enum SvmLoss
{
    /// <summary><c>max(0, 1 − m)</c>, scikit-learn's <c>loss="hinge"</c> (LIBLINEAR <c>-s 3</c>).</summary>
    Hinge = 0,

    /// <summary><c>max(0, 1 − m)²</c>, scikit-learn's default <c>loss="squared_hinge"</c> (LIBLINEAR <c>-s 1</c>).</summary>
    SquaredHinge = 1,
}

/// <summary>How <see cref="LinearSvc"/> handles more than two classes.</summary>
public enum SvmMultiClass
{
    /// <summary>One binary problem per class (that class against the rest), solved in parallel;
    /// scikit-learn's <c>multi_class="ovr"</c>.</summary>
    OneVsRest = 0,

    /// <summary>One joint problem (Crammer and Singer), LIBLINEAR's <c>-s 4</c>; scikit-learn's
    /// <c>multi_class="crammer_singer"</c>. The loss setting does not apply.</summary>
    CrammerSinger = 1,
}

/// <summary>Per-class weights that multiply <c>C</c> (scikit-learn's <c>class_weight</c>).</summary>
public sealed class SvmClassWeight
{
    private SvmClassWeight(IReadOnlyDictionary<long, double>? weights) => Weights = weights;

    /// <summary>scikit-learn's <c>"balanced"</c>: class <c>k</c> gets <c>n_samples / (n_classes · count(k))</c>.</summary>
    public static SvmClassWeight Balanced { get; } = new(null);

    /// <summary>The given weight per label; labels not listed get 1.</summary>
    public IReadOnlyDictionary<long, double>? Weights { get; }

    /// <summary>True for <see cref="Balanced"/>.</summary>
    public bool IsBalanced => Weights is null;

    /// <summary>Explicit weights per label.</summary>
    /// <param name="weights">Label → weight (finite, &gt; 0).</param>
    /// <exception cref="HingeArgumentException">A weight is not finite and positive.</exception>
    public static SvmClassWeight Of(IReadOnlyDictionary<long, double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        foreach (var (label, weight) in weights)
        {
            if (!double.IsFinite(weight) || weight <= 0)
            {
                ThrowHelper.ThrowArgument("classWeight",
                    $"Expected `class_weight` values to be finite and > 0, but the weight of class {label} is " +
                    $"{ThrowHelper.Format(weight)}.");
            }
        }

        return new SvmClassWeight(new Dictionary<long, double>(weights));
    }

    /// <summary>The weight of each class in <paramref name="classes"/> (sorted), given the class of every sample.</summary>
    internal double[] For(long[] classes, ReadOnlySpan<int> classIndex)
    {
        var result = new double[classes.Length];
        if (IsBalanced)
        {
            var counts = new long[classes.Length];
            foreach (var k in classIndex)
            {
                counts[k]++;
            }

            for (var k = 0; k < classes.Length; k++)
            {
                result[k] = (double)classIndex.Length / (classes.Length * counts[k]);
            }

            return result;
        }

        foreach (var label in Weights!.Keys)
        {
            if (Array.BinarySearch(classes, label) < 0)
            {
                ThrowHelper.ThrowArgument("classWeight",
                    $"`class_weight` names class {label}, which is not among the training labels " +
                    $"[{string.Join(", ", classes)}].");
            }
        }

        for (var k = 0; k < classes.Length; k++)
        {
            result[k] = Weights.TryGetValue(classes[k], out var w) ? w : 1.0;
        }

        return result;
    }
}
