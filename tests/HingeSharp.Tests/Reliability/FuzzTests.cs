using System.Numerics;
using HingeSharp.Classification;
using HingeSharp.Functional;
using Xunit;

namespace HingeSharp.Tests.Reliability;

/// <summary>
/// Seeded random cases over lengths (0, 1, chunk boundaries), prediction types (float, double), target types (byte,
/// int, long, float, double) and values (probabilities, logits, exact 0/1, huge, subnormal, just outside [0, 1],
/// NaN, ±∞), every setting, through the functional call and a metric fed in random sub-batches (Update and Forward).
/// Each case must either give the reference value (FuzzReference) — finite and ≥ 0 whenever the predictions that
/// take part are finite and bounded — or throw a <see cref="HingeArgumentException"/> naming one of the offending
/// elements; nothing else (no IndexOutOfRange, NullReference, InvalidCast, …), and a rejected metric update changes
/// nothing.
/// </summary>
public sealed partial class FuzzTests
{
    private const int Cases = 2500;

    /// <summary>How many checked calls gave a value and how many a documented error (per thread: theories may run in
    /// parallel).</summary>
    [ThreadStatic]
    private static int _values, _errors;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void BinaryHinge_RandomCases_ValueOrDocumentedError(int seed)
    {
        var random = new Random(seed);
        (_values, _errors) = (0, 0);
        for (var n = 0; n < Cases; n++)
        {
            var c = BinaryCase.Draw(random);
            var name = $"seed {seed} case {n}: {c}";
            RunTyped(new BinaryRun(c, random, name), single: random.Next(10) < 5, c.TargetType);
        }

        AssertBothOutcomesCovered();
    }

    /// <summary>The generator must exercise both outcomes substantially, or the fuzz proves little.</summary>
    private static void AssertBothOutcomesCovered()
    {
        var all = _values + _errors;
        Assert.True(_values > all / 5 && _errors > all / 10, $"{_values} values, {_errors} errors");
    }

    private static void RunBinary<TPred, TTarget>(BinaryCase c, Random random, string name)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var (preds, target, asDoubles, targetDoubles) = Typed<TPred, TTarget>(c.Preds, c.Target);
        var single = typeof(TPred) == typeof(float);

        // Functional, whole batch.
        var expected = FuzzReference.Binary(asDoubles, targetDoubles, single, c.Squared, c.IgnoreIndex, c.Validate,
            c.Kind, c.NonFinite);
        Check(name, expected, () => HingeFunctional.BinaryHingeLoss<TPred, TTarget>(preds, target, c.Squared,
            c.IgnoreIndex, c.Validate, c.Kind, c.NonFinite), single);

        // Shaped metric path (IHingeMetric): a random shape for the batch, sometimes a wrong one.
        var (shape, targetShape) = BinaryShapes(random, preds.Length, target.Length);
        var shapedExpected = shape.SequenceEqual(targetShape) && Product(shape) == preds.Length &&
                             Product(targetShape) == target.Length
            ? expected
            : Structural(("target", null), ("preds", null), ("predsShape", 0), ("targetShape", 0));
        IHingeMetric shaped = new BinaryHingeLoss(c.Squared, c.IgnoreIndex, c.Validate, c.Kind, c.NonFinite);
        Check($"{name} [shaped {string.Join("x", shape)} / {string.Join("x", targetShape)}]", shapedExpected,
            () => shaped.Forward<TPred, TTarget>(preds, shape, target, targetShape), single);

        // Metric, random sub-batches (the Auto decision is per update, so each has its own reference).
        var metric = new BinaryHingeLoss(c.Squared, c.IgnoreIndex, c.Validate, c.Kind, c.NonFinite);
        if (preds.Length != target.Length)
        {
            Check($"{name} [metric]", expected, () => metric.Forward<TPred, TTarget>(preds, target), single);
            Assert.Equal(default, metric.State);
            return;
        }

        double sum = 0;
        long total = 0;
        var start = 0;
        while (start < preds.Length || start == 0)
        {
            var length = Math.Min(preds.Length - start, random.Next(0, preds.Length + 1));
            var part = FuzzReference.Binary(asDoubles[start..(start + length)], targetDoubles[start..(start + length)],
                single, c.Squared, c.IgnoreIndex, c.Validate, c.Kind, c.NonFinite);
            var before = metric.State;
            var forward = random.Next(2) == 0;
            var p = preds.AsSpan(start, length).ToArray();
            var t = target.AsSpan(start, length).ToArray();
            var ok = Check($"{name} [metric part at {start}]", part, () => forward
                ? metric.Forward<TPred, TTarget>(p, t)
                : Update(metric, p, t), single);
            if (ok)
            {
                sum += part.Sums[0];
                total += part.Total;
            }
            else
            {
                Assert.Equal(before, metric.State);
            }

            start += Math.Max(length, 1);
        }

