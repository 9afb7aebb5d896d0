using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models;

namespace Microsoft.ML.Kto.Tokenization;

/// <summary>
/// Writes a GPT-2-style byte-level BPE tokenizer (tokenizer.json and tokenizer_config.json) from scratch, for models
/// created from a config rather than downloaded: ids 0-255 are the bytes, then one id per merge in rank order, then
/// the special tokens. Any text encodes, so a model over it can learn any string task.
/// </summary>
public static class ByteLevelTokenizerFiles
{
    /// <summary>Writes the two files into <paramref name="directory"/> (each under a temporary name, then renamed).</summary>
    /// <param name="directory">Target directory (created when missing).</param>
    /// <param name="merges">BPE merges such as <c>"Ġ t"</c>, in rank order (byte-level characters, space-separated pair).</param>
    /// <param name="specialTokens">Added special tokens, given ids after the merges in this order.</param>
    /// <param name="eosToken">The end-of-sequence token (one of <paramref name="specialTokens"/>).</param>
    /// <param name="padToken">The padding token, or null for none.</param>
    /// <param name="chatTemplate">A Jinja chat template, or null for a plain-text model.</param>
    /// <returns>The vocabulary size (bytes + merges + special tokens).</returns>
    public static int Write(string directory, IReadOnlyList<string> merges, IReadOnlyList<string> specialTokens, string eosToken,
        string? padToken = null, string? chatTemplate = null)
    {
        if (!specialTokens.Contains(eosToken))
        {
            throw new ArgumentException($"The EOS token '{eosToken}' is not among the special tokens.", nameof(eosToken));
        }

        if (padToken is not null && !specialTokens.Contains(padToken))
        {
            throw new ArgumentException($"The pad token '{padToken}' is not among the special tokens.", nameof(padToken));
        }

        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++)
        {
            vocab[ByteLevelAlphabet.Encode((byte)b).ToString()] = b;
        }

        for (var m = 0; m < merges.Count; m++)
        {
            var parts = merges[m].Split(' ');
            if (parts.Length != 2)
            {
                throw new ArgumentException($"Merge {m} ('{merges[m]}') is not two space-separated parts.", nameof(merges));
            }

            vocab[parts[0] + parts[1]] = 256 + m;
        }
        var firstSpecial = 256 + merges.Count;
        var added = specialTokens.Select((content, i) => (JsonNode)new JsonObject
        {
            ["id"] = firstSpecial + i,
            ["content"] = content,
            ["single_word"] = false,
            ["lstrip"] = false,
            ["rstrip"] = false,
            ["normalized"] = false,
            ["special"] = true,
        }).ToArray();
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(added),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel,
            ["post_processor"] = null,
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(merges.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
            },
        };
        var config = new JsonObject { ["eos_token"] = eosToken, ["tokenizer_class"] = "PreTrainedTokenizerFast" };
        if (padToken is not null)
        {
            config["pad_token"] = padToken;
        }

        if (chatTemplate is not null)
        {
            config["chat_template"] = chatTemplate;
        }

        Directory.CreateDirectory(directory);
        ModelWriter.WriteJson(Path.Combine(directory, "tokenizer.json"), tokenizer);
        ModelWriter.WriteJson(Path.Combine(directory, "tokenizer_config.json"), config);
        return firstSpecial + specialTokens.Count;
    }
}
