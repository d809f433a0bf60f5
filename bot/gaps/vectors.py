"""Gap vectors: the runtime's encoder, centred per language like the KB index.

Multilingual e5 groups texts by language before meaning; centring each
question with its language's centroid lets "Do you sell gift cards?" and
"Selger dere gavekort?" fall into one gap. Each text is embedded as the KB
search embeds it, without the greeting and sign-off around the question
(`core_question`): a turn's gap then takes the search's own vector from the
encoder's per-text memory instead of embedding the message a second time, and
"hei ... mvh Kari" does not pull unrelated gaps together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from bot.kb.centering import center, language_centroids
from bot.kb.encoders import Encoder
from bot.kb.question import core_question
from bot.kb.search import Searcher

# texts, their languages -> unit row vectors (float32)
Embedder = Callable[[Sequence[str], Sequence[str | None]], np.ndarray]


def searcher_embedder(searcher: Searcher) -> Embedder:
    """Embed with the searcher's encoder and the index's language centroids."""

    def embed(texts: Sequence[str], langs: Sequence[str | None]) -> np.ndarray:
        raw = searcher.encoder.encode([core_question(t) for t in texts], "query")
        rows = [searcher.index.centroid(lang) for lang in langs]
        return _centred(raw, rows)

    return embed


def encoder_embedder(encoder: Encoder) -> Embedder:
    """Embed with `encoder` and the corpus centroids (no index needed; for `bot gaps eval`)."""
    centroids = language_centroids(encoder, np.zeros((0, encoder.dim), np.float32), [])
    mean: np.ndarray = np.mean(list(centroids.values()), axis=0)

    def embed(texts: Sequence[str], langs: Sequence[str | None]) -> np.ndarray:
        raw = encoder.encode([core_question(t) for t in texts], "query")
        rows = [centroids.get(lang or "", mean) for lang in langs]
        return _centred(raw, rows)

    return embed


def _centred(raw: np.ndarray, centroids: Sequence[np.ndarray]) -> np.ndarray:
    if len(raw) == 0:
        return np.zeros((0, raw.shape[1] if raw.ndim == 2 else 0), dtype=np.float32)
    return np.vstack([center(raw[i], c) for i, c in enumerate(centroids)])


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as float32 bytes for a database column; `from_bytes` reads it back."""
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """The float32 vector `to_bytes` stored; a read-only view of `data`."""
    return np.frombuffer(data, dtype=np.float32)


def unit(vector: np.ndarray) -> np.ndarray:
    """The vector scaled to length 1; a zero vector stays zero instead of dividing by zero."""
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
