using Microsoft.ML.Kto.Tokenization.Templates.Runtime;
using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Builtins;

/// <summary>A jinja2 test: <c>input is name(arguments)</c>.</summary>
internal delegate bool TestFunction(Value input, Arguments arguments, RenderContext context);
