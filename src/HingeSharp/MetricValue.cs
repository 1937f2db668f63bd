namespace HingeSharp;

/// <summary>
/// The value of a classification metric: a scalar, a vector (one value per class) or a matrix (a confusion matrix,
/// rows = true class, columns = predicted class).
/// </summary>
public sealed class MetricValue
{
    private readonly double[] _values;

    private MetricValue(double[] values, int rows, int columns, MetricValueKind kind)
    {
        _values = values;
        Rows = rows;
        Columns = columns;
        Kind = kind;
    }

    /// <summary>Scalar, vector or matrix.</summary>
    public MetricValueKind Kind { get; }

    /// <summary>Rows of a matrix (1 for a scalar or vector).</summary>
    public int Rows { get; }

    /// <summary>Columns of a matrix, or the vector's length (1 for a scalar).</summary>
    public int Columns { get; }

    /// <summary>Whether the value is one number.</summary>
    public bool IsScalar => Kind == MetricValueKind.Scalar;

    /// <summary>The scalar value.</summary>
    /// <exception cref="InvalidOperationException">The value is a vector or a matrix.</exception>
    public double Value => IsScalar
        ? _values[0]
        : throw new InvalidOperationException($"The metric value is a {Kind.ToString().ToLowerInvariant()}, not a scalar.");

    /// <summary>Every number, row-major.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>Element <c>[row, column]</c> of a matrix.</summary>
    /// <param name="row">The true class.</param>
    /// <param name="column">The predicted class.</param>
    public double this[int row, int column] => _values[(row * Columns) + column];

    /// <summary>A matrix as a jagged array (rows of columns).</summary>
    public double[][] ToRows()
    {
        var rows = new double[Rows][];
        for (var r = 0; r < Rows; r++)
        {
            rows[r] = _values.AsSpan(r * Columns, Columns).ToArray();
        }

        return rows;
    }

    /// <summary>A scalar.</summary>
    /// <param name="value">The number.</param>
    public static MetricValue Scalar(double value) => new([value], 1, 1, MetricValueKind.Scalar);

    /// <summary>A vector (copied).</summary>
    /// <param name="values">One value per class.</param>
    public static MetricValue Vector(ReadOnlySpan<double> values) =>
        new(values.ToArray(), 1, values.Length, MetricValueKind.Vector);

    /// <summary>A matrix (copied), row-major.</summary>
    /// <param name="values">rows × columns numbers.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="columns">Columns.</param>
    /// <exception cref="ArgumentException">The length is not rows × columns.</exception>
    public static MetricValue Matrix(ReadOnlySpan<double> values, int rows, int columns)
    {
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException($"A {rows}×{columns} matrix needs {(long)rows * columns} values, got {values.Length}.",
                nameof(values));
        }

        return new(values.ToArray(), rows, columns, MetricValueKind.Matrix);
    }

    /// <summary>The scalar value.</summary>
    /// <param name="value">A scalar value.</param>
    public static implicit operator double(MetricValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Value;
    }

    /// <summary>The scalar value.</summary>
    public double ToDouble() => Value;

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        MetricValueKind.Scalar => Format(_values[0]),
        MetricValueKind.Vector => "[" + string.Join(", ", _values.Select(Format)) + "]",
        _ => "[" + string.Join(", ", ToRows().Select(r => "[" + string.Join(", ", r.Select(Format)) + "]")) + "]",
    };

    private static string Format(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The shape of a <see cref="MetricValue"/>.</summary>
public enum MetricValueKind
{
    /// <summary>One number.</summary>
    Scalar = 0,

    /// <summary>One number per class.</summary>
    Vector = 1,

    /// <summary>A matrix.</summary>
    Matrix = 2,
}
