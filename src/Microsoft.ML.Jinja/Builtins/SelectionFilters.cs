using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary><c>map</c>, <c>select</c>, <c>reject</c>, <c>selectattr</c>, <c>rejectattr</c>: lazy, like jinja2's generators.</summary>
internal static class SelectionFilters
{
    public static void Register(Dictionary<string, FilterFunction> registry)
    {
        registry["map"] = Map;
        registry["select"] = (v, a, c) => Select(v, a, c, lookupAttribute: false, keep: true);
        registry["reject"] = (v, a, c) => Select(v, a, c, lookupAttribute: false, keep: false);
        registry["selectattr"] = (v, a, c) => Select(v, a, c, lookupAttribute: true, keep: true);
        registry["rejectattr"] = (v, a, c) => Select(v, a, c, lookupAttribute: true, keep: false);
    }

    /// <summary><c>map(attribute='x', default=...)</c> or <c>map('filter', args...)</c>.</summary>
    private static Value Map(Value value, Arguments arguments, RenderContext context)
    {
        Func<Value, Value> transform;
        if (arguments.Positional.Count == 0 && arguments.Keywords.Any(k => k.Key == "attribute"))
        {
            var bound = arguments.Bind("map", "attribute", "default");
            var fallback = bound[1] is null or NoneValue ? null : bound[1];
            transform = item =>
            {
                var result = MemberAccess.GetPath(item, bound[0]!);
                return fallback is not null && result is UndefinedValue ? fallback : result;
            };
        }
        else
        {
            var (filter, rest) = Named(arguments, 0, "map requires a filter argument");
            if (!FilterRegistry.TryGet(filter, out var function))
            {
                throw new TemplateException($"No filter named '{filter}'.");
            }

            transform = item => function(item, rest, context);
        }

        return new IteratorValue("generator", value.IsTruthy ? value.Iterate().Select(transform) : []);
    }

    private static Value Select(Value value, Arguments arguments, RenderContext context, bool lookupAttribute, bool keep)
    {
        var offset = 0;
        Func<Value, Value> subject = item => item;
        if (lookupAttribute)
        {
            var attribute = arguments.Positional.Count > 0 ? arguments.Positional[0] : throw new TemplateException("Missing parameter for attribute name");
            subject = item => MemberAccess.GetPath(item, attribute);
            offset = 1;
        }

        Func<Value, bool> predicate = item => item.IsTruthy;
        if (arguments.Positional.Count > offset)
        {
            var (test, rest) = Named(arguments, offset, string.Empty);
            if (!TestRegistry.TryGet(test, out var function))
            {
                throw new TemplateException($"No test named '{test}'.");
            }

            predicate = item => function(item, rest, context);
        }

        return new IteratorValue("generator", value.IsTruthy ? value.Iterate().Where(item => predicate(subject(item)) == keep) : []);
    }

    /// <summary>Splits off the filter/test name at <paramref name="position"/>; the remaining arguments go to it.</summary>
    private static (string Name, Arguments Remaining) Named(Arguments arguments, int position, string missingMessage)
    {
        if (arguments.Positional.Count <= position)
        {
            throw new TemplateException(missingMessage);
        }

        var name = arguments.Positional[position] is StringValue s ? s.Value : arguments.Positional[position].ToDisplayString();
        return (name, new Arguments(arguments.Positional.Skip(position + 1).ToArray(), arguments.Keywords));
    }
}
