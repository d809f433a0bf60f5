"""What an editor does with a gap: answer it in the KB, or dismiss it.

Answering writes the KB files (bot/kb/editing.py) at once; `republish` then
builds a new index with the running service's own encoder (seconds to a minute:
it re-embeds and re-calibrates), and the service's LiveIndex picks the new
manifest up within a second. Rasa is never retrained: it does not know the KB.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from bot.errors import BotError
from bot.kb.editing import NewEntry, add_alternatives, add_entry
from bot.kb.encoders import Encoder
from bot.kb.format import load_kb
from bot.kb.index import LoadedIndex, build_index
from bot.settings import Settings
from bot.storage import Database
from bot.storage.locks import file_lock
from bot.storage.models import Gap, utcnow

logger = logging.getLogger(__name__)
STATUSES = ("open", "answered", "dismissed")


class GapNotFound(BotError):
    """A gap id that does not exist; the web layer answers 404."""

    http_status = 404
    public = "no such gap or draft"

    def __init__(self, gap_id: int) -> None:
        self.gap_id = gap_id
        super().__init__(f"gap {gap_id} does not exist")


_publish_lock = threading.Lock()  # with the lock file: threads of one process too
PUBLISH_LOCK = ".publish.lock"


def republish(settings: Settings, encoder: Encoder, previous: LoadedIndex | None = None) -> str:
    """Publish the index for the edited KB files; return the new version.

    With the `previous` index it is a quick republish (only new phrasings are
    embedded, the fitted adapter and thresholds are reused), live in seconds;
    the next `bot kb build` refits. Serialised: edits saved during a build are
    picked up by the next one, which reads the files afresh. Serialised across
    replicas as well (a lock file in the index directory): a build that read the
    files before an edit cannot publish after the build that included it.
    """
    with _publish_lock, file_lock(Path(settings.index_dir) / PUBLISH_LOCK):
        manifest = build_index(
            load_kb(settings.faq_dir),
            encoder,
            settings.index_dir,
            cache_dir=settings.cache_dir,
            adapter=settings.kb_adapter,
            previous=previous,
        )
    logger.info("published index %s after an edit", manifest["version"])
    return str(manifest["version"])


def gap_phrasings(db: Database, gap_id: int) -> list[tuple[str, str | None]]:
    """The distinct questions of a gap with their languages, most frequent first."""
    with db.session() as session:
        gap = session.get(Gap, gap_id)
        if gap is None:
            raise GapNotFound(gap_id)
        counts: dict[str, tuple[int, str | None]] = {}
        for o in gap.occurrences:
            text = o.question.strip()
            n, lang = counts.get(text, (0, o.lang))
            counts[text] = (n + 1, lang)
        return [(t, lang) for t, (_, lang) in sorted(counts.items(), key=lambda kv: -kv[1][0])]


def answer_with_alternatives(
    db: Database,
    settings: Settings,
    gap_id: int,
    faq_id: str,
    phrasings: Sequence[tuple[str, str | None]] | None = None,
) -> None:
    """Add the gap's phrasings (or the chosen ones) to entry `faq_id` and close the gap.

    The caller republishes the index (`republish`), which takes seconds to a minute.
    """
    chosen = list(phrasings) if phrasings is not None else gap_phrasings(db, gap_id)
    by_lang: dict[str, list[str]] = {}
    for text, lang in chosen:
        by_lang.setdefault(lang or "en", []).append(text)
    for lang, texts in by_lang.items():
        add_alternatives(settings.faq_dir, faq_id, lang, texts)
    set_status(db, gap_id, "answered", f"alternatives of {faq_id}")
    logger.info("gap %s answered by alternatives of %s", gap_id, faq_id)


def answer_with_entry(db: Database, settings: Settings, gap_id: int, entry: NewEntry) -> None:
    """Add a new entry for the gap and close it (the caller republishes the index)."""
    with db.session() as session:
        if session.get(Gap, gap_id) is None:
            raise GapNotFound(gap_id)
    add_entry(settings.faq_dir, entry)
    set_status(db, gap_id, "answered", f"new entry {entry.id}")
    logger.info("gap %s answered by new entry %s", gap_id, entry.id)


def set_status(db: Database, gap_id: int, status: str, resolution: str | None = None) -> None:
    """Open, answer or dismiss a gap; an unknown status raises ValueError, an unknown gap
    GapNotFound.
    """
    if status not in STATUSES:
        raise ValueError(status)
    with db.session() as session:
        gap = session.get(Gap, gap_id)
        if gap is None:
            raise GapNotFound(gap_id)
        gap.status = status
        gap.resolution = resolution
        gap.resolved_at = None if status == "open" else utcnow()
