using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Values;

/// <summary>Python <c>slice(start, stop, step)</c>, the key of <c>x[a:b:c]</c>.</summary>
internal sealed class SliceValue(Value start, Value stop, Value step) : Value
{
    public override string TypeName => "slice";

    public override string ToRepr() => $"slice({start.ToRepr()}, {stop.ToRepr()}, {step.ToRepr()})";

    /// <summary>The selected positions for a sequence of <paramref name="length"/>, as <c>slice.indices</c> computes them.</summary>
    public IEnumerable<int> Resolve(int length)
    {
        var stepValue = Bound(step) ?? 1;
        if (stepValue == 0)
        {
            throw new TemplateException("slice step cannot be zero");
        }

        long lower = stepValue < 0 ? -1 : 0;
        long upper = stepValue < 0 ? length - 1 : length;
        var first = Clamp(Bound(start), stepValue < 0 ? upper : lower, length, lower, upper);
        var last = Clamp(Bound(stop), stepValue < 0 ? lower : upper, length, lower, upper);
        return Positions(first, last, stepValue);
    }

    private static IEnumerable<int> Positions(long first, long last, long stepValue)
    {
        for (var i = first; stepValue > 0 ? i < last : i > last; i += stepValue)
        {
            yield return (int)i;
        }
    }

    private static long Clamp(long? bound, long whenMissing, int length, long lower, long upper)
    {
        if (bound is not { } value)
        {
            return whenMissing;
        }

        if (value < 0)
        {
            return Math.Max(value + length, lower);
        }

        return Math.Min(value, upper);
    }

    private static long? Bound(Value bound) => bound switch
    {
        NoneValue => null,
        _ when NumberValue.TryGetInteger(bound, out var i) => i,
        _ => throw new TemplateException("slice indices must be integers or None or have an __index__ method"),
    };
}
