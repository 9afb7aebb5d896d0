using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>Filters that apply to any value: <c>default</c> and <c>attr</c>.</summary>
internal static class ValueFilters
{
    public static void Register(Dictionary<string, FilterFunction> registry)
    {
        registry["default"] = Default;
        registry["d"] = Default;
        registry["attr"] = Attribute;
    }

    /// <summary>Unlike <c>x.name</c>, the <c>attr</c> filter only looks at Python attributes, never at dict keys.</summary>
    private static Value Attribute(Value value, Arguments arguments, RenderContext context)
    {
        var name = arguments.Bind("attr", "name")[0]?.ToDisplayString() ?? throw new TemplateException("attr() missing required argument 'name'");
        return value.TryGetMember(name, out var member) ? member : UndefinedValue.Member(value, new StringValue(name));
    }

    /// <summary>Replaces undefined values, or with <c>boolean=true</c> any falsy value.</summary>
    private static Value Default(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("default", "default_value", "boolean");
        var useDefault = value is UndefinedValue || (ArgumentConversions.Boolean(bound[1], false) && !value.IsTruthy);
        return useDefault ? bound[0] ?? StringValue.Empty : value;
    }
}
