"""Write the copies of the sentence catalogue that Rasa and the widget read.

`locale/<lang>/messages.yml` is the one place a sentence is written. Two readers cannot
read it at run time: Rasa takes its responses from `domain/`, and the widget is one
static script. This writes their copies:

- `domain/responses.yml` from each language's `responses` section (a variation per
  language, chosen by the `language` slot; English is the unconditional default);
- the `TEXTS` block of `bot/web/widget/svar.js` from each language's `widget` section.

Run after changing a catalogue: `.venv/bin/python scripts/gen_locale.py`
(`--check` exits 1 when a copy is stale; tests/test_locale.py checks the same).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.locale import FALLBACK, catalogue, languages

ROOT = Path(__file__).resolve().parent.parent
RESPONSES = ROOT / "domain" / "responses.yml"
WIDGET = ROOT / "bot" / "web" / "widget" / "svar.js"
BEGIN = "  // locale:begin, generated from locale/<lang>/messages.yml by scripts/gen_locale.py\n"
END = "  // locale:end\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def responses_yml() -> str:
    """domain/responses.yml: every `utter_*` with a variation per language."""
    langs = languages()
    lines = [
        "# Generated from locale/<lang>/messages.yml (section `responses`) by",
        "# scripts/gen_locale.py: edit the catalogues, then run the script.",
        'version: "3.1"',
        "",
        "responses:",
    ]
    for name, text in catalogue(FALLBACK)["responses"].items():
        lines += [f"  {name}:", f"  - text: {_quoted(text)}"]
        for lang in langs:
            if lang == FALLBACK:
                continue
            lines += [
                "  - condition:",
                "    - type: slot",
                "      name: language",
                f"      value: {lang}",
                f"    text: {_quoted(catalogue(lang)['responses'][name])}",
            ]
        lines.append("")
    return "\n".join(lines[:-1]) + "\n"


def widget_block() -> str:
    """The widget's `TEXTS` object, between its begin and end markers."""
    out = [BEGIN, "  var TEXTS = {\n"]
    langs = languages()
    for i, lang in enumerate(langs):
        pairs = [f"{key}: {_quoted(text)}" for key, text in catalogue(lang)["widget"].items()]
        rows, row = [], f"    {lang}: {{ "
        for j, pair in enumerate(pairs):
            piece = pair + (", " if j < len(pairs) - 1 else " }")
            if len(row) + len(piece) > 100 and row.strip():
                rows.append(row.rstrip() + "\n")
                row = "          "
            row += piece
        rows.append(row + ("," if i < len(langs) - 1 else "") + "\n")
        out += rows
    return "".join([*out, "  };\n", END])


def widget_js(current: str) -> str:
    """svar.js with its generated block replaced."""
    head, _, rest = current.partition(BEGIN)
    _, found, tail = rest.partition(END)
    if not found:
        raise SystemExit(f"{WIDGET}: no '{BEGIN.strip()}' ... '{END.strip()}' block")
    return head + widget_block() + tail


def main(argv: list[str] | None = None) -> int:
    """Write the copies, or with --check report the stale ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when stale")
    args = parser.parse_args(argv)
    targets = {
        RESPONSES: responses_yml(),
        WIDGET: widget_js(WIDGET.read_text(encoding="utf-8")),
    }
    stale = [path for path, text in targets.items() if path.read_text(encoding="utf-8") != text]
    for path in stale:
        if args.check:
            print(f"stale: {path.relative_to(ROOT)} (run scripts/gen_locale.py)")
        else:
            path.write_text(targets[path], encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
