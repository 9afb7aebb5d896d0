using System.Globalization;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Kto.Data;

/// <summary>How many rows are desirable and undesirable, and whether the loss weights balance them.</summary>
/// <param name="DesirableCount">Rows labelled true.</param>
/// <param name="UndesirableCount">Rows labelled false.</param>
public readonly record struct ClassBalance(int DesirableCount, int UndesirableCount)
{
    // KTO paper (arXiv 2402.01306) Eq. 8: desirable_weight * n_desirable / (undesirable_weight * n_undesirable)
    // should lie in [1, 4/3].
    private const double UpperRatio = 4.0 / 3.0;

    // Suggested bounds are rounded inwards to 4 significant digits, so that using a printed bound stays in range.
    private const int SignificantDigits = 4;

    /// <summary>Counts the classes of <paramref name="rows"/>.</summary>
    public static ClassBalance Count(IEnumerable<KtoRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var desirable = 0;
        var undesirable = 0;
        foreach (var row in rows)
        {
            if (row.Label)
            {
                desirable++;
            }
            else
            {
                undesirable++;
            }
        }

        return new ClassBalance(desirable, undesirable);
    }

    /// <summary>
    /// Warnings to show the user, empty when all is well: one per missing class, or, with both classes present, one
    /// when the weighted ratio is outside [1, 4/3], stating weights that would bring it inside.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A weight is not a positive finite number.</exception>
    public IReadOnlyList<string> GetWarnings(double desirableWeight = 1.0, double undesirableWeight = 1.0)
    {
        RequirePositiveFinite(desirableWeight);
        RequirePositiveFinite(undesirableWeight);
        var warnings = new List<string>();
        if (DesirableCount == 0)
        {
            warnings.Add(
                $"The data has no desirable rows (label true), only {UndesirableCount} undesirable ones. KTO can learn from " +
                "undesirable examples alone, but use a conservative learning rate.");
        }

        if (UndesirableCount == 0)
        {
            warnings.Add(
                $"The data has no undesirable rows (label false), only {DesirableCount} desirable ones. KTO can learn from " +
                "desirable examples alone, but results are usually better with both kinds.");
        }

        if (warnings.Count == 0 && !IsBalanced(desirableWeight, undesirableWeight))
        {
            warnings.Add(DescribeImbalance(desirableWeight, undesirableWeight));
        }

        return warnings;
    }

    // Cross-multiplied so that ratios exactly at 1 and 4/3 compare without division rounding.
    private bool IsBalanced(double desirableWeight, double undesirableWeight)
    {
        var desirable = desirableWeight * DesirableCount;
        var undesirable = undesirableWeight * UndesirableCount;
        return desirable >= undesirable && 3 * desirable <= 4 * undesirable;
    }

    private string DescribeImbalance(double desirableWeight, double undesirableWeight)
    {
        var ratio = desirableWeight * DesirableCount / (undesirableWeight * UndesirableCount);

        // Each range is what the other weight's current value allows (TRL recommends changing one weight, not both).
        var undesirableLow = desirableWeight * DesirableCount / (UndesirableCount * UpperRatio);
        var undesirableHigh = desirableWeight * DesirableCount / UndesirableCount;
        var desirableLow = undesirableWeight * UndesirableCount / DesirableCount;
        var desirableHigh = desirableLow * UpperRatio;
        return
            $"Desirable and undesirable rows are out of balance: DesirableWeight × desirable rows / (UndesirableWeight × " +
            $"undesirable rows) = {Format(desirableWeight)} × {DesirableCount} / ({Format(undesirableWeight)} × {UndesirableCount}) = " +
            $"{Format(ratio)}, but the KTO paper recommends 1 to 4/3. Set UndesirableWeight to a value in " +
            $"[{Format(RoundUp(undesirableLow))}, {Format(RoundDown(undesirableHigh))}] or DesirableWeight to a value in " +
            $"[{Format(RoundUp(desirableLow))}, {Format(RoundDown(desirableHigh))}] (not both).";
    }

    private static void RequirePositiveFinite(double weight, [CallerArgumentExpression(nameof(weight))] string? name = null)
    {
        if (!double.IsFinite(weight) || weight <= 0)
        {
            throw new ArgumentOutOfRangeException(name, weight, "Loss weights must be positive finite numbers.");
        }
    }

    private static double RoundUp(double value) => RoundToSignificant(value, Math.Ceiling);

    private static double RoundDown(double value) => RoundToSignificant(value, Math.Floor);

    private static double RoundToSignificant(double value, Func<double, double> round)
    {
        var scale = Math.Pow(10, SignificantDigits - 1 - (int)Math.Floor(Math.Log10(value)));
        // The inner rounding drops floating-point noise (3.0000000000000004 must not round up to 3.001).
        return round(Math.Round(value * scale, 6)) / scale;
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
