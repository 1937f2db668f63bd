using System.Globalization;

namespace HingeSharp;

/// <summary>
/// A hinge loss result: a scalar (binary, Crammer–Singer) or a vector with one value per class (one-vs-all),
/// as torchmetrics returns a 0-d or a 1-d tensor.
/// </summary>
/// <remarks>The conversion to <c>double</c> is explicit (<c>(double)value</c> or <see cref="ToDouble"/>), so that
/// <c>Console.WriteLine(value)</c> and string interpolation print the value, a vector included, through
/// <see cref="ToString"/>.</remarks>
public readonly struct HingeLossValue : IEquatable<HingeLossValue>
{
    private readonly double _scalar;
    private readonly double[]? _values;

    /// <summary>Creates a scalar result.</summary>
    /// <param name="value">The loss.</param>
    public HingeLossValue(double value)
    {
        _scalar = value;
        _values = null;
    }

    /// <summary>Creates a per-class result.</summary>
    /// <param name="values">One loss per class; copied.</param>
    public HingeLossValue(ReadOnlySpan<double> values)
    {
        _scalar = double.NaN;
        _values = values.ToArray();
    }

    /// <summary>True for a scalar result, false for a per-class vector.</summary>
    public bool IsScalar => _values is null;

    /// <summary>The scalar loss.</summary>
    /// <exception cref="InvalidOperationException">The result is a per-class vector (one-vs-all).</exception>
    public double Value => _values is null
        ? _scalar
        : throw new InvalidOperationException(
            $"This hinge loss is a vector of {_values.Length} values (one per class or label); read `Values` instead.");

    /// <summary>The values: one element for a scalar result, C elements for one-vs-all.</summary>
    public IReadOnlyList<double> Values => _values ?? [_scalar];

    /// <summary>The scalar loss.</summary>
    /// <param name="value">A scalar result.</param>
    /// <exception cref="InvalidOperationException">The result is a vector.</exception>
    public static explicit operator double(HingeLossValue value) => value.Value;

    /// <summary>The scalar loss (named alternative to the explicit conversion).</summary>
    public double ToDouble() => Value;

    /// <inheritdoc/>
    public bool Equals(HingeLossValue other)
    {
        if (IsScalar != other.IsScalar)
        {
            return false;
        }

        return IsScalar
            ? _scalar.Equals(other._scalar)
            : _values.AsSpan().SequenceEqual(other._values.AsSpan());
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is HingeLossValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (_values is null)
        {
            return _scalar.GetHashCode();
        }

        var hash = default(HashCode);
        foreach (var v in _values)
        {
            hash.Add(v);
        }

        return hash.ToHashCode();
    }

    /// <summary>Formats like torch prints a tensor: <c>0.9125</c> or <c>[0.8750, 1.1250, 1.1000]</c>.</summary>
    public override string ToString() => _values is null
        ? _scalar.ToString("F4", CultureInfo.InvariantCulture)
        : "[" + string.Join(", ", _values.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))) + "]";

    /// <summary>Equality of two results (exact).</summary>
    public static bool operator ==(HingeLossValue left, HingeLossValue right) => left.Equals(right);

    /// <summary>Inequality of two results (exact).</summary>
    public static bool operator !=(HingeLossValue left, HingeLossValue right) => !left.Equals(right);
}
