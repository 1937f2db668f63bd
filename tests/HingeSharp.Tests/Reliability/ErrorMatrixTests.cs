using System.Text.RegularExpressions;
using HingeSharp.Metrics;
using HingeSharp.Tests.Infrastructure;
using Xunit;

namespace HingeSharp.Tests.Reliability;

/// <summary>
/// docs/errors.md is the specification of HingeSharp's errors: every table row is made to happen (the calls are in
/// <see cref="ErrorMatrix"/>) and must raise the documented exception, parameter, index and exact message, through
/// every path the row reaches (functional, metric <c>Update</c>, metric <c>Forward</c>).
/// </summary>
public sealed partial class ErrorMatrixTests
{
    private static readonly Lazy<Dictionary<string, string[]>> Doc = new(() => File
        .ReadLines(Path.Combine(AppContext.BaseDirectory, "docs", "errors.md"))
        .Select(line => line.Split('|').Select(c => c.Trim()).ToArray())
        .Where(cells => cells.Length > 2 && RowId().IsMatch(cells[1]))
        .ToDictionary(cells => cells[1], cells => cells[1..^1]));

    public static TheoryData<string> Ids => new(Doc.Value.Keys.Order(StringComparer.Ordinal));

    [Theory, MemberData(nameof(Ids))]
    public void ErrorsDoc_Row_ThrowsTheDocumentedExceptionAndMessage(string id)
    {
        var cells = Doc.Value[id];
        var (type, param, index, message) = (cells[2], cells[3], cells[4], cells[5]);
        var row = ErrorMatrix.Rows[id];
        var paths = new List<(string Path, Func<object?> Call)>();
        if (row.Call is { } call)
        {
            paths.Add(("call", call));
        }

        if (row.Feed is { } feed)
        {
            paths.Add(("metric Update", () => feed(row.Metric!(), false)));
            paths.Add(("metric Forward", () => feed(row.Metric!(), true)));
        }

        Assert.NotEmpty(paths);
        foreach (var (path, run) in paths)
        {
            var ex = Record.Exception(run);
            Assert.True(ex is not null, $"{id} via {path}: no exception");
            Assert.Equal(type, ex.GetType().Name);
            Assert.Equal(message, ex.Message);
            var (actualParam, actualIndex) = ex switch
            {
                HingeArgumentException h => (h.ParamName, h.Index),
                ArgumentException a => (a.ParamName, null),
                MetricStateException s => (s.Field, s.Line),
                _ => (null, (long?)null),
            };
            Assert.Equal(param, actualParam ?? "–");
            Assert.Equal(index, actualIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–");
        }
    }

    [Fact]
    public void ErrorsDoc_Rows_AreExactlyTheRowsWithCalls()
    {
        Assert.Equal(ErrorMatrix.Rows.Keys.Order(StringComparer.Ordinal), Doc.Value.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ErrorsDoc_QuotesEveryApplicableErrorsJsonCase_AndOnlyRealOnes()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "errors.md"));
        var quoted = CaseName().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var applicable = ErrorsGoldenTests.Cases.Cast<object[]>().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(applicable, quoted);
        Assert.Superset(applicable, quoted);
    }

    [GeneratedRegex("^[BMWOSKFGL][0-9]{2}$")]
    private static partial Regex RowId();

    [GeneratedRegex("`((?:binary|multiclass|wrapper|sklearn)/[^`]+)`")]
    private static partial Regex CaseName();
}
