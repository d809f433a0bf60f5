"""Duplicates and contradictions in the KB, listed for editors per language.

- overlap: an entry's own question ranks another entry as high as itself (within
  `TIE`), so a customer asking it may get either; the two probably say the same
  thing or should be one entry;
- numbers differ: two overlapping entries, or one entry's translations, state
  different numbers for the same kind of thing (days, hours, weeks, money,
  percent). A contradiction is information: one of them is out of date.
Found with the running index's own search, so "overlap" means what customers get.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from bot.kb.format import FaqEntry
from bot.kb.search import Searcher

TIE = 0.03  # a competitor scoring within this of the entry itself is a tie
KINDS = {
    "days": (
        *("day", "days", "dag", "dager", "dagar", "dage", "dagen", "dagers", "dages"),
        *("virkedager", "arbetsdagar", "hverdage", "werkdagen"),
    ),
    "hours": ("hour", "hours", "time", "timer", "timme", "timmar", "uur", "h"),
    "weeks": ("week", "weeks", "uke", "uker", "vecka", "veckor", "uge", "uger", "weken"),
    "months": ("month", "months", "måned", "måneder", "månad", "månader", "maand", "maanden"),
    "money": ("kr", "nok", "sek", "dkk", "eur", "euro", "€", "$", "usd", ",-"),
    "percent": ("%", "percent", "prosent", "procent"),
}
FILLERS = frozenset({"working", "business", "calendar", "full", "arbeids", "arbets", "werk"})
_UNIT = {word: kind for kind, words in KINDS.items() for word in words}
# A number, an optional range, then a unit word; bounded repetitions keep it linear.
_NUMBER = re.compile(
    r"(\d{1,7}(?:[.,]\d{1,2})?)(?:\s?[-–]\s?(\d{1,7}(?:[.,]\d{1,2})?))?"
    r"\s?([^\s\d.,;:!?)]{1,12})(?:\s([^\s\d.,;:!?)]{1,12}))?"
)
_CURRENCY_FIRST = re.compile(r"([€$])\s?(\d{1,7}(?:[.,]\d{1,2})?)")


@dataclass(frozen=True)
class Conflict:
    """One overlap or number contradiction for editors; `score` is the tie's similarity (overlaps
    only).
    """

    kind: str  # overlap | numbers_differ
    lang: str
    faq_ids: tuple[str, ...]
    detail: str
    score: float | None = None


def numbers(text: str) -> dict[str, frozenset[str]]:
    """The numbers a text states, by kind of unit: {"days": {"3-5"}, "money": {"49"}}."""
    found: dict[str, set[str]] = defaultdict(set)
    for low, high, unit, then in _NUMBER.findall(text.casefold()):
        unit = unit.removeprefix("-")  # "a 60-day return window"
        kind = _UNIT.get(unit) or (_UNIT.get(then) if unit in FILLERS else None)
        if kind:
            found[kind].add(f"{low}-{high}" if high else low)
    for _, amount in _CURRENCY_FIRST.findall(text):
        found["money"].add(amount)
    return {k: frozenset(v) for k, v in found.items()}


def find_conflicts(searcher: Searcher) -> list[Conflict]:
    """Overlaps, and numbers that differ between overlapping entries or translations."""
    kb = searcher.index.kb
    found = _translations_differ(kb.entries)
    by_lang: dict[str, list[FaqEntry]] = defaultdict(list)
    for entry in kb.entries:
        by_lang[entry.lang].append(entry)
    for lang, entries in sorted(by_lang.items()):
        results = searcher.search_batch([e.question for e in entries], 5, [lang] * len(entries))
        seen: set[tuple[str, str]] = set()
        for entry, candidates in zip(entries, results, strict=True):
            for other, score in _ties(entry.id, candidates):
                first, second = sorted((entry.id, other))
                if (first, second) in seen:
                    continue
                seen.add((first, second))
                detail = f"“{entry.question}” ranks both"
                found.append(Conflict("overlap", lang, (first, second), detail, score))
                mate = kb.get(other, lang)
                if mate is not None:
                    found.extend(_numbers_differ(lang, (entry, mate)))
    return found


def _ties(own: str, candidates: list[Any]) -> list[tuple[str, float]]:
    mine = next((c.score for c in candidates if c.faq_id == own), None)
    best = candidates[0].score if candidates else 0.0
    floor = (mine if mine is not None else best) - TIE
    return [
        (c.faq_id, round(c.score, 3)) for c in candidates if c.faq_id != own and c.score >= floor
    ]


def _numbers_differ(lang: str, entries: tuple[FaqEntry, ...]) -> list[Conflict]:
    stated = [numbers(e.answer) for e in entries]
    out = []
    for kind in sorted(set(stated[0]) & set(stated[1])):
        if stated[0][kind] != stated[1][kind]:
            detail = "; ".join(
                f"{e.id}: {', '.join(sorted(s[kind]))} {kind}"
                for e, s in zip(entries, stated, strict=True)
            )
            out.append(Conflict("numbers_differ", lang, tuple(e.id for e in entries), detail))
    return out


def _translations_differ(entries: tuple[FaqEntry, ...]) -> list[Conflict]:
    """Translations of one entry that state numbers the others contradict.

    Money is left out (each market has its currency), and so is a language that
    states fewer numbers than the others: a shorter translation is not a
    contradiction, a different deadline is.
    """
    by_id: dict[str, list[FaqEntry]] = defaultdict(list)
    for entry in entries:
        by_id[entry.id].append(entry)
    out = []
    for faq_id, translations in sorted(by_id.items()):
        stated = {e.lang: numbers(e.answer) for e in translations}
        for kind in sorted({k for s in stated.values() for k in s} - {"money"}):
            values = {lang: s[kind] for lang, s in stated.items() if s.get(kind)}
            if len(values) < 2:
                continue
            usual, _ = Counter(values.values()).most_common(1)[0]
            for lang, value in sorted(values.items()):
                if not (value <= usual or usual <= value):
                    detail = (
                        f"{faq_id} in {lang}: {', '.join(sorted(value))} {kind};"
                        f" most languages: {', '.join(sorted(usual))}"
                    )
                    out.append(Conflict("numbers_differ", lang, (faq_id,), detail))
    return out


_cache: dict[str, list[Conflict]] = {}


def conflicts_of(searcher: Searcher) -> list[Conflict]:
    """`find_conflicts` once per published index version (a search over every question)."""
    version = str(searcher.index.version)
    if version not in _cache:
        _cache.clear()
        _cache[version] = find_conflicts(searcher)
    return _cache[version]


def conflict_json(c: Conflict) -> dict[str, Any]:
    """The JSON the editor API sends for a conflict."""
    return {
        "kind": c.kind,
        "lang": c.lang,
        "faq_ids": list(c.faq_ids),
        "detail": c.detail,
        "score": c.score,
    }
