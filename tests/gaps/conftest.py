from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.storage import Database

TOPICS = ("parking", "jobs", "dogs", "wifi")


def topic_embed(texts: Sequence[str], langs: Sequence[str | None]) -> np.ndarray:
    """A fake embedder: the vector of the topic word a text mentions, slightly perturbed."""
    rows = []
    for text in texts:
        vector = np.full(len(TOPICS) + 1, 0.05, dtype=np.float32)
        hits = [i for i, t in enumerate(TOPICS) if t in text.casefold()]
        vector[hits[0] if hits else len(TOPICS)] = 1.0
        vector[len(TOPICS)] += 0.01 * (len(text) % 7)
        rows.append(vector / np.linalg.norm(vector))
    return np.vstack(rows)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'svar.db'}")
    database.migrate()
    yield database
    database.dispose()
