using Microsoft.ML.Kto.Tokenization.Templates.Runtime;
using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Builtins;

/// <summary>A jinja2 filter: <c>input | name(arguments)</c>.</summary>
internal delegate Value FilterFunction(Value input, Arguments arguments, RenderContext context);
