using System.Reflection;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Reliability;

/// <summary>The assertions errors.json cases are held to (see ErrorsGoldenTests).</summary>
internal static class ErrorExpect
{
    /// <summary>
    /// The case is rejected with a <see cref="HingeArgumentException"/> for <paramref name="param"/> (and the element
    /// <paramref name="index"/>), whose message keeps torchmetrics' wording: all of it when
    /// <paramref name="torchPhrases"/> is null, else each phrase (each is checked to be torchmetrics' own text).
    /// </summary>
    public static HingeArgumentException KeepsTorchText(ErrorCase c, string param, long? index, string[]? torchPhrases,
        params string[] ours)
    {
        Assert.True(c.IsError, $"{c.Name}: the fixture records an error");
        var ex = Throws(() => c.Run(), param, index);
        foreach (var phrase in torchPhrases ?? [c.TorchMessage])
        {
            Assert.Contains(phrase, c.TorchMessage, StringComparison.Ordinal);
            Assert.Contains(phrase, ex.Message, StringComparison.Ordinal);
        }

        ContainsAll(ex, ours);
        return ex;
    }

    /// <summary>
    /// torchmetrics fails inside torch (the fixture's <c>raised_by</c> says so); HingeSharp instead names the argument,
    /// the element index and the value.
    /// </summary>
    public static HingeArgumentException ClearInstead(ErrorCase c, string param, long? index, params string[] ours)
    {
        Assert.True(c.IsError, $"{c.Name}: the fixture records an error");
        Assert.StartsWith("torch ", c.Case.GetProperty("raised_by").GetString() + " ", StringComparison.Ordinal);
        var ex = Throws(() => c.Run(), param, index);
        Assert.NotEqual(c.TorchMessage, ex.Message);
        ContainsAll(ex, ours);
        return ex;
    }

    /// <summary>
    /// A value case: HingeSharp gives torchmetrics' value (NaN included), propagating non-finite predictions as
    /// torchmetrics does when asked to; by default it rejects them, naming <c>preds</c> and the first bad index.
    /// </summary>
    public static void SameValue(ErrorCase c, MulticlassMode? mode = null)
    {
        Assert.False(c.IsError, $"{c.Name}: the fixture records a value");
        var bad = c.FirstNonFinitePred;
        var nonFinite = bad is null ? NonFiniteHandling.Throw : NonFiniteHandling.Propagate;
        var tolerance = c.Case.GetProperty("expected").GetProperty("dtype").GetString() == "float64"
            ? Approx.Float64Relative
            : Approx.Float32Relative;
        Approx.Equal(c.Expected, c.Run(nonFinite, mode).Values, tolerance, c.Name);
        if (bad is { } index)
        {
            var ex = Throws(() => c.Run(NonFiniteHandling.Throw, mode), "preds", index);
            Assert.Contains($"`preds[{index}]` = NaN is not finite", ex.Message, StringComparison.Ordinal);
        }
    }

    public static HingeArgumentException Throws(Func<object?> call, string param, long? index)
    {
        var ex = Assert.Throws<HingeArgumentException>(() => call());
        Assert.Equal(param, ex.ParamName);
        Assert.Equal(index, ex.Index);
        Assert.Contains(Snake(param), ex.Message, StringComparison.Ordinal);
        if (index is { } i)
        {
            Assert.Contains($"[{i}]`", ex.Message, StringComparison.Ordinal);
        }

        return ex;
    }

    /// <summary>
    /// A Python-only mistake C# cannot express: every public method or constructor named <paramref name="member"/>
    /// on <paramref name="type"/> that has a parameter <paramref name="parameter"/> declares it as
    /// <paramref name="expected"/> (so <c>squared=1</c>, <c>ignore_index=1.5</c>, <c>num_classes=3.0</c> do not
    /// compile).
    /// </summary>
    public static void ParameterIsTyped(Type type, string member, string parameter, Type expected)
    {
        var found = Members(type, member)
            .Select(m => m.GetParameters().SingleOrDefault(p => p.Name == parameter))
            .Where(p => p is not null)
            .ToList();
        Assert.NotEmpty(found);
        Assert.All(found, p => Assert.Equal(expected, p!.ParameterType));
    }

    /// <summary>
    /// Integer predictions cannot be passed: the generic <c>TPred</c> of every overload named
    /// <paramref name="member"/> requires <see cref="System.Numerics.IFloatingPointIeee754{TSelf}"/>, so
    /// instantiating it with <see cref="long"/> fails.
    /// </summary>
    public static void IntegerPredsUnrepresentable(Type type, string member)
    {
        var generic = Members(type, member).OfType<MethodInfo>().Where(m => m.IsGenericMethodDefinition).ToList();
        Assert.NotEmpty(generic);
        foreach (var m in generic)
        {
            var args = m.GetGenericArguments().Select(_ => typeof(long)).ToArray();
            Assert.Throws<ArgumentException>(() => m.MakeGenericMethod(args));
            Assert.Contains(m.GetGenericArguments()[0].GetGenericParameterConstraints(),
                t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(System.Numerics.IFloatingPointIeee754<>));
        }
    }

    private static IEnumerable<MethodBase> Members(Type type, string member) =>
        member == ".ctor"
            ? type.GetConstructors()
            : type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance)
                .Where(m => m.Name == member);

    private static void ContainsAll(HingeArgumentException ex, string[] fragments)
    {
        foreach (var f in fragments)
        {
            Assert.Contains(f, ex.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>The torchmetrics / scikit-learn spelling of a C# parameter name (<c>numClasses</c> → <c>num_classes</c>).</summary>
    public static string Snake(string name) =>
        string.Concat(name.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "_" + char.ToLowerInvariant(ch) : ch.ToString()));
}
