"""Reading and validating a knowledge-base directory (see shared/faq-format.md).

Validation collects every problem before failing, so that an editor fixes a
broken KB in one round, and nothing is ever half-built from it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.errors import KBProblem, KBValidationError

ID_PATTERN = re.compile(r"^[a-z0-9_]+$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}$")
TEAM_PATTERN = re.compile(r"^[a-z0-9_-]+$")
REQUIRED_KEYS = ("id", "lang", "question", "answer")
OPTIONAL_KEYS = ("alternatives", "team", "tags", "url", "handoff")
HANDOFF_VALUES = ("never", "offer", "always")
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class FaqEntry:
    """One answer in one language."""

    id: str
    lang: str
    question: str
    answer: str
    alternatives: tuple[str, ...] = ()
    team: str = "general"
    tags: tuple[str, ...] = ()
    url: str | None = None
    handoff: str = "never"
    source: str = ""

    @property
    def texts(self) -> tuple[str, ...]:
        """The phrasings that are indexed: the question, then its alternatives."""
        return (self.question, *self.alternatives)


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries of a KB directory and a checksum of its files."""

    entries: tuple[FaqEntry, ...]
    checksum: str

    def ids(self) -> list[str]:
        """Distinct entry ids, sorted; an entry in several languages counts once."""
        return sorted({e.id for e in self.entries})

    def languages(self, faq_id: str) -> list[str]:
        """The languages `faq_id` is written in, sorted; empty for an unknown id."""
        return sorted(e.lang for e in self.entries if e.id == faq_id)

    def get(self, faq_id: str, lang: str) -> FaqEntry | None:
        """One entry in one language; None when the id or that language is missing."""
        return next((e for e in self.entries if e.id == faq_id and e.lang == lang), None)

    def translation(self, faq_id: str, lang: str) -> FaqEntry | None:
        """The entry in `lang`, else English, else any language it exists in."""
        for candidate in (lang, FALLBACK_LANGUAGE):
            entry = self.get(faq_id, candidate)
            if entry is not None:
                return entry
        return next((e for e in self.entries if e.id == faq_id), None)


def kb_files(directory: Path) -> list[Path]:
    """The KB's YAML files in name order (not recursive), so loading and checksums are stable."""
    return sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def checksum(files: list[Path]) -> str:
    """A short digest of the files' names and contents; it names the index version."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_kb(directory: Path) -> KnowledgeBase:
    """Read every KB file in `directory`; raise `KBValidationError` listing all problems."""
    directory = Path(directory)
    if not directory.is_dir():
        raise KBValidationError([KBProblem(directory, None, "is not a directory")])
    files = kb_files(directory)
    if not files:
        raise KBValidationError([KBProblem(directory, None, "contains no .yml or .yaml file")])
    problems: list[KBProblem] = []
    entries: list[FaqEntry] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in files:
        for entry in _read_file(path, problems):
            key = (entry.id, entry.lang)
            if key in seen:
                problems.append(
                    KBProblem(path, entry.id, f"duplicate (id, lang) {key}, first in {seen[key]}")
                )
                continue
            seen[key] = path
            entries.append(entry)
    if problems:
        raise KBValidationError(problems)
    return KnowledgeBase(tuple(entries), checksum(files))


def _read_file(path: Path, problems: list[KBProblem]) -> Iterator[FaqEntry]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(KBProblem(path, None, "is not UTF-8 text"))
        return
    except yaml.YAMLError as exc:
        problems.append(KBProblem(path, None, f"is not valid YAML: {exc}".replace("\n", " ")))
        return
    if not isinstance(document, dict):
        problems.append(KBProblem(path, None, "must be a mapping with 'version' and 'entries'"))
        return
    if document.get("version") != 1:
        problems.append(
            KBProblem(path, None, f"version must be 1, got {document.get('version')!r}")
        )
    extra = sorted(set(document) - {"version", "entries"})
    if extra:
        problems.append(KBProblem(path, None, f"unknown top-level key(s): {', '.join(extra)}"))
    raw_entries = document.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        problems.append(KBProblem(path, None, "'entries' must be a non-empty list"))
        return
    for position, raw in enumerate(raw_entries, start=1):
        entry = _parse_entry(path, position, raw, problems)
        if entry is not None:
            yield entry


def _parse_entry(path: Path, position: int, raw: Any, problems: list[KBProblem]) -> FaqEntry | None:
    label = f"#{position}"
    if not isinstance(raw, dict):
        problems.append(KBProblem(path, label, "must be a mapping"))
        return None
    if isinstance(raw.get("id"), str):
        label = f"{raw['id']} (#{position})"
    found: list[str] = []
    unknown = sorted(str(k) for k in raw if k not in REQUIRED_KEYS + OPTIONAL_KEYS)
    if unknown:
        found.append(f"unknown key(s): {', '.join(unknown)}")
    for key in REQUIRED_KEYS:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            found.append(f"'{key}' is required and must be non-empty text")
    if isinstance(raw.get("id"), str) and not ID_PATTERN.match(raw["id"]):
        found.append(f"id {raw['id']!r} must match [a-z0-9_]+")
    if isinstance(raw.get("lang"), str) and not LANG_PATTERN.match(raw["lang"]):
        found.append(f"lang {raw['lang']!r} must be an ISO 639-1 code such as en or nb")
    found.extend(_optional_problems(raw))
    if found:
        problems.extend(KBProblem(path, label, problem) for problem in found)
        return None
    return FaqEntry(
        id=raw["id"],
        lang=raw["lang"],
        question=raw["question"].strip(),
        answer=raw["answer"].strip(),
        alternatives=tuple(a.strip() for a in raw.get("alternatives") or ()),
        team=raw.get("team") or "general",
        tags=tuple(raw.get("tags") or ()),
        url=raw.get("url"),
        handoff=raw.get("handoff") or "never",
        source=path.name,
    )


def _optional_problems(raw: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for key in ("alternatives", "tags"):
        value = raw.get(key)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            found.append(f"'{key}' must be a list of non-empty texts")
    team = raw.get("team")
    if team is not None and (not isinstance(team, str) or not TEAM_PATTERN.match(team)):
        found.append(f"team {team!r} must match [a-z0-9_-]+")
    url = raw.get("url")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://"))
    ):
        found.append(f"url {url!r} must be an http(s) address")
    handoff = raw.get("handoff")
    if handoff is not None and handoff not in HANDOFF_VALUES:
        found.append(f"handoff {handoff!r} must be one of {', '.join(HANDOFF_VALUES)}")
    return found
