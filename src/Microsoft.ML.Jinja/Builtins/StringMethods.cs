using Microsoft.ML.Jinja.Formatting;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;
using static Microsoft.ML.Jinja.Builtins.ArgumentConversions;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>The Python <c>str</c> methods templates call, such as <c>content.split('&lt;/think&gt;')[-1].lstrip('\n')</c>.</summary>
internal static class StringMethods
{
    private static readonly MethodTable<StringValue> Table = new(
        new Dictionary<string, Func<StringValue, Arguments, Value>>
        {
            ["startswith"] = (s, a) => Affix(s, a, "startswith", (text, affix) => text.StartsWith(affix, StringComparison.Ordinal)),
            ["endswith"] = (s, a) => Affix(s, a, "endswith", (text, affix) => text.EndsWith(affix, StringComparison.Ordinal)),
            ["strip"] = (s, a) => Strip(s, a, "strip", left: true, right: true),
            ["lstrip"] = (s, a) => Strip(s, a, "lstrip", left: true, right: false),
            ["rstrip"] = (s, a) => Strip(s, a, "rstrip", left: false, right: true),
            ["split"] = (s, a) => Split(s, a, "split", PythonText.Split),
            ["rsplit"] = (s, a) => Split(s, a, "rsplit", PythonText.RightSplit),
            ["splitlines"] = (s, a) => Strings(PythonText.SplitLines(s.Value, Boolean(a.Bind("splitlines", "keepends")[0], false))),
            ["upper"] = (s, a) => Unary(s, a, "upper", text => text.ToUpperInvariant()),
            ["lower"] = (s, a) => Unary(s, a, "lower", text => text.ToLowerInvariant()),
            ["title"] = (s, a) => Unary(s, a, "title", PythonText.Title),
            ["capitalize"] = (s, a) => Unary(s, a, "capitalize", PythonText.Capitalize),
            ["replace"] = Replace,
            ["format"] = (s, a) => new StringValue(StrFormat.Apply(s.Value, a)),
            ["join"] = Join,
            ["find"] = (s, a) => Find(s, a, "find", last: false),
            ["rfind"] = (s, a) => Find(s, a, "rfind", last: true),
            ["count"] = Count,
            ["isdigit"] = (s, a) => Predicate(s, a, "isdigit", char.IsDigit),
            ["isalpha"] = (s, a) => Predicate(s, a, "isalpha", char.IsLetter),
            ["isalnum"] = (s, a) => Predicate(s, a, "isalnum", char.IsLetterOrDigit),
            ["isspace"] = (s, a) => Predicate(s, a, "isspace", PythonText.IsSpace),
            ["islower"] = (s, a) => BooleanValue.Of(IsCased(s.Value, char.IsLower, char.IsUpper)),
            ["isupper"] = (s, a) => BooleanValue.Of(IsCased(s.Value, char.IsUpper, char.IsLower)),
        },
        new HashSet<string>());

    public static bool TryBind(StringValue receiver, string name, out Value member) => Table.TryBind(receiver, name, out member);

    /// <summary>Python's <c>islower</c>/<c>isupper</c>: at least one cased character and none of the opposite case.</summary>
    public static bool IsCased(string text, Func<char, bool> wanted, Func<char, bool> opposite) =>
        text.Any(wanted) && !text.Any(opposite);

    private static Value Unary(StringValue s, Arguments a, string name, Func<string, string> transform)
    {
        a.Bind(name);
        return new StringValue(transform(s.Value));
    }

    private static Value Predicate(StringValue s, Arguments a, string name, Func<char, bool> test)
    {
        a.Bind(name);
        return BooleanValue.Of(s.Value.Length > 0 && s.Value.All(test));
    }

