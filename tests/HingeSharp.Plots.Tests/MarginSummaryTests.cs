namespace HingeSharp.Plots.Tests;

public class MarginSummaryTests
{
    [Fact]
    public void Of_RandomMargins_MatchesAPlainLoopAndAddsUp()
    {
        var random = new Random(42);
        double[] margins = Enumerable.Range(0, 5000).Select(_ => (random.NextDouble() * 6) - 3).ToArray();
        margins[7] = 0;      // exactly on the boundary: correct side, inside the margin
        margins[8] = 1;      // exactly on the margin: zero hinge loss, outside
        margins[9] = double.NaN;

        MarginSummary s = MarginSummary.Of(margins);

        int bad = 0, inside = 0, outside = 0, nonFinite = 0;
        foreach (double m in margins)
        {
            if (double.IsNaN(m)) { nonFinite++; }
            else if (1 - m > 1) { bad++; }          // hinge loss above 1 ⇔ wrong side
            else if (1 - m > 0) { inside++; }       // positive hinge loss on the right side
            else { outside++; }
        }

        Assert.Equal(new MarginSummary(bad, inside, outside, nonFinite), s);
        Assert.Equal(margins.Length - 1, s.Finite);
    }

    [Fact]
    public void Of_Null_Throws() => Assert.Throws<ArgumentNullException>(() => MarginSummary.Of(null!));
}
