"""Writing editors' changes back into the KB files, in the documented format.

Edits go through ruamel.yaml's round-trip mode, so comments, key order and
block answers survive and a change shows in `git diff` as the lines that
changed. Every write is validated with `load_kb` on a copy of the KB before it
replaces the file in one rename; a change that would break the KB is refused
and nothing is written, and a crash at any point leaves the old file or the new.

Edits are serialized across processes (several bot-service replicas, the CLI)
by a lock file in the KB directory, which therefore lives on storage every
replica shares (docs/deployment.md, "Replicas").
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from bot.errors import BotError, KBValidationError
from bot.kb.format import ID_PATTERN, kb_files, load_kb
from bot.storage.locks import file_lock

EDITOR_FILE = "editor.yml"
LOCK_FILE = ".edit.lock"
_thread_lock = threading.Lock()  # POSIX file locks do not exclude threads of one process


class KBEditError(BotError):
    """An edit that cannot be applied (unknown entry, duplicate, or it breaks the KB)."""

    def __init__(self, faq_id: str, reason: str) -> None:
        self.faq_id = faq_id
        super().__init__(f"entry {faq_id}: {reason}")


@dataclass(frozen=True)
class Translation:
    """One language of an entry as an editor (or a gap draft) writes it."""

    lang: str
    question: str
    answer: str
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewEntry:
    """An entry to add with `add_entry`, from the editor API or a gap draft; `id` must be new."""

    id: str
    translations: tuple[Translation, ...]
    team: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = field(default=())


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def add_alternatives(faq_dir: Path, faq_id: str, lang: str, phrasings: Sequence[str]) -> Path:
    """Append `phrasings` to the entry's alternatives in `lang` (else its English one,
    else any); return the file written. Phrasings it already has are skipped."""
    with edit_lock(faq_dir):
        kb = load_kb(faq_dir)
        entry = kb.get(faq_id, lang) or kb.translation(faq_id, "en")
        if entry is None:
            raise KBEditError(faq_id, "no such entry")
        path = Path(faq_dir) / entry.source
        document = _read(path)
        raw = next(
            e for e in document["entries"] if e.get("id") == faq_id and e.get("lang") == entry.lang
        )
        known = {t.casefold() for t in entry.texts}
        new = [p.strip() for p in phrasings if p.strip() and p.strip().casefold() not in known]
        if not new:
            return path
        if not isinstance(raw.get("alternatives"), list):
            _insert_after(raw, "question", "alternatives", CommentedSeq())
        raw["alternatives"].extend(dict.fromkeys(new))
        _write_validated(faq_dir, path, document)
        return path


def add_entry(faq_dir: Path, entry: NewEntry, filename: str = EDITOR_FILE) -> Path:
    """Add a new entry (one block per translation) to `filename` in the KB directory."""
    if not ID_PATTERN.match(entry.id):
        raise KBEditError(entry.id, "id must match [a-z0-9_]+")
    if not entry.translations:
        raise KBEditError(entry.id, "needs at least one translation")
    with edit_lock(faq_dir):
        if entry.id in load_kb(faq_dir).ids():
            raise KBEditError(entry.id, "already exists; add alternatives to it instead")
        path = Path(faq_dir) / Path(filename).name
        document = _read(path) if path.exists() else CommentedMap(version=1, entries=[])
        for translation in entry.translations:
            document["entries"].append(_entry_map(entry, translation))
        _write_validated(faq_dir, path, document)
        return path


def _entry_map(entry: NewEntry, translation: Translation) -> CommentedMap:
    raw = CommentedMap()
    raw["id"] = entry.id
    raw["lang"] = translation.lang
    raw["question"] = translation.question.strip()
    if translation.alternatives:
        raw["alternatives"] = CommentedSeq(a.strip() for a in translation.alternatives)
    raw["answer"] = LiteralScalarString(translation.answer.strip() + "\n")
    if entry.team:
        raw["team"] = entry.team
    if entry.tags:
        raw["tags"] = list(entry.tags)
    if entry.url:
        raw["url"] = entry.url
    return raw


def _insert_after(mapping: CommentedMap, key: str, new_key: str, value: Any) -> None:
    position = list(mapping).index(key) + 1 if key in mapping else len(mapping)
    mapping.insert(position, new_key, value)


def _read(path: Path) -> Any:
    return _yaml().load(path.read_text(encoding="utf-8"))


@contextmanager
def edit_lock(faq_dir: Path) -> Iterator[None]:
    """One edit at a time in `faq_dir`, across threads, processes and replicas."""
    with _thread_lock, file_lock(Path(faq_dir) / LOCK_FILE):
        yield


def _write_validated(faq_dir: Path, path: Path, document: Any) -> None:
    """Validate the KB as it would be on a copy, then rename the new file into place."""
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    content = buffer.getvalue().encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="svar-kb-edit-") as scratch:
        for source in kb_files(Path(faq_dir)):
            shutil.copyfile(source, Path(scratch) / source.name)
        (Path(scratch) / path.name).write_bytes(content)
        try:
            load_kb(Path(scratch))
        except KBValidationError as exc:
            reason = str(exc).replace(scratch, str(faq_dir))
            raise KBEditError(path.name, f"refused, it would break the KB: {reason}") from exc
    # Same directory, so the rename is atomic; the hidden name is not a KB file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def coverage(faq_dir: Path, languages: Sequence[str]) -> list[dict[str, Any]]:
    """For every entry id: the languages it has and the ones it lacks."""
    kb = load_kb(faq_dir)
    rows = []
    for faq_id in kb.ids():
        have = kb.languages(faq_id)
        first = kb.translation(faq_id, "en")
        rows.append(
            {
                "faq_id": faq_id,
                "question": first.question if first else "",
                "team": first.team if first else "general",
                "languages": have,
                "missing": [lang for lang in languages if lang not in have],
            }
        )
    return rows
