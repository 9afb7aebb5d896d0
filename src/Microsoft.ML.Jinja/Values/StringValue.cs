using Microsoft.ML.Jinja.Builtins;
using Microsoft.ML.Jinja.Formatting;
using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Values;

/// <summary>
/// Python <c>str</c>. Python indexes by code point while .NET strings are UTF-16, so lengths, indices and
/// slices go through code-point offsets; strings without surrogate pairs (nearly all) take the direct path.
/// </summary>
internal sealed class StringValue(string value) : Value
{
    public static readonly StringValue Empty = new(string.Empty);

    // Every string a template builds passes here, so this one check bounds them all (a chain of tojson filters
    // doubles its string at each step; repeated concatenation too) where Python would exhaust memory.
    public string Value { get; } = value.Length <= RenderContext.MaxStringLength
        ? value
        : throw new TemplateException($"a string of {value.Length:N0} characters exceeds the template limit of {RenderContext.MaxStringLength:N0}");

    // Decided once so that shared literal values stay safe to read from concurrent renders.
    private readonly bool _hasSurrogates = value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
    private int[]? _codePointOffsets;

    public override string TypeName => "str";

    public override bool IsTruthy => Value.Length > 0;

    public override string ToDisplayString() => Value;

    public override string ToRepr() => PythonRepr.QuoteString(Value);

    public override int? Length => CodePointCount;

    public override bool IsIterable => true;

    public int CodePointCount => Offsets is { } offsets ? offsets.Length - 1 : Value.Length;

    /// <summary>UTF-16 start offsets of each code point plus the end, or null when there are no surrogate pairs.</summary>
    private int[]? Offsets => _hasSurrogates ? _codePointOffsets ??= ComputeOffsets(Value) : null;

    private static int[] ComputeOffsets(string text)
    {
        var offsets = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            offsets.Add(i);
        }

        offsets.Add(text.Length);
        return [.. offsets];
    }

    /// <summary>The text of code points [start, end).</summary>
    public string Substring(int start, int end)
    {
        if (Offsets is not { } offsets)
        {
            return Value[start..end];
        }

        return Value[offsets[start]..offsets[end]];
    }

    public override IEnumerable<Value> Iterate()
    {
        for (var i = 0; i < CodePointCount; i++)
        {
            yield return new StringValue(Substring(i, i + 1));
        }
    }

    public override bool Contains(Value needle) =>
        needle is StringValue s
            ? Value.Contains(s.Value, StringComparison.Ordinal)
            : throw new TemplateException($"'in <string>' requires string as left operand, not {needle.TypeName}");

    public override bool TryGetMember(string name, out Value member) => StringMethods.TryBind(this, name, out member);

    public override bool TryGetItem(Value key, out Value item)
    {
        if (key is SliceValue slice)
        {
            var offsets = Offsets;
            var builder = new System.Text.StringBuilder();
            foreach (var i in slice.Resolve(CodePointCount))
            {
                if (offsets is null)
                {
                    builder.Append(Value[i]);
                }
                else
                {
                    builder.Append(Value, offsets[i], offsets[i + 1] - offsets[i]);
                }
            }

            item = new StringValue(builder.ToString());
            return true;
        }

        if (NumberValue.TryGetInteger(key, out var index) && SequenceIndex.TryNormalize(index, CodePointCount, out var position))
        {
            item = new StringValue(Substring(position, position + 1));
            return true;
        }

        item = null!;
        return false;
    }

    public override bool Equals(object? obj) => obj is StringValue other && other.Value == Value;

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);
}