    private static Value Affix(StringValue s, Arguments a, string name, Func<string, string, bool> test)
    {
        var bound = a.Bind(name, "prefix", "start", "end");
        var text = Window(s, bound[1], bound[2]);
        return bound[0] switch
        {
            StringValue affix => BooleanValue.Of(test(text, affix.Value)),
            TupleValue options => BooleanValue.Of(options.Items.Any(o => test(text, RequiredString(o, name, "prefix")))),
            _ => throw new TemplateException($"{name} first arg must be str or a tuple of str, not {bound[0]?.TypeName ?? "nothing"}"),
        };
    }

    /// <summary>The <c>[start:end]</c> window some methods accept, with slice semantics.</summary>
    private static string Window(StringValue s, Value? start, Value? end)
    {
        if (start is null && end is null)
        {
            return s.Value;
        }

        var slice = new SliceValue(start ?? NoneValue.Instance, end ?? NoneValue.Instance, NoneValue.Instance);
        s.TryGetItem(slice, out var window);
        return ((StringValue)window).Value;
    }

    private static Value Strip(StringValue s, Arguments a, string name, bool left, bool right)
    {
        var chars = OptionalString(a.Bind(name, "chars")[0], name);
        return new StringValue(PythonText.Strip(s.Value, chars, left, right));
    }

    private static Value Split(StringValue s, Arguments a, string name, Func<string, string?, int, List<string>> split)
    {
        var bound = a.Bind(name, "sep", "maxsplit");
        return Strings(split(s.Value, OptionalString(bound[0], name), Int32(bound[1], -1)));
    }

    private static Value Replace(StringValue s, Arguments a)
    {
        var bound = a.Bind("replace", "old", "new", "count");
        var old = RequiredString(bound[0], "replace", "old");
        var replacement = RequiredString(bound[1], "replace", "new");
        return new StringValue(ReplaceCount(s.Value, old, replacement, Integer(bound[2], -1)));
    }

    /// <summary>Python's <c>str.replace</c> with a count; an empty <paramref name="old"/> inserts between every character.</summary>
    public static string ReplaceCount(string text, string old, string replacement, long count)
    {
        if (count < 0 && old.Length > 0)
        {
            return text.Replace(old, replacement, StringComparison.Ordinal);
        }

        var builder = new System.Text.StringBuilder();
        var position = 0;
        var done = 0L;
        while (count < 0 || done < count)
        {
            var found = old.Length == 0 ? (position <= text.Length ? position : -1) : text.IndexOf(old, position, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            builder.Append(text, position, found - position).Append(replacement);
            done++;
            if (old.Length == 0)
            {
                if (found == text.Length)
                {
                    return builder.ToString();
                }

                builder.Append(text[found]);
                position = found + 1;
            }
            else
            {
                position = found + old.Length;
            }
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }

    private static Value Join(StringValue s, Arguments a)
    {
        var items = a.Bind("join", "iterable")[0] ?? throw new TemplateException("join() takes exactly one argument (0 given)");
        var parts = items.Iterate().Select((item, i) => item is StringValue text
            ? text.Value
            : throw new TemplateException($"sequence item {i}: expected str instance, {item.TypeName} found"));
        return new StringValue(string.Join(s.Value, parts));
    }

    private static Value Find(StringValue s, Arguments a, string name, bool last)
    {
        var sub = RequiredString(a.Bind(name, "sub")[0], name, "sub");
        var index = last ? s.Value.LastIndexOf(sub, StringComparison.Ordinal) : s.Value.IndexOf(sub, StringComparison.Ordinal);
        // Python reports code-point positions; each surrogate pair before the match counts once.
        return IntegerValue.Of(index < 0 ? -1 : index - s.Value[..index].Count(char.IsLowSurrogate));
    }

    private static Value Count(StringValue s, Arguments a)
    {
        var sub = RequiredString(a.Bind("count", "sub")[0], "count", "sub");
        if (sub.Length == 0)
        {
            return IntegerValue.Of(s.CodePointCount + 1);
        }

        var count = 0;
        for (var i = s.Value.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.Value.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return IntegerValue.Of(count);
    }

    private static ListValue Strings(IEnumerable<string> parts) => new([.. parts.Select(p => (Value)new StringValue(p))]);
}
