"""Character n-gram TF-IDF over the indexed phrasings.

Dense embeddings miss rare exact words (product names, "Klarna", "click and
collect") and compress scores into a narrow band; a character-level lexical
score is robust to inflection and typos across the five languages and costs
well under a millisecond per query on a few thousand phrasings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


class LexicalScorer:
    """Cosine similarity of a query to every phrasing, in row order."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True
        )
        self._matrix = self._vectorizer.fit_transform(list(texts))

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        """Array of shape (len(queries), len(texts))."""
        query_matrix = self._vectorizer.transform(list(queries))
        return np.asarray((query_matrix @ self._matrix.T).toarray(), dtype=np.float32)
