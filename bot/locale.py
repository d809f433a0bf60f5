"""Svar's words as data: one folder per language under `locale/`, read once per process.

`locale/<lang>/messages.yml` holds every sentence Svar says to a customer (the bot
service's, Rasa's responses, the Rasa process's own and the widget's labels);
`locale/<lang>/signals.yml` holds the words the handoff triggers and the gap list look
for. Adding a language is adding these two files (and NLU data, and the language id
corpus); `tests/test_locale.py` fails when a key is missing in one of them.

The Rasa process reads the same files with its own few lines (`svar_rasa/locale.py`),
since it imports nothing from `bot`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
FALLBACK = "en"


class LocaleError(ValueError):
    """A language's file is missing or malformed: raised at import, so start-up stops."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def languages(locale_dir: Path = LOCALE_DIR) -> tuple[str, ...]:
    """The languages that have a catalogue, English first, then alphabetically."""
    found = sorted(p.parent.name for p in locale_dir.glob("*/messages.yml"))
    return tuple(sorted(found, key=lambda lang: (lang != FALLBACK, lang)))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LocaleError(path, str(error)) from error
    if not isinstance(data, dict):
        raise LocaleError(path, "expected a mapping of sections")
    return data


@cache
def catalogue(lang: str) -> dict[str, dict[str, str]]:
    """All sentences of one language, by section (`bot`, `responses`, `rasa`, `widget`)."""
    return _read(LOCALE_DIR / lang / "messages.yml")


def section(name: str) -> dict[str, dict[str, str]]:
    """One section in every language: key -> lang -> sentence."""
    table: dict[str, dict[str, str]] = {}
    for lang in languages():
        for key, text in catalogue(lang).get(name, {}).items():
            table.setdefault(key, {})[lang] = text
    return table


@cache
def signal_words(lang: str) -> dict[str, Any]:
    """One language's signal words, as written in its `signals.yml`."""
    return _read(LOCALE_DIR / lang / "signals.yml")


def _lookup(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def words(path: str) -> list[str]:
    """The list at `path` ("frustration.useless") of every language, in one list.

    Every language's words are matched together: customers mix languages, and a Danish
    swear word in a Norwegian conversation is still a swear word.
    """
    found: list[str] = []
    for lang in languages():
        listed = _lookup(signal_words(lang), path) or []
        if not isinstance(listed, list):
            raise LocaleError(LOCALE_DIR / lang / "signals.yml", f"{path} is not a list")
        found.extend(str(word) for word in listed)
    return found


def word_groups(path: str) -> dict[str, list[str]]:
    """The named lists under `path` ("complaint.about") of every language, merged by name."""
    groups: dict[str, list[str]] = {}
    for lang in languages():
        for name, listed in (_lookup(signal_words(lang), path) or {}).items():
            groups.setdefault(name, []).extend(str(word) for word in listed)
    return groups


def swear_words(use: str) -> Iterator[str]:
    """The swear words of every language marked for `use` ("frustration" or "abuse")."""
    for lang in languages():
        for word, uses in (signal_words(lang).get("swearing") or {}).items():
            if use in uses:
                yield str(word)
