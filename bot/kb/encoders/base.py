"""The seam every embedding backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np

TextKind = Literal["query", "passage"]


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension.

    `kind` says what a text is: customer questions and KB questions are both
    `query` (question-to-question matching is symmetric), answer texts are
    `passage`. Backends map the kind to their model's convention (E5 prefixes).
    """

    name: str
    dim: int

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        """Return an array of shape (len(texts), dim)."""
        ...


def e5_prefix(model_name: str, kind: TextKind) -> str:
    """E5 models expect `query: ` / `passage: ` prefixes; other models none."""
    if "e5" not in model_name.lower():
        return ""
    return "query: " if kind == "query" else "passage: "