        var streamed = new FuzzExpectation { Sums = [sum], Total = total, AllFinite = true };
        Check($"{name} [metric compute]", streamed, () => metric.Compute(), single, checkFinite: false);
    }

    private static long Product(int[] shape) => shape.Aggregate(1L, (a, d) => a * d);

    private static FuzzExpectation Structural(params (string Param, long? Index)[] errors)
    {
        var e = new FuzzExpectation();
        foreach (var error in errors)
        {
            e.Errors.Add(error);
        }

        return e;
    }

    /// <summary>A shape for n values: [n], a 2-D or 0-D factorisation, or (now and then) a wrong one.</summary>
    private static (int[] Preds, int[] Target) BinaryShapes(Random random, int n, int targetLength)
    {
        var rows = Enumerable.Range(1, Math.Max(n, 1)).Where(d => n % d == 0).ToArray();
        var r = rows[random.Next(rows.Length)];
        int[] shape = random.Next(4) switch
        {
            0 when n == 1 => [],
            1 when n > 0 => [r, n / r],
            2 when n > 0 => [n / r, 1, r],
            _ => [n],
        };
        int[] targetShape = targetLength == n ? shape : [targetLength];
        return random.Next(15) switch
        {
            0 => (shape, [.. shape, 1]),
            1 => ([n + 1], [n + 1]),
            2 when shape.Length > 0 => ([-shape[0], .. shape[1..]], [-shape[0], .. shape[1..]]),
            _ => (shape, targetShape),
        };
    }

    private static object? Update<TPred, TTarget>(BinaryHingeLoss metric, TPred[] p, TTarget[] t)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        metric.Update<TPred, TTarget>(p, t);
        return null;
    }

    /// <summary>
    /// Runs <paramref name="call"/> and checks it against <paramref name="expected"/> (a null result, from an Update,
    /// is only checked for success); returns whether it succeeded.
    /// </summary>
    internal static bool Check(string name, FuzzExpectation expected, Func<object?> call, bool single,
        bool checkFinite = true)
    {
        object? result;
        try
        {
            result = call();
        }
        catch (HingeArgumentException ex)
        {
            Assert.True(expected.IsError, $"{name}: unexpected error {ex.ParamName}[{ex.Index}]: {ex.Message}");
            Assert.True(expected.Errors.Contains((ex.ParamName!, ex.Index)),
                $"{name}: error names {ex.ParamName}[{ex.Index}] ({ex.Message}); acceptable: " +
                string.Join(", ", expected.Errors.Take(8)));
            _errors++;
            return false;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{name}: undocumented {ex.GetType().Name}: {ex}");
            return false;
        }

        Assert.False(expected.IsError, $"{name}: expected one of {string.Join(", ", expected.Errors.Take(8))}, got a value");
        _values++;
        if (result is null)
        {
            return true; // an Update: its value is checked through the metric's Compute afterwards
        }

        var values = result switch
        {
            double d => [d],
            HingeLossValue v => v.Values.ToArray(),
            _ => throw new InvalidOperationException(result?.GetType().Name),
        };
        var tolerance = single ? 1e-5 : 1e-9;
        Assert.Equal(expected.Sums.Length, values.Length);
        for (var k = 0; k < values.Length; k++)
        {
            var divisor = expected.Divisor ?? expected.Total;
            var want = divisor == 0 ? double.NaN : expected.Sums[k] / divisor;
            var got = values[k];
            var same = (double.IsNaN(want) && double.IsNaN(got)) || want == got ||
                       Math.Abs(want - got) <= tolerance * Math.Max(1, Math.Abs(want));
            Assert.True(same, $"{name}: value[{k}] {got:R}, reference {want:R}");
            if (checkFinite && expected.AllFinite && expected.Total > 0 && double.IsFinite(want))
            {
                Assert.True(double.IsFinite(got) && got >= 0, $"{name}: value[{k}] {got:R} with finite inputs");
            }
        }

        return true;
    }
}
