"""Any sentence-transformers model, by hub name or local path."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from bot.errors import EncoderError
from bot.kb.encoders.base import TextKind, e5_prefix


class SentenceTransformerEncoder:
    """Loads the model on the CPU; E5-family names get E5's prefixes."""

    def __init__(self, name: str, model_path: str | None = None) -> None:
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(model_path or name, device="cpu")
        except Exception as exc:
            raise EncoderError(name, f"cannot load with sentence-transformers: {exc}") from exc
        self.name = name
        get_dim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        if dim is None:
            raise EncoderError(name, "model does not report an embedding dimension")
        self.dim = int(dim)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        """Unit-length float32 rows, with E5 prefixes when the model name asks for them."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prefix = e5_prefix(self.name, kind)
        with self._lock:
            vectors = self._model.encode(
                [prefix + t for t in texts],
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
                batch_size=32,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)
