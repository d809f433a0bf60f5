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

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        if len(texts) > 8:  # bulk work (index builds) gains nothing from a small memory
            return self.inner.encode(texts, kind)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = []
        with self._lock:
            for i, text in enumerate(texts):
                known = self._memory.get((kind, text))
                if known is None:
                    missing.append(i)
                else:
                    self._memory.move_to_end((kind, text))
                    out[i] = known
        if missing:
            fresh = self.inner.encode([texts[i] for i in missing], kind)
            with self._lock:
                for row, i in enumerate(missing):
                    out[i] = fresh[row]
                    self._memory[(kind, texts[i])] = fresh[row]
                while len(self._memory) > self._size:
                    self._memory.popitem(last=False)
        return out
