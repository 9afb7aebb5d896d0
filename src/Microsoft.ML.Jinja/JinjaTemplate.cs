using System.Text.Json.Nodes;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Syntax;
using Microsoft.ML.Jinja.Syntax.Nodes;

namespace Microsoft.ML.Jinja;

/// <summary>
/// A Jinja template with the semantics Hugging Face transformers uses for chat templates: jinja2's
/// <c>ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)</c> with loop controls, plus
/// <c>raise_exception</c>, <c>strftime_now</c> and transformers' <c>tojson</c>. Parsed once; rendering is
/// thread-safe and can be repeated for every row of a dataset.
/// </summary>
public sealed class JinjaTemplate
{
    private readonly IReadOnlyList<Statement> _body;

    /// <summary>Parses <paramref name="source"/>; the template can then be rendered any number of times.</summary>
    /// <exception cref="TemplateException">The template has a syntax error or names an unknown filter or test.</exception>
    public JinjaTemplate(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _body = Parser.Parse(source);
    }

    /// <summary>Renders with the given variables, each converted from JSON as Python's <c>json.loads</c> would type it.</summary>
    /// <exception cref="TemplateException">Rendering failed, e.g. through <c>raise_exception</c> or use of an undefined value.</exception>
    public string Render(IReadOnlyDictionary<string, JsonNode?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var globals = new Scope(null);
        foreach (var (name, value) in variables)
        {
            globals.Set(name, JsonConversion.ToValue(value));
        }

        var context = new RenderContext(new Scope(globals));
        Statement.ExecuteAll(_body, context);
        return context.Output.ToString();
    }
}
