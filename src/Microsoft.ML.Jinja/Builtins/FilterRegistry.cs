namespace Microsoft.ML.Jinja.Builtins;

/// <summary>The filters available to templates: jinja2's built-ins plus transformers' <c>tojson</c>.</summary>
internal static class FilterRegistry
{
    private static readonly Dictionary<string, FilterFunction> Registry = Build();

    public static bool TryGet(string name, out FilterFunction filter) => Registry.TryGetValue(name, out filter!);

    public static bool Exists(string name) => Registry.ContainsKey(name);

    private static Dictionary<string, FilterFunction> Build()
    {
        var registry = new Dictionary<string, FilterFunction>(StringComparer.Ordinal);
        TextFilters.Register(registry);
        SequenceFilters.Register(registry);
        SelectionFilters.Register(registry);
        NumberFilters.Register(registry);
        ValueFilters.Register(registry);
        registry["tojson"] = JsonFilter.ToJson;
        return registry;
    }
}
