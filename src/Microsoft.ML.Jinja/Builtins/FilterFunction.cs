using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>A jinja2 filter: <c>input | name(arguments)</c>.</summary>
internal delegate Value FilterFunction(Value input, Arguments arguments, RenderContext context);
