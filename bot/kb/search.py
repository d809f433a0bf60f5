"""Hybrid search: dense (FAISS) and lexical scores per phrasing, fused per entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.kb.adapter import apply_adapter
from bot.kb.centering import center
from bot.kb.encoders import Encoder
from bot.kb.index import LoadedIndex
from bot.kb.lexical import LexicalScorer
from bot.kb.question import core_question
from svar_langid import detect


@dataclass(frozen=True)
class Candidate:
    """An entry (all its languages together) and how well the query matched it."""

    faq_id: str
    score: float
    dense: float
    lexical: float
    matched_text: str
    matched_lang: str
    lexical_lang: str = ""  # language of the phrasing with the most words in common
    # Probability that this entry answers the message (confidence.py); the
    # thresholds of `decide` are on this scale.
    confidence: float = 0.0
    # Similarity of the message to the nearest bundled out-of-scope message
    # ("tell me a joke", "are you a robot"); the same for every candidate.
    out_of_scope: float = 0.0


@dataclass(frozen=True)
class Fusion:
    """Entry score = best dense similarity + lexical_weight * best lexical similarity.

    Each is the maximum over the entry's phrasings in every language, so a
    question matches an entry through whichever translation is closest.
    """

    lexical_weight: float = 0.1


class Searcher:
    """Ranks KB entries for customer questions."""

    def __init__(self, index: LoadedIndex, encoder: Encoder, fusion: Fusion | None = None) -> None:
        self.index = index
        self.encoder = encoder
        self.fusion = fusion or Fusion(index.lexical_weight)
        self._lexical = LexicalScorer([row.text for row in index.rows])
        ids = sorted({row.faq_id for row in index.rows})
        self._ids = ids
        position = {faq_id: i for i, faq_id in enumerate(ids)}
        self._row_entry = np.array([position[row.faq_id] for row in index.rows])
        self._confidence = index.confidence

    def search(self, text: str, k: int = 5, lang: str | None = None) -> list[Candidate]:
        """`search_batch` for one text."""
        return self.search_batch([text], k, [lang])[0]

    def search_batch(
        self, texts: Sequence[str], k: int = 5, langs: Sequence[str | None] | None = None
    ) -> list[list[Candidate]]:
        """Top-`k` entries per text, best first.

        `langs` are the questions' languages (detected when not given); each
        query is centred with its language's centroid, like the KB rows. The
        greeting and sign-off around a question are not embedded (question.py).
        """
        if not texts:
            return []
        langs = list(langs) if langs is not None else [None] * len(texts)
        texts = [core_question(text) for text in texts]
        raw = self.encoder.encode(texts, "query")
        centred = np.vstack(
            [
                center(raw[i], self.index.centroid(lang or detect(text).lang))
                for i, (text, lang) in enumerate(zip(texts, langs, strict=True))
            ]
        )
        vectors = apply_adapter(centred, self.index.adapter)
        n_rows = len(self.index.rows)
        dense_hits, rows = self.index.faiss_index.search(vectors, n_rows)
        dense = np.full((len(texts), n_rows), -1.0, dtype=np.float32)
        np.put_along_axis(dense, rows, dense_hits, axis=1)
        lexical = self._lexical.scores(texts)
        bank = self._bank_similarity(vectors)
        return [self._rank(dense[i], lexical[i], float(bank[i]), k) for i in range(len(texts))]

    def _bank_similarity(self, vectors: np.ndarray) -> np.ndarray:
        """Similarity of each query to the nearest bundled out-of-scope message."""
        bank = self.index.bank
        if bank is None or not len(bank):
            return np.zeros(len(vectors), dtype=np.float32)
        # One product per query, so a batch gives the very numbers a single query does.
        return np.array([float((bank @ vector).max()) for vector in vectors], dtype=np.float32)

    def _rank(self, dense: np.ndarray, lexical: np.ndarray, bank: float, k: int) -> list[Candidate]:
        n_entries = len(self._ids)
        dense_best = np.full(n_entries, -1.0, dtype=np.float32)
        np.maximum.at(dense_best, self._row_entry, dense)
        lexical_best = np.zeros(n_entries, dtype=np.float32)
        np.maximum.at(lexical_best, self._row_entry, lexical)
        fused = dense_best + self.fusion.lexical_weight * lexical_best
        top = np.argsort(-fused, kind="stable")[:k]
        confidence = self._confidence.of(fused[top], float(fused.mean()), bank)
        candidates = []
        for entry, sure in zip(top, confidence, strict=True):
            rows = np.flatnonzero(self._row_entry == entry)
            row = self.index.rows[int(rows[np.argmax(dense[rows])])]
            lexical_row = self.index.rows[int(rows[np.argmax(lexical[rows])])]
            candidates.append(
                Candidate(
                    faq_id=self._ids[int(entry)],
                    score=float(fused[entry]),
                    dense=float(dense_best[entry]),
                    lexical=float(lexical_best[entry]),
                    matched_text=row.text,
                    matched_lang=row.lang,
                    lexical_lang=lexical_row.lang,
                    confidence=float(sure),
                    out_of_scope=bank,
                )
            )
        return candidates
