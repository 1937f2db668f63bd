namespace HingeSharp.Plots;

/// <summary>
/// How margins m = y·f(x) split around the hinge's two thresholds: misclassified (m &lt; 0), correct but inside the
/// margin (0 ≤ m &lt; 1, a positive hinge loss 1 − m), and outside the margin (m ≥ 1, zero hinge loss).
/// </summary>
/// <param name="Misclassified">Count of m &lt; 0.</param>
/// <param name="InsideMargin">Count of 0 ≤ m &lt; 1.</param>
/// <param name="OutsideMargin">Count of m ≥ 1.</param>
/// <param name="NonFinite">Count of NaN and ±∞ values, left out of the other three.</param>
public readonly record struct MarginSummary(int Misclassified, int InsideMargin, int OutsideMargin, int NonFinite)
{
    /// <summary>Count of finite margins.</summary>
    public int Finite => Misclassified + InsideMargin + OutsideMargin;

    /// <summary>Counts the margins in each region.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="margins"/> is null.</exception>
    public static MarginSummary Of(IEnumerable<double> margins)
    {
        ArgumentNullException.ThrowIfNull(margins);
        int bad = 0, inside = 0, outside = 0, nonFinite = 0;
        foreach (double m in margins)
        {
            if (!double.IsFinite(m))
            {
                nonFinite++;
            }
            else if (m < 0)
            {
                bad++;
            }
            else if (m < 1)
            {
                inside++;
            }
            else
            {
                outside++;
            }
        }

        return new MarginSummary(bad, inside, outside, nonFinite);
    }
}
