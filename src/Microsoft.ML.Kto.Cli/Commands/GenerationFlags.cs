using System.CommandLine;
using Microsoft.Extensions.AI;
using Microsoft.ML.Kto.Generation;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary>The decoding flags of <c>kto generate</c> and <c>kto chat</c>, applied over the model's generation_config.json.</summary>
internal sealed class GenerationFlags
{
    private readonly Option<int?> _maxNewTokens = new("--max-new-tokens") { Description = "Tokens to generate at most (default: generation_config.json, else 256)." };
    private readonly Option<double?> _temperature = new("--temperature") { Description = "Sample with this temperature (default: greedy unless generation_config.json samples)." };
    private readonly Option<double?> _topP = new("--top-p") { Description = "Nucleus sampling threshold." };
    private readonly Option<ulong?> _seed = new("--seed") { Description = "Seed of the sampling." };

    public void AddTo(CliCommand command)
    {
        command.Options.Add(_maxNewTokens);
        command.Options.Add(_temperature);
        command.Options.Add(_topP);
        command.Options.Add(_seed);
    }

    public GenerationOptions Apply(ParseResult result, GenerationOptions options)
    {
        if (result.GetValue(_maxNewTokens) is { } n)
        {
            options = options with { MaxNewTokens = n };
        }

        if (result.GetValue(_temperature) is { } t)
        {
            options = options with { DoSample = true, Temperature = t };
        }

        if (result.GetValue(_topP) is { } p)
        {
            options = options with { DoSample = true, TopP = p };
        }

        if (result.GetValue(_seed) is { } s)
        {
            options = options with { Seed = s };
        }

        options.Validate();
        return options;
    }

    /// <summary>The same flags for a chat client; unset flags leave the model's generation_config.json in charge.</summary>
    public ChatOptions ToChatOptions(ParseResult result) => new()
    {
        MaxOutputTokens = result.GetValue(_maxNewTokens),
        Temperature = (float?)result.GetValue(_temperature),
        TopP = (float?)result.GetValue(_topP),
        Seed = result.GetValue(_seed) is { } seed ? unchecked((long)seed) : null,
    };
}
