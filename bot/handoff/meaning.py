"""What a customer's message means, read from the sentence embedding the turn already has.

Word lists miss what nobody listed: sarcasm in a sixth language, a Danish account
problem told without one listed phrase. Two small logistic models read the query
vector that the KB search embeds anyway (the encoder's per-text memory makes the
second request free): `frustration` (trained on the public graded Twitter set's dev
part and our own five-language dev messages) and `account` (a customer telling their
own order, invoice, device or account problem). Each is one JSON file in `trained/`
with its coefficients, thresholds and a record of what it was trained on; retrain
with `bot handoff train`.

A model applies only to the encoder family it was trained on: with another encoder
(a test's fake, a different model) it is skipped and the word signals decide alone.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from bot.kb.centering import center
from bot.kb.encoders.base import Encoder
from bot.kb.question import core_question

logger = logging.getLogger(__name__)

TRAINED = Path(__file__).parent / "trained"
KINDS = ("frustration", "account")
# Encoders whose query vectors are the multilingual-e5-small ones the models learnt on.
E5_SMALL = ("e5-onnx", "e5-onnx-int8", "bundled:multilingual-e5-small", "intfloat/multilingual-e5")


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression on one embedding: P(label | message) = sigmoid(w·x + b)."""

    kind: str
    weights: np.ndarray
    bias: float
    offer: float  # probability at which a person is offered (frustration) or taken (account)
    handoff: (
        float  # probability that, with one more signal, hands off (frustration); alone (account)
    )
    record: dict[str, Any] = field(default_factory=dict)
    # Per-language mean vectors subtracted before the weights apply: what a model learns
    # from mostly English tweets then carries to the other languages (as KB search does).
    centroids: dict[str, np.ndarray] = field(default_factory=dict)
    # Frustration: a reading this sure hands off with no other signal (1.0: never).
    alone: float = 1.0

    def probability(self, vectors: np.ndarray, lang: str | None = None) -> np.ndarray:
        """P(label) per row of `vectors`, centred with the language's centroid first when the model
        has centroids.
        """
        if self.centroids:
            vectors = center(vectors, self.centroid(lang))
        result: np.ndarray = 1.0 / (1.0 + np.exp(-(vectors @ self.weights + self.bias)))
        return result

    def centroid(self, lang: str | None) -> np.ndarray:
        """The language's centroid; for a language the model does not know, their mean."""
        if lang in self.centroids:
            return self.centroids[lang]
        mean: np.ndarray = np.mean(list(self.centroids.values()), axis=0)
        return mean

    def to_json(self) -> dict[str, Any]:
        """The model file's contents, coefficients rounded to six decimals."""
        return {
            "kind": self.kind,
            "bias": self.bias,
            "offer": self.offer,
            "handoff": self.handoff,
            "alone": self.alone,
            "record": self.record,
            "weights": [round(float(w), 6) for w in self.weights],
            "centroids": {
                lang: [round(float(x), 6) for x in c] for lang, c in self.centroids.items()
            },
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> LinearModel:
        """Read what `to_json` wrote."""
        return cls(
            raw["kind"],
            np.asarray(raw["weights"], dtype=np.float32),
            float(raw["bias"]),
            float(raw["offer"]),
            float(raw["handoff"]),
            raw.get("record") or {},
            {
                lang: np.asarray(c, dtype=np.float32)
                for lang, c in (raw.get("centroids") or {}).items()
            },
            float(raw.get("alone", 1.0)),
        )


def model_path(kind: str, folder: Path = TRAINED) -> Path:
    """The JSON file of the model `kind` in `folder`."""
    return folder / f"{kind}.json"


def save(model: LinearModel, folder: Path = TRAINED) -> Path:
    """Write the model to its file in `folder` (created if missing); returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = model_path(model.kind, folder)
    path.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", "utf-8")
    return path


@lru_cache(maxsize=8)
def load(kind: str, folder: Path = TRAINED) -> LinearModel | None:
    """The shipped model of `kind`, or None when there is none (the signals decide alone)."""
    path = model_path(kind, folder)
    if not path.exists():
        return None
    return LinearModel.from_json(json.loads(path.read_text("utf-8")))


def fits(encoder: Encoder) -> bool:
    """True when the encoder makes the vectors the models were trained on."""
    return encoder.dim == 384 and any(encoder.name.startswith(name) for name in E5_SMALL)


class Meaning:
    """The shipped models applied through one encoder: text -> probability per kind."""

    def __init__(
        self, encoder: Encoder, models: dict[str, LinearModel], lang: str | None = None
    ) -> None:
        self.encoder = encoder
        self.models = models
        self.lang = lang  # the conversation's language, for the models' centring

    def probability(self, kind: str, text: str) -> float | None:
        """P(kind | text), or None when no model of that kind is shipped.

        The text is embedded exactly as the KB search embeds it (a `query`, without
        the greeting and sign-off around the question), so the encoder's memory serves
        the search and these models one vector.
        """
        model = self.models.get(kind)
        if model is None:
            return None
        vector = self.encoder.encode([core_question(text.strip()[:MAX_CHARS])], "query")
        return float(model.probability(vector, self.lang)[0])


MAX_CHARS = 1000  # what the KB search embeds of a message (bot.answering.MAX_QUESTION_CHARS)


def reader(encoder: Encoder, lang: str | None = None, folder: Path | None = None) -> Meaning | None:
    """The models in `folder` (default: the shipped ones) that apply to `encoder`, or None (then
    the word signals decide alone).
    """
    if not fits(encoder):
        return None
    models = {kind: m for kind in KINDS if (m := load(kind, folder or TRAINED)) is not None}
    return Meaning(encoder, models, lang) if models else None
