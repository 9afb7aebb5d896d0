using System.Globalization;
using System.Text;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Formatting;

/// <summary>Python's <c>str.format</c>: <c>{}</c>, <c>{0}</c>, <c>{name}</c>, <c>{0.attr}</c>, <c>{0[key]}</c>, <c>{!r}</c> and format specs.</summary>
internal static class StrFormat
{
    public static string Apply(string format, Arguments arguments)
    {
        var builder = new StringBuilder();
        var automatic = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                builder.Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                throw new TemplateException("Single '}' encountered in format string");
            }

            if (c != '{')
            {
                builder.Append(c);
                continue;
            }

            var close = format.IndexOf('}', i);
            if (close < 0)
            {
                throw new TemplateException("Single '{' encountered in format string");
            }

            builder.Append(FormatField(format[(i + 1)..close], arguments, ref automatic));
            i = close;
        }

        return builder.ToString();
    }

    private static string FormatField(string field, Arguments arguments, ref int automatic)
    {
        var specStart = field.IndexOf(':');
        var spec = specStart < 0 ? string.Empty : field[(specStart + 1)..];
        var reference = specStart < 0 ? field : field[..specStart];
        var conversionStart = reference.IndexOf('!');
        var conversion = conversionStart < 0 ? null : reference[(conversionStart + 1)..];
        reference = conversionStart < 0 ? reference : reference[..conversionStart];

        var nameEnd = reference.IndexOfAny(['.', '[']);
        var name = nameEnd < 0 ? reference : reference[..nameEnd];
        var value = Resolve(name, arguments, ref automatic);
        value = AccessPath(value, nameEnd < 0 ? string.Empty : reference[nameEnd..]);
        if (conversion is "r")
        {
            value = new StringValue(value.ToRepr());
        }
        else if (conversion is "s")
        {
            value = new StringValue(value.ToDisplayString());
        }

        return FormatSpec.Apply(value, spec);
    }

    private static Value Resolve(string name, Arguments arguments, ref int automatic)
    {
        if (name.Length == 0)
        {
            name = automatic++.ToString(CultureInfo.InvariantCulture);
        }

        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return index < arguments.Positional.Count
                ? arguments.Positional[index]
                : throw new TemplateException($"Replacement index {index} out of range for positional args tuple");
        }

        foreach (var (key, value) in arguments.Keywords)
        {
            if (key == name)
            {
                return value;
            }
        }

        throw new TemplateException($"'{name}'");
    }

    private static Value AccessPath(Value value, string path)
    {
        var position = 0;
        while (position < path.Length)
        {
            if (path[position] == '.')
            {
                var end = path.IndexOfAny(['.', '['], position + 1);
                end = end < 0 ? path.Length : end;
                value = MemberAccess.GetAttribute(value, path[(position + 1)..end]);
                position = end;
            }
            else
            {
                var end = path.IndexOf(']', position);
                var key = path[(position + 1)..end];
                value = MemberAccess.GetItem(value, int.TryParse(key, out var i) ? IntegerValue.Of(i) : new StringValue(key));
                position = end + 1;
            }
        }

        return value;
    }
}
