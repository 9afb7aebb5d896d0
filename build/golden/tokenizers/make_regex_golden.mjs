// Produces the golden match spans that RegexGoldenTests compares the C# Oniguruma translator against:
// real tokenizer.json Split patterns, run over corpus.json plus extra astral/emoji strings.
//
//   node build/golden/tokenizers/make_regex_golden.mjs
//
// Reference: JavaScript RegExp with the `u` flag, which matches by code point and has exact Unicode \p{...}
// classes. The Rust `tokenizers` crate matches these patterns with Oniguruma (Ruby-like syntax, UTF-8), so each
// pattern is rewritten to the JS form with the same meaning (toJs) and matches are enumerated as onig::FindMatches
// does. Where the two differ and how this script bridges them:
//  - \s is Unicode White_Space in Oniguruma; JS adds U+FEFF and lacks U+0085. \s and \S become explicit classes.
//  - (?i:...) is not in Node 20's RegExp. Inside it, every literal character and every character of a bracket class
//    becomes the class of its case variants, taken from JS's own /iu simple case folding (for the ASCII letters of
//    these patterns that is Oniguruma's single-character folding too: s also matches U+017F LONG S).
//  - Possessive X*+ X++ X?+ do not exist in JS; they become the atomic idiom (?=(X*))\N.
//  - X{n,m}+ is not possessive in Oniguruma but a repeat of the interval; it becomes (?:X{n,m})+.
//  - $ is "before any \n or at the end" in Oniguruma; JS's $ (no m flag) is the end only: (?=\n|(?![\s\S])).
//  - Empty matches: JS's matchAll steps past every empty match; onig skips an empty match only where the previous
//    match ended (then moves one code point on). The loop in findMatches does the latter.
//  - Unicode versions: Oniguruma has 16.0, this Node's ICU 17.0; the texts use no character assigned after 15.0.
// The patterns are the Split patterns of real tokenizer.json files (GPT-2, Llama-3, Qwen2, GPT-4o, DeepSeek-V3,
// DeepSeek-LLM, DeepSeek-Coder, Falcon, Ling/BailingMoE) and tiktoken's cl100k pattern with its possessive quantifiers.
// Constructs outside what these patterns need ('.', '^', groups other than (?:, (?i:, look-arounds) make toJs throw.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..", "..");

// DeepSeek-LLM's letter class (cased letters of some Unicode version), built from its code point ranges: written out
// as characters it contains singletons such as U+1FD3 and U+212A that text tools silently NFC-normalize.
function deepSeekLetterClass() {
  const ranges =
    "0041-005A 0061-007A 00B5 00C0-00D6 00D8-00F6 00F8-01BA 01BC-01BF 01C4-0293 0295-02AF 0370-0373 0376-0377 " +
    "037B-037D 037F 0386 0388-038A 038C 038E-03A1 03A3-03F5 03F7-0481 048A-052F 0531-0556 10A0-10C5 13A0-13F5 " +
    "13F8-13FD 1C90-1CBA 1CBD-1CBF 1D00-1D2B 1D6B-1D77 1D79-1D9A 1E00-1F15 1F18-1F1D 1F20-1F45 1F48-1F4D 1F50-1F57 " +
    "1F59 1F5B 1F5D 1F5F-1F7D 1F80-1FB4 1FB6-1FBC 1FBE 1FC2-1FC4 1FC6-1FCC 1FD0-1FD3 1FD6-1FDB 1FE0-1FEC 1FF2-1FF4 " +
    "1FF6-1FFC 2102 2107 210A-2113 2115 2119-211D 2124 2126 2128 212A-212D 212F-2134 2139 213C-213F 2145-2149 214E " +
    "2183-2184 2C00-2C7B 2C7E-2CE4 2CEB-2CEE 2CF2-2CF3 A640-A66D A680-A69B A722-A76F A771-A787 A78B-A78E AB70-ABBF " +
    "FB00-FB06 FB13-FB17 FF21-FF3A FF41-FF5A 10400-1044F 104B0-104D3 104D8-104FB 10C80-10CB2 10CC0-10CF2 118A0-118DF " +
    "1E900-1E943";
  return ranges
    .split(" ")
    .map((range) => range.split("-").map((hex) => String.fromCodePoint(parseInt(hex, 16))).join("-"))
    .join("");
}

