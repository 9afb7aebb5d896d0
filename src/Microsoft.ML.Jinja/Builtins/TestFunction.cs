using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>A jinja2 test: <c>input is name(arguments)</c>.</summary>
internal delegate bool TestFunction(Value input, Arguments arguments, RenderContext context);
