using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.Tests;

/// <summary>
/// A tiny tokenizer and model written to a temporary directory, small enough that a training step takes
/// milliseconds on two cores: a GPT-2-style byte-level BPE (256 byte tokens, a few merges, ChatML special tokens)
/// with a ChatML chat template, and a random 2-layer qwen2 decoder (hidden 32, 4 heads, 2 KV heads) over the same
/// vocabulary. Dispose deletes the directory.
/// </summary>
public sealed class TinyKtoFixtures : IDisposable
{
    /// <summary>End of text: the EOS and the padding token.</summary>
    public const string EndOfText = "<|endoftext|>";
    /// <summary>ChatML message start.</summary>
    public const string ImStart = "<|im_start|>";
    /// <summary>ChatML message end.</summary>
    public const string ImEnd = "<|im_end|>";

    /// <summary>Merges, in rank order; their results get ids 256, 257, ...</summary>
    public static readonly string[] Merges = ["Ġ t", "h e", "Ġt he", "i n", "e r", "Ġ a", "o n", "Ġ s"];

    /// <summary>Id of <see cref="EndOfText"/> (the first id after the byte tokens and the merges).</summary>
    public static readonly int EndOfTextId = 256 + Merges.Length;

    /// <summary>Tokens of the model vocabulary plus the three added tokens.</summary>
    public static readonly int VocabSize = 256 + Merges.Length + 3;

    /// <summary>
    /// ChatML with tools rendered into a system message, and a <c>greeting</c> chat_template_kwargs variable that
    /// prefixes the conversation when defined.
    /// </summary>
    public const string ChatTemplate =
        "{% if greeting is defined %}{{ greeting }}\n{% endif %}" +
        "{% if tools %}<|im_start|>system\nTools: {{ tools | tojson }}<|im_end|>\n{% endif %}" +
        "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}" +
        "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    private TinyKtoFixtures(string directory, HfTokenizer tokenizer)
    {
        Directory = directory;
        Tokenizer = tokenizer;
    }

    /// <summary>The directory holding tokenizer.json, tokenizer_config.json, config.json and model.safetensors.</summary>
    public string Directory { get; }

    /// <summary>The tokenizer, loaded back from <see cref="Directory"/>.</summary>
    public HfTokenizer Tokenizer { get; }

    /// <summary>Writes the tokenizer and a random model (seeded with <paramref name="seed"/>) into a new temporary directory.</summary>
    public static TinyKtoFixtures Create(ulong seed = 7)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("kto-tiny-").FullName;
        WriteTokenizer(directory);
        using (var model = CausalLM.FromConfig(ModelConfig.Parse(ModelConfigJson()), seed))
        {
            model.SaveTo(directory);
        }

        return new TinyKtoFixtures(directory, HfTokenizer.FromDirectory(directory));
    }

    /// <summary>Loads a fresh copy of the model (a separate set of parameters on each call).</summary>
    public CausalLM LoadModel() => CausalLM.FromPretrained(Directory);

    /// <summary>An encoder using the tokenizer's chat template.</summary>
    public PromptCompletionEncoder Encoder() => new(Tokenizer);

    /// <summary>
    /// Plain-text rows alternating desirable/undesirable, with prompts and completions of different lengths so that
    /// padding and KL pairs are exercised.
    /// </summary>
    public static List<KtoRow> TextRows(int count)
    {
        string[] prompts = ["The sky is", "Water boils at", "In the morning the sun", "Two plus two", "A cat sat on", "Paris is in"];
        string[] completions = [" blue.", " one hundred degrees.", " rises in the east", " is four", " the mat and slept", " France, the country."];
        return Enumerable.Range(0, count)
            .Select(i => new KtoRow(
                KtoContent.FromText(prompts[i % prompts.Length]),
                KtoContent.FromText(completions[(i * 5 + 1) % completions.Length]),
                label: i % 2 == 0,
                sourceRow: i + 1))
            .ToList();
    }

    /// <summary>Prepares rows (no length limit) and assigns KL partners for <paramref name="batchSize"/>.</summary>
    public List<PreparedExample> Prepare(IReadOnlyList<KtoRow> rows, int batchSize, int? maxLength = null)
    {
        var (examples, _) = new KtoDatasetPreparer(Encoder(), maxLength).Prepare(rows);
        return KlCompletions.Assign(examples, batchSize);
    }

    /// <summary>The model's config.json: qwen2 (q/k/v biases), untied head, vocabulary = the tokenizer's.</summary>
    public static JsonObject ModelConfigJson() => new()
    {
        ["model_type"] = "qwen2",
        ["vocab_size"] = VocabSize,
        ["hidden_size"] = 32,
        ["intermediate_size"] = 64,
        ["num_hidden_layers"] = 2,
        ["num_attention_heads"] = 4,
        ["num_key_value_heads"] = 2,
        ["rms_norm_eps"] = 1e-6,
        ["rope_theta"] = 10000.0,
        ["max_position_embeddings"] = 256,
        ["tie_word_embeddings"] = false,
        ["eos_token_id"] = EndOfTextId,
        ["torch_dtype"] = "float32",
    };

    /// <summary>Writes tokenizer.json and tokenizer_config.json.</summary>
    public static void WriteTokenizer(string directory) =>
        ByteLevelTokenizerFiles.Write(directory, Merges, [EndOfText, ImStart, ImEnd], eosToken: EndOfText, padToken: EndOfText, ChatTemplate);

    /// <summary>Deletes the directory.</summary>
    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
