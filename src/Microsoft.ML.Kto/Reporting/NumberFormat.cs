using System.Globalization;

namespace Microsoft.ML.Kto.Reporting;

/// <summary>Culture-independent number text, so a report reads the same on every machine.</summary>
internal static class NumberFormat
{
    /// <summary>Short tick labels: 1e-05, 0.25, 1200, 3.5e+06.</summary>
    public static string Compact(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        if (!double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        var magnitude = Math.Abs(value);
        // Learning rates (1e-05) and token counts in the millions would otherwise print as long digit runs.
        return magnitude < 1e-3 || magnitude >= 1e6
            ? value.ToString("0.####e+00", CultureInfo.InvariantCulture)
            : value.ToString("G6", CultureInfo.InvariantCulture);
    }

    /// <summary>An SVG coordinate; one decimal is finer than a pixel at the chart's size.</summary>
    public static string Coordinate(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