const patterns = {
  gpt2: String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`,
  "llama3-cl100k": String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  qwen2: String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  "gpt4o-o200k": String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  "bailingmoe-possessive": String.raw`'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+`,
  "tiktoken-cl100k-possessive": String.raw`'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`,
  "deepseek-v3-digits": String.raw`\p{N}{1,3}`,
  "deepseek-v3-cjk": String.raw`[一-龥぀-ゟ゠-ヿ]+`,
  "deepseek-v3-words": String.raw`[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_` + "`" + String.raw`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  "deepseek-llm-letters": String.raw`\s?[` + deepSeekLetterClass() + "]+",
  "deepseek-llm-punctuation": String.raw`\s?[!-/:-~！-／：-～‘-‟　-。]+`,
  "deepseek-llm-trailing-space": String.raw`\s+$`,
  "deepseek-llm-cjk": String.raw`[一-龥ࠀ-一가-퟿]+`,
  "deepseek-coder-punctuation": String.raw`\s?\p{P}+`,
  "falcon-punctuation": String.raw`[\p{P}\$\+<=>\^~\|` + "`" + String.raw`]+`,
};

const extraTexts = [
  "Astral 𝐀𝐁𝐂𝐃 and 𝟏𝟐𝟑𝟒𝟓 digits, 𝑎𝑏𝑐'𝑠 italic",
  "Deseret 𐐀𐐨𐐩 Adlam 𞤀𞤢 Osage 𐒰𐓘 Warang 𑢠𑣀 Cherokee ᏸᏹ",
  "Skin tones 👋🏻👋🏿 and ZWJ 👩🏽‍💻 🧑‍🤝‍🧑 flag 🏳️‍🌈!",
  "CJK ext B 𠀀𠀁 in 文字 and かなカナ ｶﾀｶﾅ",
  "Combining x\u0301\u0302 and \u0301 alone, Ⅻ roman ½ fraction",
  "Spaces\u3000\u3000ideographic \u00a0\u00a0nbsp\u0085nel\ufeffbom\u2028ls\u2029ps",
  "trailing\t \n\nlines  \r\n  \r\nend  ",
  "IT'S it'\u017f IT'\u017f 'LL 'Ll 'RE 'Ve 'D 'M 'K",
  "Ⓐⓑ circled and 🅰 squared letters, Under_score‿tie",
  "１２３４ fullwidth ！？（） and ‘quotes’ “double”",
  "digits 1234567 ١٢٣٤٥ 𝟘𝟙𝟚𝟛𝟜 ",
  "x\r\n\r\n  y\n\t\n",
];

const WHITE_SPACE = String.raw`\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;

const caseVariants = new Map();
function variants(ch) {
  if (!caseVariants.has(ch)) {
    const re = new RegExp("^" + ch.replace(/[\\^$.*+?()[\]{}|\/-]/g, "\\$&") + "$", "iu");
    const found = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if ((cp < 0xd800 || cp > 0xdfff) && re.test(String.fromCodePoint(cp))) found.push(String.fromCodePoint(cp));
    }
    caseVariants.set(ch, found);
  }
  return caseVariants.get(ch);
}

/** The JS RegExp source (u flag) equivalent to an Oniguruma pattern, for the constructs these patterns use. */
function toJs(source) {
  const chars = [...source];
  let i = 0;
  let captures = 0;
  const fail = (what) => {
    throw new Error(`toJs: ${what} at ${i} in ${source}`);
  };

  const alternation = (icase) => {
    let out = branch(icase);
    while (chars[i] === "|") {
      i++;
      out += "|" + branch(icase);
    }
    return out;
  };

  const branch = (icase) => {
    let out = "";
    while (i < chars.length && chars[i] !== "|" && chars[i] !== ")") {
      let atom = atomAt(icase);
      for (let q = quantifier(); q; q = quantifier()) {
        if (q.possessive) {
          // The idiom's group numbers follow creation order, which is text order unless idioms nest.
          if (atom.includes("(?=(")) fail("nested possessive");
          captures++;
          atom = `(?=(${atom}${q.text}))\\${captures}`;
        } else {
          atom = `(?:${atom}${q.text})`;
        }
      }
      out += atom;
    }
    return out;
  };

  const quantifier = () => {
    const m = /^(?:[*+?]|\{\d+\}|\{\d+,\d*\})/u.exec(chars.slice(i).join(""));
    if (!m) return null;
    i += [...m[0]].length;
    const interval = m[0][0] === "{";
    const fixed = /^\{\d+\}$/.test(m[0]);
    if (!fixed && chars[i] === "?") {
      i++;
      return { text: m[0] + "?" };
    }
    if (!interval && chars[i] === "+") {
      i++;
      return { text: m[0], possessive: true };
    }
    return { text: m[0] };
  };

  const literal = (ch, icase) => {
    const escaped = ch.replace(/[\\^$.*+?()[\]{}|\/]/g, "\\$&");
    return icase && variants(ch).length > 1 ? "[" + variants(ch).join("") + "]" : escaped;
  };

  const atomAt = (icase) => {
    const c = chars[i];
    if (c === "(") {
      const head = chars.slice(i, i + 4).join("");
      const prefix = ["(?i:", "(?<=", "(?<!", "(?:", "(?=", "(?!"].find((p) => head.startsWith(p));
      if (!prefix) fail("unsupported group");
      i += prefix.length;
      const inner = alternation(icase || prefix === "(?i:");
      if (chars[i++] !== ")") fail("unclosed group");
      return (prefix === "(?i:" ? "(?:" : prefix) + inner + ")";
    }
    if (c === "[") return bracketClass(icase);
    if (c === "\\") {
      const e = chars[i + 1];
      i += 2;
      if (e === "s") return `[${WHITE_SPACE}]`;
      if (e === "S") return `[^${WHITE_SPACE}]`;
      if (e === "p" || e === "P") return property(e);
      if (/[rnt$\\^.*+?()[\]{}|\/-]/.test(e)) return "\\" + e;
      fail(`unsupported escape \\${e}`);
    }
    if (c === "$") {
      i++;
      return String.raw`(?=\n|(?![\s\S]))`;
    }
    if (c === "." || c === "^" || c === "*" || c === "+" || c === "?" || c === "{") fail(`unsupported ${c}`);
    i++;
    return literal(c, icase);
  };

  const property = (e) => {
    const end = chars.indexOf("}", i);
    const text = "\\" + e + chars.slice(i, end + 1).join("");
    i = end + 1;
    return text;
  };

  const bracketClass = (icase) => {
    let out = "[";
    i++;
    if (chars[i] === "^") {
      out += "^";
      i++;
    }
    while (chars[i] !== "]") {
      const c = chars[i];
      if (c === undefined || c === "[") fail("unsupported class");
      if (c === "\\") {
        const e = chars[i + 1];
        i += 2;
        if (e === "s") out += WHITE_SPACE;
        else if (e === "p" || e === "P") out += property(e);
        else if (/[rnt$\\^.*+?()[\]{}|\/\-]/.test(e)) out += "\\" + e;
        else fail(`unsupported class escape \\${e}`);
      } else if (icase && chars[i + 1] !== "-" && chars[i - 1] !== "-") {
        out += variants(c).join("");
        i++;
      } else if (icase) {
        fail("case-insensitive range");
      } else {
        out += c === "/" ? "\\/" : c;
        i++;
      }
    }
    i++;
    return out + "]";
  };

  const js = alternation(false);
  if (i !== chars.length) fail("unbalanced )");
  return js;
}

function findMatches(regex, text) {
  const spans = [];
  let searchStart = 0;
  let previousEnd = -1;
  while (searchStart <= text.length) {
    regex.lastIndex = searchStart;
    const match = regex.exec(text);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    if (start === end && start === previousEnd) {
      searchStart += text.codePointAt(searchStart) > 0xffff ? 2 : 1;
      continue;
    }
    spans.push(start, end);
    searchStart = previousEnd = end;
  }
  return spans;
}

const texts = [...JSON.parse(readFileSync(join(here, "corpus.json"), "utf8")), ...extraTexts];
const golden = {
  reference: `node ${process.version} RegExp (u flag), ICU ${process.versions.icu}, Unicode ${process.versions.unicode}`,
  texts,
  patterns: Object.entries(patterns).map(([name, pattern]) => {
    const js = toJs(pattern);
    const regex = new RegExp(js, "gu");
    return { name, pattern, js, spans: texts.map((text) => findMatches(regex, text)) };
  }),
};

const out = join(repo, "test", "Microsoft.ML.Kto.Tests", "data", "regex", "regex.golden.json");
const body = JSON.stringify(golden, null, 1).replace(/\[\s+([\d,\s]+?)\s+\]/g, (_, numbers) => "[" + numbers.replace(/\s+/g, "") + "]");
writeFileSync(out, body + "\n");
console.log(`${out}: ${golden.patterns.length} patterns x ${texts.length} texts`);
