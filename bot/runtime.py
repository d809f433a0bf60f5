"""What the running bot service holds: settings, database, encoder, live index.

rasa-sdk instantiates actions with no arguments, so actions reach the runtime
through `current()`; the web app installs it at start-up (tests install their
own). Nothing here does work at import time.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from bot.kb.encoders import Encoder, create_encoder
from bot.kb.index import load_index, read_manifest
from bot.kb.search import Searcher
from bot.settings import Settings
from bot.storage import Database

logger = logging.getLogger(__name__)
RELOAD_CHECK_SECONDS = 1.0


class LiveIndex:
    """The searcher over the newest published index, swapped in when it changes.

    A rebuild publishes a new manifest; the next query at most a second later
    loads it and swaps the searcher atomically. Queries already running keep
    the searcher they started with.
    """

    def __init__(self, settings: Settings, encoder: Encoder) -> None:
        self._settings = settings
        self._encoder = encoder
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._checked = 0.0

    def searcher(self) -> Searcher:
        """The current searcher, checking for a new build at most every RELOAD_CHECK_SECONDS.

        Raises KBIndexError when the newest build cannot be loaded. Hold the result for a whole
        turn, so that one turn sees one index.
        """
        now = time.monotonic()
        if self._searcher is None or now - self._checked > RELOAD_CHECK_SECONDS:
            with self._lock:
                self._checked = now
                self._reload_if_changed()
        assert self._searcher is not None
        return self._searcher

    def _reload_if_changed(self) -> None:
        manifest = read_manifest(self._settings.index_dir)
        current = self._searcher.index.version if self._searcher else None
        if self._searcher is not None and (manifest is None or manifest["version"] == current):
            return
        index = load_index(self._settings.index_dir, self._encoder.name)
        self._searcher = Searcher(index, self._encoder)
        logger.info("serving index %s (%d entries)", index.version, len(index.kb.entries))


@dataclass
class Runtime:
    """The service's long-lived parts, built once by `start` and passed to features."""

    settings: Settings
    db: Database
    index: LiveIndex

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        """Connect and migrate the database, load the model and the index."""
        db = Database(settings.database_url)
        db.migrate()
        encoder = create_encoder(
            settings.embedding_model, settings.encoder_workers, settings.encoder_threads
        )
        index = LiveIndex(settings, encoder)
        index.searcher()
        return cls(settings, db, index)

    def close(self) -> None:
        """Release the database connections."""
        self.db.dispose()


_current: Runtime | None = None
_current_lock = threading.Lock()


def install(runtime: Runtime | None) -> None:
    """Make `runtime` the one `current()` returns; None uninstalls it."""
    global _current
    _current = runtime


def current() -> Runtime:
    """The installed runtime, started from the environment on first use if none is."""
    global _current
    if _current is None:
        with _current_lock:
            if _current is None:
                _current = Runtime.start(Settings.from_env())
    return _current
