namespace Microsoft.ML.Kto.Reporting;

/// <summary>
/// An axis range widened to round tick values (Heckbert's "nice numbers"), so tick labels read 0.25, 0.5 rather
/// than 0.2371, 0.4742.
/// </summary>
internal sealed class NiceScale
{
    private NiceScale(double min, double max, IReadOnlyList<double> ticks)
    {
        Min = min;
        Max = max;
        Ticks = ticks;
    }

    /// <summary>Lower end of the axis (at or below the smallest value).</summary>
    public double Min { get; }

    /// <summary>Upper end of the axis (at or above the largest value); always greater than <see cref="Min"/>.</summary>
    public double Max { get; }

    /// <summary>Tick values from <see cref="Min"/> to <see cref="Max"/>.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>Builds a scale covering finite <paramref name="min"/>..<paramref name="max"/> with about <paramref name="targetTicks"/> ticks.</summary>
    public static NiceScale Create(double min, double max, int targetTicks = 5)
    {
        if (min > max)
        {
            (min, max) = (max, min);
        }

        if (min == max)
        {
            // A constant series still needs a non-empty range, or every mapping would divide by zero.
            var pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - pad, max + pad);
        }

        var span = max - min;
        if (!double.IsFinite(span) || span <= 0)
        {
            // Values near ±double.MaxValue overflow the span; an unrounded two-tick axis still draws.
            return new NiceScale(min, max, [min, max]);
        }

        var step = NiceNumber(NiceNumber(span, round: false) / Math.Max(1, targetTicks - 1), round: true);
        var niceMin = Math.Floor(min / step) * step;
        var niceMax = Math.Ceiling(max / step) * step;
        if (!(niceMax > niceMin) || !double.IsFinite(niceMin) || !double.IsFinite(niceMax))
        {
            // Spans tiny relative to the values (e.g. 1e16 + 1) round away; fall back to the raw range.
            return new NiceScale(min, max, [min, max]);
        }

        var count = (int)Math.Round((niceMax - niceMin) / step) + 1;
        var ticks = new double[count];
        for (var i = 0; i < count; i++)
        {
            var tick = niceMin + i * step;
            // Accumulated rounding leaves 5.5e-17 where 0 is meant, which would print as a long exponent.
            ticks[i] = Math.Abs(tick) < step * 1e-9 ? 0 : tick;
        }
        return new NiceScale(niceMin, niceMax, ticks);
    }

    private static double NiceNumber(double value, bool round)
    {
        var exponent = Math.Floor(Math.Log10(value));
        var magnitude = Math.Pow(10, exponent);
        var fraction = value / magnitude;
        double nice = round
            ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
