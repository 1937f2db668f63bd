namespace HingeSharp.Plots.Tests;

public class BinningTests
{
    /// <summary>Plain linear scan: the bin i with Edge(i) ≤ v &lt; Edge(i + 1), clamped to the ends.</summary>
    private static int ScanIndex(Binning bins, double v)
    {
        for (int i = 0; i < bins.Count; i++)
        {
            if (v < bins.Edge(i + 1))
            {
                return i;
            }
        }

        return bins.Count - 1;
    }

    [Fact]
    public void Cover_RandomRanges_CoverTheDataWithZeroAndForNarrowBinsOneOnEdges()
    {
        var random = new Random(42);
        for (int trial = 0; trial < 2000; trial++)
        {
            double min = (random.NextDouble() * 40) - 30;
            double max = min + (random.NextDouble() * (random.Next(2) == 0 ? 3 : 60));
            int target = random.Next(1, 80);
            Binning bins = Binning.Cover(min, max, target);

            Assert.True(bins.Edge(0) <= min, $"{bins}: first edge {bins.Edge(0)} > min {min}");
            Assert.True(bins.Edge(bins.Count) > max, $"{bins}: last edge {bins.Edge(bins.Count)} <= max {max}");
            double k = 1 / bins.Width;
            Assert.True(Math.Abs(k - Math.Round(k)) < 1e-9 || bins.Width == Math.Round(bins.Width), $"{bins}");
            foreach (double edge in bins.Width <= 1 ? new[] { 0.0, 1.0 } : [0.0])
            {
                if (bins.Edge(0) <= edge && edge <= bins.Edge(bins.Count))
                {
                    Assert.Contains(Enumerable.Range(0, bins.Count + 1), i => bins.Edge(i) == edge);
                }
            }
        }
    }

    [Fact]
    public void IndexOf_MatchesALinearScan_IncludingValuesOnEdges()
    {
        var random = new Random(42);
        for (int trial = 0; trial < 200; trial++)
        {
            double min = (random.NextDouble() * 10) - 8;
            Binning bins = Binning.Cover(min, min + 0.1 + (random.NextDouble() * 12), random.Next(1, 60));
            var probes = Enumerable.Range(0, bins.Count + 1).Select(bins.Edge)
                .Concat(Enumerable.Range(0, 50).Select(_ => bins.Edge(0) - 1 + (random.NextDouble()
                    * (bins.Edge(bins.Count) - bins.Edge(0) + 2))));
            foreach (double v in probes)
            {
                Assert.Equal(ScanIndex(bins, v), bins.IndexOf(v));
            }
        }
    }

    [Fact]
    public void Counts_SumToTheFiniteValues()
    {
        var random = new Random(42);
        double[] values = Enumerable.Range(0, 3000)
            .Select(i => i % 97 == 0 ? double.NaN : (random.NextDouble() * 7) - 3).ToArray();
        Binning bins = Binning.Cover(values.Where(double.IsFinite).Min(), values.Where(double.IsFinite).Max(), 30);
        int[] counts = bins.Counts(values);
        Assert.Equal(values.Count(double.IsFinite), counts.Sum());
        for (int i = 0; i < bins.Count; i++)
        {
            int expected = values.Count(v => double.IsFinite(v) && ScanIndex(bins, v) == i);
            Assert.Equal(expected, counts[i]);
        }
    }
}
