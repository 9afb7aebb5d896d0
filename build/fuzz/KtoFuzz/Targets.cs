using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML.Jinja;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Models.Safetensors;
using Microsoft.ML.Kto.Tokenization;
using static TorchSharp.torch;

namespace KtoFuzz;

/// <summary>The fuzzed parsers: safetensors, tokenizer.json, tokenizer_config.json, Jinja chat templates, JSONL data.</summary>
internal static class Targets
{
    private static readonly string[] JsonTokens =
        ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "-1", "0", "1e309", "18446744073709551616",
         "9223372036854775807", "\"\\ud800\"", "\\u0000", "\"type\"", "\"Sequence\"", "é", "🙂"];

    public static IReadOnlyList<FuzzTarget> All(string repo, string scratch) =>
    [
        Safetensors(scratch),
        TokenizerJson(),
        TokenizerConfig(),
        Template(repo),
        Jsonl(scratch),
    ];

    private static FuzzTarget Safetensors(string scratch)
    {
        var path = Path.Combine(scratch, "fuzz.safetensors");
        byte[] Seed(params (string Name, Tensor Tensor)[] tensors)
        {
            SafetensorsIO.Write(path, tensors.Select(t => new KeyValuePair<string, Tensor>(t.Name, t.Tensor)), new Dictionary<string, string> { ["format"] = "pt" });
            return File.ReadAllBytes(path);
        }
        var seeds = new[]
        {
            Seed(("model.embed_tokens.weight", arange(6, ScalarType.Float32).reshape(2, 3)), ("model.norm.weight", ones(3))),
            Seed(("a", arange(4, ScalarType.BFloat16)), ("b", tensor(new long[] { 7 })), ("c", zeros(0))),
        };
        return new FuzzTarget("safetensors", seeds,
            [.. JsonTokens, "\"data_offsets\"", "\"shape\"", "\"dtype\"", "\"F32\"", "\"BF16\"", "\"F16\"", "\"I64\"", "\"__metadata__\"", "[0,0]", "[4294967295,4294967295]"],
            input =>
            {
                File.WriteAllBytes(path, input);
                using var file = SafetensorsFile.Open(path);
                foreach (var name in file.Entries.Keys)
                {
                    using var scope = NewDisposeScope();
                    file.Read(name);
                }
            },
            [typeof(SafetensorsException)]);
    }

    private const string SeedTokenizer = """
        {"version": "1.0", "truncation": null, "padding": null,
         "added_tokens": [{"id": 6, "content": "<|im_end|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
         "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}]},
         "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "\\p{N}{1,3}| ?\\p{L}+"}, "behavior": "Isolated", "invert": false},
            {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]},
         "post_processor": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
         "decoder": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
         "model": {"type": "BPE", "dropout": null, "unk_token": null, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
                   "vocab": {"a": 0, "b": 1, "ab": 2, "Ġ": 3, "Ġab": 4, "1": 5}, "merges": ["a b", "Ġ ab"]}}
        """;

    private const string SeedConfig = """
        {"add_bos_token": false, "add_eos_token": false, "bos_token": null, "eos_token": "<|im_end|>", "pad_token": "<|im_end|>",
         "model_max_length": 32768, "clean_up_tokenization_spaces": false,
         "added_tokens_decoder": {"6": {"content": "<|im_end|>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true}},
         "chat_template": "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"}
        """;

    private static void Tokenize(string tokenizer, string config)
    {
        var loaded = HfTokenizer.FromJson(tokenizer, config);
        var ids = loaded.EncodeToIds("ab ab  12345 abé🙂<|im_end|>");
        loaded.Decode(ids);
    }

    private static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    private static FuzzTarget TokenizerJson() => new("tokenizer.json", [Encoding.UTF8.GetBytes(SeedTokenizer)],
        [.. JsonTokens, "\"Regex\"", "(a+)+$", "\\p{L}", "\"ByteLevel\"", "\"BPE\"", "\"merges\"", "\"vocab\"", "\"Split\"", "\"Metaspace\""],
        input => Tokenize(Text(input), SeedConfig),
        [typeof(TokenizerFormatException), typeof(TemplateException)]);

    private static FuzzTarget TokenizerConfig() => new("tokenizer_config.json", [Encoding.UTF8.GetBytes(SeedConfig)],
        [.. JsonTokens, "\"chat_template\"", "{%", "%}", "{{", "}}", "\"added_tokens_decoder\"", "\"eos_token\""],
        input => Tokenize(SeedTokenizer, Text(input)),
        [typeof(TokenizerFormatException), typeof(TemplateException)]);

    private static FuzzTarget Template(string repo)
    {
        string Golden(string name) =>
            JsonNode.Parse(File.ReadAllText(Path.Combine(repo, "test/Microsoft.ML.Kto.Tests/data/chat_templates", name)))!["template"]!.GetValue<string>();
        var variables = new Dictionary<string, JsonNode?>
        {
            ["messages"] = JsonNode.Parse("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4", "tool_calls": [{"function": {"name": "add", "arguments": {"a": 2}}}]}, {"role": "tool", "content": "4"}]"""),
            ["tools"] = JsonNode.Parse("""[{"type": "function", "function": {"name": "add", "parameters": {"type": "object"}}}]"""),
            ["add_generation_prompt"] = true,
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
        };
        return new FuzzTarget("chat template", [Encoding.UTF8.GetBytes(Golden("qwen3.golden.json")), Encoding.UTF8.GetBytes(Golden("llama3.golden.json"))],
            ["{%", "%}", "{{", "}}", "{#", "#}", "(", ")", "[", "]", "|", ".", "~", "*", "**", " if ", " else ", " for x in ", " in ", "endfor", "endif",
             "macro m(x)", "endmacro", "m(m(1))", "range(99999)", "'a' * 99999999", "loop.index", "namespace(n=1)", "| tojson", "| map('upper')",
             "raise_exception('x')", "set x = ", "-", "\"", "'", "\\", "1e308", "9999999999999999999999", "None", "__class__", "{% raw %}"],
            input => new JinjaTemplate(Text(input)).Render(variables),
            [typeof(TemplateException)]);
    }

    private static FuzzTarget Jsonl(string scratch)
    {
        var path = Path.Combine(scratch, "fuzz.jsonl");
        const string Unpaired = """
            {"prompt": "2+2=", "completion": "4", "label": true}
            {"prompt": [{"role": "user", "content": "hi"}], "completion": [{"role": "assistant", "content": "hello"}], "label": false}
            """;
        const string Paired = """
            {"prompt": "x", "chosen": "a", "rejected": "b"}
            {"prompt": "y", "chosen": "c", "rejected": "d", "tools": "[]"}
            """;
        return new FuzzTarget("jsonl data", [Encoding.UTF8.GetBytes(Unpaired), Encoding.UTF8.GetBytes(Paired)],
            [.. JsonTokens, "\n", "\"label\"", "\"prompt\"", "\"completion\"", "\"role\"", "\"content\"", "\"tools\"", "\"chosen\"", "\"rejected\""],
            input =>
            {
                File.WriteAllBytes(path, input);
                KtoDatasetLoader.LoadJsonl(path);
            },
            [typeof(KtoDataException)]);
    }
}
