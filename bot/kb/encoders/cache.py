"""A small per-text memory in front of any encoder.

One customer turn embeds the same question more than once (the search, then
the gap list's grouping); remembering the last few hundred texts makes the
repeats free without changing any result.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from bot.kb.encoders.base import Encoder, TextKind


class CachedEncoder:
    def __init__(self, inner: Encoder, size: int = 512) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._size = size
        self._memory: OrderedDict[tuple[TextKind, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._compute_lock = threading.Lock()

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        if len(texts) > 8:  # bulk work (index builds) gains nothing from a small memory
            return self.inner.encode(texts, kind)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = self._recall(texts, kind, out)
        if missing:
            # One computation at a time (the engine is single-call anyway); a text
            # being embedded by a prefetch is then found in memory, not recomputed.
            with self._compute_lock:
                missing = self._recall([texts[i] for i in missing], kind, out, missing)
                if missing:
                    fresh = self.inner.encode([texts[i] for i in missing], kind)
                    self._remember([texts[i] for i in missing], kind, fresh)
                    out[missing] = fresh
        return out

    def _recall(
        self,
        texts: Sequence[str],
        kind: TextKind,
        out: np.ndarray,
        positions: list[int] | None = None,
    ) -> list[int]:
        """Fill `out` from memory; return the positions still missing."""
        positions = positions if positions is not None else list(range(len(texts)))
        missing = []
        with self._lock:
            for text, position in zip(texts, positions, strict=True):
                known = self._memory.get((kind, text))
                if known is None:
                    missing.append(position)
                else:
                    self._memory.move_to_end((kind, text))
                    out[position] = known
        return missing

    def _remember(self, texts: Sequence[str], kind: TextKind, vectors: np.ndarray) -> None:
        with self._lock:
            for text, vector in zip(texts, vectors, strict=True):
                self._memory[(kind, text)] = vector
            while len(self._memory) > self._size:
                self._memory.popitem(last=False)
