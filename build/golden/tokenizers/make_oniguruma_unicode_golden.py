#!/usr/bin/env python3
"""Extracts Oniguruma's own Unicode data for the C# regex translator's tests.

The Rust `tokenizers` crate matches tokenizer.json regexes with Oniguruma (onig_sys 69.9 bundles Oniguruma at
commit 94877ac5, 6.9.9+, Unicode 16.0). The C# translator rebuilds Oniguruma's character sets from .NET's Unicode
data; this golden lets a test check, set by set, that they are the same code points:

  - every property name the translator accepts in \\p{...} (all of Oniguruma's aliases of them), the POSIX bracket
    [:punct:] (which differs from \\p{Punct}), and the names it must refuse (all other Oniguruma property names);
  - Oniguruma's case-insensitive equivalence classes of single code points (CaseFolding.txt C and F entries:
    characters whose full folding is the same string are equivalent, a one-character folding to its target).

    python3 build/golden/tokenizers/make_oniguruma_unicode_golden.py ONIGURUMA_SRC_DIR

ONIGURUMA_SRC_DIR is the `src` directory of a kkos/oniguruma checkout at the commit named above.
"""
import json
import re
import sys
from pathlib import Path

COMMIT = "94877ac5901c30cc7022f4f464da393b04cd3375"

# Oniguruma code-range tables whose members the translator derives from general categories.
SUPPORTED_TABLES = {
    "CR_" + name
    for name in "Lu Ll Lt Lm Lo LC L Mn Mc Me M Nd Nl No N Pc Pd Ps Pe Pi Pf Po P Sm Sc Sk So S Zs Zl Zp Z Cc Cf Cn Co Cs C".split()
} | {"CR_Any", "CR_Assigned", "CR_ASCII", "CR_Word", "CR_Space", "CR_White_Space", "CR_Digit", "CR_XDigit",
     "CR_ASCII_Hex_Digit", "CR_Blank", "CR_Cntrl", "CR_NEWLINE", "CR_Graph", "CR_Print"}


def code_ranges(source, name):
    alias = re.search(r"#define %s (CR_\w+)" % re.escape(name), source)
    if alias:
        return code_ranges(source, alias.group(1))
    body = re.search(r"\n%s\[\] = \{ \d+,\n(.*?)\}; /\* END" % re.escape(name), source, re.S).group(1)
    bounds = [int(x, 16) for x in re.findall(r"0x([0-9a-f]+)", body)]
    return list(zip(bounds[::2], bounds[1::2]))


def property_names(source):
    """Oniguruma's property name -> code-range table, from the gperf lookup in unicode_property_data.c."""
    pool = dict(re.findall(r'char unicode_prop_name_pool_str(\d+)\[sizeof\("([^"]*)"\)\];', source))
    words = source[source.index("wordlist[] ="):]
    words = words[:words.index("};")]
    tables = source[source.index("CodeRanges[] = {"):]
    tables = re.findall(r"\n  (CR_\w+),", tables[:tables.index("};")])
    return {pool[offset]: tables[int(ctype)] for offset, ctype in re.findall(r"\{pool_offset\((\d+)\),\s*(\d+)\}", words)}


def fold_table(source, name, key_length):
    body = source[source.index("OnigUnicodeFolds%s[] = {" % name):]
    body = re.sub(r"/\*.*?\*/|#define[^\n]*", "", body[:body.index("};")], flags=re.S)
    numbers = [int(x, 0) for x in re.findall(r"0x[0-9a-fA-F]+|\b\d+\b", body)]
    i = 0
    while i < len(numbers):
        count = numbers[i + key_length]
        yield tuple(numbers[i:i + key_length]), numbers[i + key_length + 1:i + key_length + 1 + count]
        i += key_length + 1 + count


def case_classes(source):
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for name, key_length in (("1", 1), ("2", 2), ("3", 3)):
        for fold, unfolds in fold_table(source, name, key_length):
            members = (list(fold) if key_length == 1 else []) + unfolds
            for member in members[1:]:
                parent[find(member)] = find(members[0])
    classes = {}
    for member in list(parent):
        classes.setdefault(find(member), []).append(member)
    return sorted(sorted(c) for c in classes.values() if len(c) > 1)


def hex_ranges(ranges):
    return " ".join("%04X" % a if a == b else "%04X-%04X" % (a, b) for a, b in ranges)


def main(src_dir):
    properties = (Path(src_dir) / "unicode_property_data.c").read_text()
    folds = (Path(src_dir) / "unicode_fold_data.c").read_text()
    names = property_names(properties)
    golden = {
        "source": "kkos/oniguruma@%s src/unicode_property_data.c and src/unicode_fold_data.c" % COMMIT,
        "properties": [
            {"names": sorted(n for n, t in names.items() if t == table), "ranges": hex_ranges(code_ranges(properties, table))}
            for table in sorted(SUPPORTED_TABLES)
        ],
        "posixPunct": hex_ranges(code_ranges(properties, "CR_PosixPunct")),
        "unsupportedProperties": sorted(n for n, t in names.items() if t not in SUPPORTED_TABLES),
        "caseClasses": [" ".join("%04X" % c for c in members) for members in case_classes(folds)],
    }
    out = Path(__file__).resolve().parents[3] / "test" / "Microsoft.ML.Kto.Tests" / "data" / "regex" / "oniguruma-unicode.golden.json"
    out.write_text(json.dumps(golden, indent=1, ensure_ascii=True) + "\n")
    print("%s: %d property names, %d unsupported names, %d case classes" % (
        out, sum(len(p["names"]) for p in golden["properties"]), len(golden["unsupportedProperties"]), len(golden["caseClasses"])))


if __name__ == "__main__":
    main(sys.argv[1])
