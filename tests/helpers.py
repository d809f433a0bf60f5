"""Small test doubles and utilities shared by the test modules."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from bot.kb.encoders import TextKind


class HashingEncoder:
    """A deterministic bag-of-trigrams encoder: fast, and similar texts score high.

    Unit tests use it instead of a real model; the end-to-end tests use the
    real default model.
    """

    name = "test:hashing"
    dim = 256

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            padded = f"  {re.sub(r'[^a-z0-9 ]', '', text.lower())}  "
            for j in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[j : j + 3].encode(), digest_size=4).digest()
                out[i, int.from_bytes(digest, "little") % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out
