"""`bot privacy eval`: recall per type and false positives of the masking, Svar and Presidio.

A labelled value counts as masked when one find covers it whole (a find that
leaves "912 34" of "912 34 567" behind is a miss), and as typed right when that
find also has the right type. The false-positive rate is the share of hard
negatives (messages with no personal data) in which anything was found.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import BotError
from svar_privacy import mask

CHECK_DIGIT_TYPES = ("fodselsnummer", "personnummer", "cpr", "bsn", "henkilotunnus", "iban", "card")
CONTACT_TYPES = ("email", "phone")
TYPES = CHECK_DIGIT_TYPES + CONTACT_TYPES
TARGETS = {**dict.fromkeys(CHECK_DIGIT_TYPES, 0.99), **dict.fromkeys(CONTACT_TYPES, 0.97)}
MAX_FALSE_POSITIVE_RATE = 0.01

Finder = Callable[[str], list[tuple[str, str]]]  # text → [(type, value as written)]


class PiiSetError(BotError):
    """The labelled personal-data set cannot be read or has no `messages` list."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class Labelled:
    """A message of the evaluation set and the personal data in it, as (type, value) pairs; none
    makes it a negative.
    """

    id: str
    lang: str
    text: str
    pii: tuple[tuple[str, str], ...]


@dataclass
class Score:
    """One detector's results on the set."""

    name: str
    supported: frozenset[str]
    labels: Counter[str] = field(default_factory=Counter)
    masked: Counter[str] = field(default_factory=Counter)
    typed: Counter[str] = field(default_factory=Counter)
    negatives: int = 0
    flagged_negatives: list[str] = field(default_factory=list)
    spurious: int = 0
    missed: list[str] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)

    def recall(self, kind: str) -> float | None:
        """Share of the labelled values of `kind` that were masked; None when the set has none."""
        return self.masked[kind] / self.labels[kind] if self.labels[kind] else None

    @property
    def false_positive_rate(self) -> float:
        """Share of messages without personal data in which something was flagged."""
        return len(self.flagged_negatives) / self.negatives if self.negatives else 0.0


def load_set(path: Path) -> list[Labelled]:
    """Read the labelled set; an unreadable file or one without a `messages` list raises
    PiiSetError.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PiiSetError(path, str(exc)) from exc
    messages = raw.get("messages") if isinstance(raw, dict) else None
    if not isinstance(messages, list):
        raise PiiSetError(path, "no 'messages' list")
    return [
        Labelled(
            str(m["id"]),
            str(m["lang"]),
            str(m["text"]),
            tuple((str(p["type"]), str(p["value"])) for p in m.get("pii") or ()),
        )
        for m in messages
    ]


def svar_finder(text: str) -> list[tuple[str, str]]:
    """Svar's own masking as a finder: the (type, value) of each finding."""
    return [(f.kind, f.value) for f in mask(text).findings]


def score(name: str, finder: Finder, items: list[Labelled], supported: frozenset[str]) -> Score:
    """Run `finder` over the set: a value counts as masked when a finding covers it, whatever type
    the finding gives it (`typed` counts the ones typed right).
    """
    result = Score(name, supported)
    for item in items:
        started = time.perf_counter()
        finds = finder(item.text)
        result.millis.append((time.perf_counter() - started) * 1000)
        if not item.pii:
            result.negatives += 1
            if finds:
                result.flagged_negatives.append(item.id)
            continue
        for kind, value in item.pii:
            result.labels[kind] += 1
            covering = [k for k, v in finds if value in v]
            if covering:
                result.masked[kind] += 1
                result.typed[kind] += kind in covering
            else:
                result.missed.append(f"{item.id} {kind}")
        result.spurious += sum(
            1 for _, v in finds if not any(v in x or x in v for _, x in item.pii)
        )
    return result


def report(scores: list[Score], unavailable: dict[str, str]) -> str:
    """A Markdown table: recall (typed right) per type, then the false positives."""
    names = [s.name for s in scores]
    lines = [
        "| type | n | target | " + " | ".join(f"{n} recall (typed)" for n in names) + " |",
        "|---|---:|---:|" + "---:|" * len(names),
    ]
    for kind in TYPES:
        n = scores[0].labels[kind] if scores else 0
        cells = []
        for s in scores:
            recall = s.recall(kind)
            if recall is None:
                cells.append("-")
            elif kind not in s.supported:
                cells.append(f"no recognizer ({recall:.3f} masked as another type)")
            else:
                cells.append(f"{recall:.3f} ({s.typed[kind] / s.labels[kind]:.3f})")
        lines.append(f"| {kind} | {n} | {TARGETS[kind]:.2f} | " + " | ".join(cells) + " |")
    lines.append("")
    for s in scores:
        p95 = statistics.quantiles(s.millis, n=20)[-1] if len(s.millis) > 1 else 0.0
        lines.append(
            f"{s.name}: false positives {len(s.flagged_negatives)}/{s.negatives} hard negatives "
            f"({s.false_positive_rate:.2%}, target ≤ {MAX_FALSE_POSITIVE_RATE:.0%}); "
            f"{s.spurious} extra finds in messages with personal data; "
            f"{p95:.2f} ms p95 per message"
        )
    for name, reason in unavailable.items():
        lines.append(f"{name}: not run ({reason})")
    return "\n".join(lines)


def meets_targets(s: Score) -> bool:
    """Whether every type in the set reaches its recall target and false positives stay within
    MAX_FALSE_POSITIVE_RATE.
    """
    recalls_ok = all((s.recall(k) or 0.0) >= TARGETS[k] for k in TYPES if s.labels[k])
    return recalls_ok and s.false_positive_rate <= MAX_FALSE_POSITIVE_RATE


def run(path: Path, with_presidio: bool = True) -> tuple[list[Score], dict[str, str]]:
    """Score Svar, and Presidio when asked and installed; the second value says why a detector was
    skipped.
    """
    items = load_set(path)
    scores = [score("Svar", svar_finder, items, frozenset(TYPES))]
    unavailable: dict[str, str] = {}
    if with_presidio:
        from bot.privacy.presidio import PresidioUnavailable, presidio_finder

        try:
            finder, supported = presidio_finder()
        except PresidioUnavailable as exc:
            unavailable["Presidio"] = str(exc)
        else:
            scores.append(score("Presidio", finder, items, supported))
    return scores, unavailable


def details(s: Score, limit: int = 20) -> dict[str, Any]:
    """The first `limit` misses and false positives, for the report."""
    return {
        "missed": s.missed[:limit],
        "flagged_negatives": s.flagged_negatives[:limit],
    }
